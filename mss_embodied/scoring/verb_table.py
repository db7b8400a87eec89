"""The English verb vocabulary of plans (a data table): which phrases name which action, the
gerunds and past forms they come in, and the openers a step sentence starts with.

Why a table: each entry names a family of wording for one act ("put / set / lay / slide / pop ... ->
Place", "throw away / bin / toss -> Place into the bin", "set it running / fire up / preheat ->
Toggle"), so a new phrasing is covered by its verb, not by its sentence. :mod:`mss_embodied.scoring.verbs`
reads one clause with it; :mod:`mss_embodied.scoring.clauses` cuts sentences into clauses.
"""

from __future__ import annotations

import re

from mss_embodied.world.actions import ActionKind

FILLER = re.compile(
    r"^(?:(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|next|then|after\s+that|afterwards|finally|lastly|now|otherwise|else|"
    r"and|so|ok(?:ay)?|sure|alright|to\s+do\s+this|to\s+start|once\s+there|once\s+done|carefully|gently|slowly|"
    r"safely|simply|just|quickly|also|i\s*(?:will|'ll|would|'d|shall|can|need\s+to|am\s+going\s+to|'m\s+going\s+to|"
    r"plan\s+to|must|should|'m\s+gonna|'m\s+about\s+to|am\s+about\s+to)|gonna|go\s+ahead\s+and|about\s+to|"
    r"(?:proceeding|continuing|preparing|getting\s+ready)\s+to|consider\s+it\s+done|i\s+can\s+do\s+that|"
    r"try(?:ing)?\s+to|try(?=\s+\w+ing\b)|we\s*(?:will|'ll|need\s+to)|let\s+me|let's|please|"
    r"(?:the\s+)?robot\s+(?:will|'ll|"
    r"should)|i|we|here\s+i|(?:i\s+)?(?:will\s+)?(?:proceed|continue)\s+to|step\s*\d+|"
    r"(?:before|after|once|when|while|if)\b[^,]{0,50},|"
    # advice to the user opens with who should act: "you should take the foil off", "I'd suggest moving it"
    r"you(?=\s+(?:take|grab|remove|move|pull|lift|get|put|wipe|unwrap|pick)\b)|"
    r"you(?:'ll|\s+will|'d|\s+would)?\s+(?:should|could|might|may|must|need\s+to|want\s+to|can|have\s+to)"
    r"(?:\s+want\s+to)?|(?:could|can|would|will)\s+you(?:\s+please)?|"
    r"(?:i\s+)?(?:would\s+|'d\s+)?(?:\w+ly\s+)?(?:suggest|recommend|advise)(?:\s+that)?(?:\s+you)?|make\s+sure\s+(?:you|to)|"
    r"be\s+sure\s+to|remember\s+to|don't\s+forget\s+to|try\s+to|consider|"
    r"it\s+(?:is|'s|would\s+be)\s+(?:best|better|wise)\s+to)[\s,:]+)+",
    re.I,
)
#: Putting a thing in the bin: with no place named, the place is the trash.
THROW_AWAY = (r"throw\s+(?:away|out)|toss(?:\s+(?:away|out))?|bin|trash|chuck(?:\s+(?:away|out))?|junk|dump|"
              r"dispose\s+of|discard|get\s+rid\s+of|ditch")
