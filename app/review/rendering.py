"""What the session page and the JSON API both render: the review stage (card or summary)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from functools import lru_cache

from babel.dates import format_timedelta
from flask import current_app, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.exercises.kinds.write import characters
from app.review import answers, daily_queue, reports
from app.srs import Grade, Verdict
from app.srs import directions as d
from app.srs.answers import han_only

PROMPTS = {
    d.RECOGNITION: _l("What does it mean?"),
    d.RECALL: _l("Write it in Chinese"),
    d.LISTENING: _l("Listen: what does it mean?"),
    d.PINYIN: _l("Type the pinyin with tones"),
    d.WRITING: _l("Write the characters by hand"),
}
ANSWER_LABELS = {
    d.RECALL: _l("The word in hanzi (or its pinyin with tones)"),
    d.PINYIN: _l("Pinyin with tones (nǐ hǎo or ni3 hao3)"),
}
RATING_NAMES = {1: _l("Again"), 2: _l("Hard"), 3: _l("Good"), 4: _l("Easy")}
VERDICTS = {
    Verdict.CORRECT: _l("Correct!"),
    Verdict.WRONG_TONE: _l("The syllables are right, a tone is wrong."),
    Verdict.WRONG: _l("Not quite."),
    Verdict.EMPTY: _l("No answer: here is the right one."),
}
MESSAGES = {
    "stale": _l(
        "This card changed after it was shown (answered in another tab?). Here is the next one."
    ),
    "not_found": _l("There is no such card."),
    "not_reviewable": _l("This card is suspended or no longer part of a course."),
    "reused": _l("This answer id was already used for another answer. Reload the page."),
    "bad_request": _l("The answer could not be understood."),
    "unauthorized": _l("Sign in to review your cards."),
    "forbidden": _l("Reviews are for learners."),
}


@lru_cache(maxsize=8)
def _labels_in(locale: str) -> dict:
    """The stage's labels in `locale`, each translated once per process (a lazy string looks
    the catalogue up again at every use: a tenth of the stage's cost, for five words)."""
    labels = {"prompts": PROMPTS, "answer_labels": ANSWER_LABELS, "rating_names": RATING_NAMES,
              "verdicts": VERDICTS}  # fmt: skip
    with force_locale(locale):
        return {name: {k: str(v) for k, v in texts.items()} for name, texts in labels.items()}


def stage_labels() -> dict:
    """`_labels_in` the current locale."""
    return _labels_in(str(get_locale()))


def interval_label(delta: timedelta) -> str:
    """A short interval for a rating button: "10 мин", "3 дн."."""
    return _interval_label(max(int(delta.total_seconds()), 60), str(get_locale()))


@lru_cache(maxsize=4096)
def _interval_label(seconds: int, locale: str) -> str:
    """Babel's wording of an interval, made once per length and language: the same few
    intervals (a minute, ten minutes, whole days) come back on every card."""
    return format_timedelta(
        timedelta(seconds=seconds), threshold=1.0, format="short", locale=locale
    )


def audio_url(key: str | None) -> str | None:
    if key is None or "audio.clip" not in current_app.view_functions:
        return None
    return url_for("audio.clip", key=key)


def stage_context(
    shown: daily_queue.Shown | None,
    counts: daily_queue.Counts,
    now: datetime,
    *,
    revealed: bool = False,
    grade: Grade | None = None,
    given: str | None = None,
    message: str | None = None,
    labels: dict[int, str] | None = None,
) -> dict:
    """Everything `review/_stage.html` needs: the card (or the day's summary), forms, undo."""
    ctx: dict = {
        "shown": shown,
        "counts": counts,
        "revealed": revealed or grade is not None,
        "grade": grade,
        "given": given,
        "message": message,
        **stage_labels(),
        "undo": _undoable(counts, now),
    }
    if shown is None:
        ctx["today"] = reports.today(current_user, now)
        return ctx
    ctx.update(card_context(shown, now, labels))
    return ctx


def _undoable(counts: daily_queue.Counts, now: datetime) -> answers.Undoable | None:
    """The answer the stage offers to undo, read with the counts when they came with it."""
    if counts.done is None:
        return answers.last_undoable(current_user, now)
    return answers.Undoable(counts.done.undoable) if counts.done.undoable else None


def interval_labels(shown: daily_queue.Shown) -> dict[int, str]:
    """The interval label of each rating button."""
    return {r: interval_label(delta) for r, delta in shown.intervals.items()}


def card_context(
    shown: daily_queue.Shown, now: datetime, labels: dict[int, str] | None = None
) -> dict:
    """What `review/_card.html` needs besides the labels: a review id, intervals, audio, and
    for a writing card the characters to write (with the mistakes each may have).

    `labels` are the interval labels when the caller has made them already."""
    writing = shown.card.direction == d.WRITING
    return {
        "review_id": str(uuid.uuid4()),
        "shown_at": int(now.timestamp() * 1000),
        "audio": audio_url(shown.audio_key),
        "intervals": labels if labels is not None else interval_labels(shown),
        "writing": characters(han_only(shown.item.hanzi)) if writing else None,
    }


def render_offline_queue(queue: list[daily_queue.Queued], now: datetime) -> list[dict]:
    """Today's queue for the offline session: each card's data and its front-and-back HTML."""
    labels = {"revealed": False, "grade": None, "given": None, **stage_labels()}
    cards = []
    for queued in queue:
        shown = queued.shown
        ctx = {**labels, "shown": shown, **card_context(shown, now)}
        cards.append(
            {
                "card_id": shown.card.id,
                "version": shown.card.version,
                "bucket": queued.bucket,
                "hanzi": shown.item.hanzi,
                "audio": ctx["audio"],
                # a writing card's stroke data, saved with the queue so that it works offline
                "strokes": [
                    url_for("learn.stroke_data", char=c["char"]) for c in ctx["writing"] or ()
                ],
                "html": render_template("review/_card.html", **ctx),
            }
        )
    return cards


def render_stage(*args, **kwargs) -> str:
    return render_template("review/_stage.html", **stage_context(*args, **kwargs))
