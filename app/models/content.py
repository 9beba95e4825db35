"""Course content: courses, lessons, dialogues, items and exercises.

Content rows are keyed by stable slugs and keys from the course files, so that re-importing or
editing a course updates rows in place. Rows are retired, never deleted, so that learners'
cards, attempts and progress keep pointing at something.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.models.base import Base, utcnow


class CourseKind(enum.StrEnum):
    LANGUAGE = "language"
    ETIQUETTE = "etiquette"


class ItemKind(enum.StrEnum):
    WORD = "word"  #: a vocabulary entry (word or set phrase)
    LINE = "line"  #: a line of a dialogue
    EXAMPLE = "example"  #: an example sentence of a grammar note


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default=CourseKind.LANGUAGE)
    level: Mapped[str] = mapped_column(String(80), default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    #: True: every company sees it; False: only the companies in `companies`
    visible_to_all: Mapped[bool] = mapped_column(Boolean, default=True)
    #: percent of a lesson's exercises to answer right to pass it
    pass_threshold: Mapped[int] = mapped_column(Integer, default=80)
    desired_retention: Mapped[float | None]
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]
    #: optimistic-lock counter for concurrent edits
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: trainers' unpublished edits: the course files as data (app.author.drafts); None when
    #: nothing is pending and the published rows are the course
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course", order_by="Lesson.position"
    )
    company_links: Mapped[list[CourseCompany]] = relationship(cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseCompany(Base):
    """A company allowed to see a course that is not visible to all."""

    __tablename__ = "course_companies"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )


class Lesson(Base):
    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Markdown; sanitised on render
    body: Mapped[str] = mapped_column(Text, default="")
    #: grammar notes: [{"title", "body", "examples": [item keys]}]
    grammar: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: a review unit: no new words, mixed exercises over the lessons before it
    review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    retired_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship(back_populates="lessons")
    dialogues: Mapped[list[Dialogue]] = relationship(
        back_populates="lesson", order_by="Dialogue.position"
    )
    items: Mapped[list[Item]] = relationship(back_populates="lesson", order_by="Item.position")
    exercises: Mapped[list[Exercise]] = relationship(
        back_populates="lesson", order_by="Exercise.position"
    )

    def __repr__(self) -> str:
        return f"<Lesson {self.slug}>"


class LessonPart:
    """What a lesson's dialogues, items and exercises share: their lesson, a key unique in it
    (from the course file), a place in the lesson, and retirement instead of deletion."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (UniqueConstraint("lesson_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None]


class Edited:
    """When a content row was made and last changed."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Dialogue(LessonPart, Base):
    __tablename__ = "dialogues"

    key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    #: the trainer's Russian glosses of words in this dialogue: {word: meaning}; they win over
    #: the course vocabulary and the name rule (app.chinese.glosses.russian_gloss)
    glosses: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    lesson: Mapped[Lesson] = relationship(back_populates="dialogues")
    lines: Mapped[list[Item]] = relationship(order_by="Item.position", viewonly=True)


class Item(LessonPart, Edited, Base):
    """Something with hanzi, pinyin and a meaning: a word, a dialogue line, an example."""

    __tablename__ = "items"

    dialogue_id: Mapped[int | None] = mapped_column(ForeignKey("dialogues.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16), default=ItemKind.WORD)
    hanzi: Mapped[str] = mapped_column(Text)
    #: tone-marked pinyin, a word's syllables joined, words separated by spaces
    pinyin: Mapped[str] = mapped_column(Text, default="")
    #: True when a person gave or confirmed the pinyin: regeneration never overwrites it
    pinyin_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    ru: Mapped[str] = mapped_column(Text, default="")
    en: Mapped[str | None] = mapped_column(Text)
    pos: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str | None] = mapped_column(Text)
    hsk: Mapped[int | None] = mapped_column(Integer)
    #: a word the course wants recognised and heard, not produced (no recall or pinyin cards)
    passive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    speaker: Mapped[str | None] = mapped_column(String(120))

    lesson: Mapped[Lesson] = relationship(back_populates="items")

    def __repr__(self) -> str:
        return f"<Item {self.key}>"


class Exercise(LessonPart, Edited, Base):
    __tablename__ = "exercises"

    key: Mapped[str] = mapped_column(String(80))
    #: a name from the exercise-kind registry
    kind: Mapped[str] = mapped_column(String(32))
    #: the kind's fields as in the course file (prompt, options, answer, …)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    lesson: Mapped[Lesson] = relationship(back_populates="exercises")
