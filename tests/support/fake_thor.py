"""A fake ``ai2thor.controller.Controller``: exactly the API the THOR backend uses, and no more.

Written from the ai2thor 5.0.0 wheel (``pip download --no-deps ai2thor==5.0.0``) and the iTHOR
documentation for that release. Every action name and argument the backend sends is checked
against :data:`ACTIONS`; an unknown one raises ``ValueError`` as the real controller does for
``InvalidAction``/``InvalidArgument`` (``ai2thor/controller.py`` ``Controller.step``).
"""

from __future__ import annotations

import itertools
import json
import zlib
from collections.abc import Iterable
from typing import Any

import numpy as np

from mss_embodied.thor.floorplans import FLOORPLAN_TYPES

_W = "ai2thor-5.0.0 wheel"
_D = "ai2thor.allenai.org/ithor/documentation"

#: Action -> (accepted arguments, where they come from). The wheel's Python code calls some of these
#: itself (line numbers in the 5.0.0 wheel); the rest are Unity actions documented for iTHOR.
ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "GetReachablePositions": (frozenset(), f"{_W} offline_controller.py:216, server.py:414; {_D}/navigation"),
    "TeleportFull": (frozenset({"position", "rotation", "horizon", "standing", "forceAction"}),
                     f"{_D}/navigation (Teleport parameters); {_W} video_controller.py:170 uses TeleportFull"),
    "PickupObject": (frozenset({"objectId", "forceAction", "manualInteract"}),
                     f"{_D}/interactive-physics (Pickup Object parameters); {_W} controller.py:1820"),
    "PutObject": (frozenset({"objectId", "forceAction", "placeStationary"}),
                  f"{_D}/interactive-physics (Put Object parameters)"),
    "DropHandObject": (frozenset({"forceAction"}), f"{_D}/interactive-physics; {_W} interact.py:29 (action list)"),
    "OpenObject": (frozenset({"objectId", "openness", "forceAction"}),
                   f"{_D}/object-state-changes (Open Object); {_W} controller.py:1865"),
    "CloseObject": (frozenset({"objectId", "forceAction"}), f"{_D}/object-state-changes; {_W} controller.py:1904"),
    "ToggleObjectOn": (frozenset({"objectId", "forceAction"}), f"{_D}/object-state-changes (Toggle)"),
    "ToggleObjectOff": (frozenset({"objectId", "forceAction"}),
                        f"{_D}/object-state-changes (Toggle); {_W} interact.py:33 (action list)"),
    "SliceObject": (frozenset({"objectId", "forceAction"}), f"{_D}/object-state-changes (Slice Object)"),
    "BreakObject": (frozenset({"objectId", "forceAction"}), f"{_D}/object-state-changes (Break Object)"),
    "FillObjectWithLiquid": (frozenset({"objectId", "fillLiquid", "forceAction"}),
                             f"{_D}/object-state-changes (Fill Object With Liquid: coffee, wine, water)"),
    "SetObjectPoses": (frozenset({"objectPoses"}), f"{_D}/objects/set-object-states (Set Object Poses)"),
    "ChangeResolution": (frozenset({"x", "y"}), f"{_W} controller.py:707 (Controller.reset)"),
}

#: ``Controller.__init__`` keyword parameters in the 5.0.0 wheel (ai2thor/controller.py:372-399).
CONTROLLER_PARAMS: frozenset[str] = frozenset({
    "quality", "fullscreen", "headless", "port", "start_unity", "local_executable_path", "local_build", "commit_id",
    "branch", "width", "height", "x_display", "host", "scene", "image_dir", "save_image_per_frame", "depth_format",
    "add_depth_noise", "download_only", "include_private_scenes", "server_class", "gpu_device", "platform",
    "server_timeout", "server_start_timeout"})
#: ``Initialize`` parameters the backend forwards through ``**unity_initialization_parameters``
#: (ai2thor.allenai.org/ithor/documentation/initialization).
INITIALIZE_PARAMS: frozenset[str] = frozenset({
    "agentMode", "gridSize", "snapToGrid", "rotateStepDegrees", "visibilityDistance", "fieldOfView",
    "renderDepthImage", "renderInstanceSegmentation"})
