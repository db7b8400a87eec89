"""Run a :class:`~mss_embodied.thor.plan.ScenePlan` on a live ai2thor ``Controller``.

Binds symbolic ids to THOR ``objectId`` s from the scene metadata, expands the robot's viewing pose
(teleport to a reachable point facing the object, camera pitched at it) and records every call's
success, so failures surface in reports instead of vanishing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mss_embodied.thor.plan import FACE, Above, ScenePlan, ThorCall
from mss_embodied.thor.runtime import ThorTimeoutError

#: Preferred distance (m) from the robot to the object it looks at, and the accepted band.
VIEW_DISTANCE = 1.0
VIEW_BAND = (0.5, 2.0)
#: THOR clamps the camera pitch to [-30, 60] degrees (navigation documentation, LookUp/LookDown).
HORIZON_LIMITS = (-30.0, 60.0)


#: Height above an object's top at which ``PlaceObjectAtPoint`` sets something on it (m).
ABOVE_MARGIN = 0.05


@dataclass
class CallResult:
    """One call's outcome: sent and succeeded or failed (``error``), or ``skipped`` with the reason in
    ``error``; ``note`` says how it was adapted (placed above instead of put in)."""

    call: ThorCall
    success: bool
    error: str = ""
    skipped: bool = False
    note: str = ""

    def __str__(self) -> str:
        state = f"skipped ({self.error})" if self.skipped else ("ok" if self.success else f"FAILED: {self.error}")
        return f"{self.call} -> {state}" + (f" [{self.note}]" if self.note else "")


class SceneMismatchError(LookupError):
    """The loaded scene lacks a type the curated FloorPlan table promised."""

    def __init__(self, scene: str, missing: list[str]) -> None:
        super().__init__(f"{scene} has no {', '.join(missing)} in its live metadata")
        self.scene, self.missing = scene, missing


@dataclass
class ThorSession:
    """A controller plus the binding of symbolic ids to THOR objects for the loaded scene."""

    controller: Any
    ids: dict[str, str] = field(default_factory=dict)  # symbolic id -> THOR objectId
    log: list[CallResult] = field(default_factory=list)
    scene: str | None = None
    _reachable: list[dict[str, float]] | None = None

    # ---- metadata ------------------------------------------------------------------------
    @property
    def event(self) -> Any:
        return self.controller.last_event

    def objects(self) -> list[dict[str, Any]]:
        return list(self.event.metadata["objects"])

    def obj(self, object_id: str) -> dict[str, Any] | None:
        return next((o for o in self.objects() if o["objectId"] == object_id), None)

    def frame(self) -> np.ndarray:
        frame = self.event.frame
        if frame is None:
            raise RuntimeError("the THOR event has no RGB frame (was the controller started headless?)")
        return np.ascontiguousarray(frame, dtype=np.uint8)

    # ---- low-level step ------------------------------------------------------------------
    def step(self, action: str, **kwargs: Any) -> Any:
        try:
            return self.controller.step(action=action, **kwargs)
        except TimeoutError as exc:
            raise ThorTimeoutError(f"AI2-THOR timed out running {action}: {exc}") from exc

    # ---- loading -------------------------------------------------------------------------
    def load(self, plan: ScenePlan, size: tuple[int, int] | None = None) -> None:
        """Reset to the plan's FloorPlan and bind every symbolic object to a THOR instance."""
        assert plan.scene is not None
        kwargs: dict[str, Any] = {}
        if size is not None:
            kwargs = {"width": size[0], "height": size[1]}
        self.controller.reset(scene=plan.scene, **kwargs)
        self.scene, self.ids, self.log, self._reachable = plan.scene, {}, [], None
        wanted: dict[str, list[str]] = {}
        for oid, thor_type in plan.thor_types.items():
            mapping = plan.mappings[oid]
            wanted.setdefault(mapping.sliced_from or thor_type, []).append(oid)
        present = {o["objectType"] for o in self.objects()}
        absent = sorted(t for t in wanted if t not in present)
        if absent:
            raise SceneMismatchError(plan.scene, absent)
        for thor_type, oids in wanted.items():
            self._bind(thor_type, oids)

    def _bind(self, thor_type: str, oids: list[str]) -> None:
        """Bind to unused instances, empty receptacles first (in FloorPlan4 and 7 a burner already holds a
        pan: the situation's burner must be a free one)."""
        taken = set(self.ids.values())
        free = sorted((o for o in self.objects() if o["objectType"] == thor_type and o["objectId"] not in taken),
                      key=lambda o: bool(o.get("receptacleObjectIds")))
        pool = [o["objectId"] for o in free]
        if len(pool) < len(oids):
            pool += self._duplicate(thor_type, len(oids) - len(pool), taken)
        for oid, object_id in zip(oids, pool, strict=False):
            self.ids[oid] = object_id

    def _duplicate(self, thor_type: str, n: int, taken: set[str]) -> list[str]:
        """Copy an instance with SetObjectPoses (a pose listed twice is copied; unlisted movables vanish)."""
        movable = [o for o in self.objects() if o.get("pickupable") or o.get("moveable")]
        source = next((o for o in movable if o["objectType"] == thor_type), None)
        if source is None:
            return []
        before = {o["objectId"] for o in self.objects()}
        poses = [{"objectName": o["name"], "position": o["position"], "rotation": o["rotation"]} for o in movable]
        poses += [{"objectName": source["name"], "position": source["position"], "rotation": source["rotation"]}
                  for _ in range(n)]
        event = self.step("SetObjectPoses", objectPoses=poses)
        self.log.append(CallResult(ThorCall.of("SetObjectPoses", f"copy {thor_type} x{n}"),
                                   bool(event.metadata["lastActionSuccess"]), event.metadata.get("errorMessage", "")))
        return [o["objectId"] for o in self.objects()
                if o["objectType"] == thor_type and o["objectId"] not in before and o["objectId"] not in taken]

    # ---- calls ---------------------------------------------------------------------------
    def resolve(self, value: Any) -> Any:
        if isinstance(value, Above):
            return self.point_above(self.ids[value.oid])
        if isinstance(value, str) and value.startswith("@"):
            key = value[1:]
            if key not in self.ids:
                raise KeyError(f"{key} is not bound to a THOR object")
            return self.ids[key]
        return value

    def point_above(self, object_id: str) -> dict[str, float]:
        """Just above the middle of an object's top, from its live bounding box."""
        meta = self.obj(object_id) or {}
        box = meta.get("axisAlignedBoundingBox") or {}
        centre = dict(box.get("center") or meta.get("position") or {"x": 0.0, "y": 0.0, "z": 0.0})
        height = float((box.get("size") or {}).get("y", 0.0))
        return {"x": float(centre["x"]), "y": float(centre["y"]) + height / 2 + ABOVE_MARGIN, "z": float(centre["z"])}

    def _already(self, action: str, object_id: str) -> str | None:
        """Why a state call would change nothing (THOR fails "already on"): it is skipped, not sent."""
        meta = self.obj(object_id) or {}
        if action == "OpenObject" and meta.get("isOpen"):
            return "already open in THOR"
        if action == "CloseObject" and meta.get("openable") and not meta.get("isOpen"):
            return "already closed in THOR"
        if action == "BreakObject" and meta.get("isBroken"):
            return "already broken in THOR"
        on = action == "ToggleObjectOn"
        toggle = action in ("ToggleObjectOn", "ToggleObjectOff") and meta.get("toggleable")
        if toggle and bool(meta.get("isToggled")) == on:
            return f"already {'on' if on else 'off'} in THOR"
        return None

    def _fits(self, object_id: str, receptacle_id: str) -> bool:
        """The held object's footprint, turned either way, within the receptacle's (live bounding boxes)."""
        def footprint(oid: str) -> tuple[float, float] | None:
            size = ((self.obj(oid) or {}).get("axisAlignedBoundingBox") or {}).get("size")
            return tuple(sorted((float(size["x"]), float(size["z"])))) if size else None  # type: ignore[return-value]

        a, b = footprint(object_id), footprint(receptacle_id)
        return a is None or b is None or (a[0] <= b[0] and a[1] <= b[1])

    def _held(self) -> str | None:
        inventory = self.event.metadata.get("inventoryObjects") or []
        return str(inventory[0]["objectId"]) if inventory else None

    def _has(self, oid: str, flag: str) -> bool:
        object_id = self.ids.get(oid)
        meta = self.obj(object_id) if object_id else None
        return bool(meta and meta.get(flag))

    def toggle_target(self, object_id: str) -> str:
        """Burners are switched by the StoveKnob whose ``controlledObjects`` lists them."""
        meta = self.obj(object_id)
        if meta is None or meta.get("toggleable"):
            return object_id
        knob = next((o for o in self.objects() if object_id in (o.get("controlledObjects") or [])), None)
        return knob["objectId"] if knob is not None else object_id

    def run(self, call: ThorCall) -> CallResult:
        """Send one call, unless it cannot apply here (an unbound id, a missing flag, a state THOR is
        already in): then it is skipped with the reason. A PutObject whose object does not fit is
        replaced by placing the object just above the receptacle, and says so."""
        missing = sorted(oid for oid in call.symbols() if oid not in self.ids)
        if missing:
            result = CallResult(call, False, f"{', '.join(missing)} not in {self.scene}", skipped=True)
        elif call.action == FACE:
            result = self.face(str(call.target()), call)
        elif call.when and not self._has(call.when[0], call.when[1]):
            result = CallResult(call, True, f"{call.when[0]} is not {call.when[1]} in THOR", skipped=True)
        else:
            kwargs = {k: self.resolve(v) for k, v in call.args}
            oid = kwargs.get("objectId")
            if call.action in ("ToggleObjectOn", "ToggleObjectOff") and isinstance(oid, str):
                kwargs["objectId"] = oid = self.toggle_target(oid)
            already = self._already(call.action, oid) if isinstance(oid, str) else None
            held = self._held()
            if already:
                result = CallResult(call, True, already, skipped=True)
            elif call.action == "SliceObject":
                result = self._slice(call, kwargs)
            elif call.action == "PutObject" and held and isinstance(oid, str) and not self._fits(held, oid):
                result = self._place_above(call, held, oid)
            else:
                event = self.step(call.action, **kwargs)
                result = CallResult(call, bool(event.metadata["lastActionSuccess"]),
                                    str(event.metadata.get("errorMessage") or ""))
                if call.action == "GetReachablePositions" and result.success:
                    self._reachable = list(event.metadata["actionReturn"] or [])
        self.log.append(result)
        return result

    def _place_above(self, call: ThorCall, held: str, receptacle: str) -> CallResult:
        """Drop the held object and set it just above the receptacle it does not fit in."""
        self.step("DropHandObject", forceAction=True)
        event = self.step("PlaceObjectAtPoint", objectId=held, position=self.point_above(receptacle))
        return CallResult(call, bool(event.metadata["lastActionSuccess"]),
                          str(event.metadata.get("errorMessage") or ""),
                          note=f"{held} does not fit in {receptacle}: placed on top of it")

    def _slice(self, call: ThorCall, kwargs: dict[str, Any]) -> CallResult:
        whole = kwargs["objectId"]
        before = {o["objectId"] for o in self.objects()}
        event = self.step("SliceObject", **kwargs)
        ok = bool(event.metadata["lastActionSuccess"])
        slices = [o["objectId"] for o in self.objects() if o["objectId"] not in before and "Sliced" in o["objectType"]]
        target = call.target()
        if ok and slices and target is not None:
            self.ids[target] = sorted(slices)[0]
            return CallResult(call, True)
        return CallResult(call, False, str(event.metadata.get("errorMessage") or f"no slices of {whole}"))

    def run_all(self, calls: list[ThorCall]) -> list[CallResult]:
        return [self.run(c) for c in calls]

    # ---- viewing pose --------------------------------------------------------------------
    def face(self, oid: str, call: ThorCall | None = None) -> CallResult:
        """Teleport to a reachable point about a metre from ``oid``, facing it, camera pitched at it."""
        call = call or ThorCall.of(FACE, objectId=f"@{oid}")
        object_id = self.ids.get(oid)
        meta = self.obj(object_id) if object_id else None
        if meta is None:
            return CallResult(call, False, f"{oid} is not bound to a THOR object", skipped=True)
        if self._reachable is None:
            event = self.step("GetReachablePositions")
            self._reachable = list(event.metadata["actionReturn"] or [])
        target = meta.get("axisAlignedBoundingBox", {}).get("center") or meta["position"]
        candidates = sorted(self._reachable, key=lambda p: abs(_dist(p, target) - VIEW_DISTANCE))
        candidates = [p for p in candidates if VIEW_BAND[0] <= _dist(p, target) <= VIEW_BAND[1]] or candidates
        error = "no reachable positions"
        for pos in candidates[:8]:
            yaw = math.degrees(math.atan2(target["x"] - pos["x"], target["z"] - pos["z"])) % 360.0
            camera_y = pos["y"] + self._camera_offset()
            pitch = math.degrees(math.atan2(camera_y - target["y"], max(_dist(pos, target), 1e-3)))
            horizon = min(max(pitch, HORIZON_LIMITS[0]), HORIZON_LIMITS[1])
            event = self.step("TeleportFull", position=dict(pos), rotation={"x": 0.0, "y": yaw, "z": 0.0},
                              horizon=horizon, standing=True, forceAction=True)
            if not event.metadata["lastActionSuccess"]:
                error = str(event.metadata.get("errorMessage") or "TeleportFull failed")
                continue
            seen = self.obj(object_id)  # type: ignore[arg-type]
            if seen is not None and seen.get("visible", True):
                return CallResult(call, True)
            error = f"{oid} not visible from {pos}"
        return CallResult(call, False, error)

    def _camera_offset(self) -> float:
        """Camera height above the agent's position (standing iTHOR agent)."""
        meta = self.event.metadata
        cam, agent = meta.get("cameraPosition"), meta.get("agent", {}).get("position")
        if cam and agent:
            return float(cam["y"]) - float(agent["y"])
        return 0.675


def _dist(a: dict[str, float], b: dict[str, float]) -> float:
    return math.hypot(a["x"] - b["x"], a["z"] - b["z"])
