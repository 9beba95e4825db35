"""Qiao's Chinese engine: pinyin in context, tone sandhi, tone colours, Palladius, levels.

A pure library: it imports neither Flask nor the database. Dictionaries, jieba and the
context model load lazily, once per process, on first use (``load()`` does it up front).
"""

from app.chinese.describe import describe
from app.chinese.glosses import Gloss, RussianGloss, gloss, gloss_en, russian_glosses
from app.chinese.input import Verdict, check_pinyin_answer, normalize_pinyin, split_pinyin
from app.chinese.levels import hsk_level, level_profile, word_level
from app.chinese.palladius import palladius
from app.chinese.pinyin import Word, annotate, han_count, pinyin_text, syllables
from app.chinese.polyphones import Polyphone
from app.chinese.reading import analyse, load
from app.chinese.render import ruby_char, ruby_html
from app.chinese.tones import marked_to_numbered, numbered_to_marked, tone_class


def polyphones(text: str) -> list[Polyphone]:
    """Return the polyphones of ``text`` in order: index, character, chosen numbered reading,
    alternatives, who decided (phrase / rule / model / default) and whether to confirm it."""
    return list(analyse(text).polyphones)


__all__ = [
    "Gloss",
    "Polyphone",
    "Verdict",
    "Word",
    "annotate",
    "check_pinyin_answer",
    "describe",
    "gloss",
    "gloss_en",
    "russian_glosses",
    "RussianGloss",
    "han_count",
    "hsk_level",
    "level_profile",
    "load",
    "marked_to_numbered",
    "normalize_pinyin",
    "numbered_to_marked",
    "palladius",
    "pinyin_text",
    "polyphones",
    "ruby_char",
    "ruby_html",
    "split_pinyin",
    "syllables",
    "tone_class",
    "word_level",
]
