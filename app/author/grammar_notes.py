"""Grammar notes of a draft lesson: title, Markdown explanation and examples."""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import NotFound

from app.author.drafts import clean_markdown, edit_lesson, save_lesson
from app.models import User


def save_grammar(
    actor: User,
    slug: str,
    lesson_slug: str,
    version: int | None,
    index: int | None,
    data: dict[str, Any],
) -> str:
    """Add a grammar note (`index` None) or replace note `index`; returns its title. English
    meanings of examples whose hanzi stay the same are kept (the editor does not show them)."""
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    notes = lesson.setdefault("grammar", [])
    if index is not None and not 0 <= index < len(notes):
        raise NotFound()
    old_en = {}
    if index is not None:
        old_en = {e["hanzi"]: e["en"] for e in notes[index].get("examples", []) if e.get("en")}
    examples = []
    for example in data.get("examples", []):
        example = dict(example)
        if example["hanzi"] in old_en:
            example["en"] = old_en[example["hanzi"]]
        examples.append(example)
    note = {
        "title": (data.get("title") or "").strip(),
        "body": clean_markdown(data.get("body")),
        "examples": examples,
    }
    if index is None:
        notes.append(note)
    else:
        notes[index] = note
    action = "grammar.add" if index is None else "grammar.edit"
    save_lesson(actor, course, draft, lesson_slug, action, {"grammar": note["title"]}, check=lesson)
    return note["title"]


def remove_grammar(actor: User, slug: str, lesson_slug: str, version: int, index: int) -> None:
    """Remove grammar note `index` from the draft."""
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    notes = lesson.get("grammar", [])
    if not 0 <= index < len(notes):
        raise NotFound()
    removed = notes.pop(index)
    save_lesson(
        actor,
        course,
        draft,
        lesson_slug,
        "grammar.remove",
        {"grammar": removed["title"]},
        check=lesson,
    )
