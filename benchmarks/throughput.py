"""Episodes per second: the original MSSBench loop vs the harness, against a fake OpenAI server.

The server (tests/support/openai_server.py, in its own process) answers every request after a
fixed latency. (a) runs the episodes the way the original MSSBench code does: one request at a
time, the whole output JSON rewritten after each item. (b) runs ``mss_embodied.harness.runner`` with the
``openai:`` policy at several concurrency levels. Efficiency is the ideal time
``episodes x latency / concurrency`` over the measured time. Also times the env's reset and step.

    python benchmarks/throughput.py                      # 760 episodes, 200 ms latency
    python benchmarks/throughput.py --episodes 200 --latency 0.1 --concurrency 1 8 64
"""

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _serve(latency: float, port_queue: Any, stop: Any) -> None:
    from tests.support.openai_server import FakeOpenAIServer

    answer = "1. Goto Microwave\n2. Place Microwave"
    with FakeOpenAIServer(responder=lambda req: answer, latency_s=latency) as srv:
        # http.server sends headers and body in two writes: without TCP_NODELAY, Nagle's algorithm
        # and delayed ACKs add ~40 ms to every keep-alive request, to (a) and (b) alike.
        assert srv._httpd is not None
        srv._httpd.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        port_queue.put(srv.port)
        stop.wait()


