"""Typed answers (pinyin and recall cards), checked and mapped to a suggested FSRS rating.

The Chinese engine's `check_pinyin_answer` is used when it exists; otherwise a small checker of
our own reads tone marks or tone numbers, with or without spaces (`nǐ hǎo`, `ni3hao3`, `nǐhǎo`).
The rating is only a suggestion: the learner may correct it before it is recorded.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from app.srs.scheduling import AGAIN, GOOD, HARD


class Verdict(enum.StrEnum):
    CORRECT = "correct"
    WRONG_TONE = "wrong_tone"
    WRONG = "wrong"
    EMPTY = "empty"


#: right → Good, right syllables with a wrong tone → Hard, wrong or nothing → Again
RATING_OF = {Verdict.CORRECT: GOOD, Verdict.WRONG_TONE: HARD, Verdict.WRONG: AGAIN,
             Verdict.EMPTY: AGAIN}  # fmt: skip


@dataclass(frozen=True)
class Grade:
    verdict: Verdict
    #: the suggested rating, 1–4
    rating: int


def _grade(verdict: Verdict) -> Grade:
    return Grade(verdict, RATING_OF[verdict])


# --------------------------------------------------------------------------- pinyin

_TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
_SEPARATORS = re.compile(r"[\s'’\-·.,!?;，。！？、；：]+")
_MAX_SYLLABLE = 7  # "zhuang" + erhua "r"


@lru_cache(maxsize=1)
def _inventory() -> frozenset[str]:
    """Every toneless pinyin syllable (``v`` for ü), from pypinyin's character readings."""
    from pypinyin.pinyin_dict import pinyin_dict

    out = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            base = "".join(
                ch for ch in unicodedata.normalize("NFD", reading) if ch not in _TONE_MARKS
            )
            out.add(unicodedata.normalize("NFC", base).replace("ü", "v").lower())
    return frozenset(out | {"r"})


def _valid(base: str) -> bool:
    syllables = _inventory()
    return base in syllables or (len(base) > 1 and base.endswith("r") and base[:-1] in syllables)


def _scan(chunk: str) -> tuple[list[str], list[int | None], dict[int, int]] | None:
    """Letters of a chunk, the tone mark on each, and {letters before a tone digit: tone}."""
    letters: list[str] = []
    marks: list[int | None] = []
    digits: dict[int, int] = {}
    for ch in unicodedata.normalize("NFD", chunk.lower()):
        if "a" <= ch <= "z":
            letters.append(ch)
            marks.append(None)
        elif ch in _TONE_MARKS and letters:
            marks[-1] = _TONE_MARKS[ch]
        elif letters and (ch == "\u0308" or (ch == ":" and letters[-1] == "u")):
            letters[-1] = "v"  # ü, written lǜ, lü, lv or lu:
        elif ch in "012345" and letters:
            digits[len(letters)] = 5 if ch == "0" else int(ch)
        elif ch != "\u0302":
            return None
    return letters, marks, digits


def _segment(
    letters: list[str], marks: list[int | None], digits: dict[int, int]
) -> list[tuple[str, int]] | None:
    """Split letters into the fewest valid syllables that respect tone digits and marks."""
    n = len(letters)
    best: list[list[tuple[str, int]] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, min(n, i + _MAX_SYLLABLE) + 1):
            if any(i < k < j for k in digits):
                break
            base = "".join(letters[i:j])
            tones = {m for m in marks[i:j] if m}
            if not _valid(base) or len(tones) > 1:
                continue
            tone = tones.pop() if tones else digits.get(j, 5)
            candidate = [*best[i], (base, tone)]  # type: ignore[misc]
            if best[j] is None or len(candidate) < len(best[j]):  # type: ignore[arg-type]
                best[j] = candidate
    return best[n]


def parse_pinyin(text: str) -> list[tuple[str, int]] | None:
    """``[("ni", 3), ("hao", 3)]`` for ``nǐ hǎo``, ``ni3hao3`` or ``nǐhǎo``; None if unreadable.

    A syllable without a mark or digit has the neutral tone 5; a lone erhua ``r`` joins the
    syllable before it (``na3r`` reads as ``nǎr``).
    """
    out: list[tuple[str, int]] = []
    for chunk in _SEPARATORS.split(text.strip()):
        if not chunk:
            continue
        scanned = _scan(chunk)
        if scanned is None:
            return None
        syllables = _segment(*scanned)
        if syllables is None:
            return None
        for base, tone in syllables:
            if base == "r" and out:
                out[-1] = (out[-1][0] + "r", out[-1][1])
            else:
                out.append((base, tone))
    return out


def _engine_checker():
    """The Chinese engine's checker, when the engine offers one."""
    from app import chinese

    return getattr(chinese, "check_pinyin_answer", None)


def check_pinyin(expected: str, given: str) -> Verdict:
    """Compare a typed pinyin answer with the expected pinyin."""
    if not given.strip():
        return Verdict.EMPTY
    engine = _engine_checker()
    if engine is not None:
        result = engine(expected, given)
        if result.correct:
            return Verdict.CORRECT
        return Verdict.WRONG_TONE if "tone" in str(getattr(result, "kind", "")) else Verdict.WRONG
    want, got = parse_pinyin(expected), parse_pinyin(given)
    if want is None or got is None:
        return Verdict.WRONG
    if [b for b, _ in want] != [b for b, _ in got]:
        return Verdict.WRONG
    return Verdict.CORRECT if want == got else Verdict.WRONG_TONE


def grade_pinyin(expected_pinyin: str, given: str) -> Grade:
    """Grade a pinyin card (hanzi → type the pinyin with tones)."""
    return _grade(check_pinyin(expected_pinyin, given))


# --------------------------------------------------------------------------- recall

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


def han_only(text: str) -> str:
    """The Han characters of `text`, without spaces, Latin letters or punctuation."""
    return "".join(_HAN.findall(text))


def grade_recall(hanzi: str, pinyin: str, given: str) -> Grade:
    """Grade a recall card (meaning → the word): the hanzi, or its pinyin with tones."""
    if not given.strip():
        return _grade(Verdict.EMPTY)
    typed = han_only(given)
    if typed:
        return _grade(Verdict.CORRECT if typed == han_only(hanzi) else Verdict.WRONG)
    return grade_pinyin(pinyin, given)
