"""The evaluation runner: every episode once, concurrently, resumable, with results on disk.

``run_eval`` prepares the run (pipeline, run folder, what is left to do) and hands the pending
episodes to an executor; every episode goes through the same
:class:`~mss_embodied.pipeline.EpisodePipeline` whichever executor runs it. Metrics and the
report are recomputed from the results file at the end.
"""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from mss_embodied import __version__
from mss_embodied.data.images import ImageError
from mss_embodied.data.scenario import Episode
from mss_embodied.harness.cache import TRANSPORT_OPTIONS, CacheError, ResponseCache, default_cache_dir, scrub
from mss_embodied.harness.executors import RunJob, make_executor
from mss_embodied.harness.pricing import Price
from mss_embodied.harness.progress import ProgressBar, RunStats
from mss_embodied.harness.spec import EvalError, ExecOptions, RunSpec
from mss_embodied.harness.store import FORMAT, ResultRow, RunStore, RunStoreError, config_differences
from mss_embodied.pipeline import EpisodePipeline
from mss_embodied.render.provider import ImageProvider


@dataclass
class RunSummary:
    out: Path
    n_selected: int
    n_skipped: int  # already finished before this session
    n_run: int
    metrics: dict[str, Any]
    wall_s: float
    cache_hits: int = 0


def data_description(spec: RunSpec, pipeline: EpisodePipeline) -> dict[str, Any]:
    if spec.data_root is not None:
        source, path = "official", str(Path(spec.data_root).expanduser().resolve())
    elif spec.scenes is not None:
        source, path = "scenes", str(Path(spec.scenes).expanduser().resolve())
    else:
        source, path = "bundled", None
    scenarios = {s.id: s for s in pipeline.scenarios}
    digest = hashlib.sha256()
    for sid in sorted(scenarios):
        digest.update(scenarios[sid].model_dump_json().encode())
    return {"source": source, "path": path, "n_scenarios": len(scenarios), "fingerprint": digest.hexdigest()[:16]}


def build_config(spec: RunSpec, pipeline: EpisodePipeline, opts: ExecOptions) -> dict[str, Any]:
    """``config.json``: what reproduces the run, with credentials scrubbed."""
    return {
        "format": FORMAT,
        "package": "mss-embodied", "package_version": __version__,
        "policy": {"name": spec.policy, "options": scrub(spec.policy_options)},
        "judges": list(spec.judges), "judge_options": scrub(spec.judge_options),
        "setting": spec.setting, "variant": spec.variant, "protocol": spec.protocol,
        "data": data_description(spec, pipeline), "limit": spec.limit, "renderer": spec.renderer,
        "plugins": list(spec.plugins), "n_episodes": len(pipeline.episodes),
        "execution": {"executor": opts.executor, "concurrency": opts.concurrency, "workers": opts.workers,
                      "rpm": opts.rpm, "tpm": opts.tpm, "ray_address": opts.ray_address, "cache": opts.cache,
                      "price_per_mtok": asdict(opts.price) if opts.price else None},
    }


def cache_for(opts: ExecOptions) -> ResponseCache:
    """The machine's shared call cache (``cache_dir`` or the default folder), opened now so an unusable
    one is reported before any call is made; a disabled one when ``cache`` is off."""
    if not opts.cache:
        return ResponseCache(None)
    try:
        return ResponseCache(opts.cache_dir if opts.cache_dir is not None else default_cache_dir()).open()
    except CacheError as exc:
        raise EvalError(str(exc), "cache_dir") from None


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
    try:
        old = store.read_config()
        if store.exists() and not opts.resume:
            n = len(store.load_results(repair=False))
            raise EvalError(f"{out}: run folder already holds a run ({n} results); pass {{option:resume}} to "
                            "continue it or choose another {option:out}")
        if old is None and store.results_path.exists():  # config.json is written before any result
            raise EvalError(f"{store.results_path}: results without {store.config_path.name}, so they cannot "
                            "be checked against this run; use a new {option:out}")
        store.lock()
        if old is not None:
            if old.get("format") != FORMAT:
                raise EvalError(f"{store.config_path}: written by another version of mss-embodied (results format "
                                f"{old.get('format')}, this version writes {FORMAT}); use a new {{option:out}}")
            diffs = config_differences(_result_identity(old), _result_identity(config))
            if diffs:
                raise EvalError(f"{store.config_path}: resuming with a different configuration:\n  "
                                + "\n  ".join(diffs) + "\nuse a new {option:out} for a different run")
        store.load_results()  # truncates a torn last line before anything is appended
    except RunStoreError as exc:
        raise EvalError(str(exc)) from None
    store.write_config(config)


