"""How well the memory model predicts a learner: calibration, the parameters in use, workload.

Calibration compares, for the learner's recent reviews of cards in review, the recall the model
predicted at that moment (from the stability the card had and the days since its last review,
with the learner's current parameters) with what happened (Again = forgotten).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import false, func, select

from app.extensions import db
from app.models import Card, FsrsFit, ReviewLog, User
from app.review import fitting as fits
from app.review.deck import parameters_of
from app.srs import fitting
from app.srs import stats as srs_stats
from app.srs.scheduling import REVIEW

#: the reviews the chart is drawn from: the latest ones of the last year
CALIBRATION_DAYS = 365
CALIBRATION_LIMIT = 5000


@dataclass(frozen=True)
class Model:
    #: own | zone | default
    source: str
    fit: FsrsFit | None


@dataclass(frozen=True)
class Calibration:
    bins: list[fitting.Bin]
    chart: srs_stats.CalibrationChart
    reviews: int
    predicted: float | None
    actual: float | None
    model: Model


def model_of(user: User) -> Model:
    """Which parameters schedule the learner's cards, and the fit that produced their own."""
    own = fits.own_fit(user)
    if own is not None and user.fsrs_parameters and list(own.parameters) == user.fsrs_parameters:
        return Model("own", own)
    if user.fsrs_parameters:
        return Model("zone", None)
    return Model("default", None)


def calibration(user: User, now: datetime) -> Calibration:
    """Predicted against actual recall over the learner's latest reviews of cards in review."""
    rows = db.session.execute(
        select(ReviewLog.card_before, ReviewLog.elapsed_days, ReviewLog.rating)
        .where(
            ReviewLog.user_id == user.id,
            ReviewLog.undone == false(),
            ReviewLog.state_before == REVIEW,
            ReviewLog.was_new == false(),
            ReviewLog.reviewed_at >= now - timedelta(days=CALIBRATION_DAYS),
        )
        .order_by(ReviewLog.reviewed_at.desc())
        .limit(CALIBRATION_LIMIT)
    ).all()
    params = parameters_of(user)
    pairs = [
        (fitting.recall((before or {}).get("stability"), int(days or 0), params), rating > 1)
        for before, days, rating in rows
        if (before or {}).get("stability")
    ]
    bins = fitting.calibration(pairs)
    n = len(pairs)
    return Calibration(
        bins=bins,
        chart=srs_stats.calibration_chart(bins),
        reviews=n,
        predicted=sum(p for p, _r in pairs) / n if n else None,
        actual=sum(1 for _p, r in pairs if r) / n if n else None,
        model=model_of(user),
    )


#: a learner with fewer cards is simulated with this many (what a course brings)
MIN_DECK = 300


def workload(user: User) -> list[fitting.Workload]:
    """Reviews a day over the next year at 80/85/90/95 % desired retention (a simulation with
    the learner's parameters, their number of cards and their daily limit of new cards)."""
    cards = db.session.scalar(select(func.count(Card.id)).where(Card.user_id == user.id)) or 0
    return fitting.workload(
        parameters_of(user), cards=max(MIN_DECK, cards), new_per_day=user.daily_new_limit or 1
    )
