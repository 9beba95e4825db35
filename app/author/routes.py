"""The course editor: trainers and admins write courses in the browser (see services)."""

from __future__ import annotations

import json
from typing import Any

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
from flask_login import current_user
from markupsafe import Markup

from app import audit, chinese
from app.audio import services as audio_services
from app.auth.forms import EmptyForm
from app.author import bp, services
from app.author.forms import (
    CourseForm,
    DialogueTitleForm,
    ExerciseForm,
    GlossForm,
    GrammarForm,
    ImportForm,
    ItemForm,
    LessonForm,
    LineForm,
    MoveForm,
    PasteForm,
    UploadForm,
)
from app.author.messages import paste_error_message
from app.content.markdown import render as render_markdown
from app.content.schema import EXERCISE_KINDS, MARKDOWN_MAX_CHARS
from app.extensions import db
from app.models import Role
from app.policy import roles_required
from app.security import body_limit
from app.uploads import services as uploads

TRAINERS = (Role.TRAINER, Role.ADMIN)
#: a preview request holds one text of at most MARKDOWN_MAX_CHARS (JSON-escaped: 6 bytes each)
PREVIEW_MAX_BYTES = 6 * MARKDOWN_MAX_CHARS + 4096


def _conflict_message(exc: services.VersionConflict) -> str:
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


def _flash_invalid(exc: services.DraftInvalid) -> None:
    for message in exc.messages:
        flash(message, "error")


def _lesson_url(slug: str, lesson: str, anchor: str | None = None) -> str:
    return url_for("author.lesson", slug=slug, lesson=lesson, _anchor=anchor)


def _audio(texts: list[str]) -> None:
    services.start_audio_build(current_user, texts)
    db.session.commit()


# --------------------------------------------------------------------------- courses


@bp.route("/")
@roles_required(*TRAINERS)
def courses():
    """All courses, published or not, for trainers."""
    return render_template("author/courses.html", rows=services.course_overview(current_user))


def _course_form(form: CourseForm) -> CourseForm:
    form.companies.choices = [(c.slug, c.name) for c in services.companies()]
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*TRAINERS)
def new_course():
    """Start a new course (unpublished until its first publication)."""
    form = _course_form(CourseForm())
    if form.validate_on_submit():
        try:
            course = services.create_course(current_user, form.data_dict())
        except services.DraftInvalid as exc:
            _flash_invalid(exc)
        else:
            db.session.commit()
            flash(_("The course is created. Add its first lesson."), "success")
            return redirect(url_for("author.course", slug=course.slug))
    return render_template("author/new_course.html", form=form)


@bp.route("/c/<slug>", methods=["GET", "POST"])
@roles_required(*TRAINERS)
def course(slug: str):
    """A course: settings, lessons in order, publishing."""
    course = services.get_course(current_user, slug)
    draft = services.draft_of(course)
    form = _course_form(CourseForm())
    status = 200
    if form.validate_on_submit():
        try:
            services.update_settings(current_user, slug, form.version_number(), form.data_dict())
        except services.VersionConflict as exc:
            flash(_conflict_message(exc), "error")
            status = 409
        except services.DraftInvalid as exc:
            _flash_invalid(exc)
            status = 422
        else:
            db.session.commit()
            flash(_("Settings saved in the draft."), "success")
            return redirect(url_for("author.course", slug=slug))
    elif request.method == "GET":
        spec = draft["course"]
        form.process(
            data={
                **spec,
                "visibility": "all" if spec.get("visibility", "all") == "all" else "chosen",
                "companies": [] if spec.get("visibility", "all") == "all" else spec["visibility"],
                "desired_retention": draft.get("retention"),
                "version": course.version,
            }
        )
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
@roles_required(*TRAINERS)
def add_lesson(slug: str):
    """Add a lesson at the end of the course."""
    form = LessonForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("author.course", slug=slug))
    try:
        lesson = services.add_lesson(current_user, slug, form.version_number(), form.data_dict())
    except services.VersionConflict as exc:
        flash(_conflict_message(exc), "error")
        return redirect(url_for("author.course", slug=slug))
    except services.DraftInvalid as exc:
        _flash_invalid(exc)
        return redirect(url_for("author.course", slug=slug))
    db.session.commit()
    flash(_("The lesson is added."), "success")
    return redirect(_lesson_url(slug, lesson["slug"]))


