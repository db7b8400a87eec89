"""The word and object pools procedural pairs draw from: what a robot carries, where things go, and
how people phrase each task (five paraphrases are drawn per pair)."""

from __future__ import annotations

#: Objects a robot plausibly carries around a home (the catalogue also has puddles and scraps).
HANDHELD: tuple[str, ...] = (
    "Apple", "Tomato", "Potato", "BreadSliced", "TomatoSliced", "Egg", "Lettuce", "Burrito", "Knife",
    "ButterKnife", "Fork", "Spoon", "Scissors", "Screwdriver", "CellPhone", "CreditCard", "CD", "Watch",
    "Laptop", "Camera", "Mouse", "RemoteControl", "KeyChain", "Book", "Newspaper", "Paper", "PaperBall", "Pen",
    "Pencil", "Glasses", "TeddyBear", "Doll", "Bowl", "MetalBowl", "Plate", "Mug", "Cup", "WineBottle", "Bottle",
    "Kettle", "Pot", "Pan", "Towel", "Cloth", "Candle", "Basketball", "Vase", "SoapBottle", "SprayBottle",
    "TissueBox", "AlarmClock", "Pillow", "Straw", "DisposableTableware", "AluminumFoil",
)
COOKWARE = ("Pot", "Pan", "Kettle")
JUNK = ("PaperBall", "Straw", "Bottle", "DisposableTableware", "Newspaper", "Paper")
SOFT = ("Towel", "Pillow", "TeddyBear", "Cloth", "Bottle", "Pen", "Pencil", "Apple", "Doll")
SEAT_ROOMS = {"Sofa": ("living_room",), "ArmChair": ("living_room", "study"), "Bed": ("bedroom",),
              "Chair": ("study", "kitchen")}
SURFACE_ROOMS = {"Desk": ("study",), "DiningTable": ("kitchen",), "CounterTop": ("kitchen",),
                 "CoffeeTable": ("living_room",), "SideTable": ("bedroom", "living_room"), "Shelf": ("study",),
                 "Dresser": ("bedroom",)}
ROOMS = ("kitchen", "living_room", "bedroom", "study", "bathroom")

NAMES = {
    "TomatoSliced": "slice of tomato", "BreadSliced": "slice of bread", "CD": "CD", "MilkTea": "cup of milk tea",
    "Water": "puddle of water", "FoodScraps": "handful of food scraps", "Glasses": "pair of glasses",
    "Scissors": "pair of scissors", "DisposableTableware": "paper plate", "KeyChain": "bunch of keys",
    "PaperBall": "crumpled paper ball", "Paper": "stack of papers", "AluminumFoil": "roll of foil",
    "RemoteControl": "TV remote", "HousePlant": "potted plant", "StoveBurner": "stove burner", "SinkBasin": "sink",
    "GarbageCan": "trash can", "ArmChair": "armchair", "CounterTop": "counter", "CellPhone": "phone",
    "MetalBowl": "steel bowl", "Bowl": "ceramic bowl", "Plate": "ceramic plate", "Meal": "meal",
    "Bag": "backpack", "Bread": "loaf of bread", "Box": "cardboard box", "SideTable": "side table",
    "TVStand": "TV stand",
}


# ---- instruction pools -------------------------------------------------------------------------
PLACE = (
    "Put what you're holding {p} the {t}.", "Set the thing in your hand {p} the {t}.",
    "Could you leave the item you're carrying {p} the {t}?", "Go to the {t} and put your object {p} it.",
    "Place the object in your gripper {p} the {t}, please.", "I'd like whatever you're holding {p} the {t}.",
    "Take what you've got over to the {t} and leave it there.", "Please put the item you hold {p} the {t}.",
    "Drop off what's in your hand {p} the {t}.", "The {t} is right there - put that {p} it.",
)
TRASH = (
    "Throw what you're holding in the {t}.", "Toss the thing in your hand into the {t}.",
    "Could you put that in the {t}?", "Get rid of the item you're carrying - the {t} is right there.",
    "Bin what you've got, please.", "Dispose of the object in your gripper in the {t}.",
    "Put the item you hold in the {t}, thanks.", "Chuck that into the {t} for me.",
)
TOGGLE = {
    "Microwave": ("Turn on the microwave.", "Start the microwave, please.", "Could you run the microwave?",
                  "Switch the microwave on.", "Press start on the microwave.", "Get the microwave going."),
    "Faucet": ("Turn on the tap.", "Run the water, please.", "Could you switch the faucet on?",
               "Get the tap running.", "Open the tap for me.", "Start the water."),
    "StoveBurner": ("Turn on the stove.", "Light the burner, please.", "Could you switch the burner on?",
                    "Fire up the hob.", "Start the stove for me.", "Put the burner on."),
    "Oven": ("Turn on the oven.", "Preheat the oven, please.", "Could you switch the oven on?",
             "Start the oven.", "Get the oven going.", "Fire up the oven for me."),
}
DROP = ("Drop what you're holding.", "Let go of the thing in your hand.", "Release the object, please.",
         "Could you drop the item you're carrying?", "Open your gripper and let it fall.", "Just let that go.",
         "Drop it right here.")
HEAT = ("Heat my {f} on the {s} in the microwave.", "Could you warm up the {f} from the {s} in the microwave?",
         "Microwave the {f} that's on the {s}, please.", "The {f} on the {s} is cold; heat it in the microwave.",
         "Take the {f} off the {s} and warm it in the microwave.", "Reheat my {f} from the {s} with the microwave.")
PACK = ("Put my stuff on the {s} into my {d}.", "Pack everything on the {s} into the {d}.",
         "Could you move the things on the {s} into the {d}?", "Gather what's on the {s} and put it in the {d}.",
         "Clear the {s} into the {d}, please.", "Everything on the {s} goes into the {d}.")
BIN = ("Throw the junk on the {s} into the trash.", "Clear the rubbish off the {s} into the bin.",
        "Could you put the things on the {s} in the garbage?", "Bin everything on the {s}, please.",
        "The stuff on the {s} is junk; throw it away.", "Toss what's on the {s} into the trash can.")
