"""Word boundaries that jieba draws wrongly where the neighbouring words decide (``rules.resegment``
calls ``mend`` on each Han run after its own repairs).

jieba takes the likeliest route through its dictionary, so a word that only CC-CEDICT lists
loses to a jieba word that overlaps it, and a word that is a noun in one sentence is an
adverb and a modal in another. Each repair here is a general one, checked by what surrounds it:

* a one-syllable head and a locative word that jieba has (会上, 里面 …) where the head and the
  locative's first syllable are a dictionary noun: 年 会上 is 年会 上 (niánhuì shang);
* a locative compound (上车, 上书) after a place and before a degree word is the locative and a
  noun: 马路 上车 很多 is 马路 上 车 很多 (mǎlù shang chē hěn duō);
* 才能 "talent" before a verb or after a pronoun is the adverb 才 and the modal 能 (他才能回去
  cái néng, 我们才能发货);
* a doubled verb before 儿 whose erhua noun the dictionary lists is a verb and that noun:
  画画 儿 is 画 画儿 (huà huàr);
* a one-syllable verb and a directional complement that jieba joins and no dictionary lists
  (跑过来) are the verb and the complement, read as ``rules`` reads complements.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.chinese.grammar import PRONOUNS

if TYPE_CHECKING:
    from app.chinese.lexicon import Lexicon

#: Two-syllable directional complements (现代汉语词典 writes them neutral after a verb).
DIRECTIONAL = frozenset(
    ["上来", "上去", "下来", "下去", "进来", "进去", "出来", "出去", "回来", "回去", "过来", "过去"]
    + ["起来", "开来", "开去"]
)
#: Words of degree or quantity that a locative's noun can be the subject of (车很多, 人太多).
_DEGREE_AFTER = ("很", "太", "真", "挺", "非常", "特别", "比较", "多", "少", "不少", "不多")
_NOUN_TAGS = ("n", "s", "ns", "f")


def mend(words: list[str], lex: Lexicon) -> list[str]:
    """Redraw the boundaries of one run's words (see the module docstring)."""
    out: list[str] = []
    skip = False
    for i, word in enumerate(words):
        if skip:
            skip = False
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        last = out[-1] if out else None
        if last and _locative_after_head(last, word, lex):
            out[-1:] = [last + word[0], word[1]]
        elif last and _locative_and_noun(last, word, nxt, lex):
            out.extend([word[0], word[1]])
        elif word == "才能" and nxt and (_is_verb(nxt, lex) or last in PRONOUNS):
            out.extend(["才", "能"])
        elif nxt == "儿" and len(word) == 2 and word[0] == word[1] and _erhua_noun(word[0], lex):
            out.extend([word[0], word[0] + "儿"])
            skip = True
        elif _verb_and_direction(word, lex):
            out.extend([word[0], word[1:]])
        else:
            out.append(word)
    return out


def _is_verb(word: str, lex: Lexicon) -> bool:
    return word in lex.verbs or lex.tag(word, "").startswith("v")


def _locative_after_head(last: str, word: str, lex: Lexicon) -> bool:
    """年 + 会上 where 年会 is a dictionary noun and 会上 a locative phrase no dictionary lists."""
    if len(last) != 1 or len(word) != 2 or word[1] not in "上里" or lex.in_cedict(word):
        return False
    head = last + word[0]
    return lex.in_cedict(head) and lex.tag(head, "") in ("", "n")


def _locative_and_noun(last: str, word: str, nxt: str | None, lex: Lexicon) -> bool:
    """马路 + 上车 + 很多: a place, the locative, and a noun that what follows describes."""
    return (
        len(word) == 2
        and word[0] in "上里"
        and len(last) >= 2
        and lex.tag(last, "") in _NOUN_TAGS
        and not _is_verb(word[1], lex)
        and bool(nxt)
        and nxt.startswith(_DEGREE_AFTER)
    )


def _erhua_noun(ch: str, lex: Lexicon) -> bool:
    """Whether ch + 儿 is a dictionary noun read with erhua (画儿 huàr)."""
    return (lex.phrases.get(ch + "儿") or "").endswith("r5") and lex.tag(ch + "儿", "") == "n"


def _verb_and_direction(word: str, lex: Lexicon) -> bool:
    return (
        len(word) == 3
        and word[1:] in DIRECTIONAL
        and word[0] in lex.verbs
        and not lex.in_cedict(word)
    )
