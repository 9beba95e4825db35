"""Exercises in the editor: one kind's form with a live preview, moving and removing, and the
exercises generated from the lesson for the trainer to keep."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.audio.clips import clip_keys
from app.author import bp, lesson_exercises
from app.author.api_schemas import ExercisePreview, ExercisePreviewIn
from app.author.drafts import DraftInvalid, check_exercise
from app.author.forms import ExerciseForm, MoveForm
from app.author.generation import KIND_FIELDS, generate_exercises
from app.author.preview import PreviewExercise
from app.author.routes.common import (
    add_move_and_remove,
    author_api,
    lesson_context,
    lesson_url,
    saving_draft,
)
from app.content.schema import EXERCISE_KINDS
from app.exercises import get_kind
from app.openapi import FORM, Refusal


def _exercise_page(ctx, form: ExerciseForm, kind: str, key: str | None, status: int = 200):
    fields = KIND_FIELDS[kind]
    preview = None
    try:
        data = check_exercise(form.exercise_data(fields))
        preview = _exercise_preview(data)
    except DraftInvalid:
        pass
    return (
        render_template(
            "author/exercise.html",
            **ctx,
            form=form,
            kind=kind,
            key=key,
            fields=fields,
            preview=preview,
        ),
        status,
    )


def _exercise_preview(data: dict[str, Any], number: int = 1) -> Markup:
    """What the learner sees for this exercise, rendered by the learner's own macro, shown
    outside any form (the editor and the generator hold it inside theirs)."""
    view = get_kind(data["kind"]).render(data, seed=1)
    item = {
        "exercise": PreviewExercise(number, data["kind"], data),
        "view": view,
        "submission_id": "",
        "verdict": None,
    }
    texts = get_kind(data["kind"]).speech(data) + [data.get("prompt") or ""]
    # rendered by Jinja with autoescaping: already safe HTML
    return Markup(  # noqa: S704
        render_template(
            "author/_preview_exercise.html",
            item=item,
            number=number,
            audio_keys=clip_keys(texts),
        )
    )


def _fill_form(ctx, form: ExerciseForm, kind: str, key: str | None) -> None:
    """The form of an exercise as the draft holds it, or a new one of `kind` with a free key."""
    if key is not None:
        form.fill(lesson_exercises.exercise_at(ctx["lesson"], key))
    else:
        form.kind.data = kind
        form.key.data = f"{kind.replace('_', '-')}-{len(ctx['lesson']['exercises']) + 1}"
    form.version.data = ctx["version"]


def _save_exercise(slug: str, lesson: str, kind: str, key: str | None):
    if kind not in EXERCISE_KINDS:
        abort(404)
    ctx = lesson_context(slug, lesson)
    form = ExerciseForm()
    if request.method == "GET":
        wanted = request.args.get("kind")
        if key is None and wanted in EXERCISE_KINDS and wanted != kind:
            return redirect(url_for("author.new_exercise", slug=slug, lesson=lesson, kind=wanted))
        _fill_form(ctx, form, kind, key)
        return _exercise_page(ctx, form, kind, key)
    form.kind.data = kind
    if not form.validate_on_submit():
        return _exercise_page(ctx, form, kind, key, 422)
    with saving_draft() as refused:
        lesson_exercises.save_exercise(
            current_user,
            slug,
            lesson,
            form.version_number(),
            form.exercise_data(KIND_FIELDS[kind]),
            old_key=key,
        )
    if refused:
        return _exercise_page(ctx, form, kind, key, refused.status)
    flash(_("The exercise is saved in the draft."), "success")
    return redirect(lesson_url(slug, lesson, "exercises"))


@bp.route("/c/<slug>/l/<lesson>/exercises/new/<kind>", methods=["GET", "POST"])
def new_exercise(slug: str, lesson: str, kind: str):
    """A new exercise of one kind, with a live preview."""
    return _save_exercise(slug, lesson, kind, None)


@bp.route("/c/<slug>/l/<lesson>/exercises/<key>", methods=["GET", "POST"])
def exercise(slug: str, lesson: str, key: str):
    """Edit an exercise, with a live preview."""
    ctx = lesson_context(slug, lesson)
    kind = lesson_exercises.exercise_at(ctx["lesson"], key)["kind"]
    return _save_exercise(slug, lesson, kind, key)


add_move_and_remove(
    "exercise",
    "/c/<slug>/l/<lesson>/exercises/<key>",
    lesson_exercises.move_exercise,
    lesson_exercises.remove_exercise,
)


def _kept() -> list[dict[str, Any]]:
    """The generated exercises the trainer ticked (each posted as its JSON)."""
    chosen = []
    for raw in request.form.getlist("keep"):
        try:
            chosen.append(json.loads(raw))
        except ValueError:
            abort(400)
    return chosen


@bp.route("/c/<slug>/l/<lesson>/generate", methods=["GET", "POST"])
def generate(slug: str, lesson: str):
    """Exercises made from the lesson's vocabulary, for the trainer to review and keep."""
    ctx = lesson_context(slug, lesson)
    form = MoveForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        chosen = _kept()
        with saving_draft() as refused:
            kept = lesson_exercises.keep_exercises(
                current_user, slug, lesson, form.version_number(), chosen
            )
        if refused:
            return redirect(url_for("author.generate", slug=slug, lesson=lesson))
        flash(_("Kept %(n)d exercises.", n=kept), "success")
        return redirect(lesson_url(slug, lesson, "exercises"))
    candidates = [
        (data, json.dumps(data, ensure_ascii=False), _exercise_preview(data, number))
        for number, data in enumerate(generate_exercises(ctx["lesson"]), start=1)
    ]
    form.version.data = ctx["version"]
    return render_template("author/generate.html", **ctx, form=form, candidates=candidates)


@bp.route("/api/preview/exercise", methods=["POST"])
@author_api(
    {200: ExercisePreview, 400: Refusal},
    body=ExercisePreviewIn,
    body_media=FORM,
)
def api_exercise_preview():
    """What the learner will see for the exercise in the form, or why it is not valid yet."""
    form = ExerciseForm()
    kind = form.kind.data
    if kind not in EXERCISE_KINDS:
        abort(400)
    try:
        data = check_exercise(form.exercise_data(KIND_FIELDS[kind]))
    except DraftInvalid as exc:
        return jsonify({"ok": False, "errors": exc.messages})
    return jsonify({"ok": True, "html": str(_exercise_preview(data))})