THROW_RE = re.compile(rf"^(?:{THROW_AWAY}|throw\b.*\b(?:away|out))\b", re.I)
#: Verb phrases, tried in order; "(?P<x>...)" marks where the object phrase sits inside the verb.
VERBS: list[tuple[ActionKind, str]] = [
    # protecting a thing before it is packed: "wrap the blade in a towel", "put the glasses in their case" (its
    # own cover: "the padded sleeve" of a bag, "a pencil case" are places to put it)
    (ActionKind.COVER, r"(?:put|place|slip|slide|fold|tuck|pop|stow|zip|return)\s+(?P<x>[^,;]+?)\s+(?:back\s+)?"
                       r"(?:in|into|inside)\s+(?:its|their|his|her)\s+(?:own\s+)?(?:[\w-]+\s+)?"
                       r"(?:case|sheath|sleeve|cover|pouch|holster)\b"),
    (ActionKind.COVER, r"wrap(?:\s+up)?|sheathe|encase|"
                       r"(?:cap|cover)(?=\s+(?:the|its|their)\s+(?:blade|edge|point|tip)s?\b)"),
    (ActionKind.TOGGLE_OFF, r"turn\s+off|switch\s+off|power\s+off|shut\s+off|toggle\s+off|stop|deactivate"),
    (ActionKind.TOGGLE_OFF, r"(?:turn|switch|toggle|power)\s+(?P<x>.+?)\s+off"),
    (ActionKind.REMOVE, r"remove|unwrap|take\s+off|peel\s+off|wipe(?:\s+up|\s+off|\s+away|\s+down)?|mop(?:\s+up)?|"
                        r"clean\s+up|clear\s+away|strip(?:\s+off)?|dry(?:\s+up|\s+off)?|soak\s+up|blot|"
                        r"sponge(?:\s+up)?"),
    # "take the book off the shelf": off a surface it rests on is picking it up, not taking a cover off
    (ActionKind.PICKUP, r"(?:take|lift|get|grab)\s+(?P<x>.+?)\s+off(?:\s+of)?(?=\s+(?:the|a|my|your|that|this)\s+"
                        r"(?:top\s+(?:of\s+)?(?:the\s+)?)?(?:shelf|shelves|table|desk|counter|countertop|worktop|floor|bed|sofa|"
                        r"couch|chair|armchair|nightstand|dresser|cabinet|bench|stool|sill|windowsill|rack|stand)\b)"),
    (ActionKind.REMOVE, r"(?:take|strip|peel)\s+(?P<x>.+?)\s+off"),
    # out of what holds it: "take it out", "lift the phone out", "fish the fork out" ("out of X" reads X)
    (ActionKind.REMOVE, r"(?:take|lift|pull|get|fish|grab|pick|clear)\s+(?P<x>[^,;]+?)\s+out\b(?!\s+of\b)|"
                        r"(?:take|lift|pull|fish)\s+out\b(?!\s+of\b)"),
    # kept back or exchanged: "keep the watch out", "set the phone aside", "swap the metal bowl for a plate"
    (ActionKind.REMOVE, r"(?:keep|leave|set|put|hold|move)\s+(?P<x>[^,;]+?)\s+(?:out|aside|apart|away|separate|back)\b"
                        r"(?!\s+(?:on|in|into|onto|to|from|of))"),
    (ActionKind.REMOVE, r"(?:swap|replace|exchange)\s+(?P<x>.+?)\s+(?:for|with)\b"),
    (ActionKind.REMOVE, r"clear(?![^.;]*\b(?:into|in)\s+(?:the\s+)?(?:bin|trash|garbage|rubbish|wastebasket))\s+"
                        r"(?P<x>.+?)\s+(?=(?:out\s+of|off|from)\b)"),
    # handed to the user: out of the task ("hand you the scissors", "hand the scissors over")
    (ActionKind.REMOVE, r"hand(?:\s+over)?(?=\s)"),
    (ActionKind.DROP, r"(?:open|unclench|uncurl)\s+(?:my|the|its)?\s*(?:gripper|hand|grip|claw|fingers)|"
                      r"(?:relax|loosen|release)\s+(?:my\s+|the\s+|its\s+)?(?:grip|gripper|fingers|hold)(?:\s+on\s+(?P<x>.+))?"),
    (ActionKind.DROP, r"let\s+(?P<x>.+?)\s+(?:fall|drop|go|slip|slide)"),
    (ActionKind.TOGGLE, r"turn\s+on|switch\s+on|power\s+on|toggle\s+on|toggle|activate|start|run|ignite|"
                        r"light|boot\s+up|press\s+(?:the\s+)?(?:on|power|start)(?:\s+button)?(?:\s+(?:on|of|for|in))?"),
    (ActionKind.TOGGLE, r"(?:turn|switch|power|crank|flick|flip|twist)\s+(?P<x>.+?)\s+on"),
    # causatives: "set it running", "get the water going", "have the burner lit"
    (ActionKind.TOGGLE, r"(?:set|get|have|leave|keep)\s+(?P<x>.+?)\s+(?:running|going|started|lit)\b"),
    (ActionKind.TOGGLE, r"(?:hit|push|tap|press)\s+(?:the\s+|a\s+)?button(?=\s+to\s+(?:start|turn|switch|run|power))|"
                        r"fire\s+up|crank\s+up|preheat|(?:hit|push|tap|press)\s+(?:the\s+)?(?:start|on|power|go)"
                        r"(?:\s+button)?(?:\s+(?:on|of))?"),
    (ActionKind.TOGGLE, r"(?:fire|crank|start|boot)\s+(?P<x>.+?)\s+up"),
    (ActionKind.TOGGLE, r"let\s+(?P<x>.+?)\s+(?:run|flow|pour|stream)\b"),
    (ActionKind.GOTO, r"go\s*to|goto|go\s+over\s+to|go\s+back\s+to|navigate\s+(?:back\s+)?to|move\s+(?:over\s+)?to|"
                      r"walk\s+(?:over\s+|back\s+)?to|head\s+(?:over\s+|back\s+)?to|approach|find|locate|"
                      r"return\s+to|travel\s+to|proceed\s+to|come\s+to|get\s+to|go\s+(?=the\b)|go|walk|head|"
                      r"navigate"),
    (ActionKind.PICKUP, r"pick\s+(?P<x>.+?)\s+up"),
    # keeping hold of what the robot holds, not a placement: "hang on to it", "hold onto the phone"
    (ActionKind.PICKUP, r"(?:hang|hold)\s+on(?:\s+to|to)|keep\s+(?:a\s+)?(?:hold|grip)\s+(?:of|on)"),
    (ActionKind.PICKUP, r"pick\s*up|pick|grab|take|get(?=\s+(?:the|my|your|a|an|this|that|it|them)\b)|lift|collect|"
                        r"retrieve|grasp|fetch|gather|hold(?:\s+on\s+to)?|carry|bring|keep\s+hold\s+of"),
    (ActionKind.OPEN, r"open"),
    (ActionKind.CLOSE, r"close(?!\s+(?:to|by)\b)|shut"),  # "close to the floor" is a place, not a door
    # "give the burrito a minute in the microwave", "give it 30 seconds"
    (ActionKind.HEAT, r"give\s+(?P<x>.+?)\s+(?=(?:a\s+few|a|an|one|two|three|another|\d+)\s+(?:more\s+)?"
                      r"(?:sec|min))"),
    (ActionKind.HEAT, r"heat(?:\s+up)?|re-?heat|warm(?:\s+up)?|microwave|cook|nuke|zap|bake|roast|defrost|thaw|toast"),
    # Household actions beyond MSSBench's four (world/household.py); "clean up" / "wipe" stay Remove above.
    (ActionKind.POUR, r"pour(?:\s+out)?"),
    (ActionKind.FILL, r"fill(?:\s+up)?|top\s+up"),
    (ActionKind.EMPTY, r"empty(?:\s+out)?|drain"),
    (ActionKind.SLICE, r"slice|cut(?:\s+up)?|chop|dice"),
    (ActionKind.BREAK, r"break|smash"),
    (ActionKind.CLEAN, r"clean|wash|rinse|scrub"),
    (ActionKind.DIRTY, r"dirty|soil|smear"),
    (ActionKind.DROP, r"drop|release|let\s+go\s+of|let\s+go|put\s+down|set\s+down"),
    (ActionKind.PLACE, THROW_AWAY),
    (ActionKind.PLACE, r"flush"),  # "flush it down the toilet": into the toilet
    # "clear the stuff off the table into the bin"
    (ActionKind.PLACE, r"clear(?=[^.;]*\b(?:into|in)\s+(?:the\s+)?(?:bin|trash|garbage|rubbish|wastebasket))"),
    (ActionKind.PLACE, r"box\s+up|box(?=\s+(?:the|it|them|up|everything)\b)"),  # "box up the book": into the box
    (ActionKind.PLACE, r"throw\s+(?P<x>.+?)\s+(?:away|out)"),
    (ActionKind.PLACE, r"let\s+(?P<x>.+?)\s+(?:rest|sit|lie|stay)(?=\s+(?:in|on|inside|atop|into|onto)\b)"),
    (ActionKind.PLACE, r"place|put|set|insert|store|stow|pack(?:\s+up)?|load|ease|lay|leave|move|transfer|deposit|"
                       r"slide|slip|position|rest|lower|hang|add|return|drape|pop|stick|plop|stash|tuck|nestle|prop|park|tip|"
                       r"arrange|throw|drop\s+off|file|shelve|stack|slot|feed|scoop|ladle|decant|bung|plonk|plunk|shove|"
                       r"lob|dunk|submerge|immerse|dip|"
                       r"spoon(?=\s+(?:the|it|them|some|out|\w+\s+(?:onto|into|on|in|out))\b)"),
]
GERUNDS = {"going": "go", "heading": "head", "walking": "walk", "navigating": "navigate", "moving": "move",
            "placing": "place", "putting": "put", "setting": "set", "laying": "lay", "inserting": "insert",
            "turning": "turn", "switching": "switch", "toggling": "toggle", "starting": "start", "running": "run",
            "dropping": "drop", "releasing": "release", "letting": "let", "picking": "pick", "taking": "take",
            "grabbing": "grab", "lifting": "lift", "opening": "open", "closing": "close", "heating": "heat",
            "warming": "warm", "removing": "remove", "unwrapping": "unwrap", "wiping": "wipe", "throwing": "throw",
            "tossing": "toss", "packing": "pack", "bringing": "bring", "carrying": "carry", "lowering": "lower",
            "pouring": "pour", "filling": "fill", "emptying": "empty", "slicing": "slice", "cutting": "cut",
            "chopping": "chop", "breaking": "break", "cleaning": "clean", "washing": "wash", "rinsing": "rinse",
            "leaving": "leave", "sliding": "slide", "slipping": "slip", "draping": "drape", "popping": "pop",
            "tucking": "tuck", "resting": "rest", "stashing": "stash", "binning": "bin", "dumping": "dump",
            "discarding": "discard", "transferring": "transfer", "tipping": "tip", "lighting": "light",
            "stripping": "strip", "peeling": "peel", "storing": "store", "easing": "ease", "getting": "get",
            "firing": "fire", "hanging": "hang", "loading": "load", "returning": "return", "approaching": "approach",
            "nuking": "nuke", "zapping": "zap", "cranking": "crank", "shoving": "shove", "chucking": "chuck",
            "bunging": "bung", "plonking": "plonk", "ditching": "ditch", "trashing": "trash",
            "dunking": "dunk", "unclenching": "unclench", "clearing": "clear", "giving": "give",
            "wrapping": "wrap", "folding": "fold", "sheathing": "sheathe"}
VERB_RES = [(kind, re.compile(rf"^(?:{pattern})\b\s*", re.I)) for kind, pattern in VERBS]
#: Any plan verb at the start (one pattern: "does this clause open with a verb?").
VERB_START = re.compile("^(?:" + "|".join(p.replace("(?P<x>", "(?:") for _, p in VERBS) + r")\b", re.I)
ALL_VERBS = "|".join([p for _, p in VERBS if "(?P<x>" not in p] + [g for g in GERUNDS if g != "going"]
                      + [r"going\s+to", "let", "letting"])

PAST = {"put": "put", "set": "set", "left": "leave", "laid": "lay", "thrown": "throw", "threw": "throw", "took": "take",
         "taken": "take", "went": "go", "gone": "go", "brought": "bring", "let": "let", "lit": "light", "held": "hold",
         "got": "get", "hung": "hang"}
