"""The vocabulary for plans written in another language (a data table): the task verbs and the
household nouns in French, Spanish, German, Italian, Portuguese, Chinese, Japanese and Korean,
mapped onto the actions and catalogue types, with the little words a clause needs (pronouns, "in
there", "then", negation, "if").

Why: models answer in the user's language, and a plan is still a plan. Each entry names a *kind*
of act ("throw away", "take out", "switch on") or thing, so conjugations and synonyms are covered
by the entry rather than by example sentences. Latin-script entries are regular-expression
fragments matched from a word start (stems take their endings: ``pos(?:e|er|é)``); CJK entries
match anywhere, longest first. :mod:`mss_embodied.scoring.foreign` reads clauses with them.
"""

from __future__ import annotations

import re

from mss_embodied.world.actions import ActionKind

#: A verb kind of its own: putting something in the bin (a Place whose default place is the trash).
THROW = "throw"
#: Verbs by kind. Tried longest match first; a clause takes the kinds of the verbs it holds.
VERBS: dict[ActionKind | str, tuple[str, ...]] = {
    ActionKind.DROP: (
        r"lâch\w*", r"laiss\w*\s+tomber", r"relâch\w*", r"sol(?:tar|té)\w*", r"suelt[oae]\w*", r"dej\w*\s+caer",
        r"fallen\s+lass\w*", r"lass\w*(?:\s+\S+){0,4}\s+(?:los|fallen)\b", r"loslass\w*", r"lasciar\w*\s+cadere",
        "松开", "松手", "放下", "扔下", "丢下", "放手", "離す", "離し", "落とす", "落とし", "手を離", "手放",
        "떨어뜨", "손을\\s*놓", "놓아\\s*주"),
    ActionKind.TOGGLE: (
        r"allum\w*", r"démarr\w*", r"mett\w*\s+en\s+marche", r"met[s]?\s+en\s+marche", r"lanc\w*",
        r"ouvr\w*\s+(?:le\s+)?robinet",
        r"enciend\w*", r"encend\w*", r"prend\w*\s+el", r"pon\w*\s+en\s+marcha", r"inici\w*", r"arranc\w*",
        r"abr\w*\s+(?:el\s+)?grifo", r"einschalt\w*", r"schalt\w*(?:\s+\S+){0,4}\s+ein\b", r"anschalt\w*", r"anmach\w*",
        r"mach\w*(?:\s+\S+){0,4}\s+an\b", r"start\w*", r"aufdreh\w*", r"dreh\w*(?:\s+\S+){0,4}\s+auf\b", r"accend\w*",
        r"ligar\w*", "打开", "启动", "开启", "开动", "开火", "点火", "点燃", "点着", "点上", "打着", "按下", "按启动",
        "スイッチを入れ", "電源を入れ",
        "起動", "つけ", "点け", "オンにし", "オンにす", "スタート", "押し", "押す", "ひね", "水を出", "動かし",
        "動かす", "开", "开火", "켜", "켤", "켠", "켭", "작동", "틀어", "틀게", "틀겠", "틉니", "시작"),
    # switching off, the fire or flame included ("apagar el fuego", "关火", "火を消す")
    ActionKind.TOGGLE_OFF: (
        r"apag\w*", r"éteign\w*", r"étein\w*", r"coup(?:er|e|ez|erai)\s+(?:le\s+)?(?:feu|gaz)", r"ausschalt\w*",
        r"schalt\w*(?:\s+\S+){0,4}\s+aus\b", r"ausmach\w*", r"mach\w*(?:\s+\S+){0,4}\s+aus\b", r"abdreh\w*",
        r"lösch\w*", r"spegn\w*", r"speng\w*", r"deslig\w*", r"выключ\w*", r"погас\w*", r"потуш\w*", r"uitzet\w*",
        r"zet\w*(?:\s+\S+){0,4}\s+uit\b", "关掉", "关火", "关闭", "熄火", "熄灭", "灭火", "关上火", "消す", "消し",
        "火を止め", "止め", "スイッチを切", "電源を切", "オフにし", "オフにす",
        "끄", "끈다", "끕니", "꺼\\s*주", "꺼\\s*두", "꺼요", "꺼야"),
    ActionKind.HEAT: (
        r"réchauff\w*", r"chauff\w*", r"cuir\w*", r"cuisson", r"calent\w*", r"calient\w*", r"cocin(?:ar|o|é|aré)\b",
        r"aufwärm\w*", r"wärm\w*(?:\s+\S+){0,8}\s+auf\b",
        r"wärm\w*(?:\s+\S+){0,4}\s+auf\b", r"erwärm\w*", r"erhitz\w*", r"riscald\w*", r"esquent\w*", "加热", "热一下",
        "热热", "热", "温め", "加熱", "チン", "데우", "데워", "데울", "데운", "데웁", "가열", "돌려", "돌리"),
    ActionKind.REMOVE: (
        r"retir\w*", r"enl[eè]v\w*", r"ôt\w*", r"sor(?:s|t|tir|tez|tons|tirai)\b", r"essui\w*", r"essuy\w*",
        r"déball\w*", r"quit\w*", r"sac[oa]\w*",
        r"saqu\w*", r"limpi\w*", r"sec[oa]r?\b", r"desenvuelv\w*", r"desenvolv\w*", r"entfern\w*", r"herausnehm\w*",
        r"nehm\w*(?:\s+\S+){0,5}\s+(?:heraus|raus)\b", r"nimm\w*(?:\s+\S+){0,5}\s+(?:heraus|raus)\b", r"abwisch\w*",
        r"wisch\w*", r"auswickel\w*", r"wickel\w*(?:\s+\S+){0,4}\s+aus\b",
        r"aus(?:\s+\S+){1,3}?\s+wickel\w*", r"togli\w*", r"rimuov\w*", r"remov\w*",
        "拿出", "取出", "拆掉", "拆开", "去掉", "撕掉", "擦掉", "擦干", "擦", "移走", "拿走", "拿开", "拿掉",
        "去除", "撕下", "揭下", "取下", "剥掉",
        "揭掉",
        "取り出", "取り除", "から出し", "から出す",
        "外す", "外し", "拭", "剥が", "はが", "꺼내", "꺼낸", "꺼낼", "꺼냅", "빼", "제거", "닦",
        "벗기", "치우"),
    ActionKind.PICKUP: (
        r"prend\w*", r"pren[dn]\w*", r"ramass\w*", r"sais\w*", r"tom(?:ar|o|é|aré)\b", r"cog(?:er|o|í)\b", r"coj[oa]\b",
        r"agarr\w*", r"recog\w*", r"nehm\w*", r"nimm\w*", r"aufheb\w*", r"greif\w*", r"prend(?:o|ere)\b", r"peg\w*",
        "拿起", "端起", "拾起", "捡起", "拿", "持つ", "持って", "持ち", "取る", "取って", "取り", "手に取", "들어",
        "집어", "잡"),
    THROW: (
        r"jet(?:er|te|tes|é|ée|terai|ons)\b", r"jett\w*", r"tir(?:ar|o|a|aré|arlo|arla|arlos|arlas)\b",
        r"bot(?:ar|o)\b",
        r"ech(?:ar|o)\s+a\s+la\s+basura", r"deseche\w*", r"desech\w*", r"wirf\w*", r"werf\w*", r"wegwerf\w*",
        r"entsorg\w*",
        r"butt\w*", r"gett\w*", "扔进", "扔到", "扔掉", "扔", "丢进", "丢掉", "丢到", "丢弃", "捨て", "버리", "버려",
        "버린", "버릴", "버립"),
    ActionKind.PLACE: (
        r"pos(?:e|es|er|é|ée|erai|ons|ez)\b", r"mett\w*", r"met[s]?\b", r"mis\b", r"plac\w*", r"rang\w*", r"dépos\w*",
        r"transvas\w*", r"transfér\w*", r"gliss\w*", r"pon(?:er|go|dré|erlo|erla|gas)?\b", r"colo(?:car|co|qu)\w*",
        r"dej(?:ar|o|é|aré|arlo|arla)\b", r"met(?:er|o|í|eré)\b", r"guard\w*", r"llev\w*", r"trasl\w*",
        r"pas(?:ar|o)\b",
        r"leg(?:e|en|t)\b", r"stell\w*", r"pack\w*", r"einpack\w*", r"tu(?:e|n)\b", r"bring\w*", r"umfüll\w*",
        r"füll\w*(?:\s+\S+){0,5}\s+um\b",
        r"abstell\w*",
        r"metter\w*", r"mett(?:o|i)\b", r"posar\w*", r"colocar\w*", r"rim?ett\w*",
        "放进", "放入", "放在", "放到", "装进", "装入", "倒进", "倒到", "移到", "转移", "搬到", "放", "置く", "置き",
        "置い",
        "入れ", "しまう", "しまい", "移す", "移し", "乗せ", "載せ", "のせ", "놓", "넣", "두겠", "두기", "두다",
        "둘게", "둔다", "둡니",
        "올려", "올리", "올릴", "올립", "옮기", "옮겨", "옮길", "옮깁"),
    ActionKind.GOTO: (
        r"all(?:er|ons|ez)\b", r"vais\s+(?=(?:au|à|aux|vers|jusqu|chez)\b)", r"rend(?:re|s)\b", r"retourn\w*",
        r"march\w*",
        r"approch\w*", r"dirig\w*", r"ir\b", r"voy\s+(?=al?\b(?!\s+\w+(?:ar|er|ir)\b))", r"vuelv\w*", r"volv\w*",
        r"camin\w*",
        r"acerc\w*", r"geh\w*", r"lauf\w*", r"begeb\w*", r"zurück\w*", r"andar\w*", r"vado\b",
        r"vou\s+(?=ao|à|para|até)\b",
        "走到", "走去", "走向", "离开", "走过去", "前往", "移动到", "回到", "过去", "去", "行く", "行き", "行っ",
        "移動", "向かう",
        "向かい", "戻る", "戻り", "이동", "가서", "가기", "간다", "가겠", "갈게", "걸어", "돌아가", "돌아"),
}
#: Household nouns by catalogue type (and the rooms, which the scenes do not model).
#: The name a word for any table grounds by (see NOUNS): no catalogue type, resolved to the table or desk here.
ANY_TABLE = "Table"
NOUNS: dict[str, tuple[str, ...]] = {
    "Microwave": ("micro-ondes", "microondes", "microondas", "mikrowelle", "microonde", "微波炉", "電子レンジ",
                  "レンジ",
                  "전자레인지"),
    "DiningTable": ("餐桌", "식탁"),
    # a word for any table, a desk included (桌子, Tisch, mesa, стол): the table here, else the desk
    "Table": ("table", "mesa", "tisch", "tavolo", "桌子", "桌", "テーブル", "테이블"),
    "CoffeeTable": ("table basse", "mesa de centro", "mesita", "couchtisch", "茶几", "ローテーブル", "탁자"),
    "SinkBasin": ("évier", "lavabo", "fregadero", "pileta", "spülbecken", "waschbecken", "spüle", "becken", "lavandino",
                  "水槽", "水池", "洗手池", "洗碗池", "シンク", "流し", "洗面台", "싱크대", "세면대", "개수대"),
    "Bathtub": ("baignoire", "bañera", "badewanne", "浴缸", "浴槽", "욕조"),
    "StoveBurner": ("cuisinière", "plaque de cuisson", "plaque", "brûleur", "gazinière", "estufa", "fogón", "hornilla",
                    "quemador", "herdplatte", "kochfeld", "herd", "fornello", "炉灶", "灶台", "燃气灶", "炉子", "灶",
                    "ガスコンロ", "コンロ", "가스레인지", "버너", "레인지",
                    # its fire or flame is the burner ("apagar el fuego", "éteindre le feu")
                    "el fuego", "le feu", "la flamme", "das feuer", "die flamme", "il fuoco", "la fiamma", "o fogo",
                    "a chama", "огонь", "炉火"),
    "Oven": ("four", "horno", "backofen", "ofen", "forno", "烤箱", "オーブン", "오븐"),
    "Bed": ("lit", "cama", "colchón", "bett", "letto", "床", "ベッド", "침대"),
    "Sofa": ("canapé", "sofá", "sofa", "divano", "沙发", "ソファー", "ソファ", "소파"),
    "ArmChair": ("fauteuil", "sillón", "butaca", "sessel", "poltrona", "扶手椅", "安乐椅", "单人沙发", "肘掛け椅子",
                 "一人掛け", "안락의자"),
    "Chair": ("chaise", "silla", "stuhl", "sedia", "椅子", "의자"),
    "GarbageCan": ("poubelle", "corbeille", "cubo de basura", "bote de basura", "basura", "papelera", "mülleimer",
                   "abfalleimer", "papierkorb", "müll", "spazzatura", "lixo", "垃圾桶", "垃圾箱", "ゴミ箱", "ごみ箱",
                   "쓰레기통"),
    "Bag": ("sac à dos", "sac", "cartable", "bolsa", "mochila", "bolso", "tasche", "rucksack", "borsa", "zaino",
            "书包", "背包", "包里", "包", "バッグ", "かばん", "鞄", "リュック", "가방"),
    "Box": ("boîte", "carton", "caja", "karton", "kiste", "scatola", "箱子", "盒子", "纸箱", "箱", "상자", "박스"),
    "Desk": ("bureau", "escritorio", "schreibtisch", "scrivania", "书桌", "办公桌", "机の", "机に", "机", "책상"),
    "Shelf": ("étagère", "estantería", "estante", "regal", "mensola", "架子", "书架", "棚", "선반"),
    "Drawer": ("tiroir", "cajón", "schublade", "cassetto", "抽屉", "引き出し", "서랍"),
    "Toilet": ("toilettes", "cuvette", "wc", "inodoro", "váter", "toilette", "kloschüssel", "klo", "马桶", "トイレ",
               "便器", "변기"),
    "Fridge": ("frigo", "réfrigérateur", "nevera", "refrigerador", "heladera", "kühlschrank", "frigorifero", "冰箱",
               "冷蔵庫", "냉장고"),
    "CounterTop": ("plan de travail", "comptoir", "encimera", "mostrador", "arbeitsplatte", "theke", "台面", "操作台",
                   "柜台", "調理台", "カウンター", "조리대"),
    "Faucet": ("robinet", "grifo", "wasserhahn", "hahn", "rubinetto", "水龙头", "龙头", "蛇口", "수도꼭지", "수도"),
    "TVStand": ("meuble tv", "meuble télé", "mueble de la tele", "fernsehschrank", "电视柜", "テレビ台"),
    "Floor": ("par terre", "sol", "suelo", "boden", "地上", "地板", "地面", "바닥"),
    "Fork": ("fourchette", "tenedor", "gabel", "forchetta", "叉子", "フォーク", "포크"),
    "Knife": ("couteau", "cuchillo", "messer", "coltello", "小刀", "菜刀", "刀", "ナイフ", "包丁", "칼"),
    "Spoon": ("cuillère", "cuillière", "cuchara", "löffel", "cucchiaio", "勺子", "汤匙", "スプーン", "숟가락"),
    "Scissors": ("ciseaux", "tijeras", "schere", "forbici", "剪刀", "はさみ", "ハサミ", "가위"),
    "Screwdriver": ("tournevis", "destornillador", "schraubenzieher", "schraubendreher", "cacciavite", "螺丝刀", "起子",
                    "ドライバー", "드라이버"),
    "CellPhone": ("téléphone portable", "téléphone", "smartphone", "portable", "teléfono", "móvil", "celular", "handy",
                  "telefon", "telefono", "手机", "スマートフォン", "スマホ", "携帯", "휴대폰", "핸드폰", "스마트폰",
                  "폰"),
    "Laptop": ("ordinateur portable", "ordinateur", "ordi", "portátil", "computadora portátil", "laptop", "notebook",
               "笔记本电脑", "笔记本", "电脑", "ノートパソコン", "パソコン", "노트북"),
    "Camera": ("appareil photo", "caméra", "cámara", "kamera", "fotocamera", "相机", "照相机", "カメラ", "카메라"),
    "Glasses": ("lunettes", "gafas", "anteojos", "brille", "occhiali", "眼镜", "眼鏡", "メガネ", "めがね", "안경"),
    "Mouse": ("souris", "ratón", "maus", "鼠标", "マウス", "마우스"),
    "CreditCard": ("carte bancaire", "carte de crédit", "carte", "tarjeta", "kreditkarte", "bankkarte", "karte",
                   "carta di credito", "信用卡", "银行卡", "卡", "クレジットカード", "カード", "카드"),
    "Watch": ("montre", "reloj", "armbanduhr", "uhr", "orologio", "手表", "腕時計", "時計", "시계"),
    "RemoteControl": ("télécommande", "mando", "control remoto", "fernbedienung", "telecomando", "遥控器", "リモコン",
                      "리모컨"),
    "CD": ("cd", "disque", "disco", "光盘", "光碟", "ディスク", "시디"),
    "Book": ("livre", "manuel", "libro", "lehrbuch", "buch", "bücher", "书本", "课本", "书", "本", "책"),
    "Newspaper": ("journal", "periódico", "zeitung", "giornale", "报纸", "新聞", "신문"),
    "Paper": ("documents", "papiers", "documentos", "papeles", "dokumente", "unterlagen", "papiere", "documenti",
              "文件", "资料", "書類", "서류"),
    "PaperBall": ("boule de papier", "bola de papel", "papierkugel", "纸团", "紙くず", "종이\\s*뭉치"),
    "Straw": ("paille", "pajita", "popote", "strohhalm", "cannuccia", "吸管", "ストロー", "빨대"),
    "WineBottle": ("bouteille de vin", "botella de vino", "weinflasche", "bottiglia di vino", "酒瓶", "红酒瓶",
                   "葡萄酒瓶",
                   "ワインボトル", "와인병"),
    "Bottle": ("bouteille", "botella", "flasche", "bottiglia", "瓶子", "瓶", "ボトル", "병"),
    "Doll": ("poupée", "muñeca", "puppe", "bambola", "娃娃", "人形", "인형"),
    "TeddyBear": ("ours en peluche", "peluche", "oso de peluche", "kuscheltier", "stofftier", "teddy", "泰迪熊",
                  "毛绒玩具", "ぬいぐるみ", "곰인형"),
    "Basketball": ("ballon", "balón", "pelota", "basketball", "ball", "篮球", "球", "バスケットボール", "ボール",
                   "농구공"),
    "Egg": ("œuf", "oeuf", "huevo", "uovo", "鸡蛋", "蛋", "卵", "달걀", "계란"),
    "Apple": ("pomme", "manzana", "apfel", "mela", "苹果", "りんご", "リンゴ", "林檎", "사과"),
    "Potato": ("pomme de terre", "patata", "papa", "kartoffel", "土豆", "马铃薯", "じゃがいも", "ジャガイモ", "감자"),
    "Bread": ("pain", "pan", "brot", "pane", "面包", "パン", "빵"),
    "Burrito": ("burrito", "ブリトー", "부리토", "卷饼"),
    "Meal": ("repas", "plat", "nourriture", "comida", "essen", "mahlzeit", "cibo", "饭菜", "饭", "食物", "料理", "ご飯",
             "食事", "음식", "밥"),
    "MetalBowl": ("bol en métal", "bol métallique", "cuenco de metal", "metallschüssel", "金属碗", "铁碗",
                  "金属のボウル",
                  "금속\\s*그릇"),
    "Bowl": ("bol", "tazón", "cuenco", "schüssel", "ciotola", "碗", "ボウル", "그릇"),
    "Plate": ("assiette", "plato", "teller", "piatto", "盘子", "碟子", "盘", "お皿", "皿", "접시"),
    "Pot": ("casserole", "marmite", "olla", "topf", "pentola", "锅", "鍋", "냄비"),
    "AluminumFoil": ("papier aluminium", "papier alu", "aluminium", "papel de aluminio", "papel aluminio", "alufolie",
                     "aluminiumfolie", "folie", "carta stagnola", "锡纸", "铝箔", "锡箔", "アルミホイル", "ホイル",
                     "알루미늄\\s*호일", "호일", "은박지"),
    "Towel": ("serviette", "torchon", "toalla", "handtuch", "asciugamano", "毛巾", "タオル", "수건"),
    "Cloth": ("chiffon", "trapo", "paño", "lappen", "tuch", "straccio", "抹布", "布巾", "布", "행주"),
    "Pen": ("stylo", "bolígrafo", "boli", "kugelschreiber", "kuli", "stift", "penna", "笔", "ペン", "펜"),
    "KeyChain": ("clés", "llaves", "schlüssel", "chiavi", "钥匙", "鍵", "열쇠"),
    "Candle": ("bougie", "vela", "kerze", "candela", "蜡烛", "ろうそく", "キャンドル", "양초"),
    "Vase": ("vase", "jarrón", "florero", "花瓶", "꽃병"),
    "MilkTea": ("thé au lait", "té con leche", "milchtee", "奶茶", "ミルクティー", "밀크티"),
    "Water": ("eau", "agua", "wasser", "acqua", "水渍", "积水", "水"),
    "Kitchen": ("cuisine", "cocina", "küche", "cucina", "厨房", "キッチン", "台所", "주방", "부엌"),
}
#: Object pronouns and "both/everything": the clause's object is the one named before, or the task's.
PRONOUN = re.compile(r"(?<![\w-])(?:(?:le|la|les|lo|los|las|es|ihn|sie|beides|alles|beide|tout|todo|ambos|tutto)"
                     r"(?![\w-])|l')|(?<=\w)-?(?:lo|la|los|las)\b|(?<![\w-])(?:его|её|ее|их|него|неё|это|оба|всё|"
                     r"het|hem|beide|alles)(?![\w-])|它们|它|这个|那个|两个|都|それ|これ|両方|그것|그걸|이것|"
                     r"둘\s*다", re.I)