#: ``FillObjectWithLiquid`` liquids (object-state-changes documentation).
LIQUIDS = frozenset({"coffee", "wine", "water"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PICKUPABLE = _words("""AlarmClock AluminumFoil Apple AppleSliced BaseballBat BasketBall Book Boots Bottle Bowl Box
Bread BreadSliced ButterKnife Candle CD CellPhone Cloth CreditCard Cup DishSponge Dumbbell Egg Fork HandTowel Kettle
KeyChain Knife Ladle Laptop Lettuce Mug Newspaper Pan PaperTowelRoll Pen Pencil PepperShaker Pillow Plate Plunger Pot
Potato RemoteControl SaltShaker ScrubBrush SoapBar SoapBottle Spatula Spoon SprayBottle Statue TeddyBear TennisRacket
TissueBox ToiletPaper Tomato TomatoSliced Towel Vase Watch WateringCan WineBottle""")
_RECEPTACLES = _words("""ArmChair BathtubBasin Bed Bowl Box Cabinet Chair CoffeeMachine CoffeeTable CounterTop Cup
Desk DiningTable Drawer Dresser Floor Fridge GarbageCan Microwave Mug Ottoman Pan Plate Pot Safe Shelf SideTable
SinkBasin Sofa StoveBurner Toaster Toilet TVStand""")
_OPENABLE = _words("Box Cabinet Drawer Fridge Microwave Safe Toilet Laptop")
_TOGGLEABLE = _words("Microwave Faucet StoveKnob Television Laptop Toaster CoffeeMachine DeskLamp")
_BREAKABLE = _words("Bowl Cup Egg Mug Plate Vase WineBottle CellPhone Laptop Mirror Window Statue")
_SLICEABLE = _words("Apple Bread Lettuce Potato Tomato")
_FILLABLE = _words("Bowl Cup Mug Pot Kettle WineBottle Bottle")


class FakeEvent:
    """The parts of ``ai2thor.server.Event`` the backend reads: ``metadata`` and ``frame``."""

    def __init__(self, metadata: dict[str, Any], frame: np.ndarray) -> None:
        self.metadata = metadata
        self.frame = frame


class FakeController:
    """Scenes built from the curated FloorPlan table; actions change the metadata as THOR documents.

    ``fail`` names actions that report ``lastActionSuccess=False`` (to test disagreement reports).
    ``calls`` records every (action, kwargs) sent, after the checks.
    """

    def __init__(self, fail: Iterable[str] = (), **kwargs: Any) -> None:
        unknown = set(kwargs) - CONTROLLER_PARAMS - INITIALIZE_PARAMS
        if unknown:
            raise TypeError(f"Controller() got unexpected keyword arguments {sorted(unknown)}")
        self.kwargs = kwargs
        self.fail = set(fail)
        self.width, self.height = int(kwargs.get("width", 300)), int(kwargs.get("height", 300))
        self.calls: list[tuple[str, dict[str, Any]]] = []
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
        floor_id = None
        for thor_type in sorted(FLOORPLAN_TYPES[number]):
            copies = 4 if thor_type == "StoveBurner" else 1
            for _ in range(copies):
                self._add(thor_type, next(counter))
            if thor_type == "Floor":
                floor_id = self.objects[-1]["objectId"]
        knobs = [o for o in self.objects if o["objectType"] == "StoveKnob"]
        burners = [o for o in self.objects if o["objectType"] == "StoveBurner"]
        for knob in knobs:
            knob["controlledObjects"] = [b["objectId"] for b in burners]
        for o in self.objects:
            if o["pickupable"]:
                host = next((r for r in self.objects if r["objectType"] in ("CounterTop", "DiningTable", "Desk",
                                                                             "Shelf")), None)
                o["parentReceptacles"] = [host["objectId"]] if host else ([floor_id] if floor_id else None)
        return self._event(True, action="Initialize")

    def _add(self, thor_type: str, i: int) -> dict[str, Any]:
        pos = {"x": float(i % 7) * 0.5, "y": 0.9 if thor_type in _PICKUPABLE else 0.5, "z": float(i // 7) * 0.5 + 1.0}
        obj = {"objectId": f"{thor_type}|{pos['x']:+.2f}|{pos['y']:+.2f}|{pos['z']:+.2f}", "name": f"{thor_type}_{i}",
               "objectType": thor_type, "position": pos, "rotation": {"x": 0.0, "y": 0.0, "z": 0.0},
               "axisAlignedBoundingBox": {"center": dict(pos)}, "visible": True,
               "pickupable": thor_type in _PICKUPABLE, "moveable": False, "receptacle": thor_type in _RECEPTACLES,
               "openable": thor_type in _OPENABLE, "isOpen": False, "toggleable": thor_type in _TOGGLEABLE,
               "isToggled": False, "breakable": thor_type in _BREAKABLE, "isBroken": False,
               "sliceable": thor_type in _SLICEABLE, "isSliced": False, "canFillWithLiquid": thor_type in _FILLABLE,
               "isFilledWithLiquid": False, "fillLiquid": None, "isPickedUp": False, "parentReceptacles": None,
               "receptacleObjectIds": [] if thor_type in _RECEPTACLES else None, "controlledObjects": None}
        self.objects.append(obj)
        return obj

    def _event(self, ok: bool, error: str = "", action: str = "", ret: Any = None) -> FakeEvent:
        rows = np.arange(self.height, dtype=np.uint16)[:, None] + np.arange(self.width, dtype=np.uint16)[None, :]
        # A frame is a function of what the camera would see (the scene, the objects' states, the agent
        # pose), as in THOR: the same staged state renders the same picture however it was reached.
        visible = [(o["objectId"], o.get("parentReceptacles"), o["isToggled"], o["isOpen"], o["isPickedUp"],
                    o["isBroken"], o["isSliced"], o["isFilledWithLiquid"]) for o in self.objects]
        seed = zlib.crc32(json.dumps([self.scene, visible, self.agent], sort_keys=True, default=str).encode()) % 256
        frame = np.stack([(rows + seed) % 256, (rows * 2) % 256, np.full_like(rows, seed % 256)], -1).astype(np.uint8)
        camera = {"x": self.agent["position"]["x"], "y": self.agent["position"]["y"] + 0.675,
                  "z": self.agent["position"]["z"]}
        meta = {"lastAction": action, "lastActionSuccess": ok, "errorMessage": error, "actionReturn": ret,
                "sceneName": f"{self.scene}_physics", "objects": [dict(o) for o in self.objects],
                "agent": {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.agent.items()},
                "cameraPosition": camera, "screenWidth": self.width, "screenHeight": self.height,
                "inventoryObjects": ([{"objectId": self.held, "objectType": self._get(self.held)["objectType"]}]
                                     if self.held else [])}
        self.last_event = FakeEvent(meta, frame)
        return self.last_event

    def _get(self, object_id: str) -> dict[str, Any]:
        for o in self.objects:
            if o["objectId"] == object_id:
                return o
        raise KeyError(object_id)

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
            return self._event(False, str(exc), name)
        return self._event(True, "", name, ret)

    def stop(self) -> None:
        self.stopped = True

    # ---- action semantics ----------------------------------------------------------------
    def _do_GetReachablePositions(self) -> list[dict[str, float]]:
        return [{"x": x * 0.25, "y": 0.9, "z": z * 0.25} for x in range(-4, 12) for z in range(-4, 12)]

    def _do_TeleportFull(self, position: dict[str, float], rotation: dict[str, float], horizon: float,
                         standing: bool, forceAction: bool = False) -> None:
        self.agent.update(position=dict(position), rotation=dict(rotation), cameraHorizon=horizon, isStanding=standing)

    def _take(self, objectId: str) -> dict[str, Any]:
        obj = self._get(objectId)
        for parent in obj["parentReceptacles"] or []:
            contents = self._get(parent).get("receptacleObjectIds")
            if contents and objectId in contents:
                contents.remove(objectId)
        return obj

    def _do_PickupObject(self, objectId: str, forceAction: bool = False, manualInteract: bool = False) -> None:
        obj = self._get(objectId)
        if not obj["pickupable"]:
            raise _Fail(f"{objectId} is not pickupable")
        if self.held is not None:
            raise _Fail("Agent hand is not empty")
        self._take(objectId)
        obj.update(isPickedUp=True, parentReceptacles=None)
        self.held = objectId

    def _do_PutObject(self, objectId: str, forceAction: bool = False, placeStationary: bool = True) -> None:
        recep = self._get(objectId)
        if self.held is None:
            raise _Fail("nothing in hand")
        if not recep["receptacle"]:
            raise _Fail(f"{objectId} is not a receptacle")
        if recep["openable"] and not recep["isOpen"]:
            raise _Fail(f"{objectId} is closed")
        obj = self._get(self.held)
        obj.update(isPickedUp=False, parentReceptacles=[objectId, *(recep["parentReceptacles"] or [])])
        recep["receptacleObjectIds"].append(self.held)
        self.held = None

    def _do_DropHandObject(self, forceAction: bool = False) -> None:
        if self.held is None:
            raise _Fail("nothing in hand")
        floor = next((o["objectId"] for o in self.objects if o["objectType"] == "Floor"), None)
        self._get(self.held).update(isPickedUp=False, parentReceptacles=[floor] if floor else None)
        self.held = None

    def _flag(self, objectId: str, capability: str, key: str, value: Any) -> None:
        obj = self._get(objectId)
        if not obj[capability]:
            raise _Fail(f"{objectId} is not {capability}")
        obj[key] = value

    def _do_OpenObject(self, objectId: str, openness: float = 1.0, forceAction: bool = False) -> None:
        self._flag(objectId, "openable", "isOpen", True)

    def _do_CloseObject(self, objectId: str, forceAction: bool = False) -> None:
        self._flag(objectId, "openable", "isOpen", False)

    def _toggle(self, objectId: str, on: bool) -> None:
        self._flag(objectId, "toggleable", "isToggled", on)
        for controlled in self._get(objectId).get("controlledObjects") or []:
            self._get(controlled)["isToggled"] = on

    def _do_ToggleObjectOn(self, objectId: str, forceAction: bool = False) -> None:
        self._toggle(objectId, True)

    def _do_ToggleObjectOff(self, objectId: str, forceAction: bool = False) -> None:
        self._toggle(objectId, False)

    def _do_BreakObject(self, objectId: str, forceAction: bool = False) -> None:
        self._flag(objectId, "breakable", "isBroken", True)

    def _do_FillObjectWithLiquid(self, objectId: str, fillLiquid: str, forceAction: bool = False) -> None:
        if fillLiquid not in LIQUIDS:
            raise _Fail(f"unknown liquid {fillLiquid}")
        self._flag(objectId, "canFillWithLiquid", "isFilledWithLiquid", True)
        self._get(objectId)["fillLiquid"] = fillLiquid

    def _do_SliceObject(self, objectId: str, forceAction: bool = False) -> None:
        whole = self._get(objectId)
        if not whole["sliceable"]:
            raise _Fail(f"{objectId} is not sliceable")
        whole["isSliced"] = True
        for k in range(2):
            piece = self._add(f"{whole['objectType']}Sliced", 1000 + k)
            piece["objectId"] = f"{objectId}|{whole['objectType']}Sliced_{k + 1}"
            piece["parentReceptacles"] = whole["parentReceptacles"]

    def _do_SetObjectPoses(self, objectPoses: list[dict[str, Any]]) -> None:
        names = [p["objectName"] for p in objectPoses]
        kept = [o for o in self.objects if not (o["pickupable"] or o["moveable"]) or o["name"] in names]
        self.objects = kept
        for name in {n for n in names if names.count(n) > 1}:
            source = next(o for o in self.objects if o["name"] == name)
            for k in range(names.count(name) - 1):
                copy = dict(source, objectId=f"{source['objectId']}|copy{k}", name=f"{name}_copy{k}")
                self.objects.append(copy)

    def _do_ChangeResolution(self, x: int, y: int) -> None:
        self.width, self.height = int(x), int(y)


class _Fail(Exception):
    """An action THOR would answer with lastActionSuccess=False."""
