"""Phrases that jieba's dictionary holds as one word and GB/T 16159 writes as several.

jieba's dictionary has many short phrases (喝一杯, 坐车去, 来看, 往右, 两间房) that no
dictionary of words lists: CC-CEDICT lacks them and so do the HSK lists. Pinyin writes them
by their words (GB/T 16159 §5.1, §6.1.8: a measure word apart from its numeral and its noun, a
preposition apart from what it governs):

* a verb, 一 and a measure word (喝一杯 hē yī bēi), or a verb and a measure (喝杯 hē bēi);
* 来/去 and the verb it leads to (来看 lái kàn; 来过, 去过 are a verb and its particle);
* 往 and a direction (往右 wǎng yòu, 往前走 wǎng qián zǒu);
* a verb phrase and 来/去 (坐车去 zuò chē qù);
* a measure word and its noun after a numeral (两间房 liǎng jiān fáng).

A phrase that CC-CEDICT or the HSK lists hold (往前 "forward", 来往) stays whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.chinese.lexicon import Lexicon

#: Measure words (量词) that come between a numeral and a noun.
MEASURES = frozenset(
    "个位名家本张条只件次间种份双套句课页台辆层杯瓶碗盒箱把架座棵头匹封支门道顿场节篇首部片盘"
)
#: Directions after 往 (往左, 往里).
_DIRECTIONS = frozenset("左右前后东西南北上下里外")


def _listed(word: str) -> bool:
    from app.chinese.levels import hsk_level

    return hsk_level(word) is not None or hsk_level(word, "2021") is not None


def _dictionary(word: str, lex: Lexicon) -> bool:
    return lex.in_cedict(word) or _listed(word)


def split(word: str, lex: Lexicon) -> list[str] | None:
    """The words of a phrase written apart (see the module docstring), or None."""
    if len(word) < 2 or _dictionary(word, lex):
        return None
    head = word[0]
    if len(word) == 3 and word[1] == "一" and word[2] in MEASURES and head in lex.verbs:
        return [head, "一", word[2]]
    measure = len(word) == 2 and word[1] in MEASURES and lex.tag(word[1], "").startswith("q")
    if measure and head in lex.verbs and head not in "是有":
        return [head, word[1]]
    if len(word) == 2 and head in "来去" and word[1] in lex.verbs and word[1] != "过":
        return [head, word[1]]
    if head == "往" and word[1] in _DIRECTIONS:
        if len(word) == 2 or word[1:] in lex.tags:
            return ["往", word[1:]]  # 往右, 往左边
        return ["往", word[1], word[2:]]  # 往前走
    if len(word) == 3 and word[2] in "来去" and word[:2] in lex.tags and head in lex.verbs:
        if not _listed(word[:2]) and word[1] not in lex.verbs:
            return [head, word[1], word[2]]  # a verb and its object: 坐 车 去
        return [word[:2], word[2]]
    return None


def measure_and_noun(rest: str, lex: Lexicon) -> list[str] | None:
    """After a numeral, a measure word and a noun that jieba joined (间房 in 两间房)."""
    if len(rest) < 2 or rest[0] not in MEASURES or _dictionary(rest, lex):
        return None
    return [rest[0], rest[1:]] if rest[1:] in lex.tags else None
