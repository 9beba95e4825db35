"""The lesson page: words, dialogues, grammar, exercises with my latest answers, my results."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import aliased

from app import visibility
from app.audio.clips import clip_keys, spoken_prompts, unplayable_exercises
from app.exercises import AnswerError, Verdict, get_kind
from app.extensions import db
from app.learn.courses import live_lessons
from app.learn.glossary import Glossary, vocabulary_glossary
from app.learn.lessons import progress_of
from app.learn.scores import FirstTry
from app.models import (
    Attempt,
    Course,
    Dialogue,
    Exercise,
    Item,
    ItemKind,
    Lesson,
    LessonProgress,
    User,
)
from app.ui.fragments import keys_fingerprint, row_key, rows_key


@dataclass(frozen=True)
class ExerciseView:
    exercise: Exercise
    view: dict[str, Any]
    #: the learner's latest attempt, if any, with its verdict
    last: Attempt | None
    verdict: Verdict | None
    submission_id: str
    #: False for a listening exercise whose clip has not passed verification: not offered
    available: bool = True


@dataclass
class LessonPage:
    lesson: Lesson
    course: Course
    words: list[Item]
    dialogues: list[tuple[Dialogue, list[Item]]]
    grammar: list[dict[str, Any]]
    exercises: list[ExerciseView]
    progress: LessonProgress | None
    next_lesson: Lesson | None
    #: hanzi → (pinyin, Russian) of the courses' words, for tap-a-word glosses
    glossary: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: text → the audio clips that exist for it (app.audio.clips.clip_keys)
    audio_keys: dict[str, Any] = field(default_factory=dict)
    summary: LessonSummary | None = None

    @cached_property
    def content_key(self) -> tuple:
        """Every row the learner-independent part of the page shows (the lesson, its words,
        dialogues, lines and grammar examples) with every column, the glossary's digest and the
        clips: the key of that part's rendered HTML (app.ui.fragments), so any edit shows."""
        return (
            row_key(self.lesson),
            rows_key(self.words),
            tuple((row_key(d), rows_key(lines)) for d, lines in self.dialogues),
            tuple(rows_key(note.get("examples", ())) for note in self.grammar),
            (
                self.glossary.fingerprint
                if isinstance(self.glossary, Glossary)
                else tuple(sorted(self.glossary.items()))
            ),
            keys_fingerprint(self.audio_keys),
        )

    @cached_property
    def exercises_key(self) -> tuple:
        """Everything the exercise cards show but the CSRF field and submission ids (their
        slots): each exercise's data, view (the learner's shuffle), verdict and whether it is
        offered; with the clips, the key of the cards' cached HTML."""
        return tuple(
            (
                e.exercise.id,
                e.exercise.kind,
                repr(e.exercise.data),
                repr(e.view),
                e.available,
                None if e.verdict is None else repr(vars(e.verdict)),
            )
            for e in self.exercises
        )

    @property
    def passed(self) -> int:
        return sum(
            1 for e in self.exercises if e.available and e.verdict is not None and e.verdict.correct
        )

    @property
    def offered(self) -> int:
        """Exercises the learner can do (listening ones need a verified clip)."""
        return sum(1 for e in self.exercises if e.available)


