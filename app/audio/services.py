"""Audio use-cases: which texts need clips, which clips exist, building, checking, pruning,
trainers' recordings and who may hear what.

Functions take explicit arguments (the acting user, the audio folder), flush and never commit:
the route or the `flask audio` command commits once.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from app import audit, policy, visibility
from app.audio import builder, cache, processing, spoken, verification
from app.audio.engines import CHAINS, ENGINES, PREFERENCE, SPEEDS, EspeakEngine, retired
from app.exercises import REGISTRY
from app.extensions import db
from app.models import (
    AudioClip,
    ClipVerdict,
    Course,
    Dialogue,
    Exercise,
    Item,
    Lesson,
    Role,
    User,
)
from app.models.base import utcnow

#: exercise kinds whose Chinese prompt is spoken to the learner (heard, not read)
SPOKEN_EXERCISES = tuple(name for name, kind in REGISTRY.items() if kind.spoken)
RECORDING = "recording"
RECORDING_VOICE = "upload"
#: uploads larger than this are refused before decoding (AUDIO_UPLOAD_MAX_BYTES overrides)
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_MAX_MS = 60_000
#: texts longer than this are not synthesised (a lesson line is far shorter)
MAX_TEXT_CHARS = 500
#: files without a row younger than this are left alone by prune: a build may be writing them
PRUNE_GRACE_S = 3600


# --- which texts need clips --------------------------------------------------------------


def _live_content(stmt, *, course_slug: str | None, include_drafts: bool):
    stmt = stmt.where(Lesson.retired_at.is_(None), Course.retired_at.is_(None))
    if not include_drafts:
        stmt = stmt.where(Course.published.is_(True), Lesson.published.is_(True))
    if course_slug is not None:
        stmt = stmt.where(Course.slug == course_slug)
    return stmt


def _prompt_text(data: dict) -> str:
    prompt = data.get("prompt") if isinstance(data, dict) else None
    return prompt.strip() if isinstance(prompt, str) else ""


def texts_by_course(
    *, course_slug: str | None = None, include_drafts: bool = False
) -> dict[int, set[str]]:
    """Per course id, every text that must be heard: live items (words, dialogue lines,
    examples) and the prompts of spoken exercises.

    Published courses and lessons only, unless `include_drafts` (trainers preview drafts, and
    prune must not remove what they built). Two queries, whatever the size of the content.
    """
    items = (
        select(Course.id, Item.hanzi)
        .join(Lesson, Item.lesson_id == Lesson.id)
        .join(Course, Lesson.course_id == Course.id)
        .outerjoin(Dialogue, Item.dialogue_id == Dialogue.id)
        .where(Item.retired_at.is_(None), Dialogue.retired_at.is_(None))
    )
    prompts = (
        select(Course.id, Exercise.data)
        .join(Lesson, Exercise.lesson_id == Lesson.id)
        .join(Course, Lesson.course_id == Course.id)
        .where(Exercise.retired_at.is_(None), Exercise.kind.in_(SPOKEN_EXERCISES))
    )
    options = {"course_slug": course_slug, "include_drafts": include_drafts}
    result: dict[int, set[str]] = defaultdict(set)
    for course_id, hanzi in db.session.execute(_live_content(items, **options)):
        if hanzi.strip():
            result[course_id].add(hanzi.strip())
    for course_id, data in db.session.execute(_live_content(prompts, **options)):
        if text := _prompt_text(data):
            result[course_id].add(text)
    return dict(result)


def needed_texts(*, course_slug: str | None = None, include_drafts: bool = False) -> list[str]:
    """Every text that must be heard, of all published courses or of one course."""
    per_course = texts_by_course(course_slug=course_slug, include_drafts=include_drafts)
    return sorted(set().union(*per_course.values()))


def _chunks(values: list[str], size: int = 500) -> Iterable[list[str]]:
    """Slices of a long IN list (SQLite caps the number of bound parameters)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- which clips exist ---------------------------------------------------------------------


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


