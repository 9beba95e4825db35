"""Exercises made from a lesson's vocabulary and dialogue lines, for the trainer to review;
and the fields of each exercise kind in the editor's form."""

from __future__ import annotations

import random
import re
import unicodedata
from typing import Any

from app import chinese
from app.author.drafts import DraftInvalid, check_exercise
from app.author.live_pinyin import word_pinyin
from app.exercises import REGISTRY, Material, generating_kinds

#: the fields of each exercise kind, in form order (key and kind aside)
KIND_FIELDS: dict[str, tuple[str, ...]] = {name: kind.fields for name, kind in REGISTRY.items()}


def ascii_slug(text: str, fallback: str = "item") -> str:
    """A key from pinyin or any Latin text: `yínháng` → `yinhang`."""
    plain = unicodedata.normalize("NFKD", text.replace("ü", "v").replace("Ü", "v"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-")
    return slug or fallback


def generate_exercises(lesson: dict[str, Any], *, seed: int = 0) -> list[dict[str, Any]]:
    """Exercises made from the lesson's vocabulary and dialogue lines, for a trainer to review:
    meaning, hanzi, pinyin, listening and word order. Only valid ones are returned."""
    rng = random.Random(seed)
    words = lesson.get("vocabulary", [])
    existing = {e["key"] for e in lesson.get("exercises", [])}
    out: list[dict[str, Any]] = []

    def add(candidate: dict[str, Any]) -> None:
        if candidate["key"] in existing:
            return
        try:
            out.append(check_exercise(candidate))
            existing.add(candidate["key"])
        except DraftInvalid:
            pass

    def options(right: str, pool: list[str]) -> list[str]:
        others = [p for p in dict.fromkeys(pool) if p != right]
        rng.shuffle(others)
        picked = [right, *others[:3]]
        rng.shuffle(picked)
        return picked

    material = Material([w["ru"] for w in words], [w["hanzi"] for w in words], options)
    kinds = generating_kinds()
    for word in words:
        pinyin = word.get("pinyin") or word_pinyin(word["hanzi"])
        name = ascii_slug(pinyin)
        for kind in kinds:
            for candidate in kind.from_word(word, name, pinyin, material):
                add(candidate)
    sentences = [line for d in lesson.get("dialogues", []) for line in d["lines"]]
    sentences += [w for w in words if chinese.han_count(w["hanzi"]) >= 4]
    for line in sentences:
        name = ascii_slug(line.get("pinyin") or word_pinyin(line["hanzi"]))[:40].strip("-")
        for kind in kinds:
            for candidate in kind.from_sentence(line, name, material):
                add(candidate)
    return out
