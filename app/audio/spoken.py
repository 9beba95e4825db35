"""What an engine that reads pinyin is given: the item's stored pinyin as numbered syllables.

Pure: no Flask, no database. espeak-ng's `cmn-latn-pinyin` voice reads numbered pinyin with
its tones (`yin2hang2`), where its own dictionary would misread polyphones (银行 → yín xíng)
and its `cmn` voice reads the Latin letters and digits as English ("ni three hao three").
What was checked with `espeak-ng -v cmn-latn-pinyin -x` (espeak-ng 1.51):

* the neutral tone must be written `5` (`ma5` → `mA11`); a bare `ma` or `ma0` is read as a
  first tone (`m'A55`);
* ü is written `v` (`lv4` → `l'y51`); `u:` is read as two syllables;
* erhua is glued to its syllable with the tone before the `r` (`na3r` → `nA21@r44`);
  `nar3` would put the tone on the `r`;
* the voice applies third-tone sandhi itself but not the 一/不 sandhi, so that is applied here
  (一定 yi2ding4, 不是 bu2shi4) from the Chinese engine's rules over the written reading;
* a line break ends a sentence (every line is read on its own), so lines are joined with spaces;
  Latin punctuation keeps its pauses and Chinese punctuation is turned into it.
"""

from __future__ import annotations

import re
import unicodedata

#: Chinese punctuation → the Latin mark espeak-ng pauses on; quotes and brackets are dropped
_PUNCTUATION = str.maketrans(
    {
        "，": ",",
        "、": ",",
        "。": ".",
        "！": "!",
        "？": "?",
        "；": ";",
        "：": ":",
        "…": ".",
        "—": ",",
        "–": ",",
        "«": " ",
        "»": " ",
        "“": " ",
        "”": " ",
        "‘": " ",
        "’": " ",
        '"': " ",
        "(": ",",
        ")": ",",
        "（": ",",
        "）": ",",
        "《": " ",
        "》": " ",
    }
)
#: a stretch of pinyin letters (tone marks decomposed, apostrophes inside a word)
_WORD = re.compile(r"[a-zA-ZüÜvV\u0300-\u030c'’0-9-]+")
_SYLLABLE = re.compile(r"[a-z]+[1-5]")
_SINGLE = re.compile(r"[a-z]+([1-4])")
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ebef]")


class SpokenError(ValueError):
    """The stored pinyin could not be turned into numbered syllables."""


def _numbered_words(pinyin: str) -> list[str | list[str]]:
    """The pinyin as a list of words (numbered syllables) and punctuation strings."""
    from app.chinese.input import split_pinyin

    text = unicodedata.normalize("NFD", pinyin).translate(_PUNCTUATION).replace("\n", " ")
    text = re.sub(r"([uU]):", "\\1\u0308", text)  # lu:4 is how some write lǜ
    out: list[str | list[str]] = []
    position = 0
    for match in _WORD.finditer(text):
        between = text[position : match.start()]
        if between.strip():
            out.append(between.strip())
        position = match.end()
        word = match.group().replace("-", " ")
        try:
            syllables = split_pinyin(word)
        except ValueError as exc:
            raise SpokenError(f"not pinyin: {word!r} ({exc})") from exc
        if syllables:
            out.append(syllables)
    if text[position:].strip():
        out.append(text[position:].strip())
    return out


def _apply_yi_bu(hanzi: str, syllables: list[str]) -> list[str]:
    """一/不 sandhi over the written syllables, when they line up with the Han characters."""
    from app.chinese.spoken import per_character, spoken_from_written

    if "一" not in hanzi and "不" not in hanzi:
        return syllables
    try:
        per_char = per_character(hanzi, syllables)
    except ValueError:
        return syllables
    spoken = spoken_from_written(hanzi, per_char)
    out = list(syllables)
    slots = [i for i, s in enumerate(per_char) if s is not None]
    for n, i in enumerate(slots):
        if hanzi[i] in "一不" and spoken[i]:
            out[n] = spoken[i]
    return out


def spoken_pinyin(hanzi: str, pinyin: str) -> str:
    """The numbered pinyin an engine reads for `hanzi` written `pinyin`: "yin2hang2",
    "ni3 hao3 ma5?", "yi2ding4". Raises SpokenError if `pinyin` is not pinyin."""
    words = _numbered_words(pinyin)
    flat = [s for w in words if isinstance(w, list) for s in w]
    spoken = iter(_apply_yi_bu(hanzi, flat))
    parts: list[str] = []
    for word in words:
        if isinstance(word, list):
            syllables = [next(spoken) for _ in word]
            parts.append("".join(_glue_erhua(syllables)))
        elif parts:
            parts[-1] += word
    return " ".join(parts).strip()


def _glue_erhua(syllables: list[str]) -> list[str]:
    """`na3`, `r5` → `na3r`: the voice reads a glued r as the syllable's rhotic ending."""
    out: list[str] = []
    for syllable in syllables:
        if syllable == "r5" and out:
            out[-1] += "r"
        else:
            out.append(syllable)
    return out


def tones(spoken: str) -> list[int]:
    """The tone of each syllable of a spoken form ("ni3 hao3 ma5?" → [3, 3, 5])."""
    return [int(s[-1]) for s in _SYLLABLE.findall(spoken.lower())]


def single_tone(spoken: str) -> int | None:
    """The tone (1-4) of a one-syllable spoken form; None for longer ones, the neutral tone and
    erhua (the voice reads the `r` as a second, neutral syllable)."""
    match = _SINGLE.fullmatch(spoken.strip().lower().rstrip(".,!?;: "))
    return int(match.group(1)) if match else None


def generated_pinyin(hanzi: str) -> str:
    """Pinyin from the Chinese engine, for a text no item writes out (an exercise prompt)."""
    from app.chinese import pinyin_text

    return pinyin_text(hanzi)


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))