def _rank(engine: str) -> int:
    return PREFERENCE.index(engine) if engine in PREFERENCE else len(PREFERENCE)


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
    for chunk in _chunks(list(wanted)):
        rows += db.session.execute(
            select(
                AudioClip.text,
                AudioClip.speed,
                AudioClip.engine,
                AudioClip.key,
                AudioClip.voice,
                AudioClip.verdict,
            )
            .where(AudioClip.text.in_(chunk), AudioClip.verdict != ClipVerdict.FAILED)
            .order_by(AudioClip.id.desc())
        ).all()
    best: dict[tuple[str, str], ClipChoice] = {}
    for text, speed, engine, key, voice, verdict in rows:
        if retired(engine, voice):
            continue
        current = best.get((text, speed))
        if current is None or _rank(engine) < _rank(current.engine):
            best[(text, speed)] = ClipChoice(key, engine, verdict)
    result = {}
    for stripped, originals in wanted.items():
        keys = ClipKeys(best.get((stripped, "normal")), best.get((stripped, "slow")))
        for original in originals:
            result[original] = keys
    return result


def unplayable_exercises(exercises: Iterable[tuple[int, str, dict]]) -> set[int]:
    """Ids of the listening exercises (id, kind, data) whose clip has not passed verification:
    they are not offered (the page shows «нет аудио») and do not count in the lesson's score.
    One query."""
    spoken_ones = [
        (exercise_id, _prompt_text(data))
        for exercise_id, kind, data in exercises
        if kind in SPOKEN_EXERCISES
    ]
    if not spoken_ones:
        return set()
    keys = clip_keys({text for _, text in spoken_ones if text})
    return {
        exercise_id
        for exercise_id, text in spoken_ones
        if not text or keys.get(text, ClipKeys()).verified.normal is None
    }


# --- building --------------------------------------------------------------------------------


@dataclass
class BuildReport:
    made: Counter = field(default_factory=Counter)
    #: clips that already existed (including files adopted from an interrupted run)
    cached: int = 0
    #: offline clips kept because the online engine could not be reached
    kept_offline: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    #: why the online engine was given up, if it was
    fallbacks: Counter = field(default_factory=Counter)
    #: clips made (or adopted) that failed their check: recorded, never played
    rejected: int = 0

    @property
    def total_made(self) -> int:
        return sum(self.made.values())


@dataclass
class BuildPlan:
    tasks: list[builder.Task]
    #: (text, speed) pairs whose clip already exists
    cached: int
    #: (text, speed, reason) refused before any synthesis
    refused: list[tuple[str, str, str]]


def spoken_forms(texts: Iterable[str]) -> dict[str, str | None]:
    """For each text, the numbered pinyin an engine that reads pinyin is given.

    The pinyin is the stored pinyin of a live item with that hanzi (a trainer-confirmed one
    first, then the newest), so polyphones are read as the course file writes them (银行
    háng); a text no item has (an exercise prompt) gets the Chinese engine's pinyin. None when
    neither can be read as pinyin.
    """
    wanted = sorted({t.strip() for t in texts if t and t.strip()})
    stored: dict[str, str] = {}
    for chunk in _chunks(wanted):
        rows = db.session.execute(
            select(Item.hanzi, Item.pinyin)
            .where(Item.hanzi.in_(chunk), Item.retired_at.is_(None), Item.pinyin != "")
            .order_by(Item.pinyin_locked.desc(), Item.id.desc())
        )
        for hanzi, pinyin in rows:
            stored.setdefault(hanzi.strip(), pinyin)
    result: dict[str, str | None] = {}
    for text in wanted:
        result[text] = None
        candidates = [stored[text]] if text in stored else []
        candidates.append(None)
        for pinyin in candidates:
            try:
                written = pinyin if pinyin is not None else spoken.generated_pinyin(text)
                result[text] = spoken.spoken_pinyin(text, written) or None
            except (spoken.SpokenError, ValueError):
                continue
            if result[text]:
                break
    return result


def _current(rows, expected: dict[str, str]) -> tuple[bool, bool]:
    """(done, has_offline) for one text and speed from its clip rows (engine, key, voice,
    verdict, file present): done when a recording exists, or the clip the chain's first
    engine would make, or a better engine's clip that did not fail."""
    done = has_offline = False
    first = next(iter(expected))
    for engine, key, voice, verdict, present in rows:
        if not present or retired(engine, voice):
            continue
        better = _rank(engine) < _rank(first) and verdict != ClipVerdict.FAILED
        if engine == RECORDING or key == expected.get(first) or better:
            done = True
        elif key in expected.values():
            has_offline = True
    return done, has_offline