@bp.route("/c/<slug>/lessons/<lesson>/move", methods=["POST"])
@roles_required(*TRAINERS)
def move_lesson(slug: str, lesson: str):
    """Move a lesson one place up or down."""
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.move_lesson(
            current_user,
            slug,
            form.version_number(),
            lesson,
            -1 if form.direction.data == "up" else 1,
        )
    except services.VersionConflict as exc:
        flash(_conflict_message(exc), "error")
    else:
        db.session.commit()
    return redirect(url_for("author.course", slug=slug, _anchor="lessons"))


@bp.route("/c/<slug>/lessons/<lesson>/retire", methods=["POST"])
@roles_required(*TRAINERS)
def retire_lesson(slug: str, lesson: str):
    """Take a lesson out of the course (retired on publishing; history is kept)."""
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.retire_lesson(current_user, slug, form.version_number(), lesson)
    except services.VersionConflict as exc:
        flash(_conflict_message(exc), "error")
    else:
        db.session.commit()
        flash(_("The lesson is removed from the draft."), "success")
    return redirect(url_for("author.course", slug=slug, _anchor="lessons"))


@bp.route("/c/<slug>/retire", methods=["POST"])
@roles_required(*TRAINERS)
def retire_course(slug: str):
    """Hide a course from learners; its history stays."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.retire_course(current_user, slug)
    db.session.commit()
    flash(_("The course is retired: learners no longer see it."), "success")
    return redirect(url_for("author.courses"))


@bp.route("/c/<slug>/publish", methods=["POST"])
@roles_required(*TRAINERS)
def publish(slug: str):
    """Make the draft what learners see, all at once."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        report = services.publish(current_user, slug)
    except services.PublishRefused as exc:
        db.session.rollback()
        course = services.get_course(current_user, slug)
        return (
            render_template("author/refused.html", course=course, issues=exc.issues),
            422,
        )
    db.session.commit()
    flash(_("Published: learners see the course as it is now."), "success")
    for note in report.notes[:10]:
        flash(note, "info")
    course = services.get_course(current_user, slug)
    _audio(
        [
            t
            for lesson in services.draft_of(course)["lessons"]
            for t in services.lesson_texts(lesson)
        ]
    )
    return redirect(url_for("author.course", slug=slug))


@bp.route("/c/<slug>/history")
@roles_required(*TRAINERS)
def history(slug: str):
    """Who changed the course, when and what."""
    course, rows = services.history(current_user, slug)
    return render_template("author/history.html", course=course, rows=rows)


@bp.route("/c/<slug>/export.zip")
@roles_required(*TRAINERS)
def export(slug: str):
    """The course as its `courses/` folder in a zip."""
    data = services.export_zip(current_user, slug)
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{slug}.zip"'},
    )


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*TRAINERS)
def import_courses():
    """Import a zip of course folders, validated as `flask courses validate` does."""
    form = ImportForm()
    issues: list[str] = []
    status = 200
    if form.validate_on_submit():
        try:
            courses, report = services.import_zip(current_user, form.archive.data.read())
        except services.PublishRefused as exc:
            db.session.rollback()
            issues, status = exc.issues, 422
        else:
            db.session.commit()
            flash(_("Imported: %(summary)s", summary=report.summary()), "success")
            if len(courses) == 1:
                return redirect(url_for("author.course", slug=courses[0].slug))
            return redirect(url_for("author.courses"))
    elif request.method == "POST":
        status = 422
    return render_template("author/import.html", form=form, issues=issues), status


@bp.route("/c/<slug>/analytics")
@roles_required(*TRAINERS)
def analytics(slug: str):
    """The items and exercises learners fail most, by course or lesson."""
    course = services.get_course(current_user, slug)
    lesson = request.args.get("lesson") or None
    items, exercises = services.analytics(current_user, slug, lesson)
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


