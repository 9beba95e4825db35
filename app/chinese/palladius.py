"""Palladius: the standard Russian transcription of Chinese (深圳 → Шэньчжэнь).

Syllables are transcribed by initial and final after the standard table (zh → чж, ch → ч,
sh → ш, r → ж, z/j → цз, c/q → ц, x → с; -n → нь, -ng → н, ü → юй, -ui → уй but hui → хуэй,
-uo → о, you → ю, ye → е, e → э, er → эр). A word is written as one Russian word, with ъ after
-н before a vowel (长安 → Чанъань); personal names are written surname apart from the given
name (习近平 → Си Цзиньпин); proper names are capitalised; a small table of exonyms that
Russian uses instead (北京 → Пекин) overrides the transcription.

pypinyin's Cyrillic style was compared with this table syllable by syllable; it differs for
the finals -ui, -un, -ong after some initials, for ü after j/q/x and for erhua, which is why
the table here is built from the rules instead.
"""

from __future__ import annotations

import re

from app.chinese import lexicon
from app.chinese.pinyin import annotate, assemble
from app.chinese.tones import split_tone

INITIALS = {
    "zh": "чж", "ch": "ч", "sh": "ш", "b": "б", "p": "п", "m": "м", "f": "ф", "d": "д",
    "t": "т", "n": "н", "l": "л", "g": "г", "k": "к", "h": "х", "j": "цз", "q": "ц", "x": "с",
    "r": "ж", "z": "цз", "c": "ц", "s": "с",
}  # fmt: skip

#: Finals after a consonant (the -i after zh ch sh r z c s is handled apart).
FINALS = {
    "a": "а", "o": "о", "e": "э", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу", "an": "ань",
    "en": "энь", "ang": "ан", "eng": "эн", "ong": "ун", "er": "эр", "i": "и", "ia": "я",
    "ie": "е", "iao": "яо", "iu": "ю", "ian": "янь", "in": "инь", "iang": "ян", "ing": "ин",
    "iong": "юн", "u": "у", "ua": "уа", "uo": "о", "uai": "уай", "ui": "уй", "uan": "уань",
    "un": "унь", "uang": "уан", "v": "юй", "ve": "юэ", "van": "юань", "vn": "юнь", "ue": "юэ",
    "m": "м", "n": "н", "ng": "н",
}  # fmt: skip

#: Syllables without an initial, and the ones the finals table does not give right.
WHOLE = {
    "a": "а", "ai": "ай", "an": "ань", "ang": "ан", "ao": "ао", "e": "э", "ei": "эй",
    "en": "энь", "eng": "эн", "er": "эр", "o": "о", "ou": "оу", "yi": "и", "ya": "я",
    "yao": "яо", "ye": "е", "you": "ю", "yan": "янь", "yin": "инь", "yang": "ян", "ying": "ин",
    "yong": "юн", "yu": "юй", "yue": "юэ", "yuan": "юань", "yun": "юнь", "yo": "йо", "wu": "у",
    "wa": "ва", "wo": "во", "wai": "вай", "wei": "вэй", "wan": "вань", "wen": "вэнь",
    "wang": "ван", "weng": "вэн", "zhi": "чжи", "chi": "чи", "shi": "ши", "ri": "жи",
    "zi": "цзы", "ci": "цы", "si": "сы", "hui": "хуэй", "m": "м", "n": "нь", "ng": "н",
    "hm": "хм", "hng": "хн", "wong": "вун",
}  # fmt: skip

#: Where Russian has its own name, it wins over the transcription.
EXONYMS = {
    "北京": "Пекин", "哈尔滨": "Харбин", "南京": "Нанкин", "香港": "Гонконг", "澳门": "Макао",
    "中国": "Китай", "西藏": "Тибет", "长江": "Янцзы", "乌鲁木齐": "Урумчи", "拉萨": "Лхаса",
    "喀什": "Кашгар", "蒙古": "Монголия", "内蒙古": "Внутренняя Монголия", "孔子": "Конфуций",
    "孙中山": "Сунь Ятсен", "蒋介石": "Чан Кайши", "呼和浩特": "Хух-Хото",
    "满洲": "Маньчжурия", "黄海": "Жёлтое море", "东海": "Восточно-Китайское море",
    "南海": "Южно-Китайское море", "台湾海峡": "Тайваньский пролив",
}  # fmt: skip

_SPLIT = re.compile(r"^(zh|ch|sh|[bpmfdtnlgkhjqxrzcs])?(.*)$")
_VOWEL_START = set("аоуэяею")


def syllable(numbered: str) -> str:
    """Return the Palladius spelling of one numbered syllable (tone ignored): ``hui4`` → хуэй."""
    base, _ = split_tone(numbered)
    if base == "r":
        return "р"
    if base in WHOLE:
        return WHOLE[base]
    match = _SPLIT.match(base)
    initial, final = (match.group(1) or ""), match.group(2) if match else ""
    if initial in ("j", "q", "x") and final.startswith("u"):
        final = "v" + final[1:]
    if initial and final in FINALS:
        return INITIALS[initial] + FINALS[final]
    raise ValueError(f"not a Mandarin syllable: {numbered!r}")


def _join(parts: list[str]) -> str:
    """Join a word's syllables, with ъ after -н (from -ng) before a vowel."""
    out = ""
    for part in parts:
        if out and part != "р" and out.endswith("н") and part[0] in _VOWEL_START:
            out += "ъ"
        out += part
    return out


def word(text: str, numbered: tuple[str, ...] | list[str]) -> str:
    """Return the Palladius form of one word from its numbered syllables."""
    if text in EXONYMS:
        return EXONYMS[text]
    lex = lexicon.lexicon()
    parts = [syllable(s) for s in numbered if s]
    split = lex.names.get(text)
    if split:
        return " ".join(
            _join(parts[a:b]).capitalize() for a, b in ((0, split), (split, len(parts)))
        )
    joined = _join(parts)
    return joined.capitalize() if text in lex.proper else joined


def palladius(text: str) -> str:
    """Return the Palladius transcription of the Han text in ``text``.

    Each word becomes one Russian word, lower case unless it is a proper name or starts a
    sentence; personal names put the surname apart (习近平 → Си Цзиньпин); exonyms override
    (北京 → Пекин). Non-Han text (Latin, digits) is kept, Chinese punctuation becomes Latin
    punctuation, spaced as in ``pinyin_text``.
    """
    return assemble(annotate(text), lambda w: word(w.text, w.numbered))
