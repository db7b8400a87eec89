"""A fake ``ai2thor.controller.Controller``: exactly the API the THOR backend uses, and THOR 5.0's rules.

Written from the ai2thor 5.0.0 wheel (``pip download --no-deps ai2thor==5.0.0``), the iTHOR
documentation for that release, and the AI2-THOR 5.0 C# source and real 5.0.0 scene metadata as
reported in issue 14. Every action name and argument the backend sends is checked against
:data:`ACTIONS`; an unknown one raises ``ValueError`` as the real controller does for
``InvalidAction``/``InvalidArgument`` (``ai2thor/controller.py`` ``Controller.step``). What THOR
refuses, the fake refuses with THOR's reason (``lastActionSuccess=False``):

* PutObject: an empty hand; a target that is no receptacle; a closed Drawer, Cabinet,
  LaundryHamper, Microwave, Fridge or Box (other closed openables accept); a StoveBurner for
  anything but a Pot, Pan or Kettle, and a burner already holding one; an object whose footprint
  does not fit the receptacle's ("No valid positions"). forceAction lifts only THOR's
  placement-restriction lists, which the fake does not model: an unforced PutObject raises.
* Toggle: already on/off; a Microwave turns on only closed and opens only off; each StoveKnob
  switches exactly one burner.
* Initial states of 5.0.0 scenes: Boxes and Laptops open, DeskLamps and LightSwitches on, the rest
  closed and off; in FloorPlan4 and FloorPlan7 one burner already holds a Pot (4) or Pan (7).
* ``visible`` only within 1.5 m of the camera and not shut inside a closed receptacle; Chairs,
  Stools, Ottomans and DogBeds are ``moveable``.

The tables (actions, capabilities, initial states, sizes) are in :mod:`tests.support.thor_facts`.
"""

from __future__ import annotations

import itertools
import json
import math
import zlib
from collections.abc import Iterable
from typing import Any

import numpy as np

from mss_embodied.thor.floorplans import FLOORPLAN_TYPES
from tests.support.thor_facts import (
    ACTIONS,
    BREAKABLE,
    CAMERA_HEIGHT,
    CLOSED_REFUSES,
    CONTROLLER_PARAMS,
    DEFAULT_FIXTURE,
    DEFAULT_PORTABLE,
    DIRTYABLE,
    FILLABLE,
    INITIALIZE_PARAMS,
    LIQUIDS,
    MOVEABLE,
    OBJECT_SPECIFIC,
    OCCUPIED_BURNER,
    OPENABLE,
    PICKUPABLE,
    RECEPTACLES,
    SIZES,
    SLICEABLE,
    STARTS_ON,
    STARTS_OPEN,
    TOGGLEABLE,
    VISIBILITY_DISTANCE,
)

__all__ = ["ACTIONS", "CONTROLLER_PARAMS", "INITIALIZE_PARAMS", "FakeController", "FakeEvent"]

class FakeEvent:
    """The parts of ``ai2thor.server.Event`` the backend reads: ``metadata`` and ``frame``."""

    def __init__(self, metadata: dict[str, Any], frame: np.ndarray) -> None:
        self.metadata = metadata
        self.frame = frame


class _Fail(Exception):
    """An action THOR would answer with lastActionSuccess=False."""


