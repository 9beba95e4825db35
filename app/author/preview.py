"""A draft lesson in the shape of the learner's page, so that the trainer previews it through
the learner's own templates; answers to its exercises are checked and never recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from werkzeug.exceptions import NotFound

from app.author.live_pinyin import ItemView, item_views, pinyin_info, word_pinyin
from app.exercises import get_kind
from app.models import Course


@dataclass
class DraftPage:
    """A draft lesson in the shape of the learner's page (`app.learn.pages.LessonPage`), so
    that the trainer previews it through the learner's own templates."""

    course: Course
    lesson: SimpleNamespace
    words: list[SimpleNamespace]
    dialogues: list[tuple[SimpleNamespace, list[SimpleNamespace]]]
    grammar: list[dict[str, Any]]
    #: {"exercise", "view", "number"}: the route adds the URLs that check without recording
    exercises: list[dict[str, Any]]
    glossary: dict[str, tuple[str, str]]
    audio_keys: dict[str, Any] = field(default_factory=dict)
    progress: None = None
    summary: None = None


def lesson_preview(course: Course, draft: dict[str, Any], lesson: dict[str, Any]) -> DraftPage:
    """A draft lesson as the learner's page will show it: words and dialogue lines with the
    pinyin a learner will see, grammar notes with their examples, tap-a-word glosses from the
    draft course's vocabulary, and every exercise rendered by its kind."""
    words, dialogues = item_views(lesson)

    def entry(view: ItemView) -> SimpleNamespace:
        e = view.entry
        return SimpleNamespace(
            hanzi=e["hanzi"],
            pinyin=view.pinyin,
            ru=e.get("ru", ""),
            notes=e.get("notes"),
            hsk=view.hsk,
            passive=bool(e.get("passive")),
            speaker=e.get("speaker", ""),
        )

    grammar = [
        {
            **note,
            "examples": [
                SimpleNamespace(
                    hanzi=ex["hanzi"],
                    pinyin=ex.get("pinyin") or pinyin_info(ex["hanzi"], sentence=True)["pinyin"],
                    ru=ex.get("ru", ""),
                )
                for ex in note.get("examples", [])
            ],
        }
        for note in lesson.get("grammar", [])
    ]
    glossary = {
        w["hanzi"]: (w.get("pinyin") or word_pinyin(w["hanzi"]), w.get("ru", ""))
        for other in draft.get("lessons", [])
        for w in other.get("vocabulary", [])
    }
    exercises = []
    for n, data in enumerate(lesson.get("exercises", []), start=1):
        exercises.append(
            {
                "exercise": PreviewExercise(n, data["kind"], data),
                "view": get_kind(data["kind"]).render(data, seed=n),
                "number": n,
            }
        )
    return DraftPage(
        course=course,
        lesson=SimpleNamespace(
            id=None,
            course_id=course.id,
            title=lesson.get("title", ""),
            goals=lesson.get("goals", []),
            body=lesson.get("body"),
        ),
        words=[entry(v) for v in words],
        dialogues=[
            (SimpleNamespace(title=d.get("title", "")), [entry(v) for v in lines])
            for d, lines in dialogues
        ],
        grammar=grammar,
        exercises=exercises,
        glossary=glossary,
    )


def check_preview_answer(lesson: dict[str, Any], number: int, answer: Any):
    """The verdict on an answer to draft exercise `number` (1-based); nothing is recorded."""
    exercises = lesson.get("exercises", [])
    if not 1 <= number <= len(exercises):
        raise NotFound()
    data = exercises[number - 1]
    return data, get_kind(data["kind"]).check(data, answer)


@dataclass(frozen=True)
class PreviewExercise:
    """Stands in for an Exercise row in the learner's exercise macro."""

    id: int
    kind: str
    data: dict[str, Any]