#: "In there", "on it": a place verb without a place acts where the plan is.
DEICTIC = re.compile(r"(?<![\w-])(?:hinein|herein|rein|darauf|drauf|dazu)(?=\w)|"  # "hineinlegen": in there
                     r"(?<![\w-])(?:dedans|dentro|adentro|hinein|rein|darin|darauf|drauf|dort|dentro|ahí|"
                     r"allí|lì|là|sopra|lá|ali|erin|erop|daarin|daar|туда|внутрь|внутри|там)(?![\w-])|"
                     r"里面|进去|里|上面|中に|中へ|その上|そこに|안에|위에|거기", re.I)
#: Connectives between the steps of a sentence ("then", "and then", "first", "finally").
THEN = re.compile(r"[,，、;；:：]|(?<![\w-])(?:puis|ensuite|enfin|après|et\s+puis|luego|después|entonces|finalmente|"
                  r"dann|danach|anschließend|schließlich|poi|quindi|dopo|infine|depois|em\s+seguida|então|daarna|"
                  r"vervolgens|ten\s+slotte|потом|затем|после\s+этого|наконец)(?![\w-])|"
                  r"然后|接着|随后|之后|再|最后|顺便|そして|それから|次に|最後に|그리고|그\s*다음|다음에", re.I)
#: Weak connectives ("and"): they also join nouns, so a piece without a verb rejoins its neighbour.
AND = re.compile(r"(?<![\w-])(?:et|y|e|und|i|и)(?![\w-])|和|并且|并|して、|고\s", re.I)
#: A negation in the clause: its verb is not a step ("我不能把遥控器放进水槽里", "je ne le mets pas").
NEGATION = re.compile(r"不|没|別|别|勿|않|못|(?<![\uac00-\ud7af])안\s|ない|ません|できな|ずに|せずに|ず(?=[、，,]|$)|"
                      r"(?<![\w-])(?:nicht|kein\w*|pas|jamais|nunca|nie|ne|no|non|não|sans|sin|ohne|senza|sem|niet|geen|nooit|zonder|не|"
                      r"нет|никогда|без)(?![\w-])", re.I)