# --------------------------------------------------------------------------- lessons


def _lesson_context(slug: str, lesson_slug: str) -> dict[str, Any]:
    course = services.get_course(current_user, slug)
    draft = services.draft_of(course)
    lesson = services.lesson_of(draft, lesson_slug)
    version = services.lesson_version(draft, lesson_slug)
    words, dialogues = services.item_views(lesson)
    texts = services.lesson_texts(lesson)
    return {
        "course": course,
        "draft": draft,
        "lesson": lesson,
        "version": version,
        "words": words,
        "dialogues": dialogues,
        "audio_keys": audio_services.clip_keys(texts),
        "texts": texts,
        "kinds": EXERCISE_KINDS,
        "button": EmptyForm(formdata=None),
    }


def _render_lesson(slug: str, lesson_slug: str, status: int = 200, **forms):
    ctx = _lesson_context(slug, lesson_slug)
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
        {**note, "examples_text": services.examples_text(note.get("examples", []))}
        for note in lesson.get("grammar", [])
    ]
    return render_template("author/lesson.html", **ctx, **forms), status


@bp.route("/c/<slug>/l/<lesson>", methods=["GET", "POST"])
@roles_required(*TRAINERS)
def lesson(slug: str, lesson: str):
    """A lesson in the editor: its text, items, dialogues and exercises."""
    if request.method == "GET":
        return _render_lesson(slug, lesson)
    form = LessonForm()
    if form.validate_on_submit():
        try:
            services.update_lesson(
                current_user, slug, lesson, form.version_number(), form.data_dict()
            )
        except services.VersionConflict as exc:
            flash(_conflict_message(exc), "error")
            return _render_lesson(slug, lesson, 409, lesson_form=form)
        except services.DraftInvalid as exc:
            _flash_invalid(exc)
            return _render_lesson(slug, lesson, 422, lesson_form=form)
        db.session.commit()
        flash(_("The lesson is saved in the draft."), "success")
        return redirect(_lesson_url(slug, lesson))
    return _render_lesson(slug, lesson, 422, lesson_form=form)


def _item_data(form: ItemForm) -> dict[str, Any]:
    return {
        "speaker": form.speaker.data or "",
        "hanzi": form.hanzi.data,
        "pinyin": form.pinyin.data,
        "pinyin_locked": form.pinyin_locked.data,
        "ru": form.ru.data,
        "en": form.en.data,
        "pos": form.pos.data,
        "notes": form.notes.data,
    }


@bp.route("/c/<slug>/l/<lesson>/items", methods=["POST"])
@roles_required(*TRAINERS)
def add_item(slug: str, lesson: str):
    """Add one word or phrase; its audio is made in the background."""
    form = ItemForm()
    if form.validate_on_submit():
        try:
            added = services.add_items(
                current_user, slug, lesson, form.version_number(), [_item_data(form)]
            )
        except services.VersionConflict as exc:
            flash(_conflict_message(exc), "error")
            return _render_lesson(slug, lesson, 409, item_form=form)
        except services.DraftInvalid as exc:
            _flash_invalid(exc)
            return _render_lesson(slug, lesson, 422, item_form=form)
        db.session.commit()
        _audio(added)
        flash(_("Added: %(hanzi)s", hanzi=", ".join(added)), "success")
        return redirect(_lesson_url(slug, lesson, "add-item"))
    return _render_lesson(slug, lesson, 422, item_form=form)


