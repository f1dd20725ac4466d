"""The languages the tasks offer, how to name them to a model, and a small offline guesser.

detect_language() is a heuristic with no dependencies: the script decides most languages,
a list of characters that differ tells Simplified from Traditional Chinese, and stop words
and accents separate the Latin-script ones. It answers None rather than guess.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate


@dataclass(frozen=True)
class Language:
    code: str
    english_name: str  # shown with translate("Languages", english_name)
    native_name: str
    prompt_name: str  # how a prompt names it: 'Simplified Chinese (简体中文)'
    rtl: bool = False
    aliases: tuple[str, ...] = ()


LANGUAGES: tuple[Language, ...] = (
    Language(
        "en",
        QT_TRANSLATE_NOOP("Languages", "English"),
        "English",
        "English",
        aliases=("en-us", "en-gb", "anglais"),
    ),
    Language(
        "zh-Hans",
        QT_TRANSLATE_NOOP("Languages", "Simplified Chinese"),
        "简体中文",
        "Simplified Chinese (简体中文)",
        aliases=("zh", "zh-cn", "zh-sg", "chinese", "中文", "简体", "汉语", "mandarin"),
    ),
    Language(
        "zh-Hant",
        QT_TRANSLATE_NOOP("Languages", "Traditional Chinese"),
        "繁體中文",
        "Traditional Chinese (繁體中文)",
        aliases=("zh-tw", "zh-hk", "zh-mo", "繁体中文", "繁體", "繁体"),
    ),
    Language(
        "ja",
        QT_TRANSLATE_NOOP("Languages", "Japanese"),
        "日本語",
        "Japanese (日本語)",
        aliases=("jp", "jpn"),
    ),
    Language(
        "ko",
        QT_TRANSLATE_NOOP("Languages", "Korean"),
        "한국어",
        "Korean (한국어)",
        aliases=("kr", "kor", "조선말"),
    ),
    Language(
        "fr",
        QT_TRANSLATE_NOOP("Languages", "French"),
        "Français",
        "French (Français)",
        aliases=("fr-fr", "fr-ca"),
    ),
    Language(
        "de",
        QT_TRANSLATE_NOOP("Languages", "German"),
        "Deutsch",
        "German (Deutsch)",
        aliases=("de-de", "ger"),
    ),
    Language(
        "es",
        QT_TRANSLATE_NOOP("Languages", "Spanish"),
        "Español",
        "Spanish (Español)",
        aliases=("castellano",),
    ),
    Language(
        "ru",
        QT_TRANSLATE_NOOP("Languages", "Russian"),
        "Русский",
        "Russian (Русский)",
        aliases=("rus",),
    ),
    Language(
        "pt",
        QT_TRANSLATE_NOOP("Languages", "Portuguese"),
        "Português",
        "Portuguese (Português)",
        aliases=("pt-br", "pt-pt"),
    ),
    Language(
        "ar",
        QT_TRANSLATE_NOOP("Languages", "Arabic"),
        "العربية",
        "Arabic (العربية)",
        rtl=True,
        aliases=("ara",),
    ),
)


def _key(name: str) -> str:
    return " ".join(name.strip().replace("_", "-").casefold().split())


_INDEX: dict[str, Language] = {
    _key(name): language
    for language in LANGUAGES
    for name in (
        language.code,
        language.english_name,
        language.native_name,
        language.prompt_name,
        *language.aliases,
    )
}
_TRADITIONAL_SUBTAGS = {"hant", "tw", "hk", "mo"}


def get_language(code_or_name: str) -> Language:
    """The language for a code, English name or native name, in any case ('zh-tw', 'French').

    Unknown regional variants fall back to their base language ('fr-be' is French); Chinese
    ones go to Traditional for Taiwan, Hong Kong, Macau or 'Hant', else Simplified.
    """
    key = _key(code_or_name)
    if key in _INDEX:
        return _INDEX[key]
    subtags = key.split("-")
    if subtags[0] == "zh" and len(subtags) > 1:
        return _INDEX["zh-hant" if _TRADITIONAL_SUBTAGS & set(subtags) else "zh-hans"]
    if len(subtags) > 1 and subtags[0] in _INDEX:
        return _INDEX[subtags[0]]
    codes = ", ".join(language.code for language in LANGUAGES)
    raise UserError(
        arg(
            translate("Languages", "Unknown language '%1'. Use one of: %2."),
            code_or_name.strip(),
            codes,
        )
    )


# --- detection ----------------------------------------------------------------------------

# Letters of each kind seen in at most this much text: enough to decide, quick on a book.
_SAMPLE_CHARS = 20_000
# One CJK character carries about as much as a short word, so it weighs like three letters.
_CJK_WEIGHT = 3
# The main script's share of the weighted letters, below which the text is too mixed.
_DOMINANT_SHARE = 0.6
# Kana in at least this share of the Han and kana characters makes it Japanese, not
# Chinese with a stray の.
_KANA_SHARE = 0.1
_MIN_CJK_CHARS = 2
_MIN_LETTERS = 4
_MIN_WORDS = 3

# Simplified and Traditional forms that differ, in pairs. Only characters that one form
# never uses: 后, 里, 干, 面 are valid in both and would mislead.
_CHINESE_PAIRS = """
    这這 说說 个個 们們 国國 会會 为為 来來 时時 对對 过過 还還 没沒 进進 发發 经經 问問 间間
    题題 开開 长長 门門 东東 车車 马馬 见見 页頁 风風 飞飛 书書 学學 实實 现現 话話 语語 让讓
    认認 识識 记記 设設 计計 论論 谁誰 请請 读讀 谢謝 电電 机機 关關 头頭 点點 动動 种種 样樣
    应應 两兩 从從 无無 万萬 与與 产產 业業 专專 区區 华華 单單 卖賣 买買 号號 听聽 员員 图圖
    场場 报報 声聲 处處 备備 够夠 妈媽 岁歲 师師 带帶 帮幫 广廣 张張 当當 录錄 总總 战戰 换換
    数數 断斷 旧舊 术術 杂雜 条條 极極 标標 气氣 汉漢 济濟 热熱 爱愛 状狀 环環 画畫 确確 离離
    称稱 笔筆 简簡 类類 级級 线線 组組 结結 给給 统統 续續 网網 义義 习習 联聯 脑腦 节節 获獲
    虽雖 观觀 规規 视視 觉覺 证證 试試 诉訴 词詞 该該 误誤 调調 质質 购購 贵貴 费費 资資 转轉
    软軟 输輸 边邊 达達 运運 远遠 选選 适適 钱錢 铁鐵 银銀 错錯 闻聞 队隊 阳陽 际際 难難 须須
    顾顧 预預 领領 颜顏 饭飯 馆館 验驗 鱼魚 鸟鳥 龙龍 园園 乐樂 写寫 将將 宝寶 尔爾
