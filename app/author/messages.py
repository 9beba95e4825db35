"""The trainer's messages in the interface language: pasted lines and course-file checks.

Services report problems as codes with their context (a pasted line's number, a pydantic error
type); these functions say them in Russian.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.ui import PART_OF_SPEECH_NAMES

#: parts of speech as the course files write them, as the trainer reads them (the learners'
#: names, one table for both)
POS_LABELS = PART_OF_SPEECH_NAMES


def paste_error_message(error: Any) -> str:
    """One pasted line that could not be read (an `app.author.paste.PasteError`)."""
    if error.problem == "speaker":
        return _("Line %(n)d: write «Speaker: 汉字 — перевод».", n=error.line)
    if error.problem == "no_hanzi":
        return _("Line %(n)d: «%(text)s» has no Chinese characters.", n=error.line, text=error.text)
    return _("Line %(n)d: write «汉字 — перевод».", n=error.line)


def _answer_not_among_options(ctx: dict[str, Any]) -> str:
    message = _("the answer «%(answer)s» is not among the options", answer=ctx["answer"])
    if not ctx.get("char"):
        return message
    letter = (
        _("a Latin «%(char)s» among Cyrillic letters", char=ctx["char"])
        if ctx["script"] == "latin"
        else _("a Cyrillic «%(char)s» among Latin letters", char=ctx["char"])
    )
    if ctx["where"] == "answer":
        where = _("the answer has %(letter)s (character %(n)d)", letter=letter, n=ctx["position"])
    else:
        where = _(
            "option %(option)d has %(letter)s (character %(n)d)",
            option=ctx["option"],
            letter=letter,
            n=ctx["position"],
        )
    return f"{message}: {where}"


def schema_message(err: dict[str, Any]) -> str | None:
    """A pydantic error of the course-file schema in Russian, or None to keep its own text."""
    if err["type"] == "answer_not_among_options":
        return _answer_not_among_options(err.get("ctx") or {})
    if err["type"] == "tiles_not_the_answer":
        return _("the tiles put together must make the answer (punctuation aside)")
    if err["type"] == "order_not_the_tiles":
        return _(
            "«%(order)s» is not the answer's tiles in another order",
            order=(err.get("ctx") or {}).get("other", ""),
        )
    return None
