"""Pruning: remove clip rows and files that nothing refers to any more."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from app.audio import cache
from app.audio.clips import RECORDING, rank
from app.audio.engines import retired
from app.audio.texts import needed_texts
from app.extensions import db
from app.models import AudioClip

#: files without a row younger than this are left alone by prune: a build may be writing them
PRUNE_GRACE_S = 3600


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
            elif rank(row.engine) < rank(best[1]):
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
