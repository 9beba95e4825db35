"""People: accounts, their roles and study preferences."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.tenancy import Company, Department


class Role(enum.StrEnum):
    LEARNER = "learner"
    TRAINER = "trainer"
    HR = "hr"
    ADMIN = "admin"


class UserRole(Base):
    """One role held by a user; a user may hold several."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stored lower-cased; the sign-in name
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True
    )
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    position: Mapped[str | None] = mapped_column(String(200))
    #: a deactivated user cannot sign in; their history stays
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str] = mapped_column(String(8), default="ru")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    #: FSRS desired retention, 0.70–0.97
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    #: the FSRS-6 parameters the scheduler uses for this learner: their own fit, else the zone's
    #: (set by the fit job, app/review/fitting.py); None: the published defaults
    fsrs_parameters: Mapped[list[float] | None] = mapped_column(JSON)
    #: the forgetting-curve exponent of those parameters (−w20), for predicted recall in SQL
    fsrs_decay: Mapped[float | None] = mapped_column(Float)
    daily_new_limit: Mapped[int] = mapped_column(Integer, default=15)
    #: review also by writing the characters by hand (meaning and pinyin → hanzi); off by default
    review_writing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: pinyin display: on | off | above (only above my HSK level)
    pinyin_mode: Mapped[str] = mapped_column(String(8), default="on")
    hsk_level: Mapped[int | None] = mapped_column(Integer)
    show_palladius: Mapped[bool] = mapped_column(Boolean, default=False)
    tone_sandhi: Mapped[bool] = mapped_column(Boolean, default=False)
    #: minutes of study a day the learner aims for (answers and reviews)
    daily_goal_minutes: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    #: opt-in: a daily e-mail reminding of the day's reviews, at `reminder_hour` local time
    review_reminder: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reminder_hour: Mapped[int] = mapped_column(Integer, default=9, server_default="9")
    #: bumped on password change so that other sessions and remember-me cookies end
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deactivated_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]

    company: Mapped[Company] = relationship(back_populates="users")
    department: Mapped[Department | None] = relationship()
    manager: Mapped[User | None] = relationship(remote_side=[id])
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    # Flask-Login's user protocol, written out so that models import nothing from Flask.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r.role for r in self.role_rows)

    def set_roles(self, roles: set[str] | frozenset[str]) -> None:
        unknown = set(roles) - {r.value for r in Role}
        if unknown:
            raise ValueError(f"unknown roles: {sorted(unknown)}")
        keep = [r for r in self.role_rows if r.role in roles]
        have = {r.role for r in keep}
        self.role_rows = keep + [UserRole(role=r) for r in sorted(set(roles) - have)]

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def __repr__(self) -> str:
        return f"<User {self.email}>"
