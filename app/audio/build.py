"""Building clips: plan what is missing (the database side), run the pure builder, record rows.

Functions flush and never commit: `flask audio build` or the background job commits, at the
checkpoints it is given.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from app import visibility
from app.audio import builder, cache, spoken
from app.audio.clips import CLIP_FIELDS, RECORDING, chunks, rank
from app.audio.engines import CHAINS, ENGINES, SPEEDS, retired
from app.extensions import db
from app.models import AudioClip, ClipVerdict, Item
from app.models.base import utcnow

#: texts longer than this are not synthesised (a lesson line is far shorter)
MAX_TEXT_CHARS = 500


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
    for chunk in chunks(wanted):
        rows = db.session.execute(
            select(Item.hanzi, Item.pinyin)
            .where(Item.hanzi.in_(chunk), visibility.live(Item), Item.pinyin != "")
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
        better = rank(engine) < rank(first) and verdict != ClipVerdict.FAILED
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
    for chunk in chunks(texts):
        rows += db.session.execute(select(*CLIP_FIELDS).where(AudioClip.text.in_(chunk))).all()
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
    for chunk in chunks(list(clips)):
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
