from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.audio import access, audio_dir, bp, cache, clips, coverage, recordings
from app.audio.forms import BatchRecordingsForm, DeleteRecordingForm, RecordingForm
from app.extensions import db
from app.forms import posted
from app.models import Item, Lesson, Role
from app.policy import roles_required

#: a year: clips are content-addressed, a key's bytes never change
CLIP_MAX_AGE = 365 * 24 * 3600

_RECORDING_MESSAGES = {
    "too large": lambda limit: _(
        "The file is larger than %(mb)s MB.", mb=format_decimal(round(limit / 1024 / 1024, 2))
    ),
    "empty": lambda limit: _("The file is empty."),
    "not audio": lambda limit: _(
        "This is not an audio file we can read. Upload an MP3, OGG (Vorbis) or WAV file."
    ),
    "too long": lambda limit: _("The recording is longer than a minute."),
    "speed": lambda limit: _("Choose normal or slow speed."),
    "unsafe name": lambda limit: _("The file name points outside the archive's folder."),
    "no item": lambda limit: _("No word or line of this lesson has this key or these characters."),
}

_BATCH_MESSAGES = {
    "too large": lambda limit: _(
        "The archive is larger than %(mb)s MB.", mb=format_decimal(round(limit / 1024 / 1024, 2))
    ),
    "not zip": lambda limit: _("This is not a ZIP archive."),
    "too many": lambda limit: _(
        "The archive holds too many files (at most %(n)s).", n=recordings.BATCH_MAX_FILES
    ),
    "unpacked too large": lambda limit: _(
        "Unpacked, the archive would take more than %(mb)s MB.",
        mb=recordings.BATCH_MAX_UNPACKED_BYTES // 1024 // 1024,
    ),
}


@bp.route("/<key>")
@login_required
def clip(key: str):
    """One audio clip, cached for good, with byte ranges (seeking, Safari)."""
    clip = clips.find_clip(key)
    if clip is None or not access.may_hear(current_user, clip):
        abort(404)
    path = cache.clip_path(audio_dir(), clip.key)
    if not path.is_file():
        abort(404)
    response = send_file(
        path, mimetype=clip.mime_type, conditional=True, etag=clip.key, max_age=CLIP_MAX_AGE
    )
    # Private: whether a learner may hear it depends on who asks; immutable: the key is the
    # content's address, so a browser never needs to ask again.
    response.cache_control.public = False
    response.cache_control.private = True
    response.cache_control.immutable = True
    return response


@bp.route("/")
@roles_required(Role.TRAINER, Role.ADMIN)
def index():
    """Every course with how many of its clips exist."""
    return render_template("audio/index.html", rows=coverage.course_coverage(current_user))


@bp.route("/course/<slug>")
@roles_required(Role.TRAINER, Role.ADMIN)
def course(slug: str):
    """A course's items and spoken prompts with their clips, and recording uploads."""
    overview = coverage.course_audio(current_user, slug)
    if overview is None:
        abort(404)
    return render_template(
        "audio/course.html",
        overview=overview,
        form=RecordingForm(formdata=None),
        delete_form=DeleteRecordingForm(formdata=None),
        max_mb=format_decimal(round(_upload_limit() / 1024 / 1024, 2)),
    )


def _upload_limit() -> int:
    return current_app.config.get("AUDIO_UPLOAD_MAX_BYTES", recordings.UPLOAD_MAX_BYTES)


def _back_to(item: Item):
    return redirect(
        url_for("audio.course", slug=item.lesson.course.slug, _anchor=f"item-{item.id}")
    )


@bp.route("/items/<int:item_id>/recording", methods=["POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def upload_recording(item_id: int):
    """Upload a trainer's recording of an item; it replaces synthesis for that item."""
    item = db.get_or_404(Item, item_id)
    form = RecordingForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return _back_to(item)
    limit = _upload_limit()
    data = form.file.data.stream.read(limit + 1)
    try:
        recordings.save_recording(
            current_user,
            item,
            data,
            form.speed.data,
            audio_dir=audio_dir(),
            max_bytes=limit,
            ip=request.remote_addr,
        )
    except recordings.RecordingError as exc:
        db.session.rollback()
        flash(_RECORDING_MESSAGES[str(exc)](limit), "error")
        return _back_to(item)
    db.session.commit()
    flash(_("Recording of %(text)s saved.", text=item.hanzi), "success")
    return _back_to(item)


@bp.route("/items/<int:item_id>/recording/delete", methods=["POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def delete_recording(item_id: int):
    """Remove an item's recording; synthesised speech plays again."""
    item = db.get_or_404(Item, item_id)
    form = posted(DeleteRecordingForm)
    if recordings.delete_recording(current_user, item, form.speed.data, ip=request.remote_addr):
        db.session.commit()
        flash(_("Recording of %(text)s removed.", text=item.hanzi), "success")
    return _back_to(item)


def _batch_limit() -> int:
    return current_app.config.get("AUDIO_BATCH_MAX_BYTES", recordings.BATCH_MAX_BYTES)


@bp.route("/lessons/<int:lesson_id>/recordings", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.ADMIN)
def batch_recordings(lesson_id: int):
    """Upload a lesson's recordings at once: a zip of files named by item key or hanzi."""
    lesson = db.get_or_404(Lesson, lesson_id)
    form = BatchRecordingsForm()
    report = None
    limit = _upload_limit()
    if form.validate_on_submit():
        batch_limit = _batch_limit()
        data = form.archive.data.stream.read(batch_limit + 1)
        try:
            report = recordings.save_recordings_zip(
                current_user,
                lesson,
                data,
                audio_dir=audio_dir(),
                max_bytes=limit,
                batch_max_bytes=batch_limit,
                ip=request.remote_addr,
            )
        except recordings.BatchError as exc:
            db.session.rollback()
            flash(_BATCH_MESSAGES[str(exc)](batch_limit), "error")
        else:
            db.session.commit()
    elif form.is_submitted():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    items, recorded = recordings.lesson_recordings(current_user, lesson)
    return render_template(
        "audio/batch.html",
        lesson=lesson,
        items=items,
        recordings=recorded,
        form=form,
        report=report,
        reasons={code: message(limit) for code, message in _RECORDING_MESSAGES.items()},
        max_mb=format_decimal(round(_batch_limit() / 1024 / 1024, 2)),
        file_mb=format_decimal(round(limit / 1024 / 1024, 2)),
    )
