"""Word segmentation and the split of a text into Han runs and everything else.

Words are cut as ``jieba.lcut(text, HMM=False)`` cuts them: jieba's dictionary, the graph of
every dictionary word in the text, and the route of highest probability through it. The
dictionary comes from the lexicon (``lexicon.py``), loaded by first character, so jieba itself
is only imported to build that cache. The HMM's invented words are left out on purpose: they
have no entry in any reading dictionary, and on the CPP data they cost accuracy.
"""

from __future__ import annotations

import re

from app.chinese import lexicon

#: Han characters: CJK unified ideographs with extension A and the compatibility block.
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def is_han(ch: str) -> bool:
    """Whether a single character is a Han character."""
    return bool(HAN_RUN.fullmatch(ch))


def cut(han_run: str, ensured: bool = False, exclude: str | None = None) -> list[str]:
    """Split a run of Han characters into words (see the module docstring).

    ``ensured`` says the caller has already loaded the lexicon shards for this text;
    ``exclude`` is a word not to use (to split a word into the smaller words it holds).
    """
    lex = lexicon.lexicon()
    if not ensured:
        lex.ensure(han_run)
    part, unknown = lex.words.part, lex.unknown_word
    n = len(han_run)
    # best[k] = (log probability of the best split of han_run[k:], end of its first word)
    best: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
    for k in range(n - 1, -1, -1):
        words = part(han_run[k])  # every word starting at k is in the shard of its first character
        choice = (unknown + best[k + 1][0], k)
        end = k + 1
        frag = han_run[k]
        while end <= n and frag in words:
            score = words[frag]
            if score is not None and frag != exclude:
                candidate = (score + best[end][0], end - 1)
                if candidate > choice or choice[1] == k and end - 1 == k:
                    choice = candidate
            end += 1
            frag = han_run[k:end]
        best[k] = choice
    out = []
    k = 0
    while k < n:
        end = best[k][1] + 1
        out.append(han_run[k:end])
        k = end
    return out


def load() -> None:
    """Load the lexicon that segmentation uses now rather than on the first text."""
    lexicon.lexicon()
