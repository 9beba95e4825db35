"""What the editor's controllers share: the trainers' roles, the one answer to a refused draft
edit (someone saved first, or the draft would be invalid), the lesson page and its context."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.audio.clips import clip_keys
from app.author import bp, clips
from app.author.drafts import (
    DraftInvalid,
    VersionConflict,
    draft_of,
    get_course,
    lesson_of,
    lesson_version,
)
from app.author.forms import ItemForm, LessonForm, MoveForm, PasteForm, UploadForm
from app.author.live_pinyin import item_views
from app.author.paste import examples_text
from app.content.schema import EXERCISE_KINDS
from app.extensions import db
from app.forms import EmptyForm, posted
from app.openapi import Access, documented

#: `@documented` for the editor's JSON endpoints: all under "author", all for trainers
author_api = partial(documented, "author", Access.TRAINER)


def conflict_message(exc: VersionConflict) -> str:
    if exc.by:
        return _(
            "%(name)s saved this since you opened it. Your change was not saved: reload the "
            "page to see their version, then make your change again.",
            name=exc.by,
        )
    return _(
        "Someone saved this since you opened it. Your change was not saved: reload the page "
        "to see their version, then make your change again."
    )


@dataclass
class Refusal:
    """Why a draft edit was not saved: None while it was, else the status to answer with."""

    status: int | None = None

    def __bool__(self) -> bool:
        return self.status is not None


@contextmanager
def saving_draft(invalid_heading: str | None = None) -> Iterator[Refusal]:
    """Run a draft edit and commit it; when it is refused, say why and commit nothing.

    A stale version (`VersionConflict`) flashes who saved first and gives 409; an invalid draft
    (`DraftInvalid`) flashes its messages, after `invalid_heading` when given, and gives 422.
    The caller answers with `refusal.status` when the refusal is true.
    """
    refusal = Refusal()
    try:
        yield refusal
    except VersionConflict as exc:
        flash(conflict_message(exc), "error")
        refusal.status = 409
    except DraftInvalid as exc:
        if invalid_heading:
            flash(invalid_heading, "error")
        for message in exc.messages:
            flash(message, "error")
        refusal.status = 422
    else:
        db.session.commit()


def flash_form_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")


def form_refused(form, slug: str, lesson_slug: str, **again):
    """The lesson editor again (422) with the form's errors flashed; `again` as render_lesson's."""
    flash_form_errors(form)
    return render_lesson(slug, lesson_slug, 422, **again)


def lesson_url(slug: str, lesson: str, anchor: str | None = None) -> str:
    return url_for("author.lesson", slug=slug, lesson=lesson, _anchor=anchor)


def make_audio(texts: list[str]) -> None:
    """Queue the clips of `texts` (after the edit that added them is committed)."""
    clips.start_audio_build(current_user, texts)
    db.session.commit()


def json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400)
    return data


def lesson_context(slug: str, lesson_slug: str) -> dict[str, Any]:
    """What every page of a draft lesson shows: the course, the draft, the lesson with its
    version, its words and dialogues with their pinyin, and the audio clips there are."""
    course = get_course(current_user, slug)
    draft = draft_of(course)
    lesson = lesson_of(draft, lesson_slug)
    version = lesson_version(draft, lesson_slug)
    words, dialogues = item_views(lesson)
    texts = clips.lesson_texts(lesson)
    return {
        "course": course,
        "draft": draft,
        "lesson": lesson,
        "version": version,
        "words": words,
        "dialogues": dialogues,
        "audio_keys": clip_keys(texts),
        "texts": texts,
        "kinds": EXERCISE_KINDS,
        "button": EmptyForm(formdata=None),
    }


def render_lesson(slug: str, lesson_slug: str, status: int = 200, **forms):
    """The lesson editor; `forms` holds the submitted form to show again with its errors."""
    ctx = lesson_context(slug, lesson_slug)
    lesson, version = ctx["lesson"], ctx["version"]
    if "lesson_form" not in forms:
        forms["lesson_form"] = LessonForm(
            formdata=None,
            data={**lesson, "goals": "\n".join(lesson.get("goals", [])), "version": version},
        )
    forms.setdefault("item_form", ItemForm(formdata=None, version=version))
    forms.setdefault("paste_form", PasteForm(formdata=None, version=version))
    forms.setdefault("grammar_form", None)
    forms.setdefault("upload_form", UploadForm(formdata=None))
    forms.setdefault("dialogue_at", None)
    forms.setdefault("title_form", None)
    forms.setdefault("line_form", None)
    forms.setdefault("grammar_at", None)
    ctx["grammar_notes"] = [
        {**note, "examples_text": examples_text(note.get("examples", []))}
        for note in lesson.get("grammar", [])
    ]
    return render_template("author/lesson.html", **ctx, **forms), status


def button_action(slug: str, lesson: str, action, *args) -> Response:
    """A one-button edit of a lesson (move, remove): run it, then back to the lesson."""
    form = posted(MoveForm)
    with saving_draft():
        action(current_user, slug, lesson, form.version_number(), *args)
    return redirect(lesson_url(slug, lesson, request.args.get("at")))


def add_move_and_remove(name: str, path: str, move, remove) -> None:
    """Register the up/down and remove buttons of one kind of lesson entry.

    POST `<path>/move` (endpoint `author.move_<name>`, the form's `direction` is "up" or
    "down") and POST `<path>/remove` (`author.remove_<name>`); `path` ends in the entry's key
    parameter, which is handed to `move(…, key, delta)` and `remove(…, key)`.
    """

    def move_view(slug: str, lesson: str, **key: str) -> Response:
        delta = -1 if request.form.get("direction") == "up" else 1
        return button_action(slug, lesson, move, *key.values(), delta)

    def remove_view(slug: str, lesson: str, **key: str) -> Response:
        return button_action(slug, lesson, remove, *key.values())

    move_view.__doc__ = f"Move a {name} one place up or down."
    remove_view.__doc__ = f"Remove a {name} (retired on publishing)."
    for verb, view in (("move", move_view), ("remove", remove_view)):
        bp.add_url_rule(f"{path}/{verb}", f"{verb}_{name}", view, methods=["POST"])