@bp.route("/c/<slug>/l/<lesson>/paste", methods=["POST"])
@roles_required(*TRAINERS)
def paste(slug: str, lesson: str):
    """Add many words, or a dialogue, from pasted lines."""
    form = PasteForm()
    if not form.validate_on_submit():
        return _render_lesson(slug, lesson, 422, paste_form=form)
    dialogue = form.mode.data == "dialogue"
    parsed = services.parse_block(form.block.data, dialogue=dialogue)
    if parsed.errors or not parsed.rows:
        for error in parsed.errors:
            flash(paste_error_message(error), "error")
        if not parsed.errors:
            flash(_("Nothing to add."), "error")
        return _render_lesson(slug, lesson, 422, paste_form=form)
    try:
        if dialogue:
            title = form.dialogue_title.data or _("Dialogue")
            added = services.add_items(
                current_user,
                slug,
                lesson,
                form.version_number(),
                [],
                {"title": title, "lines": parsed.rows},
            )
        else:
            added = services.add_items(
                current_user, slug, lesson, form.version_number(), parsed.rows
            )
    except services.VersionConflict as exc:
        flash(_conflict_message(exc), "error")
        return _render_lesson(slug, lesson, 409, paste_form=form)
    except services.DraftInvalid as exc:
        _flash_invalid(exc)
        return _render_lesson(slug, lesson, 422, paste_form=form)
    db.session.commit()
    _audio(added)
    flash(_("Added %(n)d lines.", n=len(added)), "success")
    return redirect(_lesson_url(slug, lesson, "items"))


@bp.route("/c/<slug>/l/<lesson>/items/<ref>", methods=["GET", "POST"])
@roles_required(*TRAINERS)
def item(slug: str, lesson: str, ref: str):
    """Edit one item: hanzi, pinyin (polyphones to choose), meaning, notes; its audio."""
    ctx = _lesson_context(slug, lesson)
    entry = services.item_at(ctx["lesson"], ref)
    line = ref.startswith("d")
    form = ItemForm()
    status = 200
    if form.validate_on_submit():
        try:
            hanzi = services.update_item(
                current_user, slug, lesson, form.version_number(), ref, _item_data(form)
            )
        except services.VersionConflict as exc:
            flash(_conflict_message(exc), "error")
            status = 409
        except services.DraftInvalid as exc:
            _flash_invalid(exc)
            status = 422
        else:
            db.session.commit()
            _audio([hanzi])
            flash(_("Saved: %(hanzi)s", hanzi=hanzi), "success")
            return redirect(_lesson_url(slug, lesson, "items"))
    elif request.method == "GET":
        view = next(
            v
            for v in ctx["words"] + [v for _d, lines in ctx["dialogues"] for v in lines]
            if v.ref == ref
        )
        form.process(
            data={
                **entry,
                "pinyin": view.pinyin,
                "pinyin_locked": view.locked,
                "version": ctx["version"],
            }
        )
    else:
        status = 422
    return (
        render_template("author/item.html", **ctx, form=form, entry=entry, ref=ref, is_line=line),
        status,
    )


def _button_action(slug: str, lesson: str, action, *args) -> Response:
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action(current_user, slug, lesson, form.version_number(), *args)
    except services.VersionConflict as exc:
        flash(_conflict_message(exc), "error")
    except services.DraftInvalid as exc:
        _flash_invalid(exc)
    else:
        db.session.commit()
    return redirect(_lesson_url(slug, lesson, request.args.get("at")))


@bp.route("/c/<slug>/l/<lesson>/items/<ref>/move", methods=["POST"])
@roles_required(*TRAINERS)
def move_item(slug: str, lesson: str, ref: str):
    """Move an item one place up or down."""
    delta = -1 if request.form.get("direction") == "up" else 1
    return _button_action(slug, lesson, services.move_item, ref, delta)


@bp.route("/c/<slug>/l/<lesson>/items/<ref>/remove", methods=["POST"])
@roles_required(*TRAINERS)
def remove_item(slug: str, lesson: str, ref: str):
    """Remove an item (retired on publishing: learners keep their cards' history)."""
    return _button_action(slug, lesson, services.remove_item, ref)


# --------------------------------------------------------------------------- dialogues


def _flash_form_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")


@bp.route("/c/<slug>/l/<lesson>/dialogues/<int:index>", methods=["POST"])
@roles_required(*TRAINERS)
def dialogue(slug: str, lesson: str, index: int):
    """Rename a dialogue."""
    form = DialogueTitleForm()
    again = {"dialogue_at": index, "title_form": form}
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _render_lesson(slug, lesson, 422, **again)
    try:
        services.rename_dialogue(
            current_user, slug, lesson, form.version_number(), index, form.title.data
        )
    except services.VersionConflict as exc:
        flash(_conflict_message(exc), "error")
        return _render_lesson(slug, lesson, 409, **again)
    except services.DraftInvalid as exc:
        _flash_invalid(exc)
        return _render_lesson(slug, lesson, 422, **again)
    db.session.commit()
    flash(_("The dialogue is renamed."), "success")
    return redirect(_lesson_url(slug, lesson, f"dialogue-{index}"))


