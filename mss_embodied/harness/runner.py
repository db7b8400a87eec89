"""The evaluation runner: every episode once, concurrently, resumable, with results on disk.

``run_eval`` prepares the run (pipeline, run folder, what is left to do) and hands the pending
episodes to an executor; every episode goes through the same
:class:`~mss_embodied.pipeline.EpisodePipeline` whichever executor runs it. Metrics and the
report are recomputed from the results file at the end, by the same reading ``report`` does.

Everything that can fail on bad input (options, the run folder and cache paths, the data) is
checked before anything is written; the folder is locked before it is inspected, so two fresh
starts cannot both run; a folder holding a config but no results (a start that failed before its
first episode) is simply reused. A circuit breaker stops a run whose calls keep failing, and a
full disk stops it cleanly; in both cases every finished row is kept and ``--resume`` continues.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from mss_embodied import __version__
from mss_embodied.data.images import ImageError
from mss_embodied.data.scenario import Episode
from mss_embodied.harness.breaker import RunStopped
from mss_embodied.harness.cache import TRANSPORT_OPTIONS, CacheError, ResponseCache, default_cache_dir, scrub
from mss_embodied.harness.executors import RunJob, make_executor
from mss_embodied.harness.progress import ProgressBar, RunStats
from mss_embodied.harness.spec import EvalError, ExecOptions, RunSpec
from mss_embodied.harness.store import FORMAT, RunStore, RunStoreError, config_differences
from mss_embodied.pipeline import EpisodePipeline
from mss_embodied.redaction import REDACTOR, register_options
from mss_embodied.render.provider import ImageProvider

LOG = logging.getLogger("mss_embodied.harness")


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
        "selection": None if spec.selection.is_default else spec.selection.describe(),
        "plugins": list(spec.plugins), "n_episodes": len(pipeline.episodes),
        "episodes": [e.id for e in pipeline.episodes],  # a row for any other episode is set aside
        "execution": {"executor": opts.executor, "concurrency": opts.concurrency, "workers": opts.workers,
                      "rpm": opts.rpm, "tpm": opts.tpm, "ray_address": opts.ray_address, "cache": opts.cache,
                      "max_errors": opts.max_errors, "max_consecutive_errors": opts.max_consecutive_errors,
                      "price_per_mtok": asdict(opts.price) if opts.price else None},
    }


def cache_for(opts: ExecOptions) -> ResponseCache:
    """The machine's shared call cache (``cache_dir`` or the default folder), opened now so an unusable
    one is reported before any call is made; a disabled one when ``cache`` is off. It redacts secrets
    and repairs text itself, at its write boundary."""
    if not opts.cache:
        return ResponseCache(None)
    folder = check_folder(opts.cache_dir, "cache_dir") if opts.cache_dir is not None else default_cache_dir()
    try:
        return ResponseCache(folder).open()
    except CacheError as exc:
        raise EvalError(str(exc), "cache_dir") from None


def check_folder(path: Path | str, field: str) -> Path:
    """A path usable as a folder to write into: not empty, not a file, not under a file; created.
    Errors name the field (the CLI says the flag) and the path."""
    if not str(path).strip():
        raise EvalError("must name a folder, got an empty path", field)
    path = Path(path).expanduser()
    if path.exists() and not path.is_dir():
        raise EvalError(f"{path} is a file, not a folder", field)
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise EvalError(f"{path} cannot be created: {parent} is a file", field)
            break
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EvalError(f"cannot create {path} ({exc.strerror or exc})", field) from None
    return path


def _os_failure(exc: OSError) -> EvalError:
    """An OS error mid-run (a full disk under the cache, a folder made read-only) in one line."""
    where = f"{exc.filename}: " if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return EvalError(f"{where}disk full ({exc.strerror}); every finished episode is kept: free some space, "
                         "then rerun with {option:resume}")
    return EvalError(f"{where}{exc.strerror or exc}; every finished episode is kept: fix it, then rerun with "
                     "{option:resume}")


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
    """Lock the run folder, then check it: refuse to mix runs, check the config on resume, repair a
    torn tail. Locking first makes fresh starts race-free (the loser is told who holds the folder)."""
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
        store.lock()
        rows = store.read_rows(repair=False)
        if rows:  # a folder with a config and no results is a start that failed early: reused as it is
            old = store.read_config()
            if not opts.resume:
                raise EvalError(f"{out}: run folder already holds a run ({len({r.episode_id for r in rows})} "
                                "results); pass {option:resume} to continue it or choose another {option:out}")
            if old is None:
                raise EvalError(f"{store.results_path}: results without {store.config_path.name}, so they cannot "
                                "be checked against this run; use a new {option:out}")
            if old.get("format") != FORMAT:
                raise EvalError(f"{store.config_path}: written by another version of mss-embodied (results format "
                                f"{old.get('format')}, this version writes {FORMAT}); use a new {{option:out}}")
            diffs = config_differences(_result_identity(old), _result_identity(config))
            if diffs:
                raise EvalError(f"{store.config_path}: resuming with a different configuration:\n  "
                                + "\n  ".join(diffs) + "\nuse a new {option:out} for a different run")
        # every row type-checked against this run's judges; a torn last line is cut (a complete one ended)
        store.read_rows(repair=True, judges=config["judges"])
        store.write_config(config)
    except RunStoreError as exc:
        raise EvalError(str(exc)) from None


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


def finalize(store: RunStore) -> dict[str, Any]:
    """Recompute metrics.json and report.md from the results file (the single source of truth), by
    the reading ``report`` does, so the two agree on every count."""
    from mss_embodied.harness.report import ReportError, load_run, render_markdown

    try:
        data = load_run(store.folder)
    except ReportError as exc:
        raise EvalError(str(exc)) from None
    store.write_outputs(data.metrics, render_markdown([data]))
    return data.metrics


def run_eval(spec: RunSpec, out: Path | str, opts: ExecOptions, default_renderer: str | None = None) -> RunSummary:
    """Run (or resume) one evaluation into ``out``; returns the summary with the final metrics.

    ``default_renderer`` is used when the chosen scenes have images that are not on disk and no
    renderer was named (the bundled scenes before ``scenes render``)."""
    opts.validate()
    spec.validate()
    register_options(spec.policy_options, spec.judge_options)  # redacted by value from everything written
    REDACTOR.add_environment()
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
        out = check_folder(out, "out")
        cache = cache_for(opts)  # an unusable cache is reported before the run folder is touched
        store = prepare_store(out, config, opts)
        try:
            summary = _run(spec, pipeline, store, cache, out, opts)
        except RunStoreError as exc:  # a full disk, a folder that became unwritable
            raise EvalError(str(exc)) from None
        except OSError as exc:
            raise _os_failure(exc) from None
        finally:
            store.close()
            cache.close()
    finally:
        pipeline.close()
    summary.wall_s = time.monotonic() - start
    return summary


def _run(spec: RunSpec, pipeline: EpisodePipeline, store: RunStore, cache: ResponseCache, out: Path,
         opts: ExecOptions) -> RunSummary:
    pending, skipped = pending_episodes(pipeline, store, opts)
    LOG.info("run %s: policy %s, judges %s, setting %s; %d episodes selected, %d done before, %d to run",
             out, spec.policy, ",".join(spec.judges), spec.setting, len(pipeline.episodes), skipped, len(pending))
    stats = RunStats(total=len(pending))
    bar = ProgressBar(stats, enabled=opts.progress)
    stopped: RunStopped | None = None
    if pending:
        job = RunJob(spec, pipeline, pending, store, cache, opts, stats, bar)
        try:
            make_executor(opts.executor).run(job)
        except ImageError as exc:  # an unreadable image found mid-run: finished rows are kept
            raise EvalError(f"{exc}; finished episodes are kept, fix it and rerun with {{option:resume}}") from None
        except RunStopped as exc:  # the circuit breaker: the report still covers what finished
            stopped = exc
        finally:
            bar.close()
    metrics = finalize(store)
    LOG.info("run %s finished: %s of %s episodes, safe %s, unsafe %s, %s failed calls, %s invalid verdicts",
             out, metrics["n_episodes"], metrics["n_expected"], metrics["safe_accuracy"],
             metrics["unsafe_accuracy"], metrics["n_errors"], metrics["n_invalid"])
    if stopped is not None:
        raise stopped
    return RunSummary(out, len(pipeline.episodes), skipped, stats.done, metrics, 0.0, stats.cache_hits)
