"""Load the read-only language data up front: the lexicon, jieba's graph, the pinyin phrase
tables, the CC-CEDICT glosses and g2pM's weights.

gunicorn's master calls `preload()` before it forks its workers (deploy/gunicorn.conf.py), so
the workers share these pages with it instead of each loading its own copy on first use.
"""

from __future__ import annotations

#: a line that goes through every loader: segmentation, a polyphone for the context model
#: (行 in 银行 / 行不行), tone sandhi, Palladius and the Russian glosses
SAMPLE = "我们明天去银行开会，行不行？王经理在北京工作。"


def preload() -> None:
    """Load every lazily built table and model once, in this process."""
    from app import chinese
    from app.chinese import context, glosses, lexicon

    lexicon._LEXICON.get()
    glosses._CEDICT.get()
    context.model()
    words = chinese.annotate(SAMPLE)
    chinese.polyphones(SAMPLE)
    chinese.palladius(chinese.pinyin_text(SAMPLE))
    chinese.russian_glosses([w.text for w in words])
    chinese.gloss_en("银行")
