"""The learner's pages: dashboard, catalogue, courses, lessons, exercises and certificates."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial, wraps

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.exercises import AnswerError
from app.extensions import db, limiter
from app.forms import EmptyForm, posted
from app.learn import activity, answers, bp, certificates, courses, lessons, pages, preferences
from app.learn import api_schemas as s
from app.learn.forms import DisplayForm
from app.links import external_url
from app.models import Lesson, Role, User
from app.openapi import Access, Refusal, documented
from app.ratelimits import user_or_address_key
from app.security import body_limit

#: an answer request is a few strings: anything bigger is refused before it is read
ANSWER_MAX_BYTES = 16 * 1024


@bp.route("/")
@login_required
def dashboard():
    """The home page: what to do today."""
    from app.learn import goals, path

    learner = current_user.has_role(Role.LEARNER)
    return render_template(
        "learn/dashboard.html",
        data=activity.dashboard(current_user),
        goal=goals.today(current_user) if learner else None,
        path=path.recommended(current_user, courses.visible_courses(current_user))
        if learner
        else [],
    )


@bp.route("/courses")
@login_required
def catalogue():
    """Courses visible to my company, with my progress."""
    return render_template(
        "learn/catalogue.html", rows=courses.catalogue(current_user), form=EmptyForm(formdata=None)
    )


@bp.route("/courses/<int:course_id>/enroll", methods=["POST"])
@login_required
def enroll(course_id: int):
    """Enrol myself in a course."""
    posted()
    courses.enroll(current_user, course_id)
    db.session.commit()
    flash(_("You are enrolled. Start with the first lesson."), "success")
    return redirect(url_for("learn.course", course_id=course_id))


@bp.route("/courses/<int:course_id>")
@login_required
def course(course_id: int):
    """A course: its lessons, their state and what unlocks next."""
    course = courses.get_course(current_user, course_id)
    return render_template(
        "learn/course.html",
        page=lessons.course_page(current_user, course),
        form=EmptyForm(formdata=None),
    )


@bp.route("/lessons/<int:lesson_id>")
@login_required
def lesson(lesson_id: int):
    """A lesson: goals, vocabulary, dialogue, grammar and exercises."""
    user = current_user._get_current_object()  # not the proxy: the page reads it often
    opened = lessons.open_for_page(user, lesson_id)
    lesson = opened.lesson
    if lesson is None:
        flash(_("Finish the previous lesson first."), "info")
        lesson = courses.get_lesson(current_user, lesson_id)
        return redirect(url_for("learn.course", course_id=lesson.course_id))
    if opened.recorded:
        db.session.commit()  # the first visit records my progress and enrolment
    if opened.known:
        page = pages.lesson_page(
            user, lesson, progress=opened.progress, next_lesson=opened.next_lesson
        )
    else:
        page = pages.lesson_page(user, lesson)
    return render_template(
        "learn/lesson.html",
        page=page,
        form=EmptyForm(formdata=None),
        display_form=partial(_display_form, user),
        display_next=_display_next(),
    )


def _display_next() -> str:
    return request.full_path.rstrip("?")


def _display_form(user: User) -> DisplayForm:
    """The display settings form, made only when the page's cached copy is missing."""
    display = DisplayForm(formdata=None, obj=user)
    display.next.data = _display_next()
    return display


def _answer_refused(message: str, status: int = 400):
    """A refused answer: JSON for the page's script, else the lesson page's error message."""
    if request.path.startswith("/api/"):
        return jsonify(error=message), status
    return render_template(
        "errors/error.html", status=status, title=_("Answer not accepted"), message=message
    ), status


def _answer_error_message(error: AnswerError) -> str:
    if error.code == "too long":
        return _("The answer is too long.")
    return _("The answer could not be understood. Reload the page and answer again.")