def plan_build(texts: Iterable[str], mode: str, audio_dir: str, *, retries: int = 2) -> BuildPlan:
    """The tasks still to do for `texts` at both speeds; three queries and a file check per clip.

    A (text, speed) is done when a recording exists, or the very clip the mode's first engine
    would make (same voice, same pinyin read), or a clip of a better engine that did not fail.
    A clip of a retired voice or of an older pinyin never counts: it is made again. Under
    `auto`, a text that has only its espeak-ng clip gets a task too, so that a run with the
    network upgrades it (and keeps it when the network is still down).
    """
    chain = CHAINS[mode]
    engines = {name: ENGINES[name]() for name in chain}
    texts = list(texts)
    forms = spoken_forms(texts)
    rows = []
    for chunk in _chunks(texts):
        rows += db.session.execute(
            select(
                AudioClip.text,
                AudioClip.speed,
                AudioClip.engine,
                AudioClip.key,
                AudioClip.voice,
                AudioClip.verdict,
            ).where(AudioClip.text.in_(chunk))
        ).all()
    present: dict[tuple[str, str], list] = defaultdict(list)
    for text, speed, engine, key, voice, verdict in rows:
        exists_ = cache.clip_path(audio_dir, key).exists()
        present[(text, speed)].append((engine, key, voice, verdict, exists_))
    tasks, cached, refused = [], 0, []
    for text in texts:
        if len(text) > MAX_TEXT_CHARS:
            refused += [
                (text, speed, f"longer than {MAX_TEXT_CHARS} characters") for speed in SPEEDS
            ]
            continue
        form = forms.get(text.strip())
        for speed in SPEEDS:
            expected = {
                name: builder.key_for(engine, text, speed, form) for name, engine in engines.items()
            }
            done, has_offline = _current(present.get((text, speed), []), expected)
            if done:
                cached += 1
                continue
            tasks.append(
                builder.Task(
                    text, speed, chain, audio_dir, has_offline and len(chain) > 1, retries, form
                )
            )
    return BuildPlan(tasks, cached, refused)


def record_clips(clips: Iterable[builder.ClipMeta]) -> int:
    """Add a row for each clip that has none yet (matched by key); returns how many."""
    clips = {c.key: c for c in clips}
    if not clips:
        return 0
    known = set()
    for chunk in _chunks(list(clips)):
        known.update(db.session.scalars(select(AudioClip.key).where(AudioClip.key.in_(chunk))))
    added = 0
    for key, c in clips.items():
        if key in known:
            continue
        db.session.add(
            AudioClip(
                key=key,
                text=c.text,
                engine=c.engine,
                voice=c.voice,
                speed=c.speed,
                mime_type=cache.MIME_TYPE,
                size_bytes=c.size_bytes,
                duration_ms=c.duration_ms,
                spoken=c.spoken,
                verdict=c.verdict,
                heard_tone=c.heard_tone,
                verdict_note=c.note[:200] or None,
                checked_at=utcnow(),
            )
        )
        added += 1
    db.session.flush()
    return added


