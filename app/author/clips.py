"""The audio a draft needs: every Chinese text of a lesson, and the job that makes the clips."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.exercises import get_kind
from app.models import Job, User


def lesson_texts(lesson: dict[str, Any]) -> list[str]:
    """Every Chinese text of a lesson that gets audio."""
    texts = [w["hanzi"] for w in lesson.get("vocabulary", [])]
    for d in lesson.get("dialogues", []):
        texts += [line["hanzi"] for line in d["lines"]]
    for note in lesson.get("grammar", []):
        texts += [e["hanzi"] for e in note.get("examples", [])]
    for e in lesson.get("exercises", []):
        texts += get_kind(e["kind"]).speech(e)
    return list(dict.fromkeys(texts))


def start_audio_build(actor: User, texts: Iterable[str]) -> Job | None:
    """Queue a job making the clips of `texts` (the page polls `clip_keys`; the trainer can
    follow the job under /jobs/). Runs when the caller commits."""
    from app.jobs import enqueue

    texts = [t for t in dict.fromkeys(texts) if t and t.strip()]
    if not texts:
        return None
    return enqueue("audio.texts", {"texts": texts}, user=actor)
