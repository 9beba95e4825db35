"""The text ``flask pinyin "文字"`` prints: annotation, tone sandhi and Palladius at a glance."""

from __future__ import annotations

from app.chinese.levels import hsk_level
from app.chinese.palladius import palladius
from app.chinese.pinyin import annotate, pinyin_text
from app.chinese.polyphones import Polyphone
from app.chinese.reading import analyse
from app.chinese.tones import numbered_to_marked


def describe(text: str) -> str:
    """Return the multi-line report of ``text`` that ``flask pinyin`` prints (no final newline).

    Lines: the text, its pinyin (written tones), the same after tone sandhi, the numbered
    syllables, Palladius, the words with pinyin and HSK level, and the polyphones with the
    reading chosen, who chose it and why (the dictionary phrase, the rule, the model's
    certainty), the alternatives and a mark where an author should confirm.
    """
    words = [w for w in annotate(text) if w.is_han]
    lines = [
        f"Text:       {text}",
        f"Pinyin:     {pinyin_text(text)}",
        f"Sandhi:     {pinyin_text(text, sandhi=True)}",
        f"Numbered:   {' '.join(' '.join(w.numbered) for w in words)}",
        f"Palladius:  {palladius(text)}",
    ]
    listed = []
    for w in words:
        level = hsk_level(w.text)
        listed.append(f"{w.text} {w.pinyin} [HSK {level if level else '-'}]")
    lines.append(f"Words:      {' | '.join(listed)}")
    flags = []
    for p in analyse(text).polyphones:
        if not p.alternatives:
            continue
        others = ", ".join(numbered_to_marked(a) for a in p.alternatives[:4])
        mark = " CHECK" if p.needs_review else ""
        flags.append(f"{p.char} {numbered_to_marked(p.chosen)} ({_why(p)}; also {others}){mark}")
    lines.append(f"Polyphones: {'; '.join(flags) if flags else '-'}")
    return "\n".join(lines)


def _why(p: Polyphone) -> str:
    """Who chose the reading and why: the dictionary phrase, the rule, the model's certainty."""
    if p.source == "phrase":
        return f"dictionary phrase {p.detail}"
    if p.source == "model":
        return f"context model, {p.detail} sure"
    if p.source == "rule":
        return f"rule: {p.reason}"
    return p.reason or p.source
