"""Polyphones (多音字): which reading a character takes in context, and the flags for authors.

The policy (``reading.py`` applies it), measured on the CPP dev split and on our business and
daily-life gold set with ``bench/pinyin.py``:

1. A polyphone inside a word of the phrase dictionary takes the dictionary's reading: words
   are where the context model is weakest on business text (it reads 行长 as xíngcháng).
2. A polyphone that stands alone as a word (长, 得, 数, 还 ...) takes the reading its
   neighbours force, where a grammatical rule covers it (``grammar.py``: 很长 cháng, 我得走
   děi, 数一下 shǔ).
   Readings the dictionaries give but phrase data misses (neutral tones of locatives and
   repeated verbs, 多少 duōshao, 没 méi, 少 shǎo, a surname's reading) come from ``rules.py``,
   which overrides the phrase data for these few general cases.
3. Otherwise an undecided polyphone goes to the context model (g2pM's BiLSTM, ``context.py``),
   restricted to the character's own readings.
4. For a character outside the HSK character lists (names, terms), a model at least
   ``reading.RARE_OVERRIDE`` sure overrides the phrase dictionary, whose data is weakest there.
5. Anything else takes the character's first dictionary reading.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Below this probability a model's choice is flagged for a human to confirm.
REVIEW_BELOW = 0.9


@dataclass(frozen=True)
class Polyphone:
    """A character with more than one plausible reading, as the engine resolved it.

    ``index`` is the position in the text, ``chosen`` the numbered reading used,
    ``alternatives`` the other readings the character has, ``source`` says who decided
    (``"phrase"`` for the phrase dictionary, ``"model"`` for the context model, ``"default"``
    for the character's most common reading), ``confidence`` the model's probability
    (1.0 for the dictionary) and ``needs_review`` whether an author should confirm it.
    ``source`` may also be ``"rule"`` (``grammar.py`` or ``rules.py``).
    """

    index: int
    char: str
    chosen: str
    alternatives: tuple[str, ...]
    source: str
    confidence: float
    needs_review: bool
    #: why this reading (English, translatable: ``rules.REASONS``) and a detail: the
    #: dictionary phrase that gave it, or the model's probability
    reason: str = ""
    detail: str = ""