def _submit(exercise_id: int):
    from app.exercises import get_kind
    from app.models import Exercise

    exercise = db.get_or_404(Exercise, exercise_id)
    kind = get_kind(exercise.kind)
    if request.is_json:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            abort(400)
        answer = payload.get("answer")
        submission_id = str(payload.get("submission_id") or "")
        duration = payload.get("duration_ms")
    else:
        answer = kind.form_answer(request.form)
        submission_id = request.form.get("submission_id", "")
        duration = request.form.get("duration_ms", type=int)
    try:
        submission_id = str(uuid.UUID(submission_id))
    except ValueError:
        abort(400)
    try:
        result = answers.submit_answer(
            current_user,
            exercise_id,
            answer,
            submission_id,
            duration if isinstance(duration, int) and not isinstance(duration, bool) else None,
        )
    except AnswerError as error:
        db.session.rollback()
        return exercise, _answer_refused(_answer_error_message(error))
    except lessons.LessonLocked:
        db.session.rollback()
        return exercise, _answer_refused(_("Finish the previous lesson first."), 403)
    db.session.commit()
    return exercise, result


def _answer_limit() -> str:
    from flask import current_app

    return current_app.config["ANSWER_LIMIT"]


def _answering(view):
    """What both answer endpoints need: a signed-in learner, a small body, a rate limit."""
    return body_limit(ANSWER_MAX_BYTES)(
        limiter.limit(_answer_limit, key_func=user_or_address_key)(login_required(view))
    )


def _completion_message(result: answers.AnswerResult) -> str | None:
    """What to tell a learner whose answer completed the course or the lesson."""
    if result.course_completed_now:
        return _("Congratulations! You have completed the course; your certificate is ready.")
    if result.lesson_completed_now:
        return _("Lesson complete!")
    return None


@bp.route("/exercises/<int:exercise_id>/answer", methods=["POST"])
@_answering
def answer(exercise_id: int):
    """Answer an exercise with a plain form (no JavaScript): back to the lesson, with feedback."""
    exercise, result = _submit(exercise_id)
    if not isinstance(result, answers.AnswerResult):
        return result
    if message := _completion_message(result):
        flash(message, "success")
    anchor = "lesson-summary" if result.lesson_completed_now else f"ex-{exercise.id}"
    return redirect(url_for("learn.lesson", lesson_id=exercise.lesson_id, _anchor=anchor))


@bp.route("/api/v1/exercises/<int:exercise_id>/answer", methods=["POST"])
@documented(
    "learn",
    Access.SIGNED_IN,
    {200: s.AnswerResult, 400: Refusal, 403: Refusal, 404: Refusal},
    body=s.ExerciseAnswerIn,
    rate_limited=True,
    body_limited=True,
)
@_answering
def answer_json(exercise_id: int):
    """Answer an exercise from the page's script; returns the verdict and the lesson's progress."""
    exercise, result = _submit(exercise_id)
    if not isinstance(result, answers.AnswerResult):
        return result
    return jsonify(answer_payload(exercise, result))


def answer_payload(exercise, result: answers.AnswerResult) -> dict:
    """What the page's script needs after an answer: the verdict, the lesson's progress."""
    message = _completion_message(result)
    summary = pages.lesson_summary(current_user, result.progress.lesson, result.progress)
    csrf_field = EmptyForm(formdata=None).csrf_token()
    return {
        "message": message,
        "next_url": url_for("learn.my_certificates")
        if result.course_completed_now
        else url_for("learn.course", course_id=result.progress.lesson.course_id),
        "correct": result.verdict.correct,
        "score": result.verdict.score,
        "feedback": result.verdict.feedback,
        "html": render_template("ui/_verdict.html", verdict=result.verdict, exercise=exercise),
        "lesson_score": result.progress.score,
        "score_html": render_template("learn/_score.html", summary=summary),
        "first_try_percent": summary.first_try.percent,
        "all_answered": summary.all_answered,
        "summary_html": render_template(
            "learn/_summary.html", summary=summary, csrf_field=csrf_field
        ),
        "lesson_completed": result.progress.completed_at is not None,
        "lesson_completed_now": result.lesson_completed_now,
        "course_completed_now": result.course_completed_now,
    }