#: A condition or a possible outcome: the clause says what could happen, it commits to nothing.
CONDITION = re.compile(r"(?<![\w-])(?:si|se|wenn|falls|pourrait|pourraient|risque\w*|podría\w*|puede[n]?|könnte\w*|"
                       r"potrebbe\w*|poderia|pode|podem|als|indien|kan|kunnen|zou|zouden|misschien|если|может|могут|"
                       r"могл\w*|бы|иначе)(?![\w-])|如果|要是|的话|可能|会不会|たら|れば|恐れ|かもしれ|"
                       # Japanese "…すると、": a verb's plain form with と states a condition
                       r"[るうくすつぬむぶぐ]と(?=[、，,]|$)|(?<=[\u4e00-\u9fff])[るうくすつぬむぶぐ]と(?!し|言|い[うっいわ]|思|考|聞)|면\s|면$|수\s*있",
                       re.I)
#: Signs that the robot itself commits (first person, volitional or polite endings, "sure").
FIRST_PERSON = re.compile(r"(?<![\w-])(?:(?:je|moi|yo|ich|io|eu|nous|wir|ik|wij|я|мы)(?![\w-])|j')|"
                          r"(?<!怪)我|私|わたし|僕|제가|내가|저는|ます|ましょう|ますね|겠|게요|ㄹ게|을게|할게|습니다|好的|马上|这就|d'accord|claro|vale|"
                          r"bien\s+sûr|"
                          r"gerne|alles\s+klar|va\s+bene|certo|oké|natuurlijk|хорошо|конечно|ладно|"
                          r"(?<![\w-])(?:vou|vamos|voy|vado|vais)(?![\w-])", re.I)