def run_build(
    plan: BuildPlan,
    *,
    workers: int = 1,
    checkpoint: Callable[[], bool | None] | None = None,
    checkpoint_every: int = 50,
    on_progress: Callable[[builder.Outcome], None] | None = None,
    backoff: float = 0.5,
) -> BuildReport:
    """Carry out a plan: make the clips, add their rows. Rows are flushed and `checkpoint`
    (the caller's commit; False when it had to roll back) is called every `checkpoint_every`
    clips and at the end, so that an interrupted build loses little; its files are adopted by
    the next run anyway.
    """
    report = BuildReport(cached=plan.cached, failed=list(plan.refused))
    pending: list[builder.ClipMeta] = []

    def flush_pending() -> None:
        batch = list(pending)
        pending.clear()
        record_clips(batch)
        # A concurrent build may have recorded some of these clips first: its commit made
        # ours fail and roll back, so record again what is still missing.
        if checkpoint is not None and checkpoint() is False:
            record_clips(batch)
            checkpoint()

    def on_outcome(outcome: builder.Outcome) -> None:
        task = outcome.task
        if outcome.status == "made":
            report.made[outcome.clip.engine] += 1
            if outcome.fallback:
                report.fallbacks[outcome.fallback.split(":", 1)[0]] += 1
        elif outcome.status == "adopted":
            report.cached += 1
        elif outcome.status == "kept":
            report.kept_offline += 1
        else:
            report.failed.append((task.text, task.speed, outcome.reason))
        if outcome.clip is not None:
            if outcome.clip.verdict == ClipVerdict.FAILED:
                report.rejected += 1
            pending.append(outcome.clip)
            if len(pending) >= checkpoint_every:
                flush_pending()
        if on_progress is not None:
            on_progress(outcome)

    try:
        builder.run(plan.tasks, workers, on_outcome, backoff=backoff)
    except BaseException:
        record_clips(pending)  # the caller decides whether to commit what was made
        raise
    flush_pending()
    return report


def build(
    texts: Iterable[str], *, mode: str, audio_dir: str, retries: int = 2, **options
) -> BuildReport:
    """Plan and run in one call (tests, benchmarks)."""
    return run_build(plan_build(texts, mode, audio_dir, retries=retries), **options)


# --- checking and pruning -----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    text: str
    speed: str
    message: str
    #: "missing" (no clip, no file, does not decode), "language", or "tone"
    kind: str = "missing"


@dataclass
class VerifyReport:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: one-syllable clips whose tone was read, and how many had their written tone
    tone_checked: int = 0
    tone_right: int = 0
    #: per engine: [tone checked, tone right]
    by_engine: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    @property
    def tone_share(self) -> float | None:
        return self.tone_right / self.tone_checked if self.tone_checked else None

    def hard_problems(self) -> list[Problem]:
        """Problems that fail verification whatever the tone share."""
        return [p for p in self.problems if p.kind != "tone"]


VERIFY_THREADS = 2
#: `flask audio verify` fails when fewer one-syllable clips than this are heard right
TONE_SHARE_TARGET = 0.95


