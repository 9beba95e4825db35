"""Fitting FSRS parameters to the zone's review logs: per learner and one set for the zone.

Run by the `review.fit_fsrs` job (app/review/jobs.py) or `flask srs fit`. For every active
learner with at least `MIN_REVIEWS` reviews over `MIN_DAYS` days (app/srs/fitting.py), their own
parameters are fitted on their older reviews and judged on their newest 20 %; for the zone, one
set is fitted on everybody's older reviews and judged on everybody's newest. Each fit is kept in
`fsrs_fits`; a set is used (copied to `users.fsrs_parameters`) only when it beats the set in use
on the held-out reviews. Learners without a fit of their own get the zone's set.

Cards are not rescheduled after a fit: each card keeps its due date and takes the new
parameters at its next answer (stability and difficulty are then updated by the new model).
Rescheduling everything at once would move many due dates overnight and make the next day's
queue jump; the gradual change keeps the workload smooth.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from sqlalchemy import false, select

from app import srs
from app.extensions import db
from app.models import FsrsFit, ReviewLog, User, utcnow
from app.srs import fitting

Progress = Callable[[float, str], None]
log = logging.getLogger(__name__)


def _reviews(user_id: int | None = None) -> dict[int, list[fitting.Review]]:
    """Each learner's answers (undone ones left out), as the optimiser needs them."""
    stmt = (
        select(
            ReviewLog.user_id,
            ReviewLog.card_id,
            ReviewLog.reviewed_at,
            ReviewLog.rating,
            User.timezone,
        )  # fmt: skip
        .join(User, User.id == ReviewLog.user_id)
        .where(ReviewLog.undone == false(), User.active.is_(True))
        .order_by(ReviewLog.user_id, ReviewLog.reviewed_at, ReviewLog.id)
    )
    if user_id is not None:
        stmt = stmt.where(ReviewLog.user_id == user_id)
    out: dict[int, list[fitting.Review]] = {}
    zones: dict[str, object] = {}
    for uid, card_id, at, rating, tz_name in db.session.execute(stmt):
        tz = zones.setdefault(tz_name, srs.zone(tz_name))
        out.setdefault(uid, []).append(
            fitting.Review(card_id, srs.study_day(at, tz), int(rating), at.timestamp())
        )
    return out


def zone_parameters() -> tuple[float, ...] | None:
    """The zone's parameters in use: its latest accepted fit (None: the defaults)."""
    row = db.session.scalar(
        select(FsrsFit.parameters)
        .where(FsrsFit.user_id.is_(None), FsrsFit.accepted.is_(True))
        .order_by(FsrsFit.fitted_at.desc(), FsrsFit.id.desc())
        .limit(1)
    )
    return tuple(row) if row else None


def own_fit(user: User) -> FsrsFit | None:
    """The learner's latest accepted fit of their own, if any."""
    return db.session.scalar(
        select(FsrsFit)
        .where(FsrsFit.user_id == user.id, FsrsFit.accepted.is_(True))
        .order_by(FsrsFit.fitted_at.desc(), FsrsFit.id.desc())
        .limit(1)
    )


def _record(user_id: int | None, data: fitting.Dataset, result: fitting.Fit) -> FsrsFit:
    row = FsrsFit(
        user_id=user_id,
        fitted_at=utcnow(),
        review_count=data.reviews,
        days=data.days,
        held_out=len(data.test),
        parameters=list(result.parameters),
        log_loss_before=result.before.log_loss if result.before else None,
        log_loss_after=result.after.log_loss if result.after else None,
        rmse_before=result.before.rmse_bins if result.before else None,
        rmse_after=result.after.rmse_bins if result.after else None,
        accepted=result.accepted,
        reason=result.reason,
    )
    db.session.add(row)
    return row


def use(user: User, parameters: Sequence[float] | None) -> None:
    """Make `parameters` the learner's (None: back to the defaults)."""
    user.fsrs_parameters = list(parameters) if parameters else None
    user.fsrs_decay = fitting.decay(parameters) if parameters else None


def fit_zone(histories: dict[int, list[fitting.Review]]) -> FsrsFit:
    """One set for the zone: fitted on every learner's older reviews, judged on the newest."""
    train, test, count, days = [], [], 0, 0
    for reviews in histories.values():
        data = fitting.dataset(reviews)
        train += data.train
        test += data.test
        count += data.reviews
        days = max(days, data.days)
    pooled = fitting.Dataset(train=train, test=test, reviews=count, days=days)
    return _record(None, pooled, fitting.fit(pooled, zone_parameters()))


def fit_learner(user: User, reviews: list[fitting.Review], zone: tuple | None) -> FsrsFit | None:
    """The learner's own fit when they have enough reviews (None otherwise)."""
    data = fitting.dataset(reviews)
    if not fitting.enough(data):
        return None
    own = own_fit(user)
    current = tuple(own.parameters) if own else zone
    return _record(user.id, data, fitting.fit(data, current))


def fit_all(progress: Progress | None = None) -> dict[str, int | bool]:
    """Fit the zone, then every learner with enough reviews; flushes, the caller commits."""
    histories = _reviews()
    zone_fit = fit_zone(histories)
    zone = zone_parameters() if not zone_fit.accepted else tuple(zone_fit.parameters)
    fitted = accepted = 0
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))
    total = max(1, len(histories))
    for number, user in enumerate(users.all(), 1):
        try:
            row = fit_learner(user, histories.get(user.id, []), zone)
        except Exception:  # noqa: BLE001 — one learner's odd history must not stop the others
            log.exception("FSRS fit failed for user %s", user.id)
            row = None
        if row is not None:
            fitted += 1
            accepted += int(row.accepted)
        if row is not None and row.accepted:
            use(user, row.parameters)
        elif own_fit(user) is None:
            use(user, zone)  # no fit of their own: start from the zone's set
        if progress and user.id in histories:
            progress(min(99.0, 100 * number / total), f"{number}")
    db.session.flush()
    return {"zone_accepted": zone_fit.accepted, "learners_fitted": fitted,
            "learners_accepted": accepted}  # fmt: skip
