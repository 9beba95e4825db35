"""The zone administration's view: every resident company side by side."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select

from app import accounts, policy
from app.extensions import db
from app.hr.training.assignments import status_expr
from app.hr.training.recall import card_recall, learner_decay
from app.hr.training.reports import ReportFilters, Tally, enrollment_query
from app.models import Card, Company, CompanyKind, Item, ItemKind, User, utcnow


@dataclass(frozen=True)
class CompanySummary:
    company: Company
    people: int
    tally: Tally
    learners: int
    words: int
    recall: float

    @property
    def words_per_learner(self) -> float:
        return self.words / self.learners if self.learners else 0.0


def zone_overview(actor: User, now: datetime | None = None) -> list[CompanySummary]:
    """Every resident company side by side (zone admin only); four grouped queries."""
    policy.require_role(actor, "admin")
    now = now or utcnow()
    status = status_expr(now)
    companies = db.session.scalars(
        select(Company).where(Company.kind == CompanyKind.RESIDENT).order_by(Company.name)
    ).all()
    people = accounts.active_counts(User.company_id)
    tallies: dict[int, Tally] = defaultdict(Tally)
    for company_id, st, n in db.session.execute(
        enrollment_query(ReportFilters(None), now, User.company_id, status, func.count()).group_by(
            User.company_id, status
        )
    ):
        tallies[company_id].add(st, n)
    per_word = (
        select(
            Card.user_id.label("user_id"),
            Card.item_id.label("item_id"),
            func.max(card_recall(now, learner_decay())).label("recall"),
        )
        .join(User, User.id == Card.user_id)
        .where(Card.last_review.is_not(None))
        .group_by(Card.user_id, Card.item_id)
        .subquery()
    )
    vocab = {
        company_id: (learners, words, recall_sum)
        for company_id, learners, words, recall_sum in db.session.execute(
            select(
                User.company_id,
                func.count(distinct(per_word.c.user_id)),
                func.count(),
                func.sum(per_word.c.recall),
            )
            .select_from(per_word)
            .join(User, User.id == per_word.c.user_id)
            .join(Item, Item.id == per_word.c.item_id)
            .where(User.active.is_(True), Item.kind == ItemKind.WORD)
            .group_by(User.company_id)
        )
    }
    result = []
    for company in companies:
        learners, words, recall_sum = vocab.get(company.id, (0, 0, 0.0))
        result.append(
            CompanySummary(
                company=company,
                people=people.get(company.id, 0),
                tally=tallies[company.id],
                learners=int(learners),
                words=int(words),
                recall=float(recall_sum or 0.0) / words if words else 0.0,
            )
        )
    return result
