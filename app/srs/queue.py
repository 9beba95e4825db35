"""The rules of the daily queue, on plain numbers: limits, backlog mode and sibling spacing.

Order of the day: cards in (re)learning steps that are due, then due reviews, most forgotten
(lowest retrievability) first, then new cards up to the learner's daily limit. Reviews of cards
in the review state are capped per study day; when more are due than the cap allows (typically
after an absence) the queue is in backlog mode: the most forgotten come first, new cards wait,
and the rest are spread over the next days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

DEFAULT_NEW_PER_DAY = 15
MAX_NEW_PER_DAY = 100
#: reviews of cards in the review state per study day; more due than this is a backlog
DEFAULT_REVIEW_CAP = 200
#: when nothing else is left, cards in learning steps due within this time are shown early
LEARN_AHEAD = timedelta(minutes=20)
#: how many candidates to look at: a word has at most four cards, so one in five is another word
SIBLING_WINDOW = 5


@dataclass(frozen=True)
class QueueSettings:
    new_per_day: int = DEFAULT_NEW_PER_DAY
    review_cap: int = DEFAULT_REVIEW_CAP


@dataclass(frozen=True)
class Plan:
    """What the rest of the study day may still show."""

    #: more reviews are due than the day's cap allows
    backlog: bool
    #: reviews (of cards in the review state) that may still be shown today
    reviews_left: int
    #: new cards that may still be introduced today
    new_left: int


def plan(settings: QueueSettings, *, reviews_done: int, new_done: int, reviews_due: int) -> Plan:
    """Apply the daily limits to what has been done today and what is due now."""
    reviews_left = max(0, settings.review_cap - reviews_done)
    backlog = reviews_due > reviews_left
    new_left = 0 if backlog else max(0, min(settings.new_per_day, MAX_NEW_PER_DAY) - new_done)
    return Plan(backlog=backlog, reviews_left=reviews_left, new_left=new_left)


C = TypeVar("C")


def pick(candidates: Sequence[C], last_item_id: int | None) -> C | None:
    """The first candidate that is not a sibling of the card just answered (else the first).

    Candidates come in queue order; siblings are cards of the same word (item) in other
    directions, which would give each other away when shown back to back.
    """
    if not candidates:
        return None
    for candidate in candidates:
        if getattr(candidate, "item_id", None) != last_item_id:
            return candidate
    return candidates[0]