#: A first-person subject: the robot speaks of its own act even in a sentence that names a harm.
SELF = re.compile(r"(?<![\w-])(?:(?:je|yo|ich|io|eu|nous|wir|ik|wij|я|мы)(?![\w-])|j')|"
                  r"(?<!怪)我|私|わたし|僕|제가|내가|저는", re.I)  # 怪我 is "injury", no "I"
#: Resultative and progressive forms describe a state ("置いてあります", "놓여 있습니다"), not an act.
STATE = re.compile(r"てあ|てい|ている|でいる|여\s*있|어\s*있|아\s*있|고\s*있|着呢|放着|(?<![\w-])(?:est|sont|está|"
                   r"están|ist|sind|"
                   r"liegt|steht|hay|il\s+y\s+a|es\s+gibt|è|sono|c'è|si\s+trova|estão|há|fica|ligt|staat|zit|лежит|"
                   r"стоит|находится|есть)(?![\w-])", re.I)
#: A door or lid: "opening" it (打开微波炉门, ouvrir la porte) opens the appliance, it does not start it.
DOOR = re.compile(r"门|扉|ドア|문을|문\s|문$|(?<![\w-])(?:porte|portière|puerta|porta|portinhola|tür|türe|klappe|deur|"
                  r"дверц\w*|двер\w*)(?![\w-])", re.I)