"""
CHINESE_PAIRS: tuple[tuple[str, str], ...] = tuple(
    dict.fromkeys((pair[0], pair[1]) for pair in _CHINESE_PAIRS.split())
)
_SIMPLIFIED_ONLY = frozenset(simplified for simplified, _ in CHINESE_PAIRS)
_TRADITIONAL_ONLY = frozenset(traditional for _, traditional in CHINESE_PAIRS)

# Frequent short words; shared ones ('de', 'que') count for each language that has them.
# Italian and Dutch are here only so that their text is not taken for one we offer.
_STOP_WORDS_TEXT = {
    "en": """the and of to is are was were that this with for it you he she they we have has
        not be on at by from or an as but which will would can there their what all been my
        your his her its our do does did if so about into than then them these those who how
        when where why very just i""",
    "fr": """le la les des du un une et est sont dans pour pas que qui sur avec ce cette ces il
        elle ils elles nous vous je au aux mais ou où par plus ne se sa son ses leur été être
        très aussi comme tout fait c l d j qu y""",
    "de": """der die das und ist nicht ein eine einen einem einer zu den dem des mit sich auf
        für von im auch es sie wir ich du er sind war wird werden hat haben dass aber wie oder
        noch nach bei aus wenn kann nur über schon sehr heute mir mich uns ihr""",
    "es": """el la los las de del y en que es un una por con para no se su sus al lo como más
        pero muy está están son fue ha hay yo tú él ella este esta estos también porque cuando
        donde sí ya le les me nos hoy todo""",
    "pt": """o os a as de do da dos das e em no na nos nas que um uma é são por para com não se
        seu sua ao à mais mas muito está estão foi eu você ele ela nós isso este esta também
        porque quando onde já hoje tem todo pelo pela""",
    "it": """il lo la gli le di del della che e è un una per non con sono si ma anche questo
        questa come più molto nel nella io tu lui lei noi voi loro ho ha sei siamo""",
    "nl": """de het een en van is dat niet ik je hij zij we wij met voor op aan zijn er maar
        ook als bij nog wat naar heeft hebben deze dit die worden wordt""",
}
_STOP_WORDS = {code: frozenset(words.split()) for code, words in _STOP_WORDS_TEXT.items()}
# Letters that only some of these languages use; each word holding one adds a point.
_ACCENTS = {
    "fr": "èùœëïîûêâç",
    "de": "ßäöü",
    "es": "ñ¿¡",
    "pt": "ãõçêâ",
    "it": "òì",
}
_WORD = re.compile(r"[^\W\d_]+")
# The best Latin-script language must beat the runner-up by this factor.
_LATIN_MARGIN = 1.5
_MIN_LATIN_SCORE = 2
_UNSUPPORTED_LATIN = frozenset({"it", "nl"})

# Letters that Persian, Urdu, Pashto... add to the Arabic script, and Cyrillic letters that
# Russian does not use: text with them is another language that we do not offer.
_NOT_ARABIC = frozenset("پچژگکیےۓڈڑںھ")
_NOT_RUSSIAN = frozenset("іїєґўђјљњћџѓќ")


def detect_language(text: str) -> Language | None:
    """A best guess at the language of text, or None when there is too little or it is unsure."""
    sample = text[:_SAMPLE_CHARS]
    counts = _script_counts(sample)
    weights = {
        script: count * (_CJK_WEIGHT if script in {"han", "kana", "hangul"} else 1)
        for script, count in counts.items()
    }
    total = sum(weights.values())
    if not total:
        return None
    if counts.get("han", 0) + counts.get("kana", 0) and _cjk_share(weights, total):
        return _detect_cjk(sample, counts)
    script, weight = max(weights.items(), key=lambda item: item[1])
    if weight < _DOMINANT_SHARE * total:
        return None
    if script == "hangul":
        return _INDEX["ko"] if counts[script] >= _MIN_CJK_CHARS else None
    if script == "arabic":
        return _if_not_marked(sample, counts[script], _NOT_ARABIC, "ar")
    if script == "cyrillic":
        return _if_not_marked(sample.lower(), counts[script], _NOT_RUSSIAN, "ru")
    if script == "latin":
        return _detect_latin(sample)
    return None


# The scripts each language is written in (Japanese mixes kana and Han).
_LANGUAGE_SCRIPTS = {
    "zh-Hans": ("han",),
    "zh-Hant": ("han",),
    "ja": ("kana", "han"),
    "ko": ("hangul",),
    "ru": ("cyrillic",),
    "ar": ("arabic",),
}


def script_share(text: str, language: Language) -> tuple[float, int]:
    """How much of text's letters are in the script `language` is written in (CJK
    characters weigh like three letters, as in detect_language), and the weighted count of
    letters looked at (from the first 20,000 characters)."""
    counts = _script_counts(text[:_SAMPLE_CHARS])
    weights = {
        script: count * (_CJK_WEIGHT if script in {"han", "kana", "hangul"} else 1)
        for script, count in counts.items()
    }
    total = sum(weights.values())
    scripts = _LANGUAGE_SCRIPTS.get(language.code, ("latin",))
    own = sum(weights.get(script, 0) for script in scripts)
    return (own / total if total else 0.0), total


def telling_chinese_characters(text: str) -> tuple[int, int]:
    """How many characters of text only Simplified, and only Traditional, Chinese use."""
    return (
        sum(ch in _SIMPLIFIED_ONLY for ch in text),
        sum(ch in _TRADITIONAL_ONLY for ch in text),
    )


def _script_counts(text: str) -> Counter[str]:
    return Counter(_script(ch) for ch in text if ch.isalpha())


def _script(ch: str) -> str:
    code = ord(ch)
    if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    if (0x3040 <= code <= 0x30FF and code != 0x30FB) or 0x31F0 <= code <= 0x31FF:
        return "kana"
    if 0xFF66 <= code <= 0xFF9F:
        return "kana"
    if (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
    ):
        return "han"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x0600 <= code <= 0x08FF or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return "arabic"
    if 0x0400 <= code <= 0x052F:
        return "cyrillic"
    return "other"


def _cjk_share(weights: dict[str, int], total: int) -> bool:
    cjk = weights.get("han", 0) + weights.get("kana", 0)
    return cjk >= _DOMINANT_SHARE * total


def _detect_cjk(text: str, counts: Counter[str]) -> Language | None:
    han, kana = counts.get("han", 0), counts.get("kana", 0)
    if han + kana < _MIN_CJK_CHARS:
        return None
    if kana >= _KANA_SHARE * (han + kana):
        return _INDEX["ja"]
    simplified = sum(ch in _SIMPLIFIED_ONLY for ch in text)
    traditional = sum(ch in _TRADITIONAL_ONLY for ch in text)
    # Text with no telling character is taken as Simplified, by far the more common form.
    return _INDEX["zh-hant" if traditional > simplified else "zh-hans"]


def _if_not_marked(text: str, letters: int, foreign: frozenset[str], code: str) -> Language | None:
    if letters < _MIN_LETTERS:
        return None
    marked = sum(ch in foreign for ch in text)
    return None if marked * 50 > letters else _INDEX[code]


def _detect_latin(text: str) -> Language | None:
    words = _WORD.findall(text.casefold())
    if len(words) < _MIN_WORDS:
        return None
    scores = _latin_scores(words)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, best_score), (_, second_score) = ranked[0], ranked[1]
    if best_score < _MIN_LATIN_SCORE or best_score < _LATIN_MARGIN * second_score:
        return None
    return None if best in _UNSUPPORTED_LATIN else _INDEX[best]


def _latin_scores(words: list[str]) -> dict[str, float]:
    scores = {code: 0.0 for code in _STOP_WORDS}
    for word in words:
        for code, stop_words in _STOP_WORDS.items():
            scores[code] += word in stop_words
        for code, letters in _ACCENTS.items():
            scores[code] += any(ch in letters for ch in word)
    return scores
