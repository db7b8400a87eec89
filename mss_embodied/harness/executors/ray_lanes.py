"""Ray actors and the driver's lanes to them.

Why a direct connection: a Ray actor call costs about a millisecond of CPU on each side (task
submission, the object store, tracing hooks), which at a few hundred episodes a second on a small
machine was a third of the run. So each actor, once set up, listens on a TCP port of its node and
the driver connects to it straight (``multiprocessing.connection`` with a per-run secret key: a
peer without the key is refused in the handshake); episodes and results then go over the wire the
local worker processes use (:func:`~mss_embodied.harness.executors.processes.serve_episodes`). Ray
still places the actors, restarts a dead one and carries the set-up. Where the driver cannot reach
an actor's node (a driver outside the cluster), the lane falls back to plain Ray actor calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import os
import secrets
import socket
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection, Listener
from typing import Any

from mss_embodied.data.images import ImageError
from mss_embodied.data.scenario import Episode
from mss_embodied.harness.executors.dispatch import Lane, WorkerLost
from mss_embodied.harness.executors.processes import deliver, fail_all, request, serve_episodes
from mss_embodied.harness.executors.worker import Done, EpisodeWorker
from mss_embodied.harness.spec import EvalError
from mss_embodied.pipeline import EpisodeResult
from mss_embodied.policies.base import PolicyInput, PolicyResponse

#: Times Ray restarts a dead actor before its lane gives up.
MAX_RESTARTS = 3
#: Seconds a lane waits for Ray to restart its actor before the actor counts as lost.
RESTART_WAIT_S = 120.0
#: Seconds the driver waits for an actor's port to accept it.
CONNECT_TIMEOUT_S = 10.0


class EpisodeActor:
    """A Ray actor (made remote in :func:`actor_class`): one :class:`EpisodeWorker`, many episodes at once."""

    def __init__(self, setup_ref: list[Any]) -> None:
        import ray

        # the set-up travels by reference inside a list: a restarted actor fetches it again from the
        # object store (the driver holds it for the whole run)
        self.worker = EpisodeWorker.build(ray.get(setup_ref[0]))
        self.node = str(ray.get_runtime_context().get_node_id())
        self._serving: set[asyncio.Task[None]] = set()

    async def ready(self) -> str:
        """The node this actor runs on (awaited once, so set-up errors surface early)."""
        return self.node

    async def listen(self, authkey: bytes) -> tuple[str, int]:
        """Open a port on this node for the driver (one connection), serve episodes over it."""
        import ray

        listener = Listener((ray.util.get_node_ip_address(), 0), authkey=authkey)

        async def accept_and_serve() -> None:
            try:
                while True:  # a peer without the key is refused in the handshake; wait for the driver
                    try:
                        conn = await asyncio.to_thread(listener.accept)
                        break
                    except AuthenticationError:
                        continue
            except (OSError, EOFError):
                return
            finally:
                listener.close()
            keep_alive(conn)
            try:
                await serve_episodes(conn, self.worker, {"ray_node": self.node})
            finally:
                conn.close()

        task = asyncio.ensure_future(accept_and_serve())
        self._serving.add(task)
        task.add_done_callback(self._serving.discard)
        host, port = listener.address
        return str(host), int(port)

    async def run(self, episode_id: str, cached: PolicyResponse | None) -> Done:
        """One episode as a plain Ray call (the fallback when the driver cannot connect)."""
        done = await self.worker.run_id(episode_id, cached)
        done.timings["ray_node"] = self.node  # where it ran
        return done


def keep_alive(conn: Connection) -> None:
    """TCP keepalive on a connection's socket: a peer that vanishes without closing (a node that
    lost power or its network) fails the connection within ~30 s instead of leaving it open forever."""
    with contextlib.suppress(OSError, AttributeError):
        sock = socket.socket(fileno=os.dup(conn.fileno()))  # the same socket; closing the copy leaves it open
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            for option, value in (("TCP_KEEPIDLE", 10), ("TCP_KEEPINTVL", 5), ("TCP_KEEPCNT", 4)):
                if hasattr(socket, option):
                    sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, option), value)
        finally:
            sock.close()


def actor_class(ray: Any, capacity: int, cpus: float = 1.0) -> Any:
    return ray.remote(num_cpus=cpus, max_restarts=MAX_RESTARTS, max_task_retries=0,
                      max_concurrency=max(1, capacity) + 2)(EpisodeActor)  # + ready / listen


def cpus_per_actor(node_cpus: list[float], n: int) -> float:
    """One CPU each, or an equal share of the smallest node when ``--workers`` asks for more actors
    than fit (a whole CPU each would leave the extra actors waiting for resources forever)."""
    if not node_cpus or n <= sum(int(c) for c in node_cpus):
        return 1.0
    per_node = math.ceil(n / len(node_cpus))
    return max(0.01, math.floor(100 * min(node_cpus) / per_node) / 100)


class ActorLane(Lane):
    """Episodes on one actor: over a direct connection to it, or as Ray calls where none can be made."""

    def __init__(self, actor: Any, capacity: int, ray: Any, setup_ref: Any, direct: bool = True) -> None:
        self.actor, self.capacity, self.ray = actor, capacity, ray
        self.setup_ref = setup_ref  # held while the lane lives: a restarted actor fetches its set-up again
        self.direct = direct
        self._authkey = secrets.token_bytes(32)
        self._conn: Connection | None = None
        self._connecting: asyncio.Future[None] | None = None
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._ids = itertools.count()

    async def run(self, episode: Episode, cached: PolicyResponse | None, inp: PolicyInput | None) -> EpisodeResult:
        if self.direct:
            await self._connected()
        if not self.direct:
            return await self._run_by_call(episode, cached)
        assert self._conn is not None
        future = request(self._conn, self._pending, self._ids, episode.id, cached)
        if future is None:
            self._lost("the connection to the Ray actor broke")
            raise WorkerLost("the connection to the Ray actor broke")
        try:
            done = await future
        except (EvalError, ImageError) as exc:  # bad input seen by the worker
            raise EvalError(str(exc)) from None
        return done.result(episode)

    async def _connected(self) -> None:
        """Connect (or reconnect after the actor died: Ray restarts it first) once for all callers."""
        while self._conn is None and self.direct:
            if self._connecting is None or self._connecting.done():
                self._connecting = asyncio.ensure_future(self._connect())
            await asyncio.shield(self._connecting)

    async def _call(self, method: str, *args: Any) -> Any:
        """An actor method, waiting while Ray restarts the actor (a call to a restarting actor fails
        at once; that is no lost episode); WorkerLost once it is dead for good."""
        ray = self.ray
        deadline = asyncio.get_running_loop().time() + RESTART_WAIT_S
        pause = 0.1
        while True:
            try:
                return await getattr(self.actor, method).remote(*args)
            except ray.exceptions.ActorUnavailableError as exc:
                if asyncio.get_running_loop().time() > deadline:
                    raise WorkerLost(f"Ray actor unavailable for {RESTART_WAIT_S:.0f} s: "
                                     f"{str(exc).splitlines()[0][:200]}") from None
                await asyncio.sleep(pause)
                pause = min(2 * pause, 2.0)
            except ray.exceptions.RayActorError as exc:
                raise WorkerLost(f"Ray actor died: {str(exc).splitlines()[0][:200]}") from None

    async def _connect(self) -> None:
        host, port = await self._call("listen", self._authkey)
        try:
            conn = await asyncio.wait_for(asyncio.to_thread(Client, (host, port), authkey=self._authkey),
                                          CONNECT_TIMEOUT_S)
        except (OSError, EOFError, asyncio.TimeoutError, AuthenticationError):  # out of the driver's reach
            self.direct = False
            return
        keep_alive(conn)
        self._conn = conn
        asyncio.get_running_loop().add_reader(conn.fileno(), self._readable)

    def _readable(self) -> None:
        conn = self._conn
        assert conn is not None
        try:
            rid, reply = conn.recv()
        except (EOFError, OSError):
            self._lost("the Ray actor's connection closed (the actor died)")
            return
        deliver(self._pending, rid, reply)

    def _lost(self, why: str) -> None:
        """Fail what was in flight; the next episode reconnects (to the actor Ray restarted)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):
                asyncio.get_running_loop().remove_reader(conn.fileno())
            conn.close()
        pending, self._pending = self._pending, {}
        fail_all(pending, why)

    async def _run_by_call(self, episode: Episode, cached: PolicyResponse | None) -> EpisodeResult:
        ray = self.ray
        try:
            done = await self._call("run", episode.id, cached)
        except ray.exceptions.RayTaskError as exc:
            cause = exc.cause
            if isinstance(cause, (EvalError, ImageError)):  # bad input seen by a worker
                raise EvalError(str(cause)) from None
            raise
        return done.result(episode)

    async def aclose(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):
                asyncio.get_running_loop().remove_reader(conn.fileno())
                conn.send(None)
            conn.close()
        self.ray.kill(self.actor, no_restart=True)
