"""Courses in the editor: the list, a new course, settings, lessons in order, publishing,
history and what learners find hard."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.author import bp, clips, outline, publishing
from app.author.analytics import hardest
from app.author.drafts import draft_of, get_course
from app.author.forms import CourseForm, LessonForm, MoveForm
from app.author.routes.common import (
    flash_form_errors,
    lesson_url,
    make_audio,
    saving_draft,
)
from app.extensions import db
from app.forms import EmptyForm, posted


@bp.route("/")
def courses():
    """All courses, published or not, for trainers."""
    return render_template("author/courses.html", rows=outline.course_overview(current_user))


def _course_form(form: CourseForm) -> CourseForm:
    form.companies.choices = [(c.slug, c.name) for c in outline.companies()]
    return form


@bp.route("/new", methods=["GET", "POST"])
def new_course():
    """Start a new course (unpublished until its first publication)."""
    form = _course_form(CourseForm())
    if form.validate_on_submit():
        with saving_draft() as refused:
            course = outline.create_course(current_user, form.data_dict())
        if not refused:
            flash(_("The course is created. Add its first lesson."), "success")
            return redirect(url_for("author.course", slug=course.slug))
    return render_template("author/new_course.html", form=form)


def _settings_data(course, draft) -> dict:
    """The settings form's fields as the draft holds them."""
    spec = draft["course"]
    return {
        **spec,
        "visibility": "all" if spec.get("visibility", "all") == "all" else "chosen",
        "companies": [] if spec.get("visibility", "all") == "all" else spec["visibility"],
        "desired_retention": draft.get("retention"),
        "version": course.version,
    }


@bp.route("/c/<slug>", methods=["GET", "POST"])
def course(slug: str):
    """A course: settings, lessons in order, publishing."""
    course = get_course(current_user, slug)
    draft = draft_of(course)
    form = _course_form(CourseForm())
    status = 200
    if form.validate_on_submit():
        with saving_draft() as refused:
            outline.update_settings(current_user, slug, form.version_number(), form.data_dict())
        if not refused:
            flash(_("Settings saved in the draft."), "success")
            return redirect(url_for("author.course", slug=slug))
        status = refused.status
    elif request.method == "GET":
        form.process(data=_settings_data(course, draft))
    else:
        status = 422
    form.slug.data = course.slug
    lesson_form = LessonForm(formdata=None, version=course.version)
    lesson_form.slug.data = f"lesson-{len(draft['lessons']) + 1}"
    return (
        render_template(
            "author/course.html",
            course=course,
            draft=draft,
            form=form,
            lesson_form=lesson_form,
            button=EmptyForm(formdata=None),
        ),
        status,
    )


@bp.route("/c/<slug>/lessons", methods=["POST"])
def add_lesson(slug: str):
    """Add a lesson at the end of the course."""
    form = LessonForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("author.course", slug=slug))
    with saving_draft() as refused:
        lesson = outline.add_lesson(current_user, slug, form.version_number(), form.data_dict())
    if refused:
        return redirect(url_for("author.course", slug=slug))
    flash(_("The lesson is added."), "success")
    return redirect(lesson_url(slug, lesson["slug"]))


@bp.route("/c/<slug>/lessons/<lesson>/move", methods=["POST"])
def move_lesson(slug: str, lesson: str):
    """Move a lesson one place up or down."""
    form = posted(MoveForm)
    delta = -1 if form.direction.data == "up" else 1
    with saving_draft():
        outline.move_lesson(current_user, slug, form.version_number(), lesson, delta)
    return redirect(url_for("author.course", slug=slug, _anchor="lessons"))


@bp.route("/c/<slug>/lessons/<lesson>/retire", methods=["POST"])
def retire_lesson(slug: str, lesson: str):
    """Take a lesson out of the course (retired on publishing; history is kept)."""
    form = posted(MoveForm)
    with saving_draft() as refused:
        outline.retire_lesson(current_user, slug, form.version_number(), lesson)
    if not refused:
        flash(_("The lesson is removed from the draft."), "success")
    return redirect(url_for("author.course", slug=slug, _anchor="lessons"))


@bp.route("/c/<slug>/retire", methods=["POST"])
def retire_course(slug: str):
    """Hide a course from learners; its history stays."""
    posted()
    outline.retire_course(current_user, slug)
    db.session.commit()
    flash(_("The course is retired: learners no longer see it."), "success")
    return redirect(url_for("author.courses"))


@bp.route("/c/<slug>/publish", methods=["POST"])
def publish(slug: str):
    """Make the draft what learners see, all at once."""
    posted()
    try:
        report = publishing.publish(current_user, slug)
    except publishing.PublishRefused as exc:
        db.session.rollback()
        course = get_course(current_user, slug)
        return (
            render_template("author/refused.html", course=course, issues=exc.issues),
            422,
        )
    db.session.commit()
    flash(_("Published: learners see the course as it is now."), "success")
    for note in report.notes[:10]:
        flash(note, "info")
    course = get_course(current_user, slug)
    make_audio([t for lesson in draft_of(course)["lessons"] for t in clips.lesson_texts(lesson)])
    return redirect(url_for("author.course", slug=slug))


@bp.route("/c/<slug>/history")
def history(slug: str):
    """Who changed the course, when and what."""
    course, rows = outline.history(current_user, slug)
    return render_template("author/history.html", course=course, rows=rows)


@bp.route("/c/<slug>/analytics")
def analytics(slug: str):
    """The items and exercises learners fail most, by course or lesson."""
    course = get_course(current_user, slug)
    lesson = request.args.get("lesson") or None
    items, exercises = hardest(current_user, slug, lesson)
    lessons = [
        (lesson.slug, lesson.title) for lesson in course.lessons if lesson.retired_at is None
    ]
    return render_template(
        "author/analytics.html",
        course=course,
        items=items,
        exercises=exercises,
        lessons=lessons,
        chosen=lesson,
    )