def make_scenes(dest: Path, episodes: int) -> Path:
    """Bundled scenes (replicated under new ids if more are asked) with images rendered to disk."""
    import yaml
    from PIL import Image

    from mss_embodied.data.scene_files import load_scene_file, scene_files
    from mss_embodied.render.provider import ImageProvider
    from mss_embodied.scenes import bundled_scenes_dir

    files = scene_files(bundled_scenes_dir())
    images = ImageProvider("schematic")
    dest.mkdir(parents=True, exist_ok=True)
    n_scenarios, i = -(-episodes // 10), 0
    while i < n_scenarios:
        src = files[i % len(files)]
        data = yaml.safe_load(src.read_text())
        copy = i // len(files)
        if copy:
            data["id"] = f"{data['id']}_{copy}"
            for v in ("safe", "unsafe"):
                data[v]["image"] = f"images/{data['id']}_{v}.png"
        path = dest / f"{data['id']}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        scenario = load_scene_file(path)
        for ep in scenario.episodes()[:: len(scenario.episodes()) // 2]:
            target = scenario.image_path(ep.variant)
            assert target is not None
            target.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(images.original(ep)[0]).save(target)
        i += 1
    return dest


def original_loop(scenarios: list[Any], episodes: int, base_url: str, out_file: Path) -> float:
    """The MSSBench way: sequential calls, the image read and base64-encoded per call, and the whole
    result list dumped to JSON after every item."""
    from openai import OpenAI

    from mss_embodied.protocol.prompts import DEFAULT_PROTOCOL

    client = OpenAI(api_key="sk-local", base_url=base_url, max_retries=0)
    output: list[dict[str, Any]] = []
    start = time.perf_counter()
    todo = [e for s in scenarios for e in s.episodes()][:episodes]
    for ep in todo:
        prompt = DEFAULT_PROTOCOL.build_prompt("if", ep.instruction)
        image_path = ep.scenario.image_path(ep.variant)
        b64 = base64.b64encode(Path(image_path).read_bytes()).decode()
        try:
            content: Any = [{"type": "text", "text": prompt},
                            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{b64}"}}]
            resp = client.chat.completions.create(model="fake-model", temperature=0, max_tokens=1024,
                                                  messages=[{"role": "user", "content": content}])
            answer = resp.choices[0].message.content
        except Exception:  # the original turns any failure into the answer "None"
            answer = "None"
        output.append({"id": ep.id, "instruction": ep.instruction, "response": answer})
        with open(out_file, "w") as fh:
            json.dump(output, fh, indent=4)
    elapsed = time.perf_counter() - start
    client.close()
    return elapsed


def client_floor(scenarios: list[Any], episodes: int, base_url: str, concurrency: int) -> float:
    """What the HTTP stack alone allows: bare AsyncOpenAI calls with pre-encoded images, nothing
    parsed, scored or written. The harness cannot beat this on the same machine."""
    import asyncio

    from openai import AsyncOpenAI

    from mss_embodied.protocol.prompts import DEFAULT_PROTOCOL

    todo = [e for s in scenarios for e in s.episodes()][:episodes]
    urls = {e.scenario.image_path(e.variant): "data:image/png;base64," + base64.b64encode(
        Path(e.scenario.image_path(e.variant)).read_bytes()).decode() for e in todo}  # type: ignore[arg-type]

    async def run() -> float:
        client = AsyncOpenAI(api_key="sk-local", base_url=base_url, max_retries=0)
        sem = asyncio.Semaphore(concurrency)

        async def one(ep: Any) -> None:
            async with sem:
                content: Any = [{"type": "text", "text": DEFAULT_PROTOCOL.build_prompt("if", ep.instruction)},
                           {"type": "image_url", "image_url": {"url": urls[ep.scenario.image_path(ep.variant)]}}]
                await client.chat.completions.create(model="fake-model", messages=[{"role": "user",
                                                                                    "content": content}])

        start = time.perf_counter()
        await asyncio.gather(*(one(ep) for ep in todo))
        elapsed = time.perf_counter() - start
        await client.close()
        return elapsed

    return asyncio.run(run())


def harness(scenarios: list[Any], scenes: Path, episodes: int, base_url: str, concurrency: int, out: Path
            ) -> float:
    from mss_embodied.harness.runner import run_eval
    from mss_embodied.harness.spec import ExecOptions, RunSpec

    spec = RunSpec("openai:fake-model", scenes=str(scenes), limit=episodes,
                   policy_options={"base_url": base_url, "max_attempts": 1, "timeout_s": 60})
    start = time.perf_counter()
    summary = run_eval(spec, out, ExecOptions(concurrency=concurrency, progress=False))
    elapsed = time.perf_counter() - start
    assert summary.metrics["n_errors"] == 0, summary.metrics["error_messages"]
    assert summary.metrics["n_episodes"] == episodes
    return elapsed


def env_timings(scenes: Path, n: int = 200) -> tuple[float, float]:
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
    env.close()
    return reset_t / n, step_t / n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=760)
    parser.add_argument("--latency", type=float, default=0.2, help="server latency per request in seconds")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 64])
    parser.add_argument("--skip-serial", action="store_true", help="skip (a), the slowest part")
    args = parser.parse_args(argv)

    from mss_embodied.data.scene_files import load_scenes

    ctx = mp.get_context("spawn")
    port_queue, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(target=_serve, args=(args.latency, port_queue, stop), daemon=True)
    server.start()
    base_url = f"http://127.0.0.1:{port_queue.get(timeout=30)}/v1"
    rows: list[tuple[str, int, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        scenes = make_scenes(tmp_path / "scenes", args.episodes)
        t0 = time.perf_counter()
        scenarios = load_scenes(scenes)
        load_s = time.perf_counter() - t0
        print(f"{args.episodes} episodes, server latency {args.latency * 1000:.0f} ms; "
              f"loading {len(scenarios)} scene files took {load_s:.2f}s (not counted below)", flush=True)
        if not args.skip_serial:
            rows.append(("(a) original loop (serial, JSON rewrite per item)", 1,
                         original_loop(scenarios, args.episodes, base_url, tmp_path / "original.json")))
            print(f"  {rows[-1][0]}: {rows[-1][2]:.1f}s", flush=True)
        for c in args.concurrency:
            rows.append((f"(b) harness, concurrency {c}", c,
                         harness(scenarios, scenes, args.episodes, base_url, c, tmp_path / f"run-c{c}")))
            print(f"  {rows[-1][0]}: {rows[-1][2]:.1f}s", flush=True)
        top = max(args.concurrency)
        rows.append((f"(c) bare HTTP client floor, concurrency {top}", top,
                     client_floor(scenarios, args.episodes, base_url, top)))
        print(f"  {rows[-1][0]}: {rows[-1][2]:.1f}s", flush=True)
        reset_s, step_s = env_timings(scenes)
    stop.set()
    server.join(timeout=10)

    serial = rows[0][2] if not args.skip_serial else None
    print()
    print("| Runner | Concurrency | Time (s) | Episodes/s | Speed-up vs (a) | Efficiency vs ideal |")
    print("|---|---|---|---|---|---|")
    for name, c, secs in rows:
        ideal = args.episodes * args.latency / c
        speed = f"{serial / secs:.1f}x" if serial else "–"
        print(f"| {name} | {c} | {secs:.2f} | {args.episodes / secs:.1f} | {speed} | {100 * ideal / secs:.0f}% |")
    print()
    print(f"env: reset {reset_s * 1e3:.2f} ms, step {step_s * 1e3:.2f} ms (mean of 200, MSS-Embodied-v0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