#: Scripts whose verbs close the clause (Japanese, Korean): objects come before their verb.
VERB_FINAL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af]")
#: The topic marker of "X instead" / "instead of X" in each language: X is what the robot will not do.
INSTEAD_OF = re.compile(r"(?<![\w-])(?:au\s+lieu\s+d[e']|plutôt\s+que|en\s+(?:lugar|vez)\s+de|(?:an)?statt|anstelle|"
                        r"invece\s+d[i']|al\s+posto\s+d[ie']|em\s+vez\s+de|in\s+plaats\s+van|вместо)\s+"
                        r"(?:\S+\s+){0,3}?\S+|而不是[^，,。]*|不放[^，,。]*|"
                        r"\S{1,8}?(?:の)?(?:代わりに|かわりに|ではなく)|\S+\s*대신", re.I)

# ---- Russian and Dutch, and more Italian, Portuguese and German --------------------------------------
#: Verb entries by kind (merged into :data:`VERBS`): Russian and Dutch; Italian and Portuguese verbs of
#: setting down, taking out and switching on; German separable verbs ("ablegen", "hinstellen").
_MORE_VERBS: dict[ActionKind | str, tuple[str, ...]] = {
    ActionKind.DROP: (
        r"lasci\w*\s+cadere", r"moll\w*", r"solt\w*", r"larg(?:o|ar|a|ue)\w*", r"deix\w*\s+cair",
        r"laat\s+(?:\S+\s+){0,3}vallen", r"vallen\s+lat\w*", r"loslat\w*", r"laat\s+(?:\S+\s+){0,3}los\b",
        r"урон\w*", r"отпуст\w*", r"отпуска\w*", r"брос\w*", r"брош\w*", r"выпуст\w*"),
    ActionKind.TOGGLE: (
        r"avvi\w*", r"apr\w*\s+(?:il\s+)?rubinetto", r"lig(?:o|a|ue|arei|ando)\b", r"abr\w*\s+(?:a\s+)?torneira",
        r"zet\w*(?:\s+\S+){0,4}\s+aan\b", r"aanzet\w*", r"inschakel\w*", r"schakel\w*(?:\s+\S+){0,4}\s+in\b",
        r"draai\w*(?:\s+\S+){0,4}\s+open\b", r"open\w*\s+(?:de\s+)?kraan", r"включ\w*", r"запуст\w*", r"запуск\w*",
        r"откр\w*\s+(?:\S+\s+)?кран", r"зажг\w*", r"зажеч\w*", r"apr\w*\s+(?:l')?acqua", r"abr\w*\s+(?:a\s+)?água",
        r"abr\w*\s+(?:el\s+)?agua", r"ouvr\w*\s+l'eau", r"откр\w*\s+воду", r"opendraai\w*", r"(?:open|aan)\s*zet\w*",
        "틀기", "틀고", "틀다", "틀면"),
    ActionKind.HEAT: (
        r"scald\w*", r"aquec\w*", r"aqueç\w*",
        r"verwarm\w*", r"opwarm\w*", r"warm\w*(?:\s+\S+){0,4}\s+op\b", r"нагре\w*",
        r"разогре\w*", r"подогре\w*"),
    ActionKind.REMOVE: (
        r"estra\w*", r"tir(?:o|ar|a|ei|amos)\s+(?=(?:o|os|as)\s|a\s+(?!la\b|el\b|los\b|las\b))",
        r"tir\w*\s+fuori", r"tolg\w*", r"togl\w*", r"pulisc\w*", r"asciug\w*",
        r"tir\w*(?:\s+\S+){0,3}?\s+d[aoe]s?\b",
        r"desembrulh\w*", r"limp\w*", r"haal\w*(?:\s+\S+){0,4}\s+(?:eruit|uit|weg|af|van)\b", r"verwijder\w*",
        r"veeg\w*", r"uitpak\w*", r"(?:eraf|eruit|weg|af|uit)\s*hal\w*",
        r"neem\w*(?:\s+\S+){0,4}\s+(?:eruit|uit|weg)\b", r"выну\w*", r"вынь\w*",
        r"выним\w*", r"доста\w*", r"убер\w*", r"убра\w*", r"сним\w*", r"сня\w*", r"вытр\w*", r"вытир\w*",
        r"разверн\w*", r"извлек\w*", r"herausnehm\w*", r"raus\w*"),
    ActionKind.PICKUP: (
        r"raccogli\w*", r"afferr\w*", r"apanh\w*", r"segur\w*", r"pak\w*", r"neem\w*",
        r"til\w*(?:\s+\S+){0,3}\s+op\b", r"grijp\w*", r"возьм\w*", r"взя\w*", r"беру", r"подним\w*", r"подня\w*",
        r"схват\w*"),
    THROW: (
        r"jog\w*(?:\s+\S+){0,3}\s+(?:fora|no\s+lixo|na\s+lixeira)", r"descart\w*", r"gooi\w*", r"weggooi\w*",
        r"выброс\w*", r"выбро\w*", r"выкин\w*", r"выкид\w*", r"выбрасыва\w*"),
    ActionKind.PLACE: (
        r"appoggi\w*", r"sistem\w*", r"colloc\w*", r"ripon\w*", r"infil\w*", r"lasci\w*", r"coloc\w*", r"ponh\w*",
        r"pôr\b", r"porei", r"deix\w*", r"pass(?:o|ar|a|ei|amos)\b",
        r"(?:ab|hin|hinein|rein|auf|weg|zurück)leg\w*", r"(?:hin|rein|hinein|zurück)stell\w*",
        r"(?:ein|hinein|rein)?steck\w*", r"(?:ab)?setz\w*", r"leg\w*", r"zet\w*", r"plaats\w*", r"stop\w*",
        r"berg\w*(?:\s+\S+){0,3}\s+op\b", r"opberg\w*", r"doe\w*(?:\s+\S+){0,4}\s+in\b", r"breng\w*",
        r"pak\w*(?:\s+\S+){0,3}\s+in\b", r"полож\w*", r"клад\w*", r"класт\w*", r"постав\w*", r"помест\w*",
        r"перелож\w*", r"слож\w*", r"отнес\w*", r"отнош\w*", r"перенес\w*", r"остав\w*", r"упак\w*"),
    ActionKind.GOTO: (
        r"andr\w*", r"avvicin\w*", r"raggiung\w*", r"torn\w*", r"vá\b", r"cheg\w*", r"volt\w*", r"dirij\w*",
        r"aproxim\w*", r"ga\b", r"gaan\b", r"loop\w*", r"lopen", r"keer\w*\s+terug", r"подой\w*", r"подхож\w*",
        r"пойд\w*", r"пойти", r"иду", r"идти", r"направ\w*", r"перейд\w*", r"вернусь", r"верну\w*\s+к"),
}
#: Household nouns (merged into :data:`NOUNS`); Russian ones are stems that take their case endings.
_MORE_NOUNS: dict[str, tuple[str, ...]] = {
    "Microwave": ("micro-ondas", "magnetron", "микроволновк", "микроволновой\\s+печ"),
    "DiningTable": ("eettafel", "esstisch", "küchentisch"),
    "Table": ("tafel", "стол"),
    "CoffeeTable": ("salontafel", "tavolino", "mesinha", "журнальный\\s+столик", "столик"),
    "SideTable": ("table de chevet", "table de nuit", "mesita de noche", "nachttisch", "comodino", "criado-mudo",
                  "mesa de cabeceira", "nachtkastje", "nachtkast", "тумбочк", "床头柜", "ナイトテーブル",
                  "サイドテーブル", "협탁"),
    "SinkBasin": ("lavello", "pia", "cuba", "gootsteen", "wasbak", "spoelbak", "wastafel", "раковин", "мойк"),
    "Bathtub": ("badkuip", "banheira", "vasca", "ванн"),
    "StoveBurner": ("fogão", "queimador", "piano\\s+cottura", "fornuis", "kookplaat", "gasfornuis", "плит", "конфорк"),
    "Oven": ("oven", "духовк", "печь", "печк"),
    "Bed": ("bed", "кроват"),
    "Sofa": ("zitbank", "bank", "диван"),
    "ArmChair": ("leunstoel", "кресл"),
    "Chair": ("cadeira", "stoel", "стул"),
    "GarbageCan": ("cestino", "pattumiera", "secchio", "lixeira", "prullenbak", "vuilnisbak", "afvalbak",
                   "prullenmand", "vuilnisemmer", "mülltonne", "мусорк", "мусорное\\s+ведро", "ведр", "корзин", "урн",
                   "мусор"),
    "Bag": ("tas", "rugzak", "schooltas", "сумк", "рюкзак", "портфел"),
    "Box": ("caixa", "doos", "коробк", "ящик"),
    "Desk": ("escrivaninha", "письменный\\s+стол", "парт"),
    "Shelf": ("scaffale", "prateleira", "plank", "полк"),
    "Drawer": ("gaveta", "lade"),
    "Toilet": ("gabinetto", "vaso\\s+sanitário", "privada", "унитаз", "туалет"),
    "Fridge": ("geladeira", "koelkast", "холодильник"),
    "CounterTop": ("bancone", "piano\\s+di\\s+lavoro", "bancada", "balcão", "aanrecht", "werkblad", "столешниц"),
    "Faucet": ("torneira", "kraan", "кран"),
    "Floor": ("pavimento", "chão", "vloer", "grond", "fußboden", "пол"),
    "Fork": ("garfo", "vork", "вилк"),
    "Knife": ("faca", "keukenmes", "broodmes", "het\\s+mes", "een\\s+mes", "messen", "нож"),
    "Spoon": ("colher", "lepel", "ложк"),
    "Scissors": ("tesoura", "schaar", "ножниц"),
    "Screwdriver": ("chave\\s+de\\s+fenda", "schroevendraaier", "отвертк", "отвёртк"),
    "CellPhone": ("cellulare", "telemóvel", "telefoon", "mobieltje", "gsm", "телефон", "смартфон", "мобильник"),
    "Laptop": ("portatile", "ноутбук"),
    "Camera": ("câmera", "câmara", "fototoestel", "фотоаппарат", "камер", "macchina\\s+fotografica",
               "máquina\\s+fotográfica"),
    "Glasses": ("óculos", "bril", "очк"),
    "Mouse": ("muis", "мышк", "мыш"),
    "CreditCard": ("cartão", "bankpas", "pinpas", "creditcard", "pasje", "кредитк", "карточк", "карт"),
    "Watch": ("relógio", "horloge", "часы", "часов", "часами"),
    "RemoteControl": ("controle\\s+remoto", "afstandsbediening", "пульт"),
    "CD": ("диск",),
    "Book": ("livro", "boek", "книг"),
    "Newspaper": ("jornal", "krant", "газет"),
    "Paper": ("documenten", "papieren", "бумаг", "документ"),
    "Bottle": ("garrafa", "fles", "бутылк"),
    "Doll": ("boneca", "pop", "кукл"),
    "TeddyBear": ("knuffel", "мишк"),
    "Basketball": ("bola", "bal", "мяч"),
    "Egg": ("ovo", "eieren", "ei", "яйц"),
    "Apple": ("maçã", "appel", "яблок"),
    "Bread": ("pão", "brood", "хлеб"),
    "Meal": ("pasto", "maaltijd", "eten", "еда", "еду", "блюд", "обед", "ужин"),
    "MetalBowl": ("ciotola\\s+di\\s+metallo", "tigela\\s+de\\s+metal", "metalen\\s+kom"),
    "Bowl": ("tigela", "kom", "schaal", "schale", "keramikschale", "porzellanschale", "миск"),
    "Plate": ("prato", "bord", "тарелк"),
    "Pot": ("panela", "pan", "кастрюл"),
    "AluminumFoil": ("papel\\s+alumínio", "papel-alumínio", "aluminiumfolie", "фольг"),
    "Towel": ("toalha", "handdoek", "полотенц"),
    "Cloth": ("pano", "vaatdoek", "doek", "тряпк"),
    "Pen": ("caneta", "ручк"),
    "KeyChain": ("sleutels", "ключ"),
    "Candle": ("kaars", "свеч"),
    "Vase": ("vaas", "ваз"),
    "MilkTea": ("chá", "melkthee", "thee", "чай"),
    "Water": ("água", "вод"),
    "Straw": ("canudo", "rietje", "трубочк", "соломинк"),
    "PaperBall": ("bola\\s+de\\s+papel", "papierprop", "propje", "бумажн\\w*\\s+ком\\w*", "pallina\\s+di\\s+carta",
                  "papierknäuel"),
    "Kitchen": ("cozinha", "keuken", "кухн"),
}
for _kind, _extra in _MORE_VERBS.items():
    VERBS[_kind] = VERBS[_kind] + _extra