def _verify_one(row: AudioClip, path, form: str | None, espeak: EspeakEngine) -> tuple:
    """(verdict or None if the file is missing/bad, problem message)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, f"file missing: {path}"
    expected = spoken.single_tone(form) if form and row.engine != RECORDING else None
    try:
        verdict = verification.verify_clip(
            data,
            engine_name=row.engine,
            spoken=row.spoken,
            expected_tone=expected,
            espeak=espeak,
        )
    except processing.AudioError as exc:
        return None, f"{path} does not decode: {exc}"
    return verdict, verdict.note


def verify(texts: Iterable[str], audio_dir: str) -> VerifyReport:
    """Check the clip each text plays at both speeds (failed clips too: they are checked
    again): it exists and decodes, an espeak-ng clip never switches language, and a
    one-syllable clip is heard in its written tone. Stores each clip's verdict.

    Recordings are checked for decoding only: a trainer's recording always wins.
    """
    texts = sorted({t.strip() for t in texts if t and t.strip()})
    rows: list[AudioClip] = []
    for chunk in _chunks(texts):
        rows += db.session.scalars(
            select(AudioClip).where(AudioClip.text.in_(chunk)).order_by(AudioClip.id.desc())
        ).all()
    best: dict[tuple[str, str], AudioClip] = {}
    for row in rows:
        if retired(row.engine, row.voice):
            continue
        current = best.get((row.text, row.speed))
        if current is None or _rank(row.engine) < _rank(current.engine):
            best[(row.text, row.speed)] = row
    forms = spoken_forms(texts)
    espeak = EspeakEngine()
    verification.forget()
    report = VerifyReport()
    now = utcnow()
    todo = [(text, speed, best.get((text, speed))) for text in texts for speed in SPEEDS]

    def check(entry):
        text, speed, row = entry
        if row is None:
            return None
        return _verify_one(row, cache.clip_path(audio_dir, row.key), forms.get(text), espeak)

    # The checks wait on espeak-ng and on decoding (both release the GIL): two at a time.
    with ThreadPoolExecutor(max_workers=VERIFY_THREADS) as pool:
        results = list(pool.map(check, todo))
    for (text, speed, row), result in zip(todo, results, strict=True):
        if row is None:
            report.problems.append(Problem(text, speed, "no clip (run flask audio build)"))
            continue
        report.checked += 1
        verdict, message = result
        row.checked_at = now
        if verdict is None:
            row.verdict, row.verdict_note = ClipVerdict.FAILED, message[:200]
            report.problems.append(Problem(text, speed, message))
            continue
        if row.engine == RECORDING:
            row.verdict, row.verdict_note = ClipVerdict.PASSED, None
            continue
        row.verdict = verdict.status
        row.heard_tone = verdict.heard_tone
        row.verdict_note = verdict.note[:200] or None
        if verdict.tone_checked:
            report.tone_checked += 1
            report.by_engine[row.engine][0] += 1
            if verdict.passed:
                report.tone_right += 1
                report.by_engine[row.engine][1] += 1
        if not verdict.passed:
            kind = "language" if verdict.language_switch else "tone"
            report.problems.append(Problem(text, speed, f"{row.engine}: {message}", kind))
    db.session.flush()
    return report


@dataclass
class PruneReport:
    rows: int = 0
    files: int = 0
    bytes: int = 0


def prune(audio_dir: str, *, dry_run: bool = False, grace_s: float = PRUNE_GRACE_S) -> PruneReport:
    """Remove clips nothing refers to: rows for texts no live content has (drafts count), synth
    clips outdone by a better one for the same text and speed, older recordings of an item, and
    files without a row (older than `grace_s`, so that a running build keeps its fresh files).

    Recordings and the best synthesised clip under a recording are kept (deleting the
    recording falls back to it).
    """
    needed = set(needed_texts(include_drafts=True))
    rows = db.session.execute(
        select(
            AudioClip.id,
            AudioClip.key,
            AudioClip.text,
            AudioClip.speed,
            AudioClip.engine,
            AudioClip.item_id,
            AudioClip.voice,
        ).order_by(AudioClip.id.desc())
    ).all()
    keep_synth: dict[tuple[str, str], tuple[int, str]] = {}
    seen_recordings: set[tuple[int | None, str, str]] = set()
    drop: list[int] = []
    for row in rows:
        if row.text not in needed or retired(row.engine, row.voice):
            drop.append(row.id)
        elif row.engine == RECORDING:
            group = (row.item_id, row.text, row.speed)
            if group in seen_recordings:
                drop.append(row.id)
            seen_recordings.add(group)
        else:
            group = (row.text, row.speed)
            best = keep_synth.get(group)
            if best is None:
                keep_synth[group] = (row.id, row.engine)
            elif _rank(row.engine) < _rank(best[1]):
                drop.append(best[0])
                keep_synth[group] = (row.id, row.engine)
            else:
                drop.append(row.id)
    report = PruneReport(rows=len(drop))
    drop_set = set(drop)
    kept_keys = {row.key for row in rows if row.id not in drop_set}
    dropped_keys = {row.key for row in rows if row.id in drop_set}
    if drop and not dry_run:
        db.session.execute(delete(AudioClip).where(AudioClip.id.in_(drop)))
        db.session.flush()
    for path in cache.iter_files(audio_dir):
        key = cache.key_of(path)
        if key in kept_keys:
            continue
        if key not in dropped_keys and not cache.older_than(path, grace_s):
            continue  # no row yet: perhaps a build is about to record it
        report.files += 1
        try:
            report.bytes += path.stat().st_size
            if not dry_run:
                path.unlink()
        except FileNotFoundError:
            pass
    return report


# --- who may hear what ------------------------------------------------------------------------


def may_hear(user: User, clip: AudioClip) -> bool:
    """Trainers and admins hear every clip; others only clips of published content they see.

    A clip belongs to content through its text: a live item, or the prompt of a spoken
    exercise, in a published lesson of a published course visible to the user's company.
    """
    if user.has_role(Role.TRAINER, Role.ADMIN):
        return True
    published = visibility.learner_content(user.company_id)
    item = (
        select(Item.id)
        .join(Lesson, Item.lesson_id == Lesson.id)
        .join(Course, Lesson.course_id == Course.id)
        .where(Item.hanzi == clip.text, visibility.live(Item), published)
        .limit(1)
    )
    if db.session.scalar(item) is not None:
        return True
    prompt = (
        select(Exercise.id)
        .join(Lesson, Exercise.lesson_id == Lesson.id)
        .join(Course, Lesson.course_id == Course.id)
        .where(
            Exercise.kind.in_(SPOKEN_EXERCISES),
            Exercise.retired_at.is_(None),
            Exercise.data["prompt"].as_string() == clip.text,
            published,
        )
        .limit(1)
    )
    return db.session.scalar(prompt) is not None


def find_clip(key: str) -> AudioClip | None:
    if not cache.is_key(key):
        return None
    return db.session.scalar(select(AudioClip).where(AudioClip.key == key))


# --- trainers' recordings ----------------------------------------------------------------------


class RecordingError(ValueError):
    """An upload we refuse; str() is a stable code the route turns into a message."""


def save_recording(
    actor: User,
    item: Item,
    data: bytes,
    speed: str,
    *,
    audio_dir: str,
    max_bytes: int = UPLOAD_MAX_BYTES,
    ip: str | None = None,
) -> AudioClip:
    """Store a trainer's recording of `item` at `speed`; it replaces an earlier one and takes
    precedence over synthesis. The file is validated by decoding it, then trimmed,
    normalised and encoded like every clip.
    """
    policy.require_role(actor, Role.TRAINER, Role.ADMIN)
    if speed not in SPEEDS:
        raise RecordingError("speed")
    if len(data) > max_bytes:
        raise RecordingError("too large")
    if not data:
        raise RecordingError("empty")
    try:
        _, length_ms = processing.probe(data)
    except processing.AudioError as exc:
        raise RecordingError("not audio") from exc
    if length_ms > UPLOAD_MAX_MS:
        raise RecordingError("too long")  # measured before decoding
    try:
        encoded = processing.finish(data)
    except processing.AudioError as exc:
        raise RecordingError("not audio") from exc
    if encoded.duration_ms > UPLOAD_MAX_MS:
        raise RecordingError("too long")
    text = item.hanzi.strip()
    digest = hashlib.sha256(data).hexdigest()
    key = cache.clip_key(RECORDING, RECORDING_VOICE, speed, text, extra=digest)
    path = cache.clip_path(audio_dir, key)
    cache.write_atomic(path, encoded.data)
    db.session.execute(
        delete(AudioClip).where(
            AudioClip.engine == RECORDING,
            AudioClip.item_id == item.id,
            AudioClip.speed == speed,
            AudioClip.key != key,
        )
    )
    clip = find_clip(key)
    if clip is None:
        clip = AudioClip(
            key=key,
            text=text,
            engine=RECORDING,
            voice=RECORDING_VOICE,
            speed=speed,
            mime_type=cache.MIME_TYPE,
            size_bytes=path.stat().st_size,
            duration_ms=encoded.duration_ms,
            item_id=item.id,
            verdict=ClipVerdict.PASSED,
            checked_at=utcnow(),
        )
        db.session.add(clip)
    audit.record(
        actor,
        "audio.recording.upload",
        target=item,
        details={"speed": speed, "key": key, "bytes": len(data)},
        ip=ip,
    )
    db.session.flush()
    return clip


#: a lesson's batch of recordings: the zip itself, what it may unpack to, and how many files
BATCH_MAX_BYTES = 50 * 1024 * 1024
BATCH_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
BATCH_MAX_FILES = 300
AUDIO_SUFFIXES = (".mp3", ".ogg", ".oga", ".wav")
#: a file name ending so (before the extension) is the slow-speed recording
SLOW_SUFFIXES = (".slow", "-slow", "_slow", " slow")


class BatchError(ValueError):
    """The archive as a whole is refused; str() is a stable code the route turns into words."""


@dataclass
class BatchReport:
    """What a batch upload did, file by file: (file name, item hanzi, speed) for each saved
    recording; (file name, reason code) for each file left out."""

    saved: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _entry_names(info: zipfile.ZipInfo) -> list[str]:
    """The entry's name as its author may have written it, most likely first. Zip tools that
    do not flag UTF-8 store names in the system's code page (GBK on Chinese Windows, cp866 on
    Russian), which `zipfile` reads as cp437; the same bytes can be valid in several, so the
    caller takes the first reading that names an item."""
    if info.flag_bits & 0x800:
        return [info.filename]
    raw = info.filename.encode("cp437", errors="replace")
    names = []
    for encoding in ("utf-8", "gbk", "cp866"):
        try:
            names.append(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    return [*dict.fromkeys([*names, info.filename])]


def _unsafe(name: str) -> bool:
    """A name that would climb out of a folder or name an absolute path (never extracted
    here, but refused all the same: such an archive was not made by a trainer's zip tool)."""
    if name.startswith(("/", "\\")) or "\\" in name or (len(name) > 1 and name[1] == ":"):
        return True
    return any(part == ".." for part in name.split("/"))


def _target(stem: str) -> tuple[str, str]:
    """(what names the item, speed) for a file name without its extension."""
    lowered = stem.lower()
    for suffix in SLOW_SUFFIXES:
        if lowered.endswith(suffix):
            return stem[: -len(suffix)].strip(), "slow"
    return stem.strip(), "normal"


def save_recordings_zip(
    actor: User,
    lesson: Lesson,
    data: bytes,
    *,
    audio_dir: str,
    max_bytes: int = UPLOAD_MAX_BYTES,
    batch_max_bytes: int = BATCH_MAX_BYTES,
    ip: str | None = None,
) -> BatchReport:
    """Save a zip of recordings for a lesson's items, each file named by the item's key or
    hanzi (`银行.mp3`, `yinhang.wav`; `银行.slow.mp3` for the slow speed).

    Every file goes through the checks of a single upload (size, duration probed before
    decoding, decoding); the archive is also capped: its own size, the sum of what it
    declares it unpacks to, and the number of files, and each file is read with a cap
    whatever its header says. Files that match no item, or fail a check, are reported and
    left out; the others are saved.
    """
    policy.require_role(actor, Role.TRAINER, Role.ADMIN)
    if len(data) > batch_max_bytes:
        raise BatchError("too large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BatchError("not zip") from exc
    files = [i for i in entries if not i.is_dir()]
    if len(files) > BATCH_MAX_FILES:
        raise BatchError("too many")
    if sum(i.file_size for i in files) > BATCH_MAX_UNPACKED_BYTES:
        raise BatchError("unpacked too large")
    items = db.session.scalars(
        select(Item)
        .where(Item.lesson_id == lesson.id, Item.retired_at.is_(None))
        .order_by(Item.position)
    ).all()
    by_name: dict[str, Item] = {}
    for item in items:
        by_name.setdefault(item.key.lower(), item)
        by_name.setdefault(item.hanzi.strip(), item)
    report = BatchReport()
    for info in files:
        item, speed = None, "normal"
        for name in _entry_names(info):
            base = name.rsplit("/", 1)[-1]
            stem, dot, extension = base.rpartition(".")
            wanted, speed = _target(unicodedata.normalize("NFC", stem))
            item = by_name.get(wanted) or by_name.get(wanted.lower())
            if item is not None:
                break
        name = name if item is not None else _entry_names(info)[0]
        base = name.rsplit("/", 1)[-1]
        if name.startswith("__MACOSX/") or base.startswith("."):
            continue  # the Finder's and the system's own files
        if _unsafe(name):
            report.skipped.append((name, "unsafe name"))
            continue
        stem, dot, extension = base.rpartition(".")
        if not dot or f".{extension.lower()}" not in AUDIO_SUFFIXES:
            report.skipped.append((name, "not audio"))
            continue
        if item is None:
            report.skipped.append((name, "no item"))
            continue
        if info.file_size > max_bytes:
            report.skipped.append((name, "too large"))
            continue
        with archive.open(info) as entry:
            content = entry.read(max_bytes + 1)  # the header may lie about the size
        try:
            with db.session.begin_nested():
                save_recording(
                    actor, item, content, speed, audio_dir=audio_dir, max_bytes=max_bytes, ip=ip
                )
        except RecordingError as exc:
            report.skipped.append((name, str(exc)))
            continue
        report.saved.append((name, item.hanzi, speed))
    return report


def lesson_recordings(actor: User, lesson: Lesson) -> tuple[list[Item], set[tuple[int, str]]]:
    """A lesson's live items and the (item id, speed) pairs that have a recording; two
    queries."""
    policy.require_role(actor, Role.TRAINER, Role.ADMIN)
    items = db.session.scalars(
        select(Item)
        .where(Item.lesson_id == lesson.id, Item.retired_at.is_(None))
        .order_by(Item.position)
    ).all()
    recorded = db.session.execute(
        select(AudioClip.item_id, AudioClip.speed).where(
            AudioClip.engine == RECORDING, AudioClip.item_id.in_([i.id for i in items])
        )
    ).all()
    return list(items), {(row.item_id, row.speed) for row in recorded}


def delete_recording(actor: User, item: Item, speed: str, *, ip: str | None = None) -> bool:
    """Remove the recording of `item` at `speed` (synthesis takes over again); the file
    goes with the next prune. False if there was none."""
    policy.require_role(actor, Role.TRAINER, Role.ADMIN)
    result = db.session.execute(
        delete(AudioClip).where(
            AudioClip.engine == RECORDING, AudioClip.item_id == item.id, AudioClip.speed == speed
        )
    )
    if not result.rowcount:
        return False
    audit.record(actor, "audio.recording.delete", target=item, details={"speed": speed}, ip=ip)
    db.session.flush()
    return True


# --- the trainers' page ----------------------------------------------------------------------


@dataclass(frozen=True)
class CourseAudio:
    course: Course
    lessons: list[tuple[Lesson, list[Item], list[str]]]
    keys: dict[str, ClipKeys]
    #: (item id, speed) of the items that have a recording
    recordings: set[tuple[int, str]]
    present: int
    total: int


def course_audio(actor: User, slug: str) -> CourseAudio | None:
    """A course's lessons with their items, spoken prompts and clips; None if no such course.

    Four queries: the course, its lessons with items and exercises, the clips, the recordings.
    """
    policy.require_role(actor, Role.TRAINER, Role.ADMIN)
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        return None
    lessons = db.session.scalars(
        select(Lesson)
        .where(Lesson.course_id == course.id, Lesson.retired_at.is_(None))
        .options(selectinload(Lesson.items), selectinload(Lesson.exercises))
        .order_by(Lesson.position)
    ).all()
    rows = []
    texts: set[str] = set()
    item_ids = []
    for lesson in lessons:
        items = [i for i in lesson.items if i.retired_at is None]
        prompts = [
            _prompt_text(e.data)
            for e in lesson.exercises
            if e.retired_at is None and e.kind in SPOKEN_EXERCISES and _prompt_text(e.data)
        ]
        rows.append((lesson, items, prompts))
        texts.update(i.hanzi for i in items)
        texts.update(prompts)
        item_ids += [i.id for i in items]
    keys = clip_keys(texts)
    recordings = set(
        db.session.execute(
            select(AudioClip.item_id, AudioClip.speed).where(
                AudioClip.engine == RECORDING, AudioClip.item_id.in_(item_ids)
            )
        ).tuples()
    )
    stripped = {t.strip() for t in texts if t.strip()}
    present = sum(1 for t in stripped for s in SPEEDS if keys.get(t, ClipKeys()).get(s) is not None)
    return CourseAudio(course, rows, keys, recordings, present, len(stripped) * len(SPEEDS))


def course_coverage(actor: User) -> list[tuple[Course, int, int]]:
    """Every live course with its number of clips present and needed (drafts included).

    Four queries whatever the number of courses.
    """
    policy.require_role(actor, Role.TRAINER, Role.ADMIN)
    courses = db.session.scalars(
        select(Course).where(Course.retired_at.is_(None)).order_by(Course.title)
    ).all()
    per_course = texts_by_course(include_drafts=True)
    keys = clip_keys(set().union(*per_course.values()))
    result = []
    for course in courses:
        texts = per_course.get(course.id, set())
        present = sum(1 for t in texts for s in SPEEDS if keys[t].get(s) is not None)
        result.append((course, present, len(texts) * len(SPEEDS)))
    return result
