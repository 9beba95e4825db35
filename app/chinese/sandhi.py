"""Tone sandhi for display: 一 and 不, and the third tone.

The rules, applied to written tones within a stretch of Han text (punctuation ends it):

* 一 ``yi1`` becomes ``yi2`` before a fourth tone (一个 yí gè) and ``yi4`` before the other
  tones (一天 yì tiān), is neutral between a doubled verb (看一看 kàn yi kàn), and keeps its
  tone when counting or last in a word (第一, 十一, 一九九八, 统一, 唯一);
* 不 ``bu4`` becomes ``bu2`` before a fourth tone (不是 bú shì) and is neutral in A不A
  questions (好不好 hǎo bu hǎo);
* a third tone before another third tone becomes a second tone, from left to right over the
  run (你好 ní hǎo, 我很好 wó hén hǎo), which is how learners' materials mark it.

Before a neutral syllable the tone that counts is the character's dictionary tone (一个
``ge4`` → yí), and the erhua ``r5`` is transparent (哪儿有 → nár yǒu).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.chinese.tones import tone_of

_DIGITS = set("零〇一二三四五六七八九十")
_COUNTING = set("零〇一二三四五六七八九")


def apply(
    chars: str,
    written: Sequence[str | None],
    word_ends: set[int],
    dictionary_tone: Callable[[str], int],
) -> list[str | None]:
    """Return the spoken tones for one stretch of text.

    ``chars`` is the text, ``written`` its numbered readings (None for non-Han, which breaks
    a run), ``word_ends`` the indices that end a word of two or more characters,
    ``dictionary_tone(char)`` the tone a neutral syllable has in the dictionary.
    """
    spoken = list(written)
    n = len(chars)

    def next_syllable(i: int) -> int | None:
        j = i + 1
        while j < n and spoken[j] == "r5":
            j += 1
        return j if j < n and spoken[j] is not None else None

    def tone_at(j: int) -> int:
        tone = tone_of(spoken[j] or "")
        return dictionary_tone(chars[j]) if tone == 5 else tone

    for i, ch in enumerate(chars):
        if ch == "一" and written[i] == "yi1":
            spoken[i] = _yi(chars, i, next_syllable(i), word_ends, tone_at)
        elif ch == "不" and written[i] == "bu4":
            j = next_syllable(i)
            if i > 0 and j is not None and chars[i - 1] == chars[j]:
                spoken[i] = "bu5"
            elif j is not None and tone_at(j) == 4:
                spoken[i] = "bu2"
    for i in range(n):
        syl = spoken[i]
        if syl is None or tone_of(syl) != 3:
            continue
        j = next_syllable(i)
        if j is not None and tone_of(spoken[j] or "") == 3:
            spoken[i] = syl[:-1] + "2"
    return spoken


def _yi(
    chars: str,
    i: int,
    j: int | None,
    word_ends: set[int],
    tone_at: Callable[[int], int],
) -> str:
    prev = chars[i - 1] if i > 0 else ""
    if j is None or prev == "第" or prev in _DIGITS or chars[j] in _COUNTING:
        return "yi1"
    if i in word_ends and prev != chars[j]:
        return "yi1"
    if prev and prev == chars[j]:
        return "yi5"
    return "yi2" if tone_at(j) == 4 else "yi4"
