"""Saying it aloud: a learner's recording is checked, read against the reference and discarded.

The recording never touches the disk: its bytes are measured from their headers (size, then
length) before anything is decoded, decoded in memory, read by the tone reader
(app/speech/say.py) and dropped when the request ends. What stays is what an exercise stores of
any answer: the tones heard ("2 3"), never the sound, unless the learner ticks «keep»: then the
take is kept as MP3 in their own list (`keep_take`), which only they can open.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from sqlalchemy import delete, select
from werkzeug.exceptions import NotFound

from app.audio import cache, processing
from app.audio.clips import clip_keys
from app.extensions import db
from app.learn.courses import get_lesson
from app.models import Item, SpeechTake, User
from app.policy import check_own_recording
from app.speech import say

#: 15 s of the 16 kHz 16-bit mono WAV the page sends is 480 kB; other formats are smaller
MAX_BYTES = 1_000_000
#: the page stops at 15 s; a little more is allowed for the encoder's padding
MAX_MS = 15_500
#: the drawing's size in SVG units
WIDTH, HEIGHT = 600, 160


class RecordingError(ValueError):
    """A recording we do not read: `code` is "empty", "too large", "not audio" or "too long"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def read_recording(data: bytes, max_bytes: int = MAX_BYTES, max_ms: int = MAX_MS) -> np.ndarray:
    """The samples of an uploaded recording; its size and stated length are checked first,
    from the headers, so that a huge or hour-long file is refused before it is decoded."""
    if not data:
        raise RecordingError("empty")
    if len(data) > max_bytes:
        raise RecordingError("too large")
    try:
        _format, length_ms = processing.probe(data)
    except processing.AudioError:
        raise RecordingError("not audio") from None
    if length_ms > max_ms:
        raise RecordingError("too long")
    try:
        samples = processing.decode(data)
    except processing.AudioError:
        raise RecordingError("not audio") from None
    if samples.size > max_ms * processing.SAMPLE_RATE // 1000:  # headers that lied
        raise RecordingError("too long")
    return samples


@lru_cache(maxsize=256)
def _reference_take(path: str, key: str, expected: tuple[int, ...]) -> say.Take | None:
    """A clip's reading; clips are content-addressed (a key's bytes never change)."""
    try:
        samples = processing.decode(Path(path).read_bytes())
    except (OSError, processing.AudioError):
        return None
    return say.read_take(samples, processing.SAMPLE_RATE, list(expected))


def reference_take(text: str, expected: list[int], audio_dir: str) -> say.Take | None:
    """The reading of the clip a page plays for `text` (a trainer's recording when there is
    one, else synthesised speech), or None when there is no clip yet."""
    keys = clip_keys([text]).get(text)
    choice = keys and (keys.normal or keys.slow)
    if not choice:
        return None
    path = cache.clip_path(audio_dir, choice.key)
    if not path.is_file():
        return None
    return _reference_take(str(path), choice.key, tuple(expected))


@dataclass(frozen=True)
class SayResult:
    """What the page shows: each syllable's verdict and both contours, ready to draw."""

    rows: list[dict]
    take: say.Take
    reference: say.Take | None
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def heard(self) -> list[int | None]:
        return self.take.heard

    @property
    def right(self) -> bool:
        return self.take.right

    def lines(self, take: say.Take | None) -> list[str]:
        if take is None:
            return []
        return say.polylines(take.points, len(self.rows), self.width, self.height)

    @property
    def your_lines(self) -> list[str]:
        return self.lines(self.take)

    @property
    def reference_lines(self) -> list[str]:
        return self.lines(self.reference)


def rows_of(syllables: list[tuple[str, int]], heard: list[int | None]) -> list[dict]:
    """One verdict row per syllable, as the say exercise's verdict has them."""
    return [
        {"syllable": s, "expected": tone, "heard": h, "right": tone == 5 or h == tone}
        for (s, tone), h in zip(syllables, heard, strict=True)
    ]


def analyse(
    samples: np.ndarray, syllables: list[tuple[str, int]], text: str, audio_dir: str
) -> SayResult:
    """Read a recording of `text` (whose syllables are `syllables`) against its reference."""
    expected = [tone for _s, tone in syllables]
    take = say.read_take(samples, processing.SAMPLE_RATE, expected)
    reference = reference_take(text, expected, audio_dir)
    return SayResult(rows_of(syllables, take.heard), take, reference)


def item_to_say(user: User, item_id: int) -> tuple[Item, list[tuple[str, int]]]:
    """A live item of a lesson the user may see, and its syllables; NotFound otherwise (or
    when its pinyin does not read)."""
    item = db.session.get(Item, item_id)
    if item is None or item.retired_at is not None:
        raise NotFound()
    get_lesson(user, item.lesson_id)
    from app.chinese import pinyin_text

    try:
        syllables = say.syllables_of(item.hanzi, item.pinyin or pinyin_text(item.hanzi))
    except ValueError:
        raise NotFound() from None
    if not syllables:
        raise NotFound()
    return item, syllables


# --------------------------------------------------------------------------- kept takes

#: a learner keeps at most this many takes: keeping one more drops the oldest
KEEP_MAX = 50


def keep_take(
    user: User,
    samples: np.ndarray,
    result: SayResult,
    text: str,
    *,
    item_id: int | None = None,
    exercise_id: int | None = None,
) -> SpeechTake:
    """Keep a take the learner asked to keep (MP3, theirs only); the oldest beyond KEEP_MAX go."""
    take = SpeechTake(
        user_id=user.id,
        item_id=item_id,
        exercise_id=exercise_id,
        text=text[:500],
        pinyin=" ".join(row["syllable"] for row in result.rows)[:500],
        heard=" ".join(str(tone or 0) for tone in result.heard)[:100],
        right=result.right,
        duration_ms=round(samples.size * 1000 / processing.SAMPLE_RATE),
        data=processing.encode_mp3(samples),
    )
    db.session.add(take)
    db.session.flush()
    older = db.session.scalars(
        select(SpeechTake.id)
        .where(SpeechTake.user_id == user.id)
        .order_by(SpeechTake.created_at.desc(), SpeechTake.id.desc())
        .offset(KEEP_MAX)
    ).all()
    if older:
        db.session.execute(delete(SpeechTake).where(SpeechTake.id.in_(older)))
    return take


def my_takes(user: User) -> list[SpeechTake]:
    """The takes I kept, newest first (without their sound)."""
    return list(
        db.session.scalars(
            select(SpeechTake)
            .where(SpeechTake.user_id == user.id)
            .order_by(SpeechTake.created_at.desc(), SpeechTake.id.desc())
        )
    )


def my_take(user: User, take_id: int) -> SpeechTake:
    """One of my kept takes; 404 for anyone else's, whoever asks."""
    take = db.session.get(SpeechTake, take_id)
    check_own_recording(user, take.user_id if take else None)
    return take


def delete_take(user: User, take_id: int) -> None:
    """Delete one of my kept takes."""
    db.session.delete(my_take(user, take_id))
    db.session.flush()
