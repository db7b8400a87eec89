"""Plan steps written in another language without the action vocabulary ("1. Aller au micro-ondes",
"2. 把叉子放进微波炉"): a small lexicon of the task verbs and the household nouns in French, Spanish,
German, Chinese, Japanese and Korean, mapped onto the actions and catalogue types.

Why: models answer in the user's language, and a plan is still a plan. A step is read only when a
verb of the lexicon and the nouns it needs are both there; the world then checks it like any other.
Latin-script words match on word starts, CJK words anywhere (longest first, so 放下 "put down" is a
drop and not 放 "put").
"""

from __future__ import annotations

import re

from mss_embodied.world.actions import Action, ActionKind
from mss_embodied.world.catalog import CATALOG

#: Verbs by action, tried in this order (a drop before a place: "laisser tomber", 放下).
VERBS: tuple[tuple[ActionKind, tuple[str, ...]], ...] = (
    (ActionKind.DROP, ("lâcher", "lâche", "laisser tomber", "relâcher", "soltar", "suelta", "dejar caer",
                       "fallen lassen", "loslassen", "松开", "放下", "扔下", "松手", "離す", "落とす", "手を離",
                       "떨어뜨", "내려놓", "놓아")),
    (ActionKind.TOGGLE, ("allumer", "allume", "démarrer", "démarre", "mettre en marche", "encender", "enciende",
                         "prender", "poner en marcha", "einschalten", "anschalten", "anmachen", "starten", "aufdrehen",
                         "打开", "启动", "开启", "开动", "スイッチを入れ", "電源を入れ", "起動", "つける", "켜",
                         "작동")),
    (ActionKind.HEAT, ("réchauffer", "chauffer", "calentar", "aufwärmen", "erwärmen", "erhitzen", "加热", "热一下",
                       "温め", "加熱", "데우", "데워")),
    (ActionKind.PICKUP, ("prendre", "prends", "ramasser", "saisir", "tomar", "coger", "agarrar", "recoger", "nehmen",
                         "nimm", "aufheben", "拿起", "拿", "取出", "端起", "拾起", "持つ", "持って", "取る", "取り出",
                         "手に取", "들어", "집어", "꺼내")),
    (ActionKind.PLACE, ("poser", "pose", "mettre", "mets", "placer", "ranger", "déposer", "poner", "pon", "colocar",
                        "dejar", "meter", "guardar", "legen", "lege", "stellen", "stelle", "packen", "packe",
                        "einpacken", "放进", "放入", "放在", "放到", "装进", "放", "置く", "置き", "入れる",
                        "入れ", "しまう", "놓", "넣", "두기", "두다")),
    (ActionKind.GOTO, ("aller", "va ", "vais", "se rendre", "rendre", "marcher", "approcher", "diriger", "ir ", "ir a",
                       "voy", "dirigirse", "caminar", "acercarse", "gehen", "gehe", "laufen", "begeben", "走到",
                       "走去", "去", "前往", "走向", "移动到", "回到", "行く", "行き", "移動", "向かう", "向かい",
                       "이동", "가서", "가기", "간다", "걸어")),
)
#: Household nouns by catalogue type.
NOUNS: dict[str, tuple[str, ...]] = {
    "Microwave": ("micro-ondes", "microondas", "mikrowelle", "微波炉", "電子レンジ", "전자레인지"),
    "DiningTable": ("table", "mesa", "tisch", "桌子", "餐桌", "テーブル", "식탁", "테이블"),
    "SinkBasin": ("évier", "lavabo", "fregadero", "spüle", "waschbecken", "水槽", "水池", "洗手池", "シンク", "流し",
                  "싱크대", "세면대"),
    "StoveBurner": ("cuisinière", "plaque", "brûleur", "estufa", "fogón", "hornilla", "herdplatte", "herd", "炉灶",
                    "灶台", "燃气灶", "コンロ", "가스레인지", "버너"),
    "Oven": ("four", "horno", "backofen", "ofen", "烤箱", "オーブン", "오븐"),
    "Bed": ("lit", "cama", "bett", "ベッド", "침대"),
    "Sofa": ("canapé", "sofá", "sofa", "沙发", "ソファ", "소파"),
    "ArmChair": ("fauteuil", "sillón", "sessel", "扶手椅", "安乐椅", "肘掛け椅子", "안락의자"),
    "Chair": ("chaise", "silla", "stuhl", "椅子", "의자"),
    "GarbageCan": ("poubelle", "cubo de basura", "basura", "mülleimer", "abfalleimer", "垃圾桶", "ゴミ箱", "쓰레기통"),
    "Bag": ("sac", "bolsa", "mochila", "tasche", "rucksack", "书包", "背包", "包里", "バッグ", "かばん", "鞄", "가방"),
    "Desk": ("bureau", "escritorio", "schreibtisch", "书桌", "책상"),
    "Toilet": ("toilettes", "inodoro", "toilette", "马桶", "便器", "トイレ", "변기"),
    "Fridge": ("frigo", "réfrigérateur", "nevera", "refrigerador", "kühlschrank", "冰箱", "冷蔵庫", "냉장고"),
    "CounterTop": ("plan de travail", "comptoir", "encimera", "arbeitsplatte", "台面", "操作台", "調理台", "조리대"),
    "Faucet": ("robinet", "grifo", "wasserhahn", "水龙头", "蛇口", "수도꼭지", "수도"),
    "Fork": ("fourchette", "tenedor", "gabel", "叉子", "フォーク", "포크"),
    "Knife": ("couteau", "cuchillo", "messer", "刀", "ナイフ", "칼"),
    "Spoon": ("cuillère", "cuchara", "löffel", "勺子", "スプーン", "숟가락"),
    "CellPhone": ("téléphone", "portable", "teléfono", "móvil", "handy", "telefon", "手机", "携帯", "スマホ", "휴대폰",
                  "핸드폰"),
    "Book": ("livre", "libro", "buch", "书", "책"),
    "Laptop": ("ordinateur portable", "portátil", "laptop", "笔记本电脑", "ノートパソコン", "노트북"),
    "CreditCard": ("carte bancaire", "carte de crédit", "tarjeta", "kreditkarte", "信用卡", "银行卡", "カード", "카드"),
    "Watch": ("montre", "reloj", "armbanduhr", "uhr", "手表", "腕時計", "시계"),
    "RemoteControl": ("télécommande", "mando", "fernbedienung", "遥控器", "リモコン", "리모컨"),
    "Bread": ("pain", "brot", "面包", "パン", "빵"),
    "Apple": ("pomme", "manzana", "apfel", "苹果", "りんご", "林檎", "사과"),
    "Towel": ("serviette", "torchon", "toalla", "handtuch", "毛巾", "タオル", "수건"),
    "Bowl": ("bol", "tazón", "schüssel", "碗", "ボウル", "그릇"),
    "Plate": ("assiette", "plato", "teller", "盘子", "お皿", "皿", "접시"),
    "Meal": ("repas", "comida", "essen", "饭", "ご飯", "料理", "음식", "밥"),
    "Burrito": ("burrito", "ブリトー", "부리토", "卷饼"),
    "Newspaper": ("journal", "periódico", "zeitung", "报纸", "新聞", "신문"),
    "Doll": ("poupée", "muñeca", "puppe", "娃娃", "人形", "인형"),
    "Egg": ("œuf", "huevo", "鸡蛋", "卵", "달걀", "계란"),
}


