"""The pinyin a learner will see, computed live for the editor: readings, polyphones with
their alternatives and the reason for each reading, HSK level, Palladius."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from app import chinese
from app.chinese.rules import DEFAULT as DEFAULT_REASON


def word_pinyin(hanzi: str) -> str:
    """The generated pinyin of a vocabulary entry (no sentence capital), as the importer does."""
    return " ".join(w.pinyin for w in chinese.annotate(hanzi) if w.is_han)


def reading_reason(polyphone: chinese.Polyphone) -> str:
    """Why the engine read a polyphone as it did, in the interface language."""
    if polyphone.source == "phrase":
        return gettext("dictionary phrase %(word)s", word=polyphone.detail)
    if polyphone.source == "model":
        return gettext("context model, %(sure)s sure", sure=polyphone.detail)
    if polyphone.reason:
        return gettext("rule: %(rule)s", rule=gettext(polyphone.reason))
    return gettext(DEFAULT_REASON)


def pinyin_info(hanzi: str, *, sentence: bool, choices: dict[int, str] | None = None) -> dict:
    """Live pinyin for the editor: the reading (with chosen polyphone readings), the polyphones
    with their alternatives, HSK level and Palladius."""
    from app.chinese.pinyin import assemble
    from app.chinese.tones import join_marked

    hanzi = (hanzi or "").strip()[:500]
    if not chinese.han_count(hanzi):
        return {"pinyin": "", "polyphones": [], "hsk": None, "palladius": ""}
    choices = choices or {}
    words = chinese.annotate(hanzi)
    polyphones = []
    for word in words:
        for p in word.polyphones:
            options = [p.chosen, *p.alternatives]
            chosen = choices.get(p.index, p.chosen)
            if chosen not in options:
                chosen = p.chosen
            polyphones.append(
                {
                    "index": p.index,
                    "char": p.char,
                    "chosen": chosen,
                    "options": [
                        {"value": o, "label": chinese.numbered_to_marked(o)} for o in options
                    ],
                    "review": p.needs_review,
                    "why": reading_reason(p) if chosen == p.chosen else gettext("your choice"),
                }
            )

    def spell(word) -> str:
        picked = [
            (p.index - word.start, choices[p.index])
            for p in word.polyphones
            if choices.get(p.index) not in (None, p.chosen)
        ]
        if not picked:
            return word.pinyin
        marked = list(word.marked)
        for offset, numbered in picked:
            marked[offset] = chinese.numbered_to_marked(numbered)
        return join_marked(marked)

    pinyin = assemble(words, spell) if sentence else " ".join(spell(w) for w in words if w.is_han)
    return {
        "pinyin": pinyin,
        "polyphones": polyphones,
        "hsk": chinese.hsk_level(hanzi),
        "palladius": chinese.palladius(hanzi),
    }


@dataclass
class ItemView:
    ref: str
    entry: dict[str, Any]
    pinyin: str
    locked: bool
    hsk: int | None
    palladius: str
    #: polyphones the engine was not sure about and nobody confirmed
    review: list[str]


def item_views(lesson: dict[str, Any]) -> tuple[list[ItemView], list[tuple[dict, list[ItemView]]]]:
    """The lesson's words and dialogues with the pinyin a learner will see."""

    def view(ref: str, entry: dict[str, Any], sentence: bool) -> ItemView:
        locked = bool(entry.get("pinyin"))
        info = pinyin_info(entry["hanzi"], sentence=sentence)
        review = [] if locked else [p["char"] for p in info["polyphones"] if p["review"]]
        return ItemView(
            ref,
            entry,
            entry.get("pinyin") or info["pinyin"],
            locked,
            entry.get("hsk") or info["hsk"],
            info["palladius"],
            review,
        )

    words = [view(f"v{i}", w, False) for i, w in enumerate(lesson.get("vocabulary", []))]
    dialogues = [
        (d, [view(f"d{di}.{li}", line, True) for li, line in enumerate(d["lines"])])
        for di, d in enumerate(lesson.get("dialogues", []))
    ]
    return words, dialogues
