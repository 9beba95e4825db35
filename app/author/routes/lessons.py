"""A lesson in the editor: its title, goals and body, and its grammar notes."""

from __future__ import annotations

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user

from app.author import bp, grammar_notes, outline
from app.author.forms import GrammarForm, LessonForm
from app.author.paste import parse_examples
from app.author.routes.common import (
    button_action,
    form_refused,
    lesson_url,
    make_audio,
    render_lesson,
    saving_draft,
)


@bp.route("/c/<slug>/l/<lesson>", methods=["GET", "POST"])
def lesson(slug: str, lesson: str):
    """A lesson in the editor: its text, items, dialogues and exercises."""
    if request.method == "GET":
        return render_lesson(slug, lesson)
    form = LessonForm()
    if not form.validate_on_submit():
        return render_lesson(slug, lesson, 422, lesson_form=form)
    with saving_draft() as refused:
        outline.update_lesson(current_user, slug, lesson, form.version_number(), form.data_dict())
    if refused:
        return render_lesson(slug, lesson, refused.status, lesson_form=form)
    flash(_("The lesson is saved in the draft."), "success")
    return redirect(lesson_url(slug, lesson))


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
    again = {"grammar_form": form, "grammar_at": "new" if index is None else index}
    if not form.validate_on_submit():
        return form_refused(form, slug, lesson, **again)
    examples, errors = parse_examples(form.examples.data)
    if errors:
        for message in _example_errors(errors):
            flash(message, "error")
        return render_lesson(slug, lesson, 422, **again)
    data = {"title": form.title.data, "body": form.body.data, "examples": examples}
    with saving_draft(invalid_heading=_("The grammar note was not saved:")) as refused:
        title = grammar_notes.save_grammar(
            current_user, slug, lesson, form.version_number(), index, data
        )
    if refused:
        return render_lesson(slug, lesson, refused.status, **again)
    make_audio([e["hanzi"] for e in examples])
    flash(_("Grammar note saved: %(title)s", title=title), "success")
    return redirect(lesson_url(slug, lesson, "grammar"))


@bp.route("/c/<slug>/l/<lesson>/grammar", methods=["POST"])
def add_grammar(slug: str, lesson: str):
    """Add a grammar note: title, Markdown explanation, examples."""
    return _save_grammar(slug, lesson, None)


@bp.route("/c/<slug>/l/<lesson>/grammar/<int:index>", methods=["POST"])
def grammar(slug: str, lesson: str, index: int):
    """Change a grammar note."""
    return _save_grammar(slug, lesson, index)


@bp.route("/c/<slug>/l/<lesson>/grammar/<int:index>/remove", methods=["POST"])
def remove_grammar(slug: str, lesson: str, index: int):
    """Remove a grammar note from the draft."""
    return button_action(slug, lesson, grammar_notes.remove_grammar, index)