@bp.route("/c/<slug>/l/<lesson>/dialogues/<int:index>/glosses", methods=["POST"])
@roles_required(*TRAINERS)
def dialogue_gloss(slug: str, lesson: str, index: int):
    """Set or remove the Russian gloss learners see when they tap a word of a dialogue."""
    form = GlossForm()
    again = {"dialogue_at": index}
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _render_lesson(slug, lesson, 422, **again)
    try:
        services.set_gloss(
            current_user,
            slug,
            lesson,
            form.version_number(),
            index,
            form.word.data,
            form.meaning.data or "",
        )
    except services.GlossRefused as exc:
        flash(_("The dialogue has no word «%(word)s».", word=str(exc)), "error")
        return _render_lesson(slug, lesson, 422, **again)
    except services.VersionConflict as exc:
        flash(_conflict_message(exc), "error")
        return _render_lesson(slug, lesson, 409, **again)
    except services.DraftInvalid as exc:
        _flash_invalid(exc)
        return _render_lesson(slug, lesson, 422, **again)
    db.session.commit()
    flash(_("The gloss is saved in the draft; learners see it after publishing."), "success")
    return redirect(_lesson_url(slug, lesson, f"dialogue-{index}"))


@bp.route("/c/<slug>/l/<lesson>/dialogues/<int:index>/lines", methods=["POST"])
@roles_required(*TRAINERS)
def add_line(slug: str, lesson: str, index: int):
    """Add one line to the end of a dialogue; its audio is made in the background."""
    form = LineForm()
    again = {"dialogue_at": index, "line_form": form}
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _render_lesson(slug, lesson, 422, **again)
    if not chinese.han_count(form.hanzi.data):
        flash(_("«%(text)s» has no Chinese characters.", text=form.hanzi.data), "error")
        return _render_lesson(slug, lesson, 422, **again)
    data = {"speaker": form.speaker.data, "hanzi": form.hanzi.data, "ru": form.ru.data}
    try:
        hanzi = services.add_line(current_user, slug, lesson, form.version_number(), index, data)
    except services.VersionConflict as exc:
        flash(_conflict_message(exc), "error")
        return _render_lesson(slug, lesson, 409, **again)
    except services.DraftInvalid as exc:
        _flash_invalid(exc)
        return _render_lesson(slug, lesson, 422, **again)
    db.session.commit()
    _audio([hanzi])
    flash(_("Added: %(hanzi)s", hanzi=hanzi), "success")
    return redirect(_lesson_url(slug, lesson, f"dialogue-{index}"))


# --------------------------------------------------------------------------- grammar


def _example_errors(errors: list[tuple[int, str, str]]) -> list[str]:
    out = []
    for number, code, text in errors:
        if code == "no_han":
            out.append(
                _("Example %(n)d: «%(text)s» has no Chinese characters.", n=number, text=text)
            )
        elif code == "pinyin":
            out.append(
                _(
                    "Example %(n)d: the pinyin does not fit the characters (%(why)s).",
                    n=number,
                    why=text,
                )
            )
        else:
            out.append(
                _("Example %(n)d: write «汉字 — перевод» or «汉字 | pinyin — перевод».", n=number)
            )
    return out


