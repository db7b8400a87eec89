"""``--executor ray`` on one machine and on two Ray nodes started here, against the loopback server.

Side by side in one run: the local executor; Ray on one node (2 CPUs); Ray on two nodes of one CPU
each (``ray.cluster_utils.Cluster``, as ``ray start --head`` plus ``ray start --address`` would
give); and the two-node run again with one actor process SIGKILLed mid-run. Prints wall times,
episodes per node (rows record ``timings.ray_node``) and whether every run's rows equal the local
run's (each episode once, same answers and scores).

    python benchmarks/ray_cluster.py                       # 760 episodes, concurrency 64
    python benchmarks/ray_cluster.py --episodes 200 --concurrency 32
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.loopback_server import LoopbackServer  # noqa: E402
from benchmarks.throughput import make_scenes  # noqa: E402


def rows_of(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]


def comparable(out: Path) -> list[dict[str, Any]]:
    return sorted(({k: v for k, v in r.items() if k != "timings"} for r in rows_of(out)),
                  key=lambda r: r["episode_id"])


def actor_pids() -> list[int]:
    """Processes running an episode actor (Ray titles them ``ray::EpisodeActor...``)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"ray::EpisodeActor" in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def kill_one_actor_after(results: Path, rows: int, report: dict[str, Any]) -> None:
    """SIGKILL one actor process once ``rows`` results are written (a crashed worker)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            done = results.read_bytes().count(b"\n")
        except FileNotFoundError:
            done = 0
        if done >= rows:
            pids = actor_pids()
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                report.update(killed_pid=pids[0], at_row=done)
            return
        time.sleep(0.01)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=760)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.2)
    args = parser.parse_args(argv)
    with LoopbackServer(args.latency, 2) as server, tempfile.TemporaryDirectory() as tmp:
        import ray
        import ray.cluster_utils

        from mss_embodied.harness.executors.ray import init_ray
        from mss_embodied.harness.runner import run_eval
        from mss_embodied.harness.spec import ExecOptions, RunSpec

        tmp_path = Path(tmp)
        scenes = make_scenes(tmp_path / "scenes", args.episodes)
        transport = {"base_url": server.base_url, "max_attempts": 1, "timeout_s": 120}
        spec = RunSpec("openai:fake-model", judges=("llm:fake-judge", "rules"), scenes=str(scenes),
                       limit=args.episodes, policy_options=transport, judge_options=transport)
        lines: list[str] = []

        def run(name: str, out: Path, **kw: Any) -> float:
            start = time.perf_counter()
            summary = run_eval(spec, out, ExecOptions(concurrency=args.concurrency, progress=False, cache=False,
                                                      **kw))
            secs = time.perf_counter() - start
            assert summary.metrics["n_errors"] == 0 and summary.n_run == args.episodes
            nodes = Counter(str(r["timings"].get("ray_node") or "driver")[:8] for r in rows_of(out))
            same = comparable(out) == comparable(tmp_path / "local") if name != "local" else True
            lines.append(f"| {name} | {secs:.2f} | {dict(nodes)} | {'yes' if same else 'NO'} |")
            print(lines[-1], flush=True)
            return secs

        local = run("local", tmp_path / "local")
        t0 = time.perf_counter()
        init_ray(None, 2)
        lines.append(f"(a fresh local Ray with 2 CPUs started in {time.perf_counter() - t0:.2f}s)")
        one = run("Ray, one node (2 CPUs)", tmp_path / "ray1", executor="ray")
        ray.shutdown()
        t0 = time.perf_counter()
        cluster = ray.cluster_utils.Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
        cluster.add_node(num_cpus=1)
        started = time.perf_counter() - t0
        try:
            t0 = time.perf_counter()
            init_ray(cluster.address)
            lines.append(f"(two nodes of 1 CPU started in {started:.2f}s; connecting took "
                         f"{time.perf_counter() - t0:.2f}s)")
            two = run("Ray, two nodes (1 CPU each)", tmp_path / "ray2", executor="ray", ray_address=cluster.address)
            report: dict[str, Any] = {}
            killer = threading.Thread(target=kill_one_actor_after,
                                      args=(tmp_path / "ray2k" / "results.jsonl", args.episodes // 3, report))
            killer.start()
            killed = run("Ray, two nodes, one actor SIGKILLed mid-run", tmp_path / "ray2k", executor="ray",
                         ray_address=cluster.address)
            killer.join()
            lines.append(f"(actor process {report.get('killed_pid')} killed after {report.get('at_row')} rows; "
                         "its in-flight episodes ran again on the restarted actor)")
        finally:
            ray.shutdown()
            cluster.shutdown()
    print()
    print(f"{args.episodes} episodes x 2 calls, concurrency {args.concurrency}, server latency "
          f"{args.latency * 1000:.0f} ms; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print("| run | wall (s) | episodes per node | rows equal the local run's |")
    print("|---|---|---|---|")
    for line in lines:
        print(line)
    print(f"Ray vs local at the same concurrency: one node {one / local:.2f}x, two nodes {two / local:.2f}x, "
          f"two nodes with a killed actor {killed / local:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
