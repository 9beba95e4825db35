"""Items in the editor: words and phrases (one at a time or pasted), dialogues with their lines
and glosses; each added text gets its audio in the background."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app import chinese
from app.author import bp, items
from app.author.forms import DialogueTitleForm, GlossForm, ItemForm, LineForm, PasteForm
from app.author.messages import paste_error_message
from app.author.paste import parse_block
from app.author.routes.common import (
    add_move_and_remove,
    form_refused,
    lesson_context,
    lesson_url,
    make_audio,
    render_lesson,
    saving_draft,
)


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
        "passive": form.passive.data,
    }


@bp.route("/c/<slug>/l/<lesson>/items", methods=["POST"])
def add_item(slug: str, lesson: str):
    """Add one word or phrase; its audio is made in the background."""
    form = ItemForm()
    if not form.validate_on_submit():
        return render_lesson(slug, lesson, 422, item_form=form)
    with saving_draft() as refused:
        added = items.add_items(
            current_user, slug, lesson, form.version_number(), [_item_data(form)]
        )
    if refused:
        return render_lesson(slug, lesson, refused.status, item_form=form)
    make_audio(added)
    flash(_("Added: %(hanzi)s", hanzi=", ".join(added)), "success")
    return redirect(lesson_url(slug, lesson, "add-item"))


@bp.route("/c/<slug>/l/<lesson>/paste", methods=["POST"])
def paste(slug: str, lesson: str):
    """Add many words, or a dialogue, from pasted lines."""
    form = PasteForm()
    if not form.validate_on_submit():
        return render_lesson(slug, lesson, 422, paste_form=form)
    dialogue = form.mode.data == "dialogue"
    parsed = parse_block(form.block.data, dialogue=dialogue)
    if parsed.errors or not parsed.rows:
        for error in parsed.errors:
            flash(paste_error_message(error), "error")
        if not parsed.errors:
            flash(_("Nothing to add."), "error")
        return render_lesson(slug, lesson, 422, paste_form=form)
    if dialogue:
        title = form.dialogue_title.data or _("Dialogue")
        words, new_dialogue = [], {"title": title, "lines": parsed.rows}
    else:
        words, new_dialogue = parsed.rows, None
    with saving_draft() as refused:
        added = items.add_items(
            current_user, slug, lesson, form.version_number(), words, new_dialogue
        )
    if refused:
        return render_lesson(slug, lesson, refused.status, paste_form=form)
    make_audio(added)
    flash(_("Added %(n)d lines.", n=len(added)), "success")
    return redirect(lesson_url(slug, lesson, "items"))


@bp.route("/c/<slug>/l/<lesson>/items/<ref>", methods=["GET", "POST"])
def item(slug: str, lesson: str, ref: str):
    """Edit one item: hanzi, pinyin (polyphones to choose), meaning, notes; its audio."""
    ctx = lesson_context(slug, lesson)
    entry = items.item_at(ctx["lesson"], ref)
    form = ItemForm()
    status = 200
    if form.validate_on_submit():
        with saving_draft() as refused:
            hanzi = items.update_item(
                current_user, slug, lesson, form.version_number(), ref, _item_data(form)
            )
        if not refused:
            make_audio([hanzi])
            flash(_("Saved: %(hanzi)s", hanzi=hanzi), "success")
            return redirect(lesson_url(slug, lesson, "items"))
        status = refused.status
    elif request.method == "GET":
        views = ctx["words"] + [v for _d, lines in ctx["dialogues"] for v in lines]
        view = next(v for v in views if v.ref == ref)
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
        render_template(
            "author/item.html",
            **ctx,
            form=form,
            entry=entry,
            ref=ref,
            is_line=ref.startswith("d"),
        ),
        status,
    )


add_move_and_remove("item", "/c/<slug>/l/<lesson>/items/<ref>", items.move_item, items.remove_item)


# --------------------------------------------------------------------------- dialogues


def _edit_dialogue(slug: str, lesson: str, index: int, form, save, **again):
    """A dialogue's form: sent back with its errors, or `save(version)` run as a draft edit
    (it returns the message to show) and back to the dialogue."""
    if not form.validate_on_submit():
        return form_refused(form, slug, lesson, **again)
    with saving_draft() as refused:
        message = save(form.version_number())
    if refused:
        return render_lesson(slug, lesson, refused.status, **again)
    flash(message, "success")
    return redirect(lesson_url(slug, lesson, f"dialogue-{index}"))


@bp.route("/c/<slug>/l/<lesson>/dialogues/<int:index>", methods=["POST"])
def dialogue(slug: str, lesson: str, index: int):
    """Rename a dialogue."""
    form = DialogueTitleForm()

    def save(version: int) -> str:
        items.rename_dialogue(current_user, slug, lesson, version, index, form.title.data)
        return _("The dialogue is renamed.")

    return _edit_dialogue(slug, lesson, index, form, save, dialogue_at=index, title_form=form)


@bp.route("/c/<slug>/l/<lesson>/dialogues/<int:index>/glosses", methods=["POST"])
def dialogue_gloss(slug: str, lesson: str, index: int):
    """Set or remove the Russian gloss learners see when they tap a word of a dialogue."""
    form = GlossForm()

    def save(version: int) -> str:
        meaning = form.meaning.data or ""
        items.set_gloss(current_user, slug, lesson, version, index, form.word.data, meaning)
        return _("The gloss is saved in the draft; learners see it after publishing.")

    try:
        return _edit_dialogue(slug, lesson, index, form, save, dialogue_at=index)
    except items.GlossRefused as exc:
        flash(_("The dialogue has no word «%(word)s».", word=str(exc)), "error")
        return render_lesson(slug, lesson, 422, dialogue_at=index)


@bp.route("/c/<slug>/l/<lesson>/dialogues/<int:index>/lines", methods=["POST"])
def add_line(slug: str, lesson: str, index: int):
    """Add one line to the end of a dialogue; its audio is made in the background."""
    form = LineForm()
    again = {"dialogue_at": index, "line_form": form}
    if not form.validate_on_submit():
        return form_refused(form, slug, lesson, **again)
    if not chinese.han_count(form.hanzi.data):
        flash(_("«%(text)s» has no Chinese characters.", text=form.hanzi.data), "error")
        return render_lesson(slug, lesson, 422, **again)
    data = {"speaker": form.speaker.data, "hanzi": form.hanzi.data, "ru": form.ru.data}
    with saving_draft() as refused:
        hanzi = items.add_line(current_user, slug, lesson, form.version_number(), index, data)
    if refused:
        return render_lesson(slug, lesson, refused.status, **again)
    make_audio([hanzi])
    flash(_("Added: %(hanzi)s", hanzi=hanzi), "success")
    return redirect(lesson_url(slug, lesson, f"dialogue-{index}"))