def _save_grammar(slug: str, lesson: str, index: int | None):
    form = GrammarForm()
    at = "new" if index is None else index
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _render_lesson(slug, lesson, 422, grammar_form=form, grammar_at=at)
    examples, errors = services.parse_examples(form.examples.data)
    if errors:
        for message in _example_errors(errors):
            flash(message, "error")
        return _render_lesson(slug, lesson, 422, grammar_form=form, grammar_at=at)
    data = {"title": form.title.data, "body": form.body.data, "examples": examples}
    try:
        title = services.save_grammar(
            current_user, slug, lesson, form.version_number(), index, data
        )
    except services.VersionConflict as exc:
        flash(_conflict_message(exc), "error")
        return _render_lesson(slug, lesson, 409, grammar_form=form, grammar_at=at)
    except services.DraftInvalid as exc:
        flash(_("The grammar note was not saved:"), "error")
        _flash_invalid(exc)
        return _render_lesson(slug, lesson, 422, grammar_form=form, grammar_at=at)
    db.session.commit()
    _audio([e["hanzi"] for e in examples])
    flash(_("Grammar note saved: %(title)s", title=title), "success")
    return redirect(_lesson_url(slug, lesson, "grammar"))


@bp.route("/c/<slug>/l/<lesson>/grammar", methods=["POST"])
@roles_required(*TRAINERS)
def add_grammar(slug: str, lesson: str):
    """Add a grammar note: title, Markdown explanation, examples."""
    return _save_grammar(slug, lesson, None)


@bp.route("/c/<slug>/l/<lesson>/grammar/<int:index>", methods=["POST"])
@roles_required(*TRAINERS)
def grammar(slug: str, lesson: str, index: int):
    """Change a grammar note."""
    return _save_grammar(slug, lesson, index)


@bp.route("/c/<slug>/l/<lesson>/grammar/<int:index>/remove", methods=["POST"])
@roles_required(*TRAINERS)
def remove_grammar(slug: str, lesson: str, index: int):
    """Remove a grammar note from the draft."""
    return _button_action(slug, lesson, services.remove_grammar, index)


# --------------------------------------------------------------------------- exercises


def _exercise_page(ctx, form: ExerciseForm, kind: str, key: str | None, status: int = 200):
    fields = services.KIND_FIELDS[kind]
    preview = None
    try:
        data = services.check_exercise(form.exercise_data(fields))
        preview = _exercise_preview(data)
    except services.DraftInvalid:
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
    from app.exercises import get_kind

    view = get_kind(data["kind"]).render(data, seed=1)
    item = {
        "exercise": services.PreviewExercise(number, data["kind"], data),
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
            audio_keys=audio_services.clip_keys(texts),
        )
    )


def _save_exercise(slug: str, lesson: str, kind: str, key: str | None):
    if kind not in EXERCISE_KINDS:
        abort(404)
    ctx = _lesson_context(slug, lesson)
    form = ExerciseForm()
    if request.method == "GET":
        wanted = request.args.get("kind")
        if key is None and wanted in EXERCISE_KINDS and wanted != kind:
            return redirect(url_for("author.new_exercise", slug=slug, lesson=lesson, kind=wanted))
        if key is not None:
            form.fill(services.exercise_at(ctx["lesson"], key))
        else:
            form.kind.data = kind
            form.key.data = f"{kind.replace('_', '-')}-{len(ctx['lesson']['exercises']) + 1}"
        form.version.data = ctx["version"]
        return _exercise_page(ctx, form, kind, key)
    form.kind.data = kind
    if not form.validate_on_submit():
        return _exercise_page(ctx, form, kind, key, 422)
    try:
        services.save_exercise(
            current_user,
            slug,
            lesson,
            form.version_number(),
            form.exercise_data(services.KIND_FIELDS[kind]),
            old_key=key,
        )
    except services.VersionConflict as exc:
        flash(_conflict_message(exc), "error")
        return _exercise_page(ctx, form, kind, key, 409)
    except services.DraftInvalid as exc:
        _flash_invalid(exc)
        return _exercise_page(ctx, form, kind, key, 422)
    db.session.commit()
    flash(_("The exercise is saved in the draft."), "success")
    return redirect(_lesson_url(slug, lesson, "exercises"))


@bp.route("/c/<slug>/l/<lesson>/exercises/new/<kind>", methods=["GET", "POST"])
@roles_required(*TRAINERS)
def new_exercise(slug: str, lesson: str, kind: str):
    """A new exercise of one kind, with a live preview."""
    return _save_exercise(slug, lesson, kind, None)


