"""Trainers' recordings: one upload, a lesson's zip of them, the list and deletion.

Functions take the acting user, flush and never commit: the route commits once.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

from sqlalchemy import delete, select

from app import audit, policy
from app.audio import cache, processing
from app.audio.clips import RECORDING, RECORDING_VOICE, find_clip
from app.audio.engines import SPEEDS
from app.extensions import db
from app.live_content import live_items
from app.models import AudioClip, ClipVerdict, Item, Lesson, Role, User
from app.models.base import utcnow

#: uploads larger than this are refused before decoding (AUDIO_UPLOAD_MAX_BYTES overrides)
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_MAX_MS = 60_000


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
    items = live_items(lesson.id)
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
    items = live_items(lesson.id)
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
