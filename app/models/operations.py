"""Operations: HR assignments, the audit log and the audio clip cache."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class AssignmentTarget(enum.StrEnum):
    USER = "user"
    DEPARTMENT = "department"
    COMPANY = "company"


class Assignment(Base):
    """HR's order that a person, a department or a whole company take a course by a date."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    target: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    #: recertification: assign again every N months (None: once)
    recurrence_months: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """Who did what, when and from where. Append-only: nothing updates or deletes rows."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_company_at", "company_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the company whose data changed (None: zone-wide)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))


class ClipVerdict(enum.StrEnum):
    """What `flask audio verify` (or the build, right after making a clip) found."""

    UNCHECKED = "unchecked"
    #: Mandarin throughout, and a one-syllable clip is heard in its written tone
    PASSED = "passed"
    #: a language switch, a wrong tone, or the file does not decode: never played
    FAILED = "failed"


class AudioClip(Base):
    """A cached audio clip, addressed by a hash of engine, voice, speed and what was read."""

    __tablename__ = "audio_clips"
    #: pages look clips up by text (app.audio.clips.clip_keys)
    __table_args__ = (Index("ix_audio_clips_text_speed", "text", "speed"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    engine: Mapped[str] = mapped_column(String(16))
    voice: Mapped[str] = mapped_column(String(32))
    #: normal | slow
    speed: Mapped[str] = mapped_column(String(8), default="normal")
    mime_type: Mapped[str] = mapped_column(String(32), default="audio/mpeg")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    #: an uploaded recording of an item takes precedence over synthesis
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    #: what an engine that reads pinyin was given ("yin2hang2"); None when it read the hanzi
    spoken: Mapped[str | None] = mapped_column(Text)
    #: unchecked | passed | failed (ClipVerdict); listening exercises need passed
    verdict: Mapped[str] = mapped_column(
        String(16), default=ClipVerdict.UNCHECKED, server_default=ClipVerdict.UNCHECKED
    )
    #: the tone the tone reader heard in a one-syllable clip
    heard_tone: Mapped[int | None] = mapped_column(Integer)
    #: why the clip failed, in the words `flask audio verify` prints
    verdict_note: Mapped[str | None] = mapped_column(String(200))
    checked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
