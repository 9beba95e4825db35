"""The trainer's preview: the draft lesson through the learner's own lesson template
(`ui/_lesson_body.html`, no copy of it here); its exercises answer but record nothing."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.author import bp
from app.author.preview import PreviewExercise, check_preview_answer, lesson_preview
from app.author.routes.common import json_body, lesson_context
from app.exercises import get_kind
from app.forms import EmptyForm

_MAX_ANSWER = 500
_MAX_PARTS = 50


@bp.route("/c/<slug>/l/<lesson>/preview")
def preview(slug: str, lesson: str):
    """The draft lesson as a learner will see it, through the learner's own templates; the
    exercises answer but record nothing."""
    ctx = lesson_context(slug, lesson)
    page = lesson_preview(ctx["course"], ctx["draft"], ctx["lesson"])
    page.audio_keys = ctx["audio_keys"]
    for item in page.exercises:
        url = url_for("author.preview_answer", slug=slug, lesson=lesson, number=item["number"])
        item.update(answer_url=url, json_url=url, submission_id="", verdict=None)
    return render_template(
        "author/preview.html",
        **ctx,
        page=page,
        form=EmptyForm(formdata=None),
        display_form=None,
    )


def _preview_answer_value(multi: bool) -> Any:
    """The answer in a JSON body or a plain form, within the sizes a learner's answer has."""
    if request.is_json:
        answer = json_body().get("answer")
    elif multi:
        parts = sorted(
            (int(key[5:]), value)
            for key, value in request.form.items()
            if key.startswith("part-") and key[5:].isdigit()
        )
        answer = [value for _n, value in parts]
    else:
        answer = request.form.get("answer", "")
    if isinstance(answer, int) and not isinstance(answer, bool):
        answer = str(answer)
    if multi:
        if not isinstance(answer, list) or len(answer) > _MAX_PARTS:
            abort(400)
        if not all(isinstance(part, str) and len(part) <= _MAX_ANSWER for part in answer):
            abort(400)
    elif not isinstance(answer, str) or len(answer) > _MAX_ANSWER:
        abort(400)
    return answer


@bp.route("/c/<slug>/l/<lesson>/preview/exercises/<int:number>", methods=["POST"])
def preview_answer(slug: str, lesson: str, number: int):
    """Check an answer to a draft exercise in the preview; nothing is recorded."""
    ctx = lesson_context(slug, lesson)
    exercises = ctx["lesson"].get("exercises", [])
    if not 1 <= number <= len(exercises):
        abort(404)
    answer = _preview_answer_value(get_kind(exercises[number - 1]["kind"]).multi)
    data, verdict = check_preview_answer(ctx["lesson"], number, answer)
    if request.is_json:
        return jsonify(
            {
                "correct": verdict.correct,
                "html": render_template(
                    "ui/_verdict.html",
                    verdict=verdict,
                    exercise=PreviewExercise(number, data["kind"], data),
                ),
            }
        )
    if verdict.correct:
        flash(_("Right! (Preview: the answer is not recorded.)"), "success")
    else:
        flash(_("Not quite. Right answer: %(answer)s", answer=verdict.right_answer), "error")
    return redirect(url_for("author.preview", slug=slug, lesson=lesson, _anchor=f"ex-{number}"))
