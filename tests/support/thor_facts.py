"""What the fake AI2-THOR controller knows about 5.0.0: its actions and arguments, the Controller
signature, and each object type's capabilities, initial states and sizes (data tables).

Sources: the ai2thor 5.0.0 wheel (``pip download --no-deps ai2thor==5.0.0``), the iTHOR
documentation for that release, and the AI2-THOR 5.0 C# source and real 5.0.0 scene metadata as
reported in issue 14. Sizes: Book 0.53 x 0.49 m and Box 0.44 x 0.50 m are 5.0.0 metadata values; an
open Laptop is given a footprint that does not fit a Box (THOR refuses that placement); the others
are typical iTHOR sizes.
"""

from __future__ import annotations

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
    "PlaceObjectAtPoint": (frozenset({"objectId", "position", "forceKinematic"}),
                           f"{_D}/objects (Place Object At Point); used with ai2thor==5.0.0 by ALFRED-style tools"),
    "OpenObject": (frozenset({"objectId", "openness", "forceAction"}),
                   f"{_D}/object-state-changes (Open Object); {_W} controller.py:1865"),
    "CloseObject": (frozenset({"objectId", "forceAction"}), f"{_D}/object-state-changes; {_W} controller.py:1904"),
    "ToggleObjectOn": (frozenset({"objectId", "forceAction"}), f"{_D}/object-state-changes (Toggle)"),
    "ToggleObjectOff": (frozenset({"objectId", "forceAction"}),
                        f"{_D}/object-state-changes (Toggle); {_W} interact.py:33 (action list)"),
    "SliceObject": (frozenset({"objectId", "forceAction"}), f"{_D}/object-state-changes (Slice Object)"),
    "BreakObject": (frozenset({"objectId", "forceAction"}), f"{_D}/object-state-changes (Break Object)"),
    "DirtyObject": (frozenset({"objectId", "forceAction"}), f"{_D}/object-state-changes (Dirty Object)"),
    "CleanObject": (frozenset({"objectId", "forceAction"}), f"{_D}/object-state-changes (Clean Object)"),
    "FillObjectWithLiquid": (frozenset({"objectId", "fillLiquid", "forceAction"}),
                             f"{_D}/object-state-changes (Fill Object With Liquid: coffee, wine, water)"),
    "EmptyLiquidFromObject": (frozenset({"objectId", "forceAction"}), f"{_D}/object-state-changes (Empty Liquid)"),
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
VISIBILITY_DISTANCE = 1.5
CAMERA_HEIGHT = 0.675


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PICKUPABLE = _words("""AlarmClock AluminumFoil Apple AppleSliced BaseballBat BasketBall Book Boots Bottle Bowl Box
Bread BreadSliced ButterKnife Candle CD CellPhone Cloth CreditCard Cup DishSponge Dumbbell Egg Fork HandTowel Kettle
KeyChain Knife Ladle Laptop Lettuce Mug Newspaper Pan PaperTowelRoll Pen Pencil PepperShaker Pillow Plate Plunger Pot
Potato RemoteControl SaltShaker ScrubBrush SoapBar SoapBottle Spatula Spoon SprayBottle Statue TeddyBear TennisRacket
TissueBox ToiletPaper Tomato TomatoSliced Towel Vase Watch WateringCan WineBottle""")
MOVEABLE = _words("Chair Stool Ottoman DogBed")
RECEPTACLES = _words("""ArmChair BathtubBasin Bed Bowl Box Cabinet Chair CoffeeMachine CoffeeTable CounterTop Cup
Desk DiningTable Drawer Dresser Floor Fridge GarbageCan LaundryHamper Microwave Mug Ottoman Pan Plate Pot Safe Shelf
SideTable SinkBasin Sofa StoveBurner Toaster Toilet TVStand""")
OPENABLE = _words("Blinds Book Box Cabinet Drawer Fridge Laptop LaundryHamper Microwave Safe ShowerCurtain ShowerDoor "
                   "Toilet")
TOGGLEABLE = _words("Microwave Faucet StoveKnob Television Laptop Toaster CoffeeMachine DeskLamp LightSwitch Candle")
BREAKABLE = _words("Bowl Cup Egg Mug Plate Vase WineBottle CellPhone Laptop Mirror Window Statue")
SLICEABLE = _words("Apple Bread Lettuce Potato Tomato")
FILLABLE = _words("Bowl Cup Mug Pot Kettle WineBottle Bottle HousePlant")
DIRTYABLE = _words("Bowl Cup Mug Plate Pot Pan Bed Cloth Mirror")
#: PutObject refuses these closed; other closed openables (Toilet, Safe, ...) still accept.
CLOSED_REFUSES = _words("Drawer Cabinet LaundryHamper Microwave Fridge Box")
#: ObjectSpecificReceptacle: the only types each takes (one at a time).
OBJECT_SPECIFIC = {"StoveBurner": _words("Pot Pan Kettle")}
STARTS_OPEN = _words("Box Laptop")
STARTS_ON = _words("DeskLamp LightSwitch")
#: FloorPlans where a burner starts occupied (real 5.0.0 metadata).
OCCUPIED_BURNER = {4: "Pot", 7: "Pan"}
#: Footprints (x, z) and heights in metres: measured for Book and Box; the rest typical of iTHOR assets.
SIZES: dict[str, tuple[float, float, float]] = {
    "Book": (0.53, 0.06, 0.49), "Box": (0.44, 0.30, 0.50), "Laptop": (0.36, 0.25, 0.54),
    "StoveBurner": (0.30, 0.05, 0.30), "Microwave": (0.62, 0.36, 0.45), "GarbageCan": (0.35, 0.45, 0.35),
    "SinkBasin": (0.55, 0.20, 0.45), "Bowl": (0.20, 0.08, 0.20), "Plate": (0.26, 0.03, 0.26),
    "Cup": (0.09, 0.12, 0.09), "Mug": (0.12, 0.11, 0.09), "Pot": (0.30, 0.17, 0.25), "Pan": (0.42, 0.07, 0.26),
    "Kettle": (0.22, 0.25, 0.18), "Chair": (0.50, 0.90, 0.50), "ArmChair": (0.80, 0.90, 0.80),
    "Toilet": (0.40, 0.80, 0.70), "Shelf": (0.90, 0.05, 0.35),
}
DEFAULT_PORTABLE = (0.15, 0.10, 0.15)
DEFAULT_FIXTURE = (1.20, 0.80, 1.00)