for _type, _extra_nouns in _MORE_NOUNS.items():
    NOUNS[_type] = NOUNS.get(_type, ()) + _extra_nouns
#: Case endings of Russian nouns (and the plural endings of the others), allowed after a noun entry.
NOUN_ENDINGS = r"(?:s|x|es|en|n|e|er|ами|ями|ого|ему|ой|ей|ом|ем|ам|ям|ах|ях|ую|ая|ое|ые|ых|ым|ь|ью|[аяуюеиыоёй])?"
#: Parts of a fixture named in a plan ("auf die Sitzfläche", "sul ripiano"): the English part word, which
#: grounding reads by the trait it names (the seat of the chair the plan is at, the oven's rack).
PARTS: dict[str, tuple[str, ...]] = {
    "seat": ("sitzfläche", "sitz", "assise", "siège", "asiento", "seduta", "sedile", "assento", "сиденье", "zitting",
             "座面", "座席", "座る部分", "座位", "좌석", "앉는\\s*부분"),
    "cushion": ("kissen", "polster", "coussin", "cojín", "cuscino", "almofada", "подушк", "kussen", "坐垫", "靠垫",
                "クッション", "쿠션"),
    "rack": ("rost", "grille", "rejilla", "griglia", "grelha", "решетк", "rooster", "烤架", "ラック", "선반"),
}
#: Materials a phrase can state ("eine Keramikschale", "un bol en céramique"): the thing is not the metal one.
MATERIALS: dict[str, tuple[str, ...]] = {
    "ceramic": ("keramik", "céramique", "cerámica", "ceramica", "cerâmica", "porzellan", "porcelaine", "porcelana",
                "porcellana", "фарфор", "керамич", "keramisch", "keramiek", "porselein", "陶瓷", "瓷", "陶器",
                "セラミック", "도자기"),
    "glass": ("verre", "vidrio", "glas", "vetro", "vidro", "стекл", "玻璃", "ガラス", "유리"),
}
