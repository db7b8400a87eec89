"""The evaluation runner: every episode once, concurrently, resumable, with results on disk.

The driver owns the run folder; the per-episode work (prompt, policy call, scoring) lives in
:class:`EvalContext` so the Ray executor's workers run exactly the same code. Harness work per
episode is small beside a model call: images are decoded once per situation (ImageProvider) and
carry a content id so policies encode them once; parsing and scoring are cheap.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import json
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from mss_embodied import __version__
from mss_embodied.data.images import ImageError
from mss_embodied.data.scenario import Episode, Scenario
from mss_embodied.envs.common import VARIANT_CHOICES, ImageProvider, load_scenarios, select_episodes
from mss_embodied.harness.cache import TRANSPORT_OPTIONS, ResponseCache, cache_key, generation_params, scrub
from mss_embodied.harness.pricing import Price
from mss_embodied.harness.progress import ProgressBar, RunStats
from mss_embodied.harness.ratelimit import RateLimiter
from mss_embodied.harness.store import (
    RunStore,
    RunStoreError,
    config_differences,
    write_json_atomic,
    write_text_atomic,
)
from mss_embodied.policies.base import Policy, PolicyInput, PolicyResponse, available_policies, make_policy
from mss_embodied.protocol.prompts import SETTINGS, Protocol, load_protocol
from mss_embodied.scoring.checker import SafetyChecker, Score
from mss_embodied.scoring.judges import available_judges, make_judge

EXECUTORS = ("local", "ray")


class EvalError(ValueError):
    """Bad input to a run (a file, field or value), reported without a traceback; exit code 2."""


@dataclass(frozen=True)
class RunSpec:
    """Everything that decides an episode's result; picklable, so Ray workers rebuild from it."""

    policy: str
    judges: tuple[str, ...] = ("rules",)
    policy_options: dict[str, Any] = field(default_factory=dict)
    judge_options: dict[str, Any] = field(default_factory=dict)
    data_root: str | None = None
    scenes: str | None = None
    setting: str = "if"
    variant: str = "both"
    protocol: str = "default"
    limit: int | None = None
    renderer: str | None = None
    plugins: tuple[str, ...] = ()

    def validate(self) -> None:
        if self.setting not in SETTINGS:
            raise EvalError(f"--setting: unknown value {self.setting!r}; choose one of {', '.join(SETTINGS)}")
        if self.variant not in VARIANT_CHOICES:
            raise EvalError(f"--variant: unknown value {self.variant!r}; choose one of {', '.join(VARIANT_CHOICES)}")
        if self.limit is not None and self.limit < 1:
            raise EvalError(f"--limit: must be at least 1, got {self.limit}")
        if not self.judges:
            raise EvalError("--judge: at least one judge is needed")
        if len(set(self.judges)) != len(self.judges):
            raise EvalError(f"--judge: a judge is named twice in {list(self.judges)}")
        if self.data_root is not None and self.scenes is not None:
            raise EvalError("pass either --data-root (official MSSBench) or --scenes, not both")

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass
class ExecOptions:
    """How to run: none of this changes a result."""

    concurrency: int = 8
    rpm: float | None = None
    tpm: float | None = None
    executor: str = "local"
    ray_address: str | None = None
    ray_num_cpus: int | None = None
    resume: bool = False
    retry_errors: bool = False
    cache: bool = True
    cache_dir: Path | None = None
    price: Price | None = None
    progress: bool = True

    def validate(self) -> None:
        if self.concurrency < 1:
            raise EvalError(f"--concurrency: must be at least 1, got {self.concurrency}")
        for name, value in (("--rpm", self.rpm), ("--tpm", self.tpm)):
            if value is not None and not value > 0:  # also refuses NaN, which would disable the limit
                raise EvalError(f"{name}: must be positive, got {value}")
        if self.executor not in EXECUTORS:
            raise EvalError(f"--executor: unknown value {self.executor!r}; choose one of {', '.join(EXECUTORS)}")


@dataclass
class RunSummary:
    out: Path
    n_selected: int
    n_skipped: int  # already finished before this session
    n_run: int
    metrics: dict[str, Any]
    wall_s: float
    cache_hits: int = 0


def import_plugins(plugins: Sequence[str]) -> None:
    """Import modules that register extra policies or judges (``--plugin my_pkg.policies``)."""
    for name in plugins:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise EvalError(f"--plugin {name!r}: cannot import it ({exc})") from None