@bp.route("/c/<slug>/l/<lesson>/exercises/<key>", methods=["GET", "POST"])
@roles_required(*TRAINERS)
def exercise(slug: str, lesson: str, key: str):
    """Edit an exercise, with a live preview."""
    ctx = _lesson_context(slug, lesson)
    kind = services.exercise_at(ctx["lesson"], key)["kind"]
    return _save_exercise(slug, lesson, kind, key)


@bp.route("/c/<slug>/l/<lesson>/exercises/<key>/move", methods=["POST"])
@roles_required(*TRAINERS)
def move_exercise(slug: str, lesson: str, key: str):
    """Move an exercise one place up or down."""
    delta = -1 if request.form.get("direction") == "up" else 1
    return _button_action(slug, lesson, services.move_exercise, key, delta)


@bp.route("/c/<slug>/l/<lesson>/exercises/<key>/remove", methods=["POST"])
@roles_required(*TRAINERS)
def remove_exercise(slug: str, lesson: str, key: str):
    """Remove an exercise (retired on publishing)."""
    return _button_action(slug, lesson, services.remove_exercise, key)


@bp.route("/c/<slug>/l/<lesson>/generate", methods=["GET", "POST"])
@roles_required(*TRAINERS)
def generate(slug: str, lesson: str):
    """Exercises made from the lesson's vocabulary, for the trainer to review and keep."""
    ctx = _lesson_context(slug, lesson)
    form = MoveForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        chosen = []
        for raw in request.form.getlist("keep"):
            try:
                chosen.append(json.loads(raw))
            except ValueError:
                abort(400)
        try:
            kept = services.keep_exercises(
                current_user, slug, lesson, form.version_number(), chosen
            )
        except services.VersionConflict as exc:
            flash(_conflict_message(exc), "error")
            return redirect(url_for("author.generate", slug=slug, lesson=lesson))
        except services.DraftInvalid as exc:
            _flash_invalid(exc)
            return redirect(url_for("author.generate", slug=slug, lesson=lesson))
        db.session.commit()
        flash(_("Kept %(n)d exercises.", n=kept), "success")
        return redirect(_lesson_url(slug, lesson, "exercises"))
    candidates = [
        (data, json.dumps(data, ensure_ascii=False), _exercise_preview(data, number))
        for number, data in enumerate(services.generate_exercises(ctx["lesson"]), start=1)
    ]
    form.version.data = ctx["version"]
    return render_template("author/generate.html", **ctx, form=form, candidates=candidates)


@bp.route("/c/<slug>/l/<lesson>/preview")
@roles_required(*TRAINERS)
def preview(slug: str, lesson: str):
    """The draft lesson as a learner will see it, through the learner's own templates; the
    exercises answer but record nothing."""
    ctx = _lesson_context(slug, lesson)
    page = services.lesson_preview(ctx["course"], ctx["draft"], ctx["lesson"])
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


_MAX_ANSWER = 500
_MAX_PARTS = 50


def _preview_answer_value(multi: bool) -> Any:
    """The answer in a JSON body or a plain form, within the sizes a learner's answer has."""
    if request.is_json:
        answer = _json_body().get("answer")
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
@roles_required(*TRAINERS)
def preview_answer(slug: str, lesson: str, number: int):
    """Check an answer to a draft exercise in the preview; nothing is recorded."""
    from app.exercises import get_kind

    ctx = _lesson_context(slug, lesson)
    exercises = ctx["lesson"].get("exercises", [])
    if not 1 <= number <= len(exercises):
        abort(404)
    answer = _preview_answer_value(get_kind(exercises[number - 1]["kind"]).multi)
    data, verdict = services.check_preview_answer(ctx["lesson"], number, answer)
    if request.is_json:
        return jsonify(
            {
                "correct": verdict.correct,
                "html": render_template(
                    "ui/_verdict.html",
                    verdict=verdict,
                    exercise=services.PreviewExercise(number, data["kind"], data),
                ),
            }
        )
    if verdict.correct:
        flash(_("Right! (Preview: the answer is not recorded.)"), "success")
    else:
        flash(_("Not quite. Right answer: %(answer)s", answer=verdict.right_answer), "error")
    return redirect(url_for("author.preview", slug=slug, lesson=lesson, _anchor=f"ex-{number}"))


