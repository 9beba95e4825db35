"""A word in detail (stroke order and character breakdown) and the stroke data it animates."""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, current_app, render_template
from flask_login import current_user, login_required

from app.chinese import strokes
from app.learn import bp, words
from app.openapi import Access, Refusal, documented

#: the stroke data never changes within a release: browsers and the service worker keep it
STROKES_MAX_AGE = 30 * 24 * 3600


@bp.route("/words/<int:item_id>")
@login_required
def word(item_id: int):
    """A word: its characters' stroke order, their parts and radical, other words using them."""
    page = words.word_page(current_user, item_id)
    return render_template("learn/word.html", page=page, strokes_ready=strokes_ready())


#: hanzi-writer's character data (Make Me a Hanzi): SVG paths and stroke medians
STROKES_SCHEMA = {
    "type": "object",
    "required": ["strokes", "medians"],
    "properties": {
        "strokes": {"type": "array", "items": {"type": "string"}},
        "medians": {"type": "array", "items": {"type": "array"}},
    },
}


@bp.route("/strokes/<char>.json")
@documented("learn", Access.PUBLIC, {200: STROKES_SCHEMA, 404: Refusal})
def stroke_data(char: str):
    """One character's stroke data for hanzi-writer (the same for everyone); 404 without data."""
    raw = strokes.raw_strokes(char)
    if raw is None:
        abort(404)
    response = Response(raw, mimetype="application/json")
    response.headers["Cache-Control"] = f"public, max-age={STROKES_MAX_AGE}"
    return response


def strokes_ready() -> bool:
    """Whether `make frontend` installed hanzi-writer and its data (else pages say so)."""
    script = Path(current_app.static_folder or "") / "vendor" / "hanzi-writer.min.js"
    return strokes.available() and script.exists()