def load_kinds() -> None:
    """Make sure the policy and judge kinds are registered (the registries import them lazily)."""
    from mss_embodied.policies import available_policies
    from mss_embodied.scoring.judges import available_judges

    available_policies()
    available_judges()


def check_policy_kind(policy: str) -> None:
    load_kinds()
    kind = policy.partition(":")[0]
    if kind not in available_policies():
        raise EvalError(f"--policy {policy!r}: unknown kind {kind!r}; known: {', '.join(available_policies())}")


def check_judge_kinds(judges: Sequence[str]) -> None:
    load_kinds()
    for name in judges:
        kind = name.partition(":")[0]
        if kind not in available_judges():
            raise EvalError(f"--judge {name!r}: unknown kind {kind!r}; known: {', '.join(available_judges())}")


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def judge_error_score(judge: str, error: str) -> Score:
    return Score(None, None, False, False, None, None, judge=judge, judge_error=error)


@dataclass
class Prepared:
    """An episode made ready for the policy: its input, prompt hash and cache key."""

    episode: Episode
    inp: PolicyInput
    prompt_hash: str
    key: str


class EvalContext:
    """Scenarios, protocol, policy, judges and images for one RunSpec (driver or Ray worker)."""

    def __init__(self, spec: RunSpec, scenarios: Sequence[Scenario] | None = None, with_models: bool = True,
                 image_cache: int = 256) -> None:
        spec.validate()
        import_plugins(spec.plugins)
        self.spec = spec
        try:
            self.protocol: Protocol = load_protocol(spec.protocol)
        except (FileNotFoundError, ValueError, KeyError) as exc:
            raise EvalError(f"--protocol {spec.protocol!r}: {exc}") from None
        if scenarios is None:
            try:
                scenarios = load_scenarios(spec.data_root, spec.scenes)
            except ValueError as exc:  # SceneError, DatasetError and the like name the file and field
                raise EvalError(str(exc)) from None
        self.scenarios = list(scenarios)
        try:
            episodes = select_episodes(self.scenarios, spec.variant, spec.setting)
        except ValueError as exc:
            raise EvalError(str(exc)) from None
        self.n_available = len(episodes)
        self.episodes: tuple[Episode, ...] = episodes[:spec.limit] if spec.limit else episodes
        self.by_id = {e.id: e for e in self.episodes}
        try:
            self.images = ImageProvider(spec.renderer, cache_size=image_cache)
        except ValueError as exc:
            raise EvalError(f"--renderer: {exc}") from None
        self.params = generation_params(spec.policy_options)
        self.policy: Policy | None = None
        self.checkers: list[SafetyChecker] = []
        if with_models:
            self.build_policy()
            self.build_judges()

    def build_policy(self) -> None:
        spec = self.spec
        load_kinds()
        options = dict(spec.policy_options)
        if spec.policy.startswith("multiagent:"):
            options.setdefault("protocol", self.protocol)
        try:
            self.policy = make_policy(spec.policy, **options)
        except (ValueError, TypeError, ImportError) as exc:
            raise EvalError(f"--policy {spec.policy!r}: {exc}") from None

    def build_judges(self) -> None:
        load_kinds()
        for name in self.spec.judges:
            options = dict(self.spec.judge_options)
            if name.startswith("llm:"):
                options.setdefault("protocol", self.protocol)
            try:
                self.checkers.append(SafetyChecker(make_judge(name, **options)))
            except (ValueError, TypeError, ImportError) as exc:
                raise EvalError(f"--judge {name!r}: {exc}") from None

    # -- checks and descriptions ---------------------------------------------------------------
    def missing_images(self) -> list[str]:
        """Situations whose image is neither on disk nor renderable live."""
        problems: list[str] = []
        seen: set[tuple[str, str]] = set()
        for ep in self.episodes:
            key = (ep.scenario.id, ep.variant)
            if key in seen:
                continue
            seen.add(key)
            path = ep.scenario.image_path(ep.variant)
            if path is not None and path.is_file():
                continue
            if self.images.renderer is not None and ep.scenario.situation(ep.variant).state is not None:
                continue
            problems.append(f"scenario {ep.scenario.id!r} field '{ep.variant}.image': "
                            + (f"{path} is missing" if path is not None else "no image given"))
        return problems

    def data_description(self) -> dict[str, Any]:
        if self.spec.data_root is not None:
            source, path = "official", str(Path(self.spec.data_root).expanduser().resolve())
        elif self.spec.scenes is not None:
            source, path = "scenes", str(Path(self.spec.scenes).expanduser().resolve())
        else:
            source, path = "bundled", None
        digest = hashlib.sha256()
        for s in sorted(self.scenarios, key=lambda s: s.id):
            digest.update(s.model_dump_json().encode())
        return {"source": source, "path": path, "n_scenarios": len(self.scenarios),
                "fingerprint": digest.hexdigest()[:16]}

    # -- per-episode work ------------------------------------------------------------------------
    def prompt(self, episode: Episode) -> str:
        return self.protocol.build_prompt(self.spec.setting, episode.instruction, episode.caption)

    def prompt_hash(self, episode: Episode) -> str:
        """Stored in each row, so a resume can tell that the prompt wording changed."""
        return _text_hash(self.prompt(episode))

    def prepare(self, episode: Episode) -> Prepared:
        caption = episode.caption if self.spec.setting == "ic_cap" else None
        prompt = self.prompt(episode)
        image, content_id = self.images.original(episode)
        inp = PolicyInput(prompt=prompt, instruction=episode.instruction, image=image, image_id=content_id,
                          setting=self.spec.setting, caption=caption, episode=episode)
        prompt_hash = _text_hash(prompt)
        key = cache_key(self.spec.policy, prompt, content_id, self.spec.setting, self.params, caption)
        return Prepared(episode, inp, prompt_hash, key)

    async def call(self, prep: Prepared) -> PolicyResponse:
        """The policy's answer; an exception becomes an error response (never a refusal)."""
        assert self.policy is not None, "context built without models"
        start = time.perf_counter()
        try:
            response = await self.policy.aact(prep.inp)
        except Exception as exc:
            return PolicyResponse(text=None, error=_error_text(exc), latency_s=time.perf_counter() - start)
        if response.error is None and response.text is None:
            response.error = "the policy returned no text"
        if not response.latency_s:
            response.latency_s = time.perf_counter() - start
        return response

    async def score(self, prep: Prepared, response: PolicyResponse) -> list[Score]:
        out = []
        for checker in self.checkers:
            try:
                out.append(await checker.ascore(prep.episode, response.text, response.error))
            except Exception as exc:
                out.append(judge_error_score(checker.judge.name, _error_text(exc)))
        return out

    def row(self, prep: Prepared, response: PolicyResponse, scores: list[Score],
            timings: dict[str, Any]) -> dict[str, Any]:
        ep = prep.episode
        return {
            "episode_id": ep.id, "scenario_id": ep.scenario.id, "paraphrase": ep.paraphrase,
            "setting": self.spec.setting, "variant": ep.variant, "task": ep.task, "category": ep.category,
            "prompt_hash": prep.prompt_hash, "image_id": prep.inp.image_id,
            "response": response.text, "usage": dict(response.usage), "meta": response.meta,
            "score": scores[0].to_dict(),
            "scores": {self.spec.judges[i]: s.to_dict() for i, s in enumerate(scores) if i > 0},
            "timings": timings, "error": response.error,
        }

    async def evaluate(self, prep: Prepared, response: PolicyResponse | None = None,
                       limiter: RateLimiter | None = None) -> tuple[dict[str, Any], PolicyResponse]:
        """Call (unless ``response`` came from the cache) and score; returns the row and the response."""
        t0 = time.perf_counter()
        cached = response is not None
        if response is None:
            if limiter is not None:
                await limiter.acquire()
            response = await self.call(prep)
            if limiter is not None:
                limiter.record(response.usage)
        t1 = time.perf_counter()
        scores = await self.score(prep, response)
        t2 = time.perf_counter()
        timings = {"policy_s": round(t1 - t0, 6), "score_s": round(t2 - t1, 6), "cache_hit": cached}
        return self.row(prep, response, scores, timings), response

    def close(self) -> None:
        if self.policy is not None:
            self.policy.close()
        for checker in self.checkers:
            checker.judge.close()