class FakeController:
    """Scenes built from the curated FloorPlan table; actions change the metadata as THOR does.

    ``fail`` names actions that report ``lastActionSuccess=False`` (to test disagreement reports).
    ``calls`` records every (action, kwargs) sent, after the checks; ``refused`` every failure.
    """

    def __init__(self, fail: Iterable[str] = (), **kwargs: Any) -> None:
        unknown = set(kwargs) - CONTROLLER_PARAMS - INITIALIZE_PARAMS
        if unknown:
            raise TypeError(f"Controller() got unexpected keyword arguments {sorted(unknown)}")
        self.kwargs = kwargs
        self.fail = set(fail)
        self.width, self.height = int(kwargs.get("width", 300)), int(kwargs.get("height", 300))
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.refused: list[tuple[str, str]] = []
        self.resets: list[str] = []
        self.stopped = False
        self.last_event: FakeEvent = FakeEvent({}, np.zeros((1, 1, 3), np.uint8))
        self.reset(kwargs.get("scene", "FloorPlan1"))

    # ---- scene ---------------------------------------------------------------------------
    def reset(self, scene: str | None = None, **init_params: Any) -> FakeEvent:
        scene = scene or self.resets[-1]
        number = int(scene.removeprefix("FloorPlan").removesuffix("_physics"))
        unknown = set(init_params) - INITIALIZE_PARAMS - {"width", "height"}
        if unknown:
            raise ValueError(f"reset(): unknown initialization parameters {sorted(unknown)}")
        self.width = int(init_params.get("width", self.width))
        self.height = int(init_params.get("height", self.height))
        self.resets.append(scene)
        self.scene = scene
        self.objects: list[dict[str, Any]] = []
        self.agent: dict[str, Any] = {"position": {"x": 0.0, "y": 0.9, "z": 0.0},
                                      "rotation": {"x": 0.0, "y": 0.0, "z": 0.0}, "cameraHorizon": 0.0,
                                      "isStanding": True}
        self.held: str | None = None
        counter = itertools.count()
        types = FLOORPLAN_TYPES[number]
        for thor_type in sorted(types):
            copies = 4 if thor_type in ("StoveBurner", "StoveKnob") else 1
            for _ in range(copies):
                self._add(thor_type, next(counter))
        burners = [o for o in self.objects if o["objectType"] == "StoveBurner"]
        knobs = [o for o in self.objects if o["objectType"] == "StoveKnob"]
        for knob, burner in zip(knobs, burners, strict=True):  # one knob per burner
            knob["controlledObjects"] = [burner["objectId"]]
        host = next((r for r in self.objects if r["objectType"] in ("CounterTop", "DiningTable", "Desk", "Shelf")),
                    next((r for r in self.objects if r["objectType"] == "Floor"), None))
        for o in self.objects:
            if o["pickupable"] and host is not None:
                self._set_parent(o, host)
        cookware = OCCUPIED_BURNER.get(number)
        pan = next((o for o in self.objects if o["objectType"] == cookware), None)
        if pan is not None and burners:
            self._set_parent(pan, burners[0])
        return self._event(True, action="Initialize")

    def _add(self, thor_type: str, i: int) -> dict[str, Any]:
        pos = {"x": float(i % 7) * 0.5, "y": 0.9 if thor_type in PICKUPABLE else 0.5, "z": float(i // 7) * 0.5 + 1.0}
        size = SIZES.get(thor_type, DEFAULT_PORTABLE if thor_type in PICKUPABLE else DEFAULT_FIXTURE)
        obj = {"objectId": f"{thor_type}|{pos['x']:+.2f}|{pos['y']:+.2f}|{pos['z']:+.2f}", "name": f"{thor_type}_{i}",
               "objectType": thor_type, "position": pos, "rotation": {"x": 0.0, "y": 0.0, "z": 0.0},
               "axisAlignedBoundingBox": {"center": dict(pos), "size": {"x": size[0], "y": size[1], "z": size[2]}},
               "visible": False, "pickupable": thor_type in PICKUPABLE, "moveable": thor_type in MOVEABLE,
               "receptacle": thor_type in RECEPTACLES, "openable": thor_type in OPENABLE,
               "isOpen": thor_type in STARTS_OPEN, "toggleable": thor_type in TOGGLEABLE,
               "isToggled": thor_type in STARTS_ON, "breakable": thor_type in BREAKABLE, "isBroken": False,
               "sliceable": thor_type in SLICEABLE, "isSliced": False, "canFillWithLiquid": thor_type in FILLABLE,
               "isFilledWithLiquid": False, "fillLiquid": None, "dirtyable": thor_type in DIRTYABLE,
               "isDirty": False, "isPickedUp": False, "parentReceptacles": None,
               "receptacleObjectIds": [] if thor_type in RECEPTACLES else None, "controlledObjects": None}
        self.objects.append(obj)
        return obj

    def _set_parent(self, obj: dict[str, Any], recep: dict[str, Any] | None) -> None:
        """Move ``obj`` into/onto ``recep`` (None: in hand), keeping contents lists and positions."""
        for parent in obj["parentReceptacles"] or []:
            contents = self._get(parent).get("receptacleObjectIds")
            if contents and obj["objectId"] in contents:
                contents.remove(obj["objectId"])
        if recep is None:
            obj["parentReceptacles"] = None
            return
        obj["parentReceptacles"] = [recep["objectId"], *(recep["parentReceptacles"] or [])]
        slot = 0
        if recep["receptacleObjectIds"] is not None:
            recep["receptacleObjectIds"].append(obj["objectId"])
            slot = len(recep["receptacleObjectIds"]) - 1
        box = recep["axisAlignedBoundingBox"]
        top = box["center"]["y"] + box["size"]["y"] / 2
        dx = ((slot % 5) - 2) * min(0.15, box["size"]["x"] / 5)  # side by side on the surface
        obj["position"] = {"x": box["center"]["x"] + dx, "y": top + obj["axisAlignedBoundingBox"]["size"]["y"] / 2,
                           "z": box["center"]["z"]}
        obj["axisAlignedBoundingBox"]["center"] = dict(obj["position"])

    def _camera(self) -> dict[str, float]:
        p = self.agent["position"]
        return {"x": p["x"], "y": p["y"] + CAMERA_HEIGHT, "z": p["z"]}

    def _visible(self, obj: dict[str, Any]) -> bool:
        """Within the visibility distance of the camera and not shut in a closed receptacle."""
        if obj["isPickedUp"]:
            return True
        cam, c = self._camera(), obj["axisAlignedBoundingBox"]["center"]
        if math.dist((cam["x"], cam["y"], cam["z"]), (c["x"], c["y"], c["z"])) > VISIBILITY_DISTANCE:
            return False
        return not any(self._get(p)["openable"] and not self._get(p)["isOpen"] for p in obj["parentReceptacles"] or [])

    def _event(self, ok: bool, error: str = "", action: str = "", ret: Any = None) -> FakeEvent:
        rows = np.arange(self.height, dtype=np.uint16)[:, None] + np.arange(self.width, dtype=np.uint16)[None, :]
        # A frame is a function of what the camera would see (the scene, the objects' states, the agent
        # pose), as in THOR: the same staged state renders the same picture however it was reached.
        seen = [(o["objectId"], o.get("parentReceptacles"), o["isToggled"], o["isOpen"], o["isPickedUp"],
                 o["isBroken"], o["isSliced"], o["isFilledWithLiquid"], o["isDirty"]) for o in self.objects]
        seed = zlib.crc32(json.dumps([self.scene, seen, self.agent], sort_keys=True, default=str).encode()) % 256
        frame = np.stack([(rows + seed) % 256, (rows * 2) % 256, np.full_like(rows, seed % 256)], -1).astype(np.uint8)
        for o in self.objects:
            o["visible"] = self._visible(o)
        meta = {"lastAction": action, "lastActionSuccess": ok, "errorMessage": error, "actionReturn": ret,
                "sceneName": f"{self.scene}_physics", "objects": [json.loads(json.dumps(o)) for o in self.objects],
                "agent": {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.agent.items()},
                "cameraPosition": self._camera(), "screenWidth": self.width, "screenHeight": self.height,
                "inventoryObjects": ([{"objectId": self.held, "objectType": self._get(self.held)["objectType"]}]
                                     if self.held else [])}
        self.last_event = FakeEvent(meta, frame)
        return self.last_event

    def _get(self, object_id: str) -> dict[str, Any]:
        for o in self.objects:
            if o["objectId"] == object_id:
                return o
        raise _Fail(f"Object ID appears to be invalid: {object_id}")

    # ---- step ----------------------------------------------------------------------------
    def step(self, action: str | dict[str, Any] | None = None, **action_args: Any) -> FakeEvent:
        if isinstance(action, dict):
            args = {**action, **action_args}
            name = str(args.pop("action"))
        else:
            name, args = str(action), dict(action_args)
        args.pop("raise_for_failure", None)
        if name not in ACTIONS:
            raise ValueError(f"Invalid action: {name} (not an AI2-THOR 5.0.0 action the fake knows)")
        unknown = set(args) - ACTIONS[name][0]
        if unknown:
            raise ValueError(f"{name}: invalid arguments {sorted(unknown)}; accepted {sorted(ACTIONS[name][0])}")
        self.calls.append((name, args))
        if name in self.fail:
            return self._event(False, f"{name} failed (scripted)", name)
        try:
            ret = getattr(self, f"_do_{name}")(**args)
        except _Fail as exc:
            self.refused.append((name, str(exc)))
            return self._event(False, str(exc), name)
        return self._event(True, "", name, ret)

    def stop(self) -> None:
        self.stopped = True

    # ---- action semantics ----------------------------------------------------------------
    def _do_GetReachablePositions(self) -> list[dict[str, float]]:
        return [{"x": x * 0.25, "y": 0.9, "z": z * 0.25} for x in range(-4, 16) for z in range(-4, 28)]

    def _do_TeleportFull(self, position: dict[str, float], rotation: dict[str, float], horizon: float,
                         standing: bool, forceAction: bool = False) -> None:
        self.agent.update(position=dict(position), rotation=dict(rotation), cameraHorizon=horizon, isStanding=standing)

    def _do_PickupObject(self, objectId: str, forceAction: bool = False, manualInteract: bool = False) -> None:
        obj = self._get(objectId)
        if not obj["pickupable"]:
            raise _Fail(f"{objectId} is not pickupable")
        if self.held is not None:
            raise _Fail("Agent hand is not empty")
        if not forceAction and not obj["visible"]:
            raise _Fail(f"{objectId} is not visible")
        self._set_parent(obj, None)
        obj["isPickedUp"] = True
        self.held = objectId

    def _do_PutObject(self, objectId: str, forceAction: bool = False, placeStationary: bool = True) -> None:
        if self.held is None:
            raise _Fail("nothing in hand to put")
        recep = self._get(objectId)
        if not forceAction:
            raise ValueError("the fake does not model THOR's placement-restriction lists: send forceAction=True")
        if not recep["receptacle"]:
            raise _Fail(f"{objectId} is not a receptacle")
        if recep["objectType"] in CLOSED_REFUSES and recep["openable"] and not recep["isOpen"]:
            raise _Fail(f"{objectId} is closed")
        obj = self._get(self.held)
        allowed = OBJECT_SPECIFIC.get(recep["objectType"])
        if allowed is not None and obj["objectType"] not in allowed:
            raise _Fail(f"{obj['objectType']} is not a valid Object Type to be placed in {objectId}")
        if allowed is not None and recep["receptacleObjectIds"]:
            raise _Fail(f"{objectId} is full")
        if not self._fits(obj, recep):
            raise _Fail(f"No valid positions to place object found in {objectId}")
        obj["isPickedUp"] = False
        self._set_parent(obj, recep)
        self.held = None

    @staticmethod
    def _fits(obj: dict[str, Any], recep: dict[str, Any]) -> bool:
        a = sorted((obj["axisAlignedBoundingBox"]["size"]["x"], obj["axisAlignedBoundingBox"]["size"]["z"]))
        b = sorted((recep["axisAlignedBoundingBox"]["size"]["x"], recep["axisAlignedBoundingBox"]["size"]["z"]))
        return a[0] <= b[0] and a[1] <= b[1]

    def _do_DropHandObject(self, forceAction: bool = False) -> None:
        if self.held is None:
            raise _Fail("nothing in hand to drop")
        floor = next((o for o in self.objects if o["objectType"] == "Floor"), None)
        obj = self._get(self.held)
        obj["isPickedUp"] = False
        self._set_parent(obj, floor)
        self.held = None

    def _do_PlaceObjectAtPoint(self, objectId: str, position: dict[str, float], forceKinematic: bool = False) -> None:
        """The object comes to rest on whatever receptacle is under the point."""
        obj = self._get(objectId)
        if not (obj["pickupable"] or obj["moveable"]):
            raise _Fail(f"{objectId} is neither pickupable nor moveable")
        if obj["isPickedUp"]:
            raise _Fail(f"{objectId} is in the agent's hand")
        def below(r: dict[str, Any]) -> bool:  # the point is over r's footprint and above its top
            c, size = r["axisAlignedBoundingBox"]["center"], r["axisAlignedBoundingBox"]["size"]
            return (abs(position["x"] - c["x"]) <= size["x"] / 2 and abs(position["z"] - c["z"]) <= size["z"] / 2
                    and c["y"] + size["y"] / 2 <= position["y"] + 1e-6)

        under = [r for r in self.objects if r["receptacle"] and r["objectId"] != objectId and below(r)]
        if not under:
            raise _Fail("no surface under the point")
        def top(r: dict[str, Any]) -> float:
            return float(r["axisAlignedBoundingBox"]["center"]["y"] + r["axisAlignedBoundingBox"]["size"]["y"] / 2)

        self._set_parent(obj, max(under, key=top))

    def _flag(self, objectId: str, capability: str, key: str, value: Any) -> dict[str, Any]:
        obj = self._get(objectId)
        if not obj[capability]:
            raise _Fail(f"{objectId} is not {capability}")
        obj[key] = value
        return obj

    def _do_OpenObject(self, objectId: str, openness: float = 1.0, forceAction: bool = False) -> None:
        obj = self._get(objectId)
        if obj["objectType"] == "Microwave" and obj["isToggled"]:
            raise _Fail("Microwave must be turned off before it can be opened")
        self._flag(objectId, "openable", "isOpen", True)

    def _do_CloseObject(self, objectId: str, forceAction: bool = False) -> None:
        self._flag(objectId, "openable", "isOpen", False)

    def _toggle(self, objectId: str, on: bool) -> None:
        obj = self._get(objectId)
        if not obj["toggleable"]:
            raise _Fail(f"{objectId} is not toggleable")
        if obj["isToggled"] == on:
            raise _Fail(f"can't toggle object {'on' if on else 'off'} if it's already {'on' if on else 'off'}!")
        if on and obj["objectType"] == "Microwave" and obj["isOpen"]:
            raise _Fail("Microwave must be closed before it can be turned on")
        obj["isToggled"] = on
        for controlled in obj.get("controlledObjects") or []:
            self._get(controlled)["isToggled"] = on

    def _do_ToggleObjectOn(self, objectId: str, forceAction: bool = False) -> None:
        self._toggle(objectId, True)

    def _do_ToggleObjectOff(self, objectId: str, forceAction: bool = False) -> None:
        self._toggle(objectId, False)

    def _do_BreakObject(self, objectId: str, forceAction: bool = False) -> None:
        self._flag(objectId, "breakable", "isBroken", True)

    def _do_DirtyObject(self, objectId: str, forceAction: bool = False) -> None:
        self._flag(objectId, "dirtyable", "isDirty", True)

    def _do_CleanObject(self, objectId: str, forceAction: bool = False) -> None:
        self._flag(objectId, "dirtyable", "isDirty", False)

    def _do_FillObjectWithLiquid(self, objectId: str, fillLiquid: str, forceAction: bool = False) -> None:
        if fillLiquid not in LIQUIDS:
            raise _Fail(f"unknown liquid {fillLiquid}")
        self._flag(objectId, "canFillWithLiquid", "isFilledWithLiquid", True)["fillLiquid"] = fillLiquid

    def _do_EmptyLiquidFromObject(self, objectId: str, forceAction: bool = False) -> None:
        obj = self._get(objectId)
        if not obj["isFilledWithLiquid"]:
            raise _Fail(f"{objectId} holds no liquid")
        obj.update(isFilledWithLiquid=False, fillLiquid=None)

    def _do_SliceObject(self, objectId: str, forceAction: bool = False) -> None:
        whole = self._get(objectId)
        if not whole["sliceable"]:
            raise _Fail(f"{objectId} is not sliceable")
        whole["isSliced"] = True
        for k in range(2):
            piece = self._add(f"{whole['objectType']}Sliced", 1000 + k)
            piece["objectId"] = f"{objectId}|{whole['objectType']}Sliced_{k + 1}"
            piece["position"] = dict(whole["position"])
            piece["axisAlignedBoundingBox"]["center"] = dict(whole["position"])
            piece["parentReceptacles"] = whole["parentReceptacles"]

    def _do_SetObjectPoses(self, objectPoses: list[dict[str, Any]]) -> None:
        names = [p["objectName"] for p in objectPoses]
        kept = [o for o in self.objects if not (o["pickupable"] or o["moveable"]) or o["name"] in names]
        self.objects = kept
        for name in {n for n in names if names.count(n) > 1}:
            source = next(o for o in self.objects if o["name"] == name)
            for k in range(names.count(name) - 1):
                copy = json.loads(json.dumps(source))
                copy.update(objectId=f"{source['objectId']}|copy{k}", name=f"{name}_copy{k}")
                self.objects.append(copy)

    def _do_ChangeResolution(self, x: int, y: int) -> None:
        self.width, self.height = int(x), int(y)
