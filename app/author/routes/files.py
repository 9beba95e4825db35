"""Files in and out of the editor: a course as a zip, zips of course folders imported, images
uploaded for Markdown."""

from __future__ import annotations

from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.author import bp, publishing
from app.author.forms import ImportForm, UploadForm
from app.extensions import db
from app.uploads import services as uploads


@bp.route("/c/<slug>/anki.apkg")
def export_anki(slug: str):
    """The course's words as an Anki package (.apkg)."""
    from app.author.drafts import get_course
    from app.review import anki

    data = anki.course_package(get_course(current_user, slug))
    return Response(
        data,
        mimetype="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{slug}.apkg"'},
    )


@bp.route("/c/<slug>/export.zip")
def export(slug: str):
    """The course as its `courses/` folder in a zip."""
    data = publishing.export_zip(current_user, slug)
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{slug}.zip"'},
    )


@bp.route("/import", methods=["GET", "POST"])
def import_courses():
    """Import a zip of course folders, validated as `flask courses validate` does."""
    form = ImportForm()
    issues: list[str] = []
    status = 200
    if form.validate_on_submit():
        try:
            courses, report = publishing.import_zip(current_user, form.archive.data.read())
        except publishing.PublishRefused as exc:
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


def _upload_refusal(reason: str) -> str:
    if reason == "too_large":
        return _("The image is larger than %(mb)d MB.", mb=uploads.MAX_BYTES // (1024 * 1024))
    if reason == "empty":
        return _("Choose an image to upload.")
    return _("This is not a PNG, JPEG or WebP image.")


@bp.route("/uploads", methods=["POST"])
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