def build_config(ctx: EvalContext, opts: ExecOptions) -> dict[str, Any]:
    """``config.json``: what reproduces the run, with credentials scrubbed."""
    spec = ctx.spec
    return {
        "format": 1,
        "package": "mss-embodied", "package_version": __version__,
        "policy": {"name": spec.policy, "options": scrub(spec.policy_options)},
        "judges": list(spec.judges), "judge_options": scrub(spec.judge_options),
        "setting": spec.setting, "variant": spec.variant, "protocol": spec.protocol,
        "data": ctx.data_description(), "limit": spec.limit, "renderer": spec.renderer,
        "plugins": list(spec.plugins), "n_episodes": len(ctx.episodes),
        "execution": {"executor": opts.executor, "concurrency": opts.concurrency, "rpm": opts.rpm,
                      "tpm": opts.tpm, "ray_address": opts.ray_address, "cache": opts.cache,
                      "price_per_mtok": asdict(opts.price) if opts.price else None},
    }


def cache_for(out: Path, opts: ExecOptions) -> ResponseCache:
    if not opts.cache:
        return ResponseCache(None)
    return ResponseCache(opts.cache_dir if opts.cache_dir is not None else out / "cache")


def _result_identity(config: dict[str, Any]) -> dict[str, Any]:
    """The config without transport options (timeouts, retries): changing those on resume (say a longer
    ``timeout_s`` with ``--retry-errors``) changes no result, so it is no mismatch."""
    out = dict(config)
    policy = dict(out.get("policy") or {})
    policy["options"] = {k: v for k, v in (policy.get("options") or {}).items() if k not in TRANSPORT_OPTIONS}
    out["policy"] = policy
    out["judge_options"] = {k: v for k, v in (out.get("judge_options") or {}).items() if k not in TRANSPORT_OPTIONS}
    return out