def pending_episodes(pipeline: EpisodePipeline, store: RunStore, opts: ExecOptions) -> tuple[list[Episode], int]:
    """The episodes still to run, and how many finished before."""
    if opts.retry_errors:
        store.rewrite_results(lambda r: r.error is None)
    done = set()
    for r in store.load_results():
        ep = pipeline.by_id.get(r.episode_id)
        if ep is not None and r.prompt_hash != pipeline.prompt_hash(ep):
            raise EvalError(f"{store.results_path}: episode {ep.id!r} was run with another prompt (the protocol "
                            "strings or the package's wording changed since); use a new {option:out}")
        done.add(r.episode_id)
    pending = [e for e in pipeline.episodes if e.id not in done]
    return pending, len(pipeline.episodes) - len(pending)


def finalize(pipeline: EpisodePipeline, store: RunStore, config: dict[str, Any]) -> dict[str, Any]:
    """Recompute metrics.json and report.md from the results file (the single source of truth)."""
    from mss_embodied.harness.report import RunData, render_markdown, run_metrics

    rows: list[ResultRow] = [r for r in store.load_results() if r.episode_id in pipeline.by_id]
    metrics = run_metrics(rows, list(config["judges"]), price=price_from_config(config))
    metrics["n_expected"] = len(pipeline.episodes)
    metrics["complete"] = len(rows) == len(pipeline.episodes)
    store.write_outputs(metrics, render_markdown([RunData(store.folder, config, rows, metrics)]))
    return metrics


def price_from_config(config: dict[str, Any]) -> Price | None:
    p = (config.get("execution") or {}).get("price_per_mtok")
    return Price(float(p["input"]), float(p["output"])) if p else None


def run_eval(spec: RunSpec, out: Path, opts: ExecOptions, default_renderer: str | None = None) -> RunSummary:
    """Run (or resume) one evaluation into ``out``; returns the summary with the final metrics.

    ``default_renderer`` is used when the chosen scenes have images that are not on disk and no
    renderer was named (the bundled scenes before ``scenes render``)."""
    opts.validate()
    spec.validate()
    start = time.monotonic()
    pipeline = spec.build_pipeline()
    try:
        missing = pipeline.missing_images()
        if missing and spec.renderer is None and default_renderer is not None:
            print(f"note: {len(missing)} scene images are not rendered yet; rendering them live with the "
                  f"{default_renderer!r} renderer (choose one with --renderer, or run `mss-embodied scenes render`)",
                  file=sys.stderr)
            spec = replace(spec, renderer=default_renderer)
            pipeline.images = ImageProvider(default_renderer, cache_size=pipeline.images.cache_size)
            missing = pipeline.missing_images()
        if missing:
            more = f"\n  ... and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise EvalError("images are missing:\n  " + "\n  ".join(missing[:5]) + more
                            + "\npass {option:renderer} schematic (or mujoco) to render them live, "
                              "or run `mss-embodied scenes render`")
        config = build_config(spec, pipeline, opts)
        cache = cache_for(opts)  # an unusable cache is reported before the run folder is touched
        store = prepare_store(out, config, opts)
        try:
            pending, skipped = pending_episodes(pipeline, store, opts)
            stats = RunStats(total=len(pending))
            bar = ProgressBar(stats, enabled=opts.progress)
            if pending:
                job = RunJob(spec, pipeline, pending, store, cache, opts, stats, bar)
                try:
                    make_executor(opts.executor).run(job)
                except ImageError as exc:  # an unreadable image found mid-run: finished rows are kept
                    raise EvalError(f"{exc}; finished episodes are kept, fix it and rerun with {{option:resume}}"
                                    ) from None
                finally:
                    bar.close()
            metrics = finalize(pipeline, store, config)
        finally:
            store.close()
            cache.close()
    finally:
        pipeline.close()
    return RunSummary(out, len(pipeline.episodes), skipped, stats.done, metrics, time.monotonic() - start,
                      stats.cache_hits)
