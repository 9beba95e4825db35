"""The editor's live helpers (JSON for its scripts): pinyin as it is typed, Markdown as the
learner will see it, which audio clips exist yet."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import gettext as _

from app.audio.clips import clip_keys
from app.author import api_schemas as s
from app.author import bp
from app.author.drafts import clean_markdown
from app.author.live_pinyin import pinyin_info
from app.author.routes.common import author_api, json_body
from app.content.markdown import render as render_markdown
from app.content.schema import MARKDOWN_MAX_CHARS
from app.openapi import Refusal
from app.security import body_limit, parse_id

#: a preview request holds one text of at most MARKDOWN_MAX_CHARS (JSON-escaped: 6 bytes each)
PREVIEW_MAX_BYTES = 6 * MARKDOWN_MAX_CHARS + 4096


@bp.route("/api/pinyin", methods=["POST"])
@author_api({200: s.PinyinInfo, 400: Refusal}, body=s.PinyinIn)
def api_pinyin():
    """Live pinyin of a text: reading, polyphones with alternatives, HSK level, Palladius."""
    data = json_body()
    raw = data.get("choices")
    choices = {}
    # only {"<character index>": "<reading>"} counts: a list, a key like "²" (a digit to
    # str.isdigit, not to int) or a 5,000-digit key was a 500 before
    for index, reading in raw.items() if isinstance(raw, dict) else ():
        position = parse_id(index)
        if position is not None and isinstance(reading, str):
            choices[position] = reading
    return jsonify(
        pinyin_info(
            str(data.get("hanzi") or ""), sentence=bool(data.get("sentence")), choices=choices
        )
    )


@bp.route("/api/preview/markdown", methods=["POST"])
@author_api(
    {200: s.MarkdownHtml, 400: Refusal},
    body=s.MarkdownIn,
    body_limited=True,
)
@body_limit(PREVIEW_MAX_BYTES)
def api_markdown():
    """Markdown as the learner will see it (sanitised); texts over the saved limit are refused."""
    text = str(json_body().get("text") or "")
    if len(text) > MARKDOWN_MAX_CHARS:
        message = _(
            "The text is longer than %(n)d characters; shorten it or split it into several notes.",
            n=MARKDOWN_MAX_CHARS,
        )
        return jsonify({"error": message}), 400
    return jsonify({"html": render_markdown(clean_markdown(text))})


@bp.route("/api/audio")
@author_api(
    {200: {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/ClipUrls"}}},
    query=s.AudioQuery,
)
def api_audio():
    """Which clips exist for the given texts (the editor polls while audio is being made)."""
    texts = request.args.getlist("t")[:200]
    keys = clip_keys(texts)
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