def prepare_store(out: Path, config: dict[str, Any], opts: ExecOptions) -> RunStore:
    """Open and lock the run folder: refuse to mix runs, check the config on resume, repair a torn tail."""
    store = RunStore(out)
    try:
        _check_store(store, config, opts)
    except BaseException:
        store.close()
        raise
    return store


def _check_store(store: RunStore, config: dict[str, Any], opts: ExecOptions) -> None:
    out = store.folder
    old = store.read_config()
    if store.exists() and not opts.resume:
        n = len(store.load_results(repair=False))
        raise EvalError(f"{out}: run folder already holds a run ({n} results); pass --resume to continue it "
                        "or choose another --out")
    if old is None and store.results_path.exists():  # config.json is written before any result
        raise EvalError(f"{store.results_path}: results without {store.config_path.name}, so they cannot be "
                        "checked against this run; use a new --out")
    try:
        store.lock()
    except RunStoreError as exc:
        raise EvalError(str(exc)) from None
    if old is not None:
        diffs = config_differences(_result_identity(old), _result_identity(config))
        if diffs:
            raise EvalError(f"{store.config_path}: --resume with a different configuration:\n  "
                            + "\n  ".join(diffs) + "\nuse a new --out for a different run")
    try:
        store.load_results()  # truncates a torn last line before anything is appended
    except RunStoreError as exc:
        raise EvalError(str(exc)) from None
    store.write_config(config)


def _pending(ctx: EvalContext, store: RunStore, opts: ExecOptions) -> tuple[list[Episode], int]:
    if opts.retry_errors:
        store.rewrite_results(lambda r: r.get("error") is None)
    done = set()
    for r in store.load_results():
        ep = ctx.by_id.get(r["episode_id"])
        if ep is not None and r.get("prompt_hash") != ctx.prompt_hash(ep):
            raise EvalError(f"{store.results_path}: episode {ep.id!r} was run with another prompt (the protocol "
                            "strings or the package's wording changed since); use a new --out")
        done.add(r["episode_id"])
    pending = [e for e in ctx.episodes if e.id not in done]
    return pending, len(ctx.episodes) - len(pending)


def _persist(cache: ResponseCache, store: RunStore, key: str | None, response: PolicyResponse,
             row: dict[str, Any]) -> None:
    if key is not None:
        cache.put(key, response)
    store.append(row)


