"""Words, phrases and dialogues of a draft lesson: adding, editing, moving, removing items;
renaming dialogues, their lines and the glosses learners see when they tap a word."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.exceptions import NotFound

from app.author.drafts import edit_lesson, save_lesson, swap
from app.models import ItemKind, User


def _item_entry(data: dict[str, Any], kind: str) -> dict[str, Any]:
    """An item as the course file writes it; pinyin only when a person chose or typed it."""
    entry: dict[str, Any] = {}
    if kind == ItemKind.LINE:
        entry["speaker"] = data["speaker"].strip()
    entry["hanzi"] = data["hanzi"].strip()
    pinyin = (data.get("pinyin") or "").strip()
    if pinyin and data.get("pinyin_locked"):
        entry["pinyin"] = pinyin
    entry["ru"] = data["ru"].strip()
    if (data.get("en") or "").strip():
        entry["en"] = data["en"].strip()
    if kind == ItemKind.WORD:
        entry["pos"] = data.get("pos") or "phrase"
        if (data.get("notes") or "").strip():
            entry["notes"] = data["notes"].strip()
        if data.get("passive"):
            entry["passive"] = True
        if data.get("key"):
            entry["key"] = data["key"]
    return entry


def _find_item(lesson: dict[str, Any], ref: str) -> tuple[list, int]:
    """The list holding item `ref` (`v3`: word 3; `d1.2`: dialogue 1, line 2) and its index."""
    match = re.fullmatch(r"v(\d+)|d(\d+)\.(\d+)", ref)
    if match is None:
        raise NotFound()
    try:
        if match.group(1) is not None:
            items, index = lesson["vocabulary"], int(match.group(1))
        else:
            items, index = lesson["dialogues"][int(match.group(2))]["lines"], int(match.group(3))
        items[index]
    except (IndexError, KeyError):
        raise NotFound() from None
    return items, index


def add_items(
    actor: User,
    slug: str,
    lesson_slug: str,
    version: int | None,
    words: list[dict[str, Any]],
    dialogue: dict[str, Any] | None = None,
) -> list[str]:
    """Add words (and/or a dialogue with its lines) to a lesson; returns their hanzi."""
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    added = []
    for word in words:
        lesson["vocabulary"].append(_item_entry(word, ItemKind.WORD))
        added.append(word["hanzi"].strip())
    if dialogue is not None:
        keys = {d["key"] for d in lesson["dialogues"]}
        n = len(lesson["dialogues"]) + 1
        while f"dialogue-{n}" in keys:
            n += 1
        lines = [_item_entry(line, ItemKind.LINE) for line in dialogue["lines"]]
        lesson["dialogues"].append(
            {"key": f"dialogue-{n}", "title": dialogue["title"].strip(), "lines": lines}
        )
        added += [line["hanzi"] for line in lines]
    save_lesson(actor, course, draft, lesson_slug, "items.add", {"items": added}, check=lesson)
    return added


def item_at(lesson: dict[str, Any], ref: str) -> dict[str, Any]:
    items, index = _find_item(lesson, ref)
    return items[index]


def update_item(
    actor: User, slug: str, lesson_slug: str, version: int, ref: str, data: dict[str, Any]
) -> str:
    """Change one item; its key stays, so learners keep their cards when the meaning changes."""
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    items, index = _find_item(lesson, ref)
    old = items[index]
    kind = ItemKind.LINE if ref.startswith("d") else ItemKind.WORD
    entry = _item_entry({**data, "key": old.get("key")}, kind)
    if kind == ItemKind.WORD and "key" not in entry and entry["hanzi"] != old["hanzi"]:
        # the hanzi was the identity: keep the old one's cards only when it was a slug key
        pass
    changed = sorted(k for k in set(entry) | set(old) if entry.get(k) != old.get(k))
    items[index] = entry
    save_lesson(
        actor,
        course,
        draft,
        lesson_slug,
        "item.edit",
        {"item": entry["hanzi"], "fields": changed},
        check=lesson,
    )
    return entry["hanzi"]


def remove_item(actor: User, slug: str, lesson_slug: str, version: int, ref: str) -> None:
    """Remove an item from the draft (publishing retires it; cards and history stay)."""
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    items, index = _find_item(lesson, ref)
    removed = items.pop(index)
    if ref.startswith("d") and not items:
        lesson["dialogues"] = [d for d in lesson["dialogues"] if d["lines"]]
    save_lesson(
        actor, course, draft, lesson_slug, "item.remove", {"item": removed["hanzi"]}, check=lesson
    )


def move_item(actor: User, slug: str, lesson_slug: str, version: int, ref: str, delta: int) -> None:
    """Move an item up (-1) or down (+1) within its list."""
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    items, index = _find_item(lesson, ref)
    target = swap(items, index, delta)
    if target is not None:
        save_lesson(
            actor, course, draft, lesson_slug, "item.move", {"item": items[target]["hanzi"]}
        )


# --------------------------------------------------------------------------- dialogues


def _dialogue(lesson: dict[str, Any], index: int) -> dict[str, Any]:
    dialogues = lesson.get("dialogues", [])
    if not 0 <= index < len(dialogues):
        raise NotFound()
    return dialogues[index]


def rename_dialogue(
    actor: User, slug: str, lesson_slug: str, version: int | None, index: int, title: str
) -> None:
    """Change the title of dialogue `index` (its key, and so its lines' identity, stays)."""
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    dialogue = _dialogue(lesson, index)
    old, dialogue["title"] = dialogue["title"], (title or "").strip()
    save_lesson(
        actor,
        course,
        draft,
        lesson_slug,
        "dialogue.edit",
        {"dialogue": dialogue["key"], "from": old, "to": dialogue["title"]},
        check=lesson,
    )


class GlossRefused(Exception):
    """A gloss override for a word the dialogue does not contain."""


def set_gloss(
    actor: User,
    slug: str,
    lesson_slug: str,
    version: int | None,
    index: int,
    word: str,
    meaning: str,
) -> None:
    """Set (or, with an empty meaning, remove) the Russian gloss of `word` in dialogue `index`:
    learners see it when they tap the word, once the course is published."""
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    dialogue = _dialogue(lesson, index)
    word, meaning = (word or "").strip(), " ".join((meaning or "").split())
    if not any(word in line.get("hanzi", "") for line in dialogue.get("lines", [])):
        raise GlossRefused(word)
    glosses = dict(dialogue.get("glosses") or {})
    before = glosses.get(word)
    if meaning:
        glosses[word] = meaning
    else:
        glosses.pop(word, None)
    if glosses:
        dialogue["glosses"] = glosses
    else:
        dialogue.pop("glosses", None)
    save_lesson(
        actor,
        course,
        draft,
        lesson_slug,
        "gloss.edit",
        {"dialogue": dialogue["key"], "word": word, "before": before, "after": meaning or None},
        check=lesson,
    )


def add_line(
    actor: User, slug: str, lesson_slug: str, version: int | None, index: int, data: dict
) -> str:
    """Add one line (speaker, hanzi, meaning) at the end of dialogue `index`; returns its hanzi."""
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    dialogue = _dialogue(lesson, index)
    entry = _item_entry(data, ItemKind.LINE)
    dialogue["lines"].append(entry)
    save_lesson(
        actor,
        course,
        draft,
        lesson_slug,
        "items.add",
        {"dialogue": dialogue["key"], "items": [entry["hanzi"]]},
        check=lesson,
    )
    return entry["hanzi"]
