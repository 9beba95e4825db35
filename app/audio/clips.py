"""Which clips exist and which one a page plays: the best playable clip per text and speed.

Functions read only; one query per call whatever the number of texts (in slices of an IN list).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, case, not_, or_, select

from app.audio import cache
from app.audio.engines import PREFERENCE, RETIRED_VOICES, retired
from app.audio.texts import SPOKEN_EXERCISES, prompt_text
from app.extensions import db
from app.models import AudioClip, ClipVerdict

#: what the look-ups read of each clip (text, speed, engine, key, voice, verdict)
CLIP_FIELDS = (
    AudioClip.text,
    AudioClip.speed,
    AudioClip.engine,
    AudioClip.key,
    AudioClip.voice,
    AudioClip.verdict,
)
#: the engine and voice names of a trainer's recording (it outranks every synthesised clip)
RECORDING = "recording"
RECORDING_VOICE = "upload"


def chunks(values: list[str], size: int = 500) -> Iterable[list[str]]:
    """Slices of a long IN list (SQLite caps the number of bound parameters)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True)
class ClipChoice:
    key: str
    engine: str
    #: unchecked | passed | failed: listening exercises play only passed clips
    verdict: str = ClipVerdict.UNCHECKED

    @property
    def passed(self) -> bool:
        return self.verdict == ClipVerdict.PASSED


@dataclass(frozen=True)
class ClipKeys:
    """The clip a page plays for one text at each speed (None: not made yet)."""

    normal: ClipChoice | None = None
    slow: ClipChoice | None = None

    def get(self, speed: str) -> ClipChoice | None:
        return self.normal if speed == "normal" else self.slow

    @property
    def verified(self) -> ClipKeys:
        """Only the clips that passed verification (what a listening exercise may play)."""
        return ClipKeys(
            self.normal if self.normal and self.normal.passed else None,
            self.slow if self.slow and self.slow.passed else None,
        )


def rank(engine: str) -> int:
    return PREFERENCE.index(engine) if engine in PREFERENCE else len(PREFERENCE)


#: the playable clips of the texts `:texts`, newest first (built once: every lesson page asks)
_CLIPS_OF = (
    select(*CLIP_FIELDS)
    .where(
        AudioClip.text.in_(bindparam("texts", expanding=True)),
        AudioClip.verdict != ClipVerdict.FAILED,
    )
    .order_by(AudioClip.id.desc())
)


def clip_keys(texts: Iterable[str]) -> dict[str, ClipKeys]:
    """For each text, the best playable clip at normal and slow speed, in ONE query.

    Best means a trainer's recording, then a neural voice, gTTS, espeak-ng; the newest among
    equals. A clip that failed verification, or made by a retired voice (espeak-ng's `cmn`,
    which read pinyin in English), is never offered: the page shows «нет аудио» instead.
    Texts are matched after stripping spaces; the result is keyed by the texts as given.
    """
    wanted: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        if text and text.strip():
            wanted[text.strip()].append(text)
    if not wanted:
        return {}
    rows = []
    for chunk in chunks(list(wanted)):
        rows += db.session.execute(_CLIPS_OF, {"texts": chunk}).all()
    best: dict[tuple[str, str], ClipChoice] = {}
    for text, speed, engine, key, voice, verdict in rows:
        if retired(engine, voice):
            continue
        current = best.get((text, speed))
        if current is None or rank(engine) < rank(current.engine):
            best[(text, speed)] = ClipChoice(key, engine, verdict)
    result = {}
    for stripped, originals in wanted.items():
        keys = ClipKeys(best.get((stripped, "normal")), best.get((stripped, "slow")))
        for original in originals:
            result[original] = keys
    return result


def normal_clip_choice(text_column):
    """SQL for `clip_keys(...)[text].normal` of a text column: a SELECT of the chosen clip's
    (key, verdict), at most one row, correlated with the column's table.

    The same choice as `clip_keys`: no failed or retired clip; the best engine, the newest
    among equals. Exact for texts without surrounding spaces (`clip_keys` strips them): the
    caller looks a text with them up through `clip_keys`."""
    rank = case(
        {engine: n for n, engine in enumerate(PREFERENCE)},
        value=AudioClip.engine,
        else_=len(PREFERENCE),
    )
    usable = [
        AudioClip.text == text_column,
        AudioClip.speed == "normal",
        AudioClip.verdict != ClipVerdict.FAILED,
        # one comparison per voice, not IN (…): an expanding IN is rendered again at every
        # execution, and this runs for every card shown
        *(
            not_(
                and_(
                    AudioClip.engine == engine, or_(*(AudioClip.voice == v for v in sorted(voices)))
                )
            )
            for engine, voices in RETIRED_VOICES.items()
        ),
    ]
    return (
        select(AudioClip.key, AudioClip.verdict)
        .where(*usable)
        .order_by(rank, AudioClip.id.desc())
        .limit(1)
        .correlate_except(AudioClip)
    )


def best_normal_clip(text_column) -> tuple:
    """`normal_clip_choice` as two scalar subqueries: (key, verdict)."""
    choice = normal_clip_choice(text_column)
    return (
        choice.with_only_columns(AudioClip.key).scalar_subquery(),
        choice.with_only_columns(AudioClip.verdict).scalar_subquery(),
    )


def spoken_prompts(exercises: Iterable[tuple[int, str, dict]]) -> list[tuple[int, str]]:
    """(id, text heard) of the listening exercises among (id, kind, data)."""
    return [
        (exercise_id, prompt_text(data))
        for exercise_id, kind, data in exercises
        if kind in SPOKEN_EXERCISES
    ]


def unplayable_exercises(
    exercises: Iterable[tuple[int, str, dict]], keys: dict[str, ClipKeys] | None = None
) -> set[int]:
    """Ids of the listening exercises (id, kind, data) whose clip has not passed verification:
    they are not offered (the page shows «нет аудио») and do not count in the lesson's score.
    One query, none when the caller gives `keys` (clip_keys of texts including the prompts:
    each text's clips do not depend on the other texts asked for)."""
    spoken_ones = spoken_prompts(exercises)
    if not spoken_ones:
        return set()
    if keys is None:
        keys = clip_keys({text for _, text in spoken_ones if text})
    return {
        exercise_id
        for exercise_id, text in spoken_ones
        if not text or keys.get(text, ClipKeys()).verified.normal is None
    }


def find_clip(key: str) -> AudioClip | None:
    if not cache.is_key(key):
        return None
    return db.session.scalar(select(AudioClip).where(AudioClip.key == key))