async def run_local(ctx: EvalContext, pending: Sequence[Episode], store: RunStore, cache: ResponseCache,
                    opts: ExecOptions, stats: RunStats, bar: ProgressBar) -> None:
    """N workers pull episodes from one iterator: at most ``concurrency`` episodes in flight."""
    limiter = RateLimiter(opts.rpm, opts.tpm)
    source: Iterator[Episode] = iter(pending)
    loop = asyncio.get_running_loop()
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="results-writer")

    async def worker() -> None:
        for episode in source:
            prep = ctx.prepare(episode)
            hit = cache.get(prep.key)
            row, response = await ctx.evaluate(prep, hit, limiter)
            # File I/O off the event loop, in one thread: the cache entry first, then the row, so a
            # kill between the two costs nothing on resume (the answer comes from the cache).
            await loop.run_in_executor(writer, _persist, cache, store, prep.key if hit is None else None,
                                       response, row)
            stats.add(row, hit is not None, opts.price)
            bar.update()

    tasks = [asyncio.ensure_future(worker()) for _ in range(min(opts.concurrency, len(pending)))]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            task.result()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        writer.shutdown(wait=True)


def finalize(ctx: EvalContext, store: RunStore, config: dict[str, Any]) -> dict[str, Any]:
    """Recompute metrics.json and report.md from the results file (the single source of truth)."""
    from mss_embodied.harness.report import RunData, render_markdown, run_metrics

    selected = set(ctx.by_id)
    rows = [r for r in store.load_results() if r["episode_id"] in selected]
    metrics = run_metrics(rows, list(ctx.spec.judges), price=_price_from_config(config))
    metrics["n_expected"] = len(ctx.episodes)
    metrics["complete"] = len(rows) == len(ctx.episodes)
    write_json_atomic(store.folder / "metrics.json", metrics)
    run = RunData(store.folder, config, rows, metrics)
    write_text_atomic(store.folder / "report.md", render_markdown([run]))
    return metrics


def _price_from_config(config: dict[str, Any]) -> Price | None:
    p = config.get("execution", {}).get("price_per_mtok")
    return Price(float(p["input"]), float(p["output"])) if p else None


def run_eval(spec: RunSpec, out: Path, opts: ExecOptions, scenarios: Sequence[Scenario] | None = None,
             default_renderer: str | None = None) -> RunSummary:
    """Run (or resume) one evaluation into ``out``; returns the summary with the final metrics.

    ``default_renderer`` is used when the chosen scenes have images that are not on disk and no
    renderer was named (the bundled scenes before ``scenes render``)."""
    opts.validate()
    spec.validate()
    import_plugins(spec.plugins)
    check_policy_kind(spec.policy)
    check_judge_kinds(spec.judges)
    start = time.monotonic()
    ctx = EvalContext(spec, scenarios, with_models=False)
    if ctx.missing_images() and spec.renderer is None and default_renderer is not None:
        print(f"note: {len(ctx.missing_images())} scene images are not rendered yet; rendering them live with the "
              f"{default_renderer!r} renderer (pass --renderer to choose, or run `mss-embodied scenes render`)",
              file=sys.stderr)
        spec = replace(spec, renderer=default_renderer)
        ctx = EvalContext(spec, ctx.scenarios, with_models=False)
    missing = ctx.missing_images()
    if missing:
        more = f"\n  ... and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise EvalError("images are missing:\n  " + "\n  ".join(missing[:5]) + more
                        + "\npass --renderer schematic (or mujoco) to render them live, "
                          "or run `mss-embodied scenes render`")
    ctx.build_judges()
    config = build_config(ctx, opts)
    store = prepare_store(out, config, opts)
    try:
        pending, skipped = _pending(ctx, store, opts)
        stats = RunStats(total=len(pending))
        bar = ProgressBar(stats, enabled=opts.progress)
        if pending:
            if opts.executor == "local":  # Ray workers build their own policy
                ctx.build_policy()
            cache = cache_for(out, opts)
            try:
                if opts.executor == "ray":
                    from mss_embodied.harness.ray_executor import run_ray

                    run_ray(ctx, pending, store, cache, opts, stats, bar)
                else:
                    asyncio.run(run_local(ctx, pending, store, cache, opts, stats, bar))
            except ImageError as exc:  # an unreadable image found mid-run: finished rows are kept
                raise EvalError(f"{exc}; finished episodes are kept, fix it and rerun with --resume") from None
            finally:
                bar.close()
        metrics = finalize(ctx, store, config)
    finally:
        ctx.close()
        store.close()
    return RunSummary(out, len(ctx.episodes), skipped, stats.done, metrics, time.monotonic() - start,
                      stats.cache_hits)
