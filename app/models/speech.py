"""Recordings a learner chose to keep of saying a word aloud: theirs alone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class SpeechTake(Base):
    """One kept take: the sound (MP3, at most 15 s), what it said and the tones heard.

    Recordings are analysed and discarded unless the learner ticks «keep»; a kept one is shown,
    played and deleted by its learner only (no HR, trainer or admin page reads this table).
    """

    __tablename__ = "speech_takes"
    __table_args__ = (Index("ix_speech_takes_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("items.id", ondelete="SET NULL"), index=True
    )
    exercise_id: Mapped[int | None] = mapped_column(
        ForeignKey("exercises.id", ondelete="SET NULL"), index=True
    )
    #: the Chinese that was said
    text: Mapped[str] = mapped_column(String(500))
    #: the syllables as written, and the tones heard ("2 3"; 0: none heard)
    pinyin: Mapped[str] = mapped_column(String(500))
    heard: Mapped[str] = mapped_column(String(100))
    right: Mapped[bool] = mapped_column(default=False)
    duration_ms: Mapped[int] = mapped_column(Integer)
    #: 24 kHz mono MP3 (processing.encode_mp3): ~90 kB for 15 s
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