def _pattern(words: tuple[str, ...], inflected: str) -> re.Pattern[str]:
    """Latin words from a word start with ``inflected`` endings, CJK words anywhere; longest first."""
    latin = sorted((w for w in words if not _CJK.search(w)), key=len, reverse=True)
    cjk = sorted((w for w in words if _CJK.search(w)), key=len, reverse=True)
    parts = [rf"(?<![\w-]){re.escape(w.strip())}" + (r"(?!\w)" if w.endswith(" ") else inflected) for w in latin]
    parts += [re.escape(w) for w in cjk]
    return re.compile("|".join(parts), re.I)


_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af]")
_VERB_RES = [(kind, _pattern(words, r"\w*")) for kind, words in VERBS]  # conjugated forms
_NOUN_RES = [(type_name, _pattern(words, r"(?:s|x|es|en|n|e)?(?!\w)")) for type_name, words in NOUNS.items()]
#: A negation or refusal in the sentence: its verbs are not steps ("我不能把遥控器放进水槽里").
NEGATION = re.compile(r"不|没|別|别|勿|않|못|ない|ません|できな|(?<![\w-])(?:nicht|kein\w*|pas|jamais|nunca|nie|ne|no)"
                      r"(?![\w-])", re.I)


def _nouns(text: str) -> list[str]:
    """Catalogue types named in ``text``, in order of appearance, longest match first."""
    found: list[tuple[int, int, str]] = []
    for type_name, regex in _NOUN_RES:
        found += [(m.start(), m.end(), type_name) for m in regex.finditer(text)]
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[str] = []
    end = -1
    for start, stop, type_name in found:
        if start >= end:
            out.append(type_name)
            end = stop
    return out


def nouns(text: str) -> tuple[str, ...]:
    return tuple(_nouns(text))


def foreign_action(text: str) -> Action | None:
    """One plan step in another language to an action, or None when no verb of the lexicon is
    there or the verb lacks what it needs (a place to go to, a place to put something)."""
    for kind, regex in _VERB_RES:
        if not regex.search(text):
            continue
        nouns = _nouns(text)
        places = [n for n in nouns if not CATALOG.get(n).portable or n == "Bag"]
        things = [n for n in nouns if n not in places]
        if kind is ActionKind.GOTO:
            return Action(kind, target=places[0], text=text) if places else None
        if kind is ActionKind.PLACE:
            if not places:
                return None
            return Action(kind, target=places[-1], obj=things[0] if things else None, text=text)
        if kind is ActionKind.TOGGLE:
            devices = [n for n in places if "toggleable" in CATALOG.get(n).traits]
            return Action(kind, target=devices[0] if devices else None, text=text)
        if kind in (ActionKind.DROP, ActionKind.PICKUP, ActionKind.HEAT):
            return Action(kind, obj=things[0] if things else None, text=text)
    return None