def _posted_to_open_lesson(view: Callable[[Lesson], Response]) -> Callable[[int], Response]:
    """A form posted to a lesson: the view gets the lesson if it is open to me now (and the
    form's CSRF token is good); a locked lesson sends me back to its course with a message."""

    @wraps(view)
    def wrapper(lesson_id: int) -> Response:
        try:
            lesson = lessons.get_open_lesson(current_user, lesson_id)
        except lessons.LessonLocked:
            flash(_("Finish the previous lesson first."), "info")
            lesson = courses.get_lesson(current_user, lesson_id)
            return redirect(url_for("learn.course", course_id=lesson.course_id))
        posted()
        return view(lesson)

    return wrapper


@bp.route("/lessons/<int:lesson_id>/study", methods=["POST"])
@login_required
@_posted_to_open_lesson
def study(lesson: Lesson):
    """I have studied the lesson's words: add them to my reviews."""
    created = lessons.study_vocabulary(current_user, lesson)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(ok=True, created=created)
    if created:
        flash(
            _("%(n)d review cards added. Reviews keep the words in memory.", n=created), "success"
        )
    else:
        flash(_("These words are already in your reviews."), "info")
    return redirect(url_for("learn.lesson", lesson_id=lesson.id) + "#vocab")


@bp.route("/lessons/<int:lesson_id>/read", methods=["POST"])
@login_required
@_posted_to_open_lesson
def mark_read(lesson: Lesson):
    """Complete a lesson that has no exercises (a reading)."""
    answers.complete_lesson_without_exercises(current_user, lesson)
    db.session.commit()
    return redirect(url_for("learn.course", course_id=lesson.course_id))


@bp.route("/settings/display", methods=["POST"])
@login_required
def display():
    """Remember how I like Chinese shown (pinyin on/off/above my level, Palladius, sandhi)."""
    form = posted(DisplayForm)
    preferences.set_display(
        current_user,
        pinyin_mode=form.pinyin_mode.data,
        show_palladius=form.show_palladius.data,
        tone_sandhi=form.tone_sandhi.data,
        hsk_level=form.hsk_level.data,
    )
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(ok=True)
    from app.links import safe_next

    return redirect(safe_next(form.next.data, url_for("learn.dashboard")))


@bp.route("/me/stats")
@login_required
def stats():
    """My statistics: course progress, accuracy by exercise kind, time spent."""
    return render_template("learn/stats.html", stats=activity.my_stats(current_user))


@bp.route("/certificates")
@login_required
def my_certificates():
    """My certificates."""
    return render_template(
        "learn/certificates.html", certificates=certificates.my_certificates(current_user)
    )


@bp.route("/certificates/<int:certificate_id>.pdf")
@login_required
def certificate_pdf(certificate_id: int):
    """Download one of my certificates as a PDF."""
    certificate = certificates.my_certificate(current_user, certificate_id)
    verify_url = external_url("learn.verify_certificate", code=certificate.code)
    try:
        pdf = certificates.render_pdf(certificate, verify_url, current_user.timezone)
    except certificates.FontsMissing:
        abort(503)
    filename = f"qiao-certificate-{certificate.code}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/certificates/verify", methods=["GET"])
def verify_form():
    """Check a certificate by its code (public)."""
    code = request.args.get("code", "")
    if code:
        return redirect(url_for("learn.verify_certificate", code=code.strip()[:40]))
    return render_template("learn/verify.html", certificate=None, code="")


@bp.route("/certificates/verify/<code>")
def verify_certificate(code: str):
    """Public verification: shows only the name, the course and the date."""
    certificate = certificates.verify(code)
    status = 200 if certificate else 404
    return render_template("learn/verify.html", certificate=certificate, code=code), status
