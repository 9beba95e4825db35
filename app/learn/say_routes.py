"""Say it aloud: a word, a dialogue line or a say exercise, recorded in the page and read.

The page sends the recording (WAV made in the browser) with its CSRF token; the body is capped
before it is read, its size and length are checked before it is decoded, and the sound is
discarded once read. The answer is JSON for the page's script (js/kinds/say.js).
"""

from __future__ import annotations

import uuid

from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from app.audio import audio_dir
from app.exercises import get_kind
from app.exercises.kinds.say import heard_answer
from app.extensions import db, limiter
from app.learn import answers, bp, lessons, say
from app.learn.routes import answer_payload
from app.models import Exercise
from app.ratelimits import user_or_address_key
from app.security import body_limit

#: the recording and a few form fields
SAY_BODY_MAX_BYTES = say.MAX_BYTES + 16 * 1024


def _say_limit() -> str:
    return current_app.config.get("SAY_LIMIT", "30 per minute")


def _refused(code: str, status: int = 400):
    messages = {
        "empty": _("Nothing was recorded. Try again, a little closer to the microphone."),
        "too large": _("The recording is too large."),
        "too long": _("The recording is longer than 15 seconds."),
        "not audio": _("The recording could not be read. Try again."),
        "locked": _("Finish the previous lesson first."),
    }
    return jsonify(error=messages[code]), status


def _recording():
    """The samples of the uploaded recording, or a refusal (the response to return)."""
    upload = request.files.get("recording")
    data = upload.stream.read(say.MAX_BYTES + 1) if upload else b""
    try:
        return say.read_recording(data), None
    except say.RecordingError as error:
        status = 413 if error.code == "too large" else 400
        return None, _refused(error.code, status)


def _result_html(result: say.SayResult) -> str:
    return render_template("learn/_say_result.html", result=result)


@bp.route("/api/v1/items/<int:item_id>/say", methods=["POST"])
@body_limit(SAY_BODY_MAX_BYTES)
@limiter.limit(_say_limit, key_func=user_or_address_key)
@login_required
def say_item(item_id: int):
    """Read my recording of a word or a dialogue line: my tones over the reference's."""
    item, syllables = say.item_to_say(current_user, item_id)
    samples, refusal = _recording()
    if refusal:
        return refusal
    result = say.analyse(samples, syllables, item.hanzi, audio_dir())
    return jsonify(right=result.right, html=_result_html(result))


@bp.route("/api/v1/exercises/<int:exercise_id>/say", methods=["POST"])
@body_limit(SAY_BODY_MAX_BYTES)
@limiter.limit(_say_limit, key_func=user_or_address_key)
@login_required
def say_exercise(exercise_id: int):
    """Answer a say exercise with my recording: the tones heard are my answer."""
    exercise = db.session.get(Exercise, exercise_id)
    if exercise is None or exercise.kind != "say" or exercise.retired_at is not None:
        raise NotFound()
    try:
        lessons.get_open_lesson(current_user, exercise.lesson_id)
    except lessons.LessonLocked:
        return _refused("locked", 403)
    try:
        submission_id = str(uuid.UUID(request.form.get("submission_id", "")))
    except ValueError:
        return jsonify(error=_("Reload the page and try again.")), 400
    samples, refusal = _recording()
    if refusal:
        return refusal
    syllables = get_kind(exercise.kind).syllables(exercise.data)
    result = say.analyse(samples, syllables, exercise.data["prompt"], audio_dir())
    outcome = answers.submit_answer(
        current_user, exercise.id, heard_answer(result.heard), submission_id, heard=True
    )
    db.session.commit()
    return jsonify(answer_payload(exercise, outcome) | {"say_html": _result_html(result)})
