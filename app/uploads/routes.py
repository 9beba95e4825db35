"""Serving uploaded images to signed-in users."""

from __future__ import annotations

from flask import abort, current_app, send_file
from flask_login import login_required

from app.uploads import bp, services

MAX_AGE = 365 * 24 * 3600


@bp.route("/<name>")
@login_required
def file(name: str):
    """One uploaded image, cached for good (its name is its content's address)."""
    if not services.NAME.fullmatch(name):
        abort(404)
    path = services.uploads_dir(current_app.instance_path) / name
    if not path.is_file():
        abort(404)
    ext = name.rsplit(".", 1)[1]
    response = send_file(
        path, mimetype=services.MIME_TYPES[ext], conditional=True, etag=name, max_age=MAX_AGE
    )
    response.cache_control.public = False
    response.cache_control.private = True
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
