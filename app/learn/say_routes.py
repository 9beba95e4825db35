"""Say it aloud: a word, a dialogue line or a say exercise, recorded in the page and read.

The page sends the recording (WAV made in the browser) with its CSRF token; the body is capped
before it is read, its size and length are checked before it is decoded, and the sound is
discarded once read. The answer is JSON for the page's script (js/kinds/say.js).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from app.audio import audio_dir
from app.exercises import get_kind
from app.exercises.kinds.say import heard_answer
from app.extensions import db, limiter
from app.forms import EmptyForm
from app.learn import answers, bp, lessons, say
from app.learn import api_schemas as s
from app.learn.routes import answer_payload
from app.models import Exercise
from app.openapi import Access, Refusal, documented
from app.ratelimits import user_or_address_key
from app.security import body_limit

#: the recording and a few form fields
SAY_BODY_MAX_BYTES = say.MAX_BYTES + 16 * 1024


def _say_limit() -> str:
    return current_app.config["SAY_LIMIT"]


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


def _wants_kept() -> bool:
    """The learner ticked «keep my recording» (otherwise it is discarded once read)."""
    return request.form.get("keep") == "1"


def _result_html(result: say.SayResult, kept: bool = False) -> str:
    return render_template("learn/_say_result.html", result=result, kept=kept)


def _recording_upload(responses: dict, body: type) -> Callable[[Callable], Callable]:
    """What every endpoint taking a recording has: sign-in, a rate limit per person, the body
    size limit, and its OpenAPI description (multipart, with those refusals)."""

    def wrap(view: Callable) -> Callable:
        view = limiter.limit(_say_limit, key_func=user_or_address_key)(login_required(view))
        return documented(
            "learn",
            Access.SIGNED_IN,
            responses,
            body=body,
            body_media="multipart/form-data",
            rate_limited=True,
            body_limited=True,
        )(body_limit(SAY_BODY_MAX_BYTES)(view))

    return wrap


@bp.route("/api/v1/items/<int:item_id>/say", methods=["POST"])
@_recording_upload({200: s.SayItemResult, 400: Refusal, 404: Refusal}, s.SayItemIn)
def say_item(item_id: int):
    """Read my recording of a word or a dialogue line: my tones over the reference's."""
    item, syllables = say.item_to_say(current_user, item_id)
    samples, refusal = _recording()
    if refusal:
        return refusal
    result = say.analyse(samples, syllables, item.hanzi, audio_dir())
    kept = _wants_kept()
    if kept:
        say.keep_take(current_user, samples, result, item.hanzi, item_id=item.id)
        db.session.commit()
    return jsonify(right=result.right, html=_result_html(result, kept))


@bp.route("/api/v1/exercises/<int:exercise_id>/say", methods=["POST"])
@_recording_upload(
    {200: s.SayExerciseResult, 400: Refusal, 403: Refusal, 404: Refusal}, s.SayExerciseIn
)
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
    kept = _wants_kept()
    if kept:
        prompt = exercise.data["prompt"]
        say.keep_take(current_user, samples, result, prompt, exercise_id=exercise.id)
    db.session.commit()
    return jsonify(answer_payload(exercise, outcome) | {"say_html": _result_html(result, kept)})


# --------------------------------------------------------------------------- kept takes


@bp.route("/me/recordings")
@login_required
def my_recordings():
    """The recordings I chose to keep: only I see them."""
    return render_template(
        "learn/recordings.html",
        takes=say.my_takes(current_user),
        form=EmptyForm(formdata=None),
        keep_max=say.KEEP_MAX,
    )


@bp.route("/me/recordings/<int:take_id>.mp3")
@login_required
def my_recording(take_id: int):
    """One of my kept recordings (404 for anyone else's)."""
    take = say.my_take(current_user, take_id)
    response = Response(take.data, mimetype="audio/mpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/me/recordings/<int:take_id>/delete", methods=["POST"])
@login_required
def delete_recording(take_id: int):
    """Delete one of my kept recordings."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    say.delete_take(current_user, take_id)
    db.session.commit()
    flash(_("Recording deleted."), "success")
    return redirect(url_for("learn.my_recordings"))
