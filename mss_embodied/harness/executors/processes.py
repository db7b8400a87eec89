"""Worker processes for the local executor: each runs an :class:`EpisodeWorker` on its own loop.

Why: at a few hundred calls per second one Python process is CPU-bound on one core (building
requests, parsing answers, scoring); a worker per core lets a single machine run at the limit of
its network. The driver talks to each worker over a pipe: ``(request id, episode id, cached
answer)`` out, ``(request id, Done | exception)`` back. A worker that dies fails only its in-flight
episodes (:class:`WorkerLost`), and the lane starts a fresh one for the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing as mp
import sys
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

from mss_embodied.data.scenario import Episode
from mss_embodied.harness.executors.dispatch import Lane, WorkerLost
from mss_embodied.harness.executors.worker import EpisodeWorker, WorkerSetup
from mss_embodied.pipeline import EpisodeResult
from mss_embodied.policies.base import PolicyInput, PolicyResponse

#: Fresh processes a lane may start after its worker died, before it gives up.
MAX_RESTARTS = 3
_READY = "ready"


def worker_main(conn: Connection, setup: WorkerSetup) -> None:
    """Entry point of a worker process."""
    with contextlib.suppress(KeyboardInterrupt):  # the driver handles Ctrl-C; a worker just stops
        asyncio.run(_serve(conn, setup))


async def _serve(conn: Connection, setup: WorkerSetup) -> None:
    try:
        worker = EpisodeWorker.build(setup)
    except BaseException as exc:
        conn.send((_READY, exc))
        return
    conn.send((_READY, None))
    try:
        await serve_episodes(conn, worker)
    finally:
        await worker.aclose()


async def serve_episodes(conn: Connection, worker: EpisodeWorker, timings: dict[str, Any] | None = None) -> None:
    """The worker side of the wire: ``(request id, episode id, cached answer)`` in, ``(request id,
    Done | exception)`` out, many at once on the running loop, until the driver sends None or goes
    away. ``timings`` are added to every finished episode's (where it ran)."""
    loop = asyncio.get_running_loop()
    stopped = loop.create_future()
    tasks: set[asyncio.Task[None]] = set()

    async def handle(rid: int, episode_id: str, cached: PolicyResponse | None) -> None:
        try:
            reply: Any = await worker.run_id(episode_id, cached)
            if timings:
                reply.timings.update(timings)
        except Exception as exc:  # bad input seen here: the driver re-raises it
            reply = exc
        with contextlib.suppress(OSError, ValueError):  # the driver went away: nobody to tell
            conn.send((rid, reply))

    def readable() -> None:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            message = None
        if message is None:  # the driver is done (or gone)
            if not stopped.done():
                stopped.set_result(None)
            return
        task = loop.create_task(handle(*message))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    loop.add_reader(conn.fileno(), readable)
    try:
        await stopped
    finally:
        loop.remove_reader(conn.fileno())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def request(conn: Connection, pending: dict[int, asyncio.Future[Any]], ids: Iterator[int], episode_id: str,
            cached: PolicyResponse | None) -> asyncio.Future[Any] | None:
    """Send one episode to the worker: the future of its reply, or None when the connection is
    broken (nothing was sent)."""
    rid = next(ids)
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    pending[rid] = future
    try:
        conn.send((rid, episode_id, cached))
    except (OSError, ValueError):
        pending.pop(rid, None)
        return None
    return future


def deliver(pending: dict[int, asyncio.Future[Any]], rid: int, reply: Any) -> None:
    """The driver's side of the wire: a reply resolves its request's future (an exception raises there)."""
    future = pending.pop(rid, None)
    if future is not None and not future.done():
        if isinstance(reply, BaseException):
            future.set_exception(reply)
        else:
            future.set_result(reply)


def fail_all(pending: dict[int, asyncio.Future[Any]], why: str) -> None:
    """The worker at the other end is gone: every request in flight there is lost."""
    for future in pending.values():
        if not future.done():
            future.set_exception(WorkerLost(why))


class ProcessLane(Lane):
    """One worker process, up to ``capacity`` episodes in flight on it."""

    def __init__(self, setup: WorkerSetup, capacity: int) -> None:
        self.setup, self.capacity = setup, capacity
        self._ids = itertools.count()
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._conn: Connection | None = None
        self._proc: Any = None
        self._ready: asyncio.Future[None] | None = None
        self.restarts = 0

    def start(self) -> None:
        """Start the process (the driver's loop need not run yet); ``wait_ready`` awaits its set-up.
        Forked on Linux while this process runs no other thread (instant: modules and scenes are
        inherited), spawned otherwise (a fork next to running threads can inherit a held lock)."""
        forkable = sys.platform.startswith("linux") and threading.active_count() == 1
        ctx: Any = mp.get_context("fork" if forkable else "spawn")
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=worker_main, args=(child, self.setup), daemon=True, name="mss-episode-worker")
        self._proc.start()
        child.close()
        self._conn = parent
        self._ready = None

    async def wait_ready(self) -> None:
        loop = asyncio.get_running_loop()
        if self._ready is None:
            self._ready = loop.create_future()
            assert self._conn is not None
            loop.add_reader(self._conn.fileno(), self._readable)
        await self._ready

    def _readable(self) -> None:
        conn = self._conn
        assert conn is not None
        try:
            rid, reply = conn.recv()
        except (EOFError, OSError):
            self._lost("the worker process exited" + (f" with code {self._proc.exitcode}"
                                                      if self._proc.exitcode is not None else ""))
            return
        if rid == _READY:
            assert self._ready is not None
            if reply is None:
                self._ready.set_result(None)
            elif not self._ready.done():
                self._ready.set_exception(reply)
            return
        deliver(self._pending, rid, reply)

    def _lost(self, why: str) -> None:
        """The process died: fail what was in flight, and start a fresh one for what comes next."""
        assert self._conn is not None
        asyncio.get_running_loop().remove_reader(self._conn.fileno())
        self._conn.close()
        self._proc.join(timeout=1)
        pending, self._pending = self._pending, {}
        fail_all(pending, why)
        ready = self._ready
        if ready is not None and not ready.done():
            ready.set_exception(WorkerLost(why))
        if self.restarts < MAX_RESTARTS:
            self.restarts += 1
            self.start()
        else:
            self._conn = None

    async def run(self, episode: Episode, cached: PolicyResponse | None, inp: PolicyInput | None) -> EpisodeResult:
        if self._conn is None:
            raise WorkerLost(f"the worker process died {self.restarts + 1} times")
        await self.wait_ready()
        assert self._conn is not None
        future = request(self._conn, self._pending, self._ids, episode.id, cached)
        if future is None:  # the worker died before it took the episode: not this episode's loss
            self._lost("the worker process exited")  # restarts it (or gives up after MAX_RESTARTS)
            return await self.run(episode, cached, inp)
        done = await future
        return done.result(episode)

    async def aclose(self) -> None:
        if self._conn is not None:
            try:
                asyncio.get_running_loop().remove_reader(self._conn.fileno())
                self._conn.send(None)
            except (OSError, ValueError):
                pass
            self._conn.close()
            self._conn = None
        if self._proc is not None:
            await asyncio.to_thread(self._proc.join, 5)
            if self._proc.is_alive():
                self._proc.kill()