@dataclass(frozen=True)
class LessonSummary:
    """Where I stand in a lesson: the score line and the results at its end."""

    lesson: Lesson
    progress: LessonProgress | None
    words: list[Item]
    first_try: FirstTry
    #: exercises whose latest answer is right (what completes the lesson)
    passed: int
    total: int
    pass_threshold: int
    next_lesson: Lesson | None

    @property
    def completed(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None

    @property
    def words_key(self) -> tuple:
        """What the list of the lesson's words shows: the key of its cached HTML."""
        return tuple((w.hanzi, w.pinyin, w.ru) for w in self.words)

    @property
    def all_answered(self) -> bool:
        return self.total > 0 and self.first_try.answered == self.total


def lesson_summary(user: User, lesson: Lesson, progress: LessonProgress | None) -> LessonSummary:
    """My results on a lesson, after an answer (a fixed number of queries)."""
    course = db.session.get(Course, lesson.course_id)
    words = db.session.scalars(
        select(Item)
        .where(Item.lesson_id == lesson.id, Item.kind == ItemKind.WORD, visibility.live(Item))
        .order_by(Item.position)
    ).all()
    rows = db.session.execute(
        select(Exercise.id, Exercise.kind, Exercise.data).where(
            Exercise.lesson_id == lesson.id, visibility.live(Exercise)
        )
    ).all()
    # a listening exercise without a verified clip is not offered and does not count
    unplayable = unplayable_exercises((r.id, r.kind, r.data) for r in rows)
    exercise_ids = [r.id for r in rows if r.id not in unplayable]
    latest, first = my_attempts(user.id, exercise_ids)
    next_lesson = db.session.scalar(
        live_lessons(course.id).where(Lesson.position > lesson.position).limit(1)
    )
    return _summary(lesson, course, progress, list(words), exercise_ids, latest, first, next_lesson)


def _summary(
    lesson: Lesson,
    course: Course,
    progress: LessonProgress | None,
    words: list[Item],
    exercise_ids: list[int],
    latest: dict[int, Attempt],
    first: dict[int, bool],
    next_lesson: Lesson | None,
) -> LessonSummary:
    counted = set(exercise_ids)
    return LessonSummary(
        lesson=lesson,
        progress=progress,
        words=words,
        first_try=FirstTry.of(
            {k: right for k, right in first.items() if k in counted}, len(exercise_ids)
        ),
        passed=sum(1 for a in latest.values() if a.correct),
        total=len(exercise_ids),
        pass_threshold=course.pass_threshold,
        next_lesson=next_lesson,
    )


def _seed(user: User, exercise: Exercise) -> int:
    return user.id * 7919 + exercise.id


def latest_attempts(user: User, exercise_ids: list[int]) -> dict[int, Attempt]:
    latest = (
        select(func.max(Attempt.id))
        .where(Attempt.user_id == user.id, Attempt.exercise_id.in_(exercise_ids))
        .group_by(Attempt.exercise_id)
    )
    return {
        a.exercise_id: a for a in db.session.scalars(select(Attempt).where(Attempt.id.in_(latest)))
    }


def _my_attempts() -> Select:
    bounds = (
        select(
            Attempt.exercise_id,
            func.min(Attempt.id).label("first_id"),
            func.max(Attempt.id).label("last_id"),
        )
        .where(
            Attempt.user_id == bindparam("user_id"),
            Attempt.exercise_id.in_(bindparam("ids", expanding=True)),
        )
        .group_by(Attempt.exercise_id)
        .subquery()
    )
    first = aliased(Attempt)
    return (
        select(Attempt, first.correct)
        .join(bounds, Attempt.id == bounds.c.last_id)
        .join(first, first.id == bounds.c.first_id)
    )


def _live_parts(model) -> Select:
    return (
        select(model)
        .where(model.lesson_id == bindparam("lesson_id"), visibility.live(model))
        .order_by(model.position)
    )


#: the page's statements, built once (building them cost a lesson page more than running
#: them on SQLite): a lesson's live items, dialogues and exercises, `:lesson_id`
_LIVE_ITEMS = _live_parts(Item)
_LIVE_DIALOGUES = _live_parts(Dialogue)
_LIVE_EXERCISES = _live_parts(Exercise)
#: my latest attempt on each of the exercises `:ids` with whether my first was right, `:user_id`
_MY_ATTEMPTS = _my_attempts()


def my_attempts(
    user_id: int, exercise_ids: list[int]
) -> tuple[dict[int, Attempt], dict[int, bool]]:
    """My latest attempt on each exercise, and whether my earliest was right (as
    `app.learn.scores.first_tries` counts it), in one query: both are on the lesson page."""
    if not exercise_ids:
        return {}, {}
    rows = db.session.execute(_MY_ATTEMPTS, {"user_id": user_id, "ids": exercise_ids}).all()
    return {a.exercise_id: a for a, _ in rows}, {a.exercise_id: right for a, right in rows}


_UNSET: Any = object()


def lesson_page(
    user: User,
    lesson: Lesson,
    *,
    progress: LessonProgress | None = _UNSET,
    next_lesson: Lesson | None = _UNSET,
) -> LessonPage:
    """Everything the lesson page shows, in a fixed number of queries.

    `progress` and `next_lesson` may be given when the caller has them already.
    """
    course = db.session.get(Course, lesson.course_id)
    on_lesson = {"lesson_id": lesson.id}
    items = list(db.session.scalars(_LIVE_ITEMS, on_lesson))
    dialogues = db.session.scalars(_LIVE_DIALOGUES, on_lesson).all()
    exercises = db.session.scalars(_LIVE_EXERCISES, on_lesson).all()
    attempts, first = my_attempts(user.id, [e.id for e in exercises])
    if progress is _UNSET:
        progress = progress_of(user, [lesson.id]).get(lesson.id)
    lines: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        if item.kind == ItemKind.LINE and item.dialogue_id is not None:
            lines[item.dialogue_id].append(item)
    # the glosses of the dialogue lines look up only pieces of those lines
    glossary = vocabulary_glossary(
        course.id, [line.hanzi for d in dialogues for line in lines[d.id]]
    )
    by_key = {item.key: item for item in items}
    grammar = [
        {**note, "examples": [by_key[k] for k in note.get("examples", []) if k in by_key]}
        for note in lesson.grammar
    ]
    texts = {item.hanzi for item in items}
    for exercise in exercises:
        texts.update(get_kind(exercise.kind).speech(exercise.data))
    rows = [(e.id, e.kind, e.data) for e in exercises]
    # one query for the page's clips and the listening exercises' verified ones
    audio_keys = clip_keys(sorted(texts | {text for _, text in spoken_prompts(rows) if text}))
    unplayable = unplayable_exercises(rows, audio_keys)
    views = []
    for exercise in exercises:
        kind = get_kind(exercise.kind)
        last = attempts.get(exercise.id)
        verdict = stored_verdict(kind, exercise, last) if last is not None else None
        views.append(
            ExerciseView(
                exercise,
                kind.render(exercise.data, seed=_seed(user, exercise)),
                last,
                verdict,
                str(uuid.uuid4()),
                exercise.id not in unplayable,
            )
        )
    if next_lesson is _UNSET:
        next_lesson = db.session.scalar(
            live_lessons(course.id).where(Lesson.position > lesson.position).limit(1)
        )
    words = [i for i in items if i.kind == ItemKind.WORD]
    return LessonPage(
        lesson=lesson,
        course=course,
        words=words,
        dialogues=[(d, lines[d.id]) for d in dialogues],
        grammar=grammar,
        exercises=views,
        progress=progress,
        next_lesson=next_lesson,
        glossary=glossary,
        audio_keys=audio_keys,
        summary=_summary(
            lesson,
            course,
            progress,
            words,
            [e.id for e in exercises if e.id not in unplayable],
            attempts,
            first,
            next_lesson,
        ),
    )


def stored_verdict(kind, exercise: Exercise, attempt: Attempt) -> Verdict:
    """The verdict of a stored answer. One stored before answers were bounded (a megabyte of
    pinyin) is not checked again on every page view: its recorded result is shown instead."""
    try:
        answer = kind.stored_answer(exercise.data, attempt.answer)
    except AnswerError:
        shape = kind.check(exercise.data, None)
        return Verdict(
            correct=attempt.correct,
            score=attempt.score if attempt.score is not None else float(attempt.correct),
            feedback="correct" if attempt.correct else "wrong",
            right_answer=shape.right_answer,
            explanation=shape.explanation,
        )
    return kind.check(exercise.data, answer)
