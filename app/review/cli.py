"""`flask review ...`: synthetic review data for benchmarks, generated fast and in bulk."""

from __future__ import annotations

import random
import time
from datetime import timedelta

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, insert, select

from app.extensions import db
from app.models import Card, Company, Course, Item, Lesson, User, UserRole, utcnow
from app.srs import directions as d
from app.srs.scheduling import LEARNING, RELEARNING, REVIEW

SYNTH_COMPANY = "synthetic"
SYNTH_COURSE = "synthetic-review"
CHUNK = 5000


def _content(words: int) -> list[int]:
    """A synthetic course with `words` vocabulary items (made once); their ids."""
    course = db.session.scalar(select(Course).where(Course.slug == SYNTH_COURSE))
    if course is None:
        course = Course(slug=SYNTH_COURSE, title="Synthetic review data", published=False)
        lesson = Lesson(course=course, slug="words", title="Words")
        db.session.add_all([course, lesson])
        db.session.flush()
    else:
        lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id))
    have = db.session.scalar(select(func.count(Item.id)).where(Item.lesson_id == lesson.id)) or 0
    now = utcnow()
    rows = [
        {"lesson_id": lesson.id, "key": f"w{i}", "kind": "word", "position": i,
         "hanzi": chr(0x4E00 + i % 20000) + chr(0x4E00 + (i * 7) % 20000), "pinyin": "zì zì",
         "pinyin_locked": False, "ru": f"слово {i}", "created_at": now, "updated_at": now}
        for i in range(have, words)
    ]  # fmt: skip
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(Item), rows[start : start + CHUNK])
    return list(
        db.session.scalars(select(Item.id).where(Item.lesson_id == lesson.id).order_by(Item.id))
    )


def _card_rows(user_id: int, item_ids: list[int], cards: int, rng: random.Random, now) -> list:
    """`cards` cards in a plausible mix: a quarter new, the rest reviewed, some of them due."""
    out = []
    directions = d.ORDER
    for n in range(cards):
        item_id = item_ids[n // len(directions) % len(item_ids)]
        direction = directions[n % len(directions)]
        row = {"user_id": user_id, "item_id": item_id, "direction": direction, "state": LEARNING,
               "step": 0, "due": now - timedelta(days=1), "created_at": now, "reps": 0,
               "lapses": 0, "is_new": True, "suspended": False, "leech": False, "version": 0,
               "stability": None, "difficulty": None, "last_review": None}  # fmt: skip
        if rng.random() > 0.25:
            stability = rng.uniform(0.5, 90)
            last = now - timedelta(days=rng.uniform(0, 60))
            lapses = rng.choice((0, 0, 0, 1, 2, 9))
            state = rng.choice((REVIEW, REVIEW, REVIEW, REVIEW, RELEARNING))
            row.update(
                state=state,
                step=0 if state == RELEARNING else None,
                stability=stability,
                difficulty=rng.uniform(2, 9),
                last_review=last,
                due=last + timedelta(days=stability * rng.uniform(0.6, 1.4)),
                reps=rng.randint(1, 20),
                lapses=lapses,
                leech=lapses >= 8,
                is_new=False,
            )
        out.append(row)
    return out


def seed_synthetic(
    *, learners: int, cards_per_learner: int, heavy_cards: int = 0, seed: int = 7
) -> tuple[int, int]:
    """Add synthetic learners (and one heavy learner) with cards; returns (learners, cards).

    Learners are named synth-N@synthetic.example; running it again adds the missing ones only.
    """
    rng = random.Random(seed)
    now = utcnow()
    company = db.session.scalar(select(Company).where(Company.slug == SYNTH_COMPANY))
    if company is None:
        company = Company(slug=SYNTH_COMPANY, name="Synthetic", kind="resident")
        db.session.add(company)
        db.session.flush()
    words = max(cards_per_learner, heavy_cards) // len(d.ORDER) + 1
    item_ids = _content(words)
    existing = set(db.session.scalars(select(User.email).where(User.company_id == company.id)))
    wanted = [(f"synth-{n}@synthetic.example", cards_per_learner) for n in range(learners)]
    if heavy_cards:
        wanted.append(("synth-heavy@synthetic.example", heavy_cards))
    new_users = [(email, n) for email, n in wanted if email not in existing]
    total = 0
    for start in range(0, len(new_users), 500):
        batch = new_users[start : start + 500]
        db.session.execute(
            insert(User),
            [{"email": email, "full_name": email.split("@")[0], "company_id": company.id,
              "active": True, "locale": "ru", "timezone": "Europe/Moscow",
              "desired_retention": 0.9, "daily_new_limit": 15, "pinyin_mode": "on",
              "show_palladius": False, "tone_sandhi": True, "session_version": 0,
              "created_at": now} for email, _n in batch],
        )  # fmt: skip
        ids = dict(
            db.session.execute(
                select(User.email, User.id).where(User.email.in_([e for e, _n in batch]))
            ).all()
        )
        db.session.execute(
            insert(UserRole), [{"user_id": i, "role": "learner"} for i in ids.values()]
        )
        rows: list = []
        for email, count in batch:
            rows += _card_rows(ids[email], item_ids, count, rng, now)
            if len(rows) >= CHUNK * 4:
                db.session.connection().execute(Card.__table__.insert(), rows)
                total += len(rows)
                rows = []
        if rows:
            db.session.connection().execute(Card.__table__.insert(), rows)
            total += len(rows)
        db.session.commit()
    return len(new_users), total


def register(app: Flask) -> None:
    review = AppGroup("review", help="Review: daily reminders; synthetic data for benchmarks.")
    app.cli.add_command(review)
    from app.learn.reminder_cli import register_remind

    register_remind(app, review)

    @review.command("synth")
    @click.option("--learners", default=2000, show_default=True)
    @click.option("--cards-per-learner", default=500, show_default=True)
    @click.option("--heavy-cards", default=0, show_default=True,
                  help="Also one learner with this many cards.")  # fmt: skip
    def synth_command(learners: int, cards_per_learner: int, heavy_cards: int) -> None:
        """Generate synthetic learners with cards in bulk (1,000,000 cards by default)."""
        started = time.perf_counter()
        added, cards = seed_synthetic(
            learners=learners, cards_per_learner=cards_per_learner, heavy_cards=heavy_cards
        )
        click.echo(
            f"added {added} learners and {cards} cards in {time.perf_counter() - started:.1f} s"
        )


def register_srs(app: Flask) -> None:
    srs_group = AppGroup("srs", help="Spaced repetition: fitting FSRS parameters.")
    app.cli.add_command(srs_group)

    @srs_group.command("fit")
    def fit_command() -> None:
        """Fit FSRS parameters for the zone and every learner with enough reviews (run nightly)."""
        from app.review import fitting

        started = time.perf_counter()
        result = fitting.fit_all()
        db.session.commit()
        click.echo(
            f"zone fit used: {'yes' if result['zone_accepted'] else 'no'}; "
            f"learners fitted: {result['learners_fitted']}, "
            f"used: {result['learners_accepted']} ({time.perf_counter() - started:.1f} s)"
        )