# --------------------------------------------------------------------------- images


def _upload_refusal(reason: str) -> str:
    if reason == "too_large":
        return _("The image is larger than %(mb)d MB.", mb=uploads.MAX_BYTES // (1024 * 1024))
    if reason == "empty":
        return _("Choose an image to upload.")
    return _("This is not a PNG, JPEG or WebP image.")


@bp.route("/uploads", methods=["POST"])
@roles_required(*TRAINERS)
def upload():
    """Upload an image for Markdown; answers the snippet to paste (JSON for the editor's
    script, a page otherwise)."""
    form = UploadForm()
    wants_json = request.accept_mimetypes.best == "application/json"
    back = request.referrer or ""
    if not back.startswith(request.host_url):
        back = url_for("author.courses")
    error = None
    name = None
    if not form.validate_on_submit():
        error = _upload_refusal("empty")
    else:
        data = form.image.data.stream.read(uploads.MAX_BYTES + 1)
        try:
            name = uploads.store(current_app.instance_path, data)
        except uploads.UploadRefused as exc:
            error = _upload_refusal(exc.reason)
    if error:
        if wants_json:
            return jsonify({"ok": False, "error": error}), 422
        return render_template("author/uploaded.html", error=error, back=back), 422
    url = url_for("uploads.file", name=name)
    snippet = f"![]({url})"
    audit.record(current_user, "upload.image", details={"name": name})
    db.session.commit()
    if wants_json:
        return jsonify({"ok": True, "url": url, "markdown": snippet})
    return render_template("author/uploaded.html", snippet=snippet, url=url, back=back)


# --------------------------------------------------------------------------- JSON


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400)
    return data


@bp.route("/api/pinyin", methods=["POST"])
@roles_required(*TRAINERS)
def api_pinyin():
    """Live pinyin of a text: reading, polyphones with alternatives, HSK level, Palladius."""
    data = _json_body()
    choices = {}
    for index, reading in (data.get("choices") or {}).items():
        if str(index).isdigit() and isinstance(reading, str):
            choices[int(index)] = reading
    return jsonify(
        services.pinyin_info(
            str(data.get("hanzi") or ""), sentence=bool(data.get("sentence")), choices=choices
        )
    )


@bp.route("/api/preview/exercise", methods=["POST"])
@roles_required(*TRAINERS)
def api_exercise_preview():
    """What the learner will see for the exercise in the form, or why it is not valid yet."""
    form = ExerciseForm()
    kind = form.kind.data
    if kind not in EXERCISE_KINDS:
        abort(400)
    try:
        data = services.check_exercise(form.exercise_data(services.KIND_FIELDS[kind]))
    except services.DraftInvalid as exc:
        return jsonify({"ok": False, "errors": exc.messages})
    return jsonify({"ok": True, "html": str(_exercise_preview(data))})


@bp.route("/api/preview/markdown", methods=["POST"])
@body_limit(PREVIEW_MAX_BYTES)
@roles_required(*TRAINERS)
def api_markdown():
    """Markdown as the learner will see it (sanitised); texts over the saved limit are refused."""
    text = str(_json_body().get("text") or "")
    if len(text) > MARKDOWN_MAX_CHARS:
        message = _(
            "The text is longer than %(n)d characters; shorten it or split it into several notes.",
            n=MARKDOWN_MAX_CHARS,
        )
        return jsonify({"error": message}), 400
    return jsonify({"html": render_markdown(services.clean_markdown(text))})


@bp.route("/api/audio")
@roles_required(*TRAINERS)
def api_audio():
    """Which clips exist for the given texts (the editor polls while audio is being made)."""
    texts = request.args.getlist("t")[:200]
    keys = audio_services.clip_keys(texts)
    out = {}
    for text in texts:
        clips = keys.get(text)
        out[text] = {
            speed: (
                url_for("audio.clip", key=clips.get(speed).key)
                if clips and clips.get(speed)
                else None
            )
            for speed in ("normal", "slow")
        }
    return jsonify(out)
