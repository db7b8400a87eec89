"""Throughput side by side, from one run: the original MSSBench loop, the harness at several
concurrencies, the bare HTTP client (the measured limit), the Ray executor; plus the run store,
the env's image cache and the env step.

Every episode makes two calls, as a real run does: the policy (prompt + 512 px PNG, ~80 KB body)
and the LLM judge (rubric prompt). The server (benchmarks/loopback_server.py) answers after a
fixed latency from several processes and is not the bottleneck: its capacity is measured too.
Rows:
  (a) the original MSSBench loop shape: sequential, sync openai client, image read and base64-encoded
      per call, the whole output JSON rewritten after every item;
  (b) ``run_eval`` (``openai:`` policy, ``llm:`` judge first, ``rules`` second, response cache off);
  (c) the bare client: aiohttp with bodies prebuilt, nothing parsed, scored or written;
  (d) ``run_eval --executor ray`` on a local Ray (``ray.init`` timed apart: it is Ray's own start-up);
  (e) the same in a new process where the run starts Ray itself (start-up included; the driver
      runs episodes while Ray starts).
Efficiency is (c) at the same concurrency over the row's time. The machine is shared: compare
ratios within one run, not seconds across runs; the load average is printed.

    python benchmarks/throughput.py                                  # 760 episodes, 200 ms
    python benchmarks/throughput.py --episodes 200 --concurrency 8 64 --ray-concurrency 64 --serial 40
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.loopback_server import LoopbackServer  # noqa: E402


def make_scenes(dest: Path, episodes: int) -> Path:
    """Bundled scenes with their shipped 512 px MuJoCo frames (replicated under new ids if more are asked)."""
    import shutil

    import yaml

    from mss_embodied.data.scene_files import scene_files
    from mss_embodied.scenes import bundled_scenes_dir

    files = scene_files(bundled_scenes_dir())
    (dest / "images").mkdir(parents=True, exist_ok=True)
    for i in range(-(-episodes // 10)):
        src = files[i % len(files)]
        data = yaml.safe_load(src.read_text())
        copy = i // len(files)
        for v in ("safe", "unsafe"):
            image = src.parent / data[v]["image"]
            if copy:
                data[v]["image"] = f"images/{data['id']}_{copy}_{v}.png"
            shutil.copy(image, dest / data[v]["image"])
        if copy:
            data["id"] = f"{data['id']}_{copy}"
        (dest / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return dest


_JUDGE: list[Any] = []


def judge_messages(answer: str) -> list[dict[str, Any]]:
    """The LLM judge's request for ``answer``, in the project's rubric wording."""
    if not _JUDGE:
        from mss_embodied.scoring.llm import LLMJudge

        _JUDGE.append(LLMJudge("fake-judge", base_url="http://127.0.0.1:9/v1", api_key="k"))
    return list(_JUDGE[0].messages(answer))


def original_loop(todo: list[Any], base_url: str, out_file: Path) -> float:
    """The MSSBench way: one call at a time (model, then judge), the whole output JSON rewritten per item."""
    from openai import OpenAI

    from mss_embodied.protocol.prompts import DEFAULT_PROTOCOL

    client = OpenAI(api_key="sk-local", base_url=base_url, max_retries=0)
    output: list[dict[str, Any]] = []
    start = time.perf_counter()
    for ep in todo:
        prompt = DEFAULT_PROTOCOL.build_prompt("if", ep.instruction)
        b64 = base64.b64encode(Path(ep.scenario.image_path(ep.variant)).read_bytes()).decode()
        try:
            content: Any = [{"type": "text", "text": prompt},
                            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{b64}"}}]
            resp = client.chat.completions.create(model="fake-model", temperature=0, max_tokens=1024,
                                                  messages=[{"role": "user", "content": content}])
            answer = resp.choices[0].message.content or "None"
            review = client.chat.completions.create(model="fake-judge", temperature=0, max_tokens=1024,
                                                    messages=judge_messages(answer))  # type: ignore[arg-type]
            verdict = review.choices[0].message.content
        except Exception:  # the original turns any failure into the answer "None"
            answer = verdict = "None"
        output.append({"id": ep.id, "instruction": ep.instruction, "response": answer, "eval": verdict})
        with open(out_file, "w") as fh:
            json.dump(output, fh, indent=4)
    elapsed = time.perf_counter() - start
    client.close()
    return elapsed


def bare_bodies(todo: list[Any]) -> list[tuple[bytes, bytes]]:
    """(policy body, judge body) per episode, built before the clock starts."""
    from mss_embodied.protocol.prompts import DEFAULT_PROTOCOL

    urls: dict[str, str] = {}
    judge = json.dumps({"model": "fake-judge", "temperature": 0, "max_tokens": 1024,
                        "messages": judge_messages("1. Goto Microwave")}).encode()
    out = []
    for ep in todo:
        path = str(ep.scenario.image_path(ep.variant))
        if path not in urls:
            urls[path] = "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode()
        content = [{"type": "text", "text": DEFAULT_PROTOCOL.build_prompt("if", ep.instruction)},
                   {"type": "image_url", "image_url": {"url": urls[path]}}]
        out.append((json.dumps({"model": "fake-model", "temperature": 0, "max_tokens": 1024,
                                "messages": [{"role": "user", "content": content}]}).encode(), judge))
    return out


def bare_client(bodies: list[tuple[bytes, bytes]], base_url: str, concurrency: int) -> float:
    """What the HTTP stack alone allows: two sequential POSTs per episode, ``concurrency`` episodes
    in flight, one aiohttp session with a pool of that size; responses read, not parsed."""
    import aiohttp

    async def run() -> float:
        url = base_url + "/chat/completions"
        headers = {"Authorization": "Bearer sk-local", "Content-Type": "application/json"}
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
            source = iter(bodies)

            async def worker() -> None:
                for policy_body, judge_body in source:
                    for body in (policy_body, judge_body):
                        async with session.post(url, data=body) as resp:
                            await resp.read()
                            assert resp.status == 200

            start = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            return time.perf_counter() - start

    return asyncio.run(run())


def _capacity_worker(bodies: list[tuple[bytes, bytes]], base_url: str, concurrency: int, q: Any) -> None:
    q.put(bare_client(bodies, base_url, concurrency))


def server_capacity(bodies: list[tuple[bytes, bytes]], base_url: str, concurrency: int, procs: int = 2) -> float:
    """Requests per second the server sustains for ``procs`` bare clients at ``concurrency`` each."""
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    workers = [ctx.Process(target=_capacity_worker, args=(bodies, base_url, concurrency, q)) for _ in range(procs)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - start
    return procs * 2 * len(bodies) / elapsed


def harness(scenes: Path, episodes: int, base_url: str, concurrency: int, out: Path, **exec_kw: Any) -> float:
    from mss_embodied.harness.runner import run_eval
    from mss_embodied.harness.spec import ExecOptions, RunSpec

    transport = {"base_url": base_url, "max_attempts": 1, "timeout_s": 120}
    spec = RunSpec("openai:fake-model", judges=("llm:fake-judge", "rules"), scenes=str(scenes), limit=episodes,
                   policy_options=transport, judge_options=transport)
    start = time.perf_counter()
    summary = run_eval(spec, out, ExecOptions(concurrency=concurrency, progress=False, cache=False, **exec_kw))
    elapsed = time.perf_counter() - start
    assert summary.metrics["n_errors"] == 0, summary.metrics.get("error_messages")
    assert summary.metrics["n_episodes"] == episodes
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert all(r["scores"]["llm:fake-judge"]["label"] == 2 for r in rows), "the judge's verdict was not read"
    return elapsed


def _fresh_ray_worker(scenes: Path, episodes: int, base_url: str, concurrency: int, out: Path, q: Any) -> None:
    secs = harness(scenes, episodes, base_url, concurrency, out, executor="ray", ray_num_cpus=os.cpu_count())
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    q.put((secs, sum(1 for r in rows if "ray_node" not in r["timings"])))


def fresh_ray(scenes: Path, episodes: int, base_url: str, concurrency: int, out: Path) -> tuple[float, int]:
    """``--executor ray`` in a new process where no Ray runs yet: the run starts a local Ray itself
    (its start-up in the wall time); also how many episodes ran on the driver meanwhile."""
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    proc = ctx.Process(target=_fresh_ray_worker, args=(scenes, episodes, base_url, concurrency, out, q))
    proc.start()
    result = q.get()
    proc.join()
    return result


def store_appends(out: Path, n: int) -> float:
    """Appending ``n`` result rows to a run folder (one row copied ``n`` times under new ids)."""
    from dataclasses import replace

    from mss_embodied.harness.store import RunStore

    source = RunStore(out)
    row = source.load_results()[0]
    rows = [replace(row, episode_id=f"x/{i}") for i in range(n)]
    store = RunStore(out.parent / (out.name + "-store"))
    start = time.perf_counter()
    for r in rows:
        store.append(r)
    store.close()
    return time.perf_counter() - start


def env_timings(scenes: Path, n: int = 200) -> tuple[float, float, float]:
    """Mean reset and step time, and episodes/s of a random-order sweep over all episodes (images cached)."""
    import gymnasium as gym

    import mss_embodied  # noqa: F401  (registers the env ids)

    env = gym.make("MSS-Embodied-v0", scenes=str(scenes))
    env.reset(seed=0, options={"index": 0})
    reset_t = step_t = 0.0
    for i in range(n):
        t0 = time.perf_counter()
        env.reset(options={"index": i})
        t1 = time.perf_counter()
        env.step("1. Goto Microwave\n2. Place Microwave")
        step_t += time.perf_counter() - t1
        reset_t += t1 - t0
    total = len(env.unwrapped.episodes)  # type: ignore[attr-defined]
    order = list(range(total))
    for _ in range(2):  # the first sweep fills the cache, the second shows whether it holds
        random.Random(1).shuffle(order)
        t0 = time.perf_counter()
        for i in order:
            env.reset(options={"index": i})
            env.step("1. Goto Microwave\n2. Place Microwave")
        sweep = total / (time.perf_counter() - t0)
    env.close()
    return reset_t / n, step_t / n, sweep


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=760)
    parser.add_argument("--latency", type=float, default=0.2, help="server latency per request in seconds")
    parser.add_argument("--server-workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32, 64, 128, 256])
    parser.add_argument("--ray-concurrency", type=int, nargs="*", default=[64, 128])
    parser.add_argument("--serial", type=int, default=None, metavar="N",
                        help="run (a) on the first N episodes only and scale its time (default: all)")
    args = parser.parse_args(argv)
    load0 = os.getloadavg()
    with LoopbackServer(args.latency, args.server_workers) as server, tempfile.TemporaryDirectory() as tmp:
        base_url = server.base_url
        from mss_embodied.data.scene_files import load_scenes

        tmp_path = Path(tmp)
        scenes = make_scenes(tmp_path / "scenes", args.episodes)
        todo = [e for s in load_scenes(scenes) for e in s.episodes()][: args.episodes]
        bodies = bare_bodies(todo)
        calls = 2 * args.episodes
        print(f"{args.episodes} episodes x 2 calls, server latency {args.latency * 1000:.0f} ms, "
              f"{args.server_workers} server processes, policy body {len(bodies[0][0]) / 1024:.0f} KB; "
              f"{os.cpu_count()} CPUs, load average {load0[0]:.2f}", flush=True)
        rows: list[tuple[str, int, float, float | None]] = []  # name, concurrency, seconds, limit seconds
        bare: dict[int, float] = {}
        for c in sorted(set(args.concurrency) | set(args.ray_concurrency)):
            bare[c] = bare_client(bodies, base_url, c)
            print(f"  bare client c={c}: {bare[c]:.2f}s", flush=True)
        top = max(bare)
        capacity = server_capacity(bodies, base_url, 2 * top)
        print(f"  server capacity: {capacity:.0f} requests/s (2 bare clients at c={2 * top})", flush=True)
        if args.serial != 0:
            n = min(args.serial or args.episodes, args.episodes)
            secs = original_loop(todo[:n], base_url, tmp_path / "original.json") * args.episodes / n
            label = "(a) original MSSBench loop (sequential)" + ("" if n == args.episodes else f", {n} run, scaled")
            rows.append((label, 1, secs, None))
            print(f"  {label}: {secs:.1f}s", flush=True)
        local_secs: dict[int, float] = {}
        for c in args.concurrency:
            secs = local_secs[c] = harness(scenes, args.episodes, base_url, c, tmp_path / f"run-c{c}")
            rows.append(("(b) harness, local executor", c, secs, bare[c]))
            print(f"  harness c={c}: {secs:.2f}s", flush=True)
        for c in sorted(bare):
            rows.append(("(c) bare aiohttp client (the limit)", c, bare[c], bare[c]))
        ray_init = 0.0
        # the marginal cost of a second batch of episodes: start-up cancels out, leaving throughput
        double = make_scenes(tmp_path / "scenes2", 2 * args.episodes) if args.ray_concurrency else scenes
        local2: dict[int, float] = {}
        for c in args.ray_concurrency:
            if c not in local_secs:
                local_secs[c] = harness(scenes, args.episodes, base_url, c, tmp_path / f"run-c{c}")
            local2[c] = harness(double, 2 * args.episodes, base_url, c, tmp_path / f"run2-c{c}")
        for c in args.ray_concurrency[:1]:
            secs, on_driver = fresh_ray(scenes, args.episodes, base_url, c, tmp_path / f"fresh-ray-c{c}")
            rows.append((f"(e) harness, Ray executor starting a fresh local Ray itself ({on_driver} episodes "
                         "on the driver while Ray started)", c, secs, bare[c]))
            print(f"  fresh ray c={c}: {secs:.2f}s, {on_driver} episodes on the driver", flush=True)
        if args.ray_concurrency:
            from mss_embodied.harness.executors.ray import init_ray

            t0 = time.perf_counter()
            init_ray(None, os.cpu_count())
            ray_init = time.perf_counter() - t0
            print(f"  ray.init (a fresh local Ray): {ray_init:.2f}s", flush=True)
        steady: dict[int, tuple[float, float]] = {}
        for c in args.ray_concurrency:
            secs = harness(scenes, args.episodes, base_url, c, tmp_path / f"ray-c{c}", executor="ray")
            rows.append(("(d) harness, Ray executor (local Ray; actors' start-up included)", c, secs, bare[c]))
            print(f"  ray c={c}: {secs:.2f}s", flush=True)
            secs2 = harness(double, 2 * args.episodes, base_url, c, tmp_path / f"ray2-c{c}", executor="ray")
            steady[c] = (secs2 - secs, local2[c] - local_secs[c])
            print(f"  ray c={c}, {2 * args.episodes} episodes: {secs2:.2f}s (local {local2[c]:.2f}s)", flush=True)
        if args.ray_concurrency:
            import ray

            ray.shutdown()
        store_s = store_appends(tmp_path / f"run-c{args.concurrency[0]}", args.episodes)
        reset_s, step_s, sweep = env_timings(scenes)
    load1 = os.getloadavg()
    serial = rows[0][2] if rows and rows[0][1] == 1 else None
    local = {c: s for name, c, s, _ in rows if name.startswith("(b)")}
    print()
    print("| runner | concurrency | wall (s) | calls/s | vs (a) | efficiency vs the bare client |")
    print("|---|---|---|---|---|---|")
    for name, c, secs, limit in rows:
        speed = f"{serial / secs:.1f}x" if serial else "-"
        eff = f"{100 * limit / secs:.0f}%" if limit else "-"
        extra = f" ({secs / local[c]:.2f}x local)" if name.startswith(("(d)", "(e)")) and c in local else ""
        print(f"| {name} | {c} | {secs:.2f}{extra} | {calls / secs:.0f} | {speed} | {eff} |")
    print()
    print(f"server capacity {capacity:.0f} requests/s; the fastest harness row asked "
          f"{calls / min(local.values()):.0f}/s" if local else "")
    if args.ray_concurrency:
        print(f"Ray start-up: ray.init of a fresh local Ray took {ray_init:.2f}s (once per process; not in (d))")
        for c, (ray_more, local_more) in steady.items():
            print(f"Ray throughput at c={c}, start-up cancelled out: {args.episodes} more episodes took Ray "
                  f"{ray_more:.2f}s and local {local_more:.2f}s ({ray_more / local_more:.2f}x local)")
    print(f"run store: {args.episodes} appended rows {store_s:.3f}s")
    print(f"env: reset {reset_s * 1e3:.2f} ms, step {step_s * 1e3:.2f} ms (mean of 200); random-order sweep "
          f"{sweep:.0f} episodes/s (second pass)")
    print(f"load average (1 min) {load0[0]:.2f} at the start, {load1[0]:.2f} at the end, on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
