"""The clip cache on disk: content-addressed keys, paths under AUDIO_DIR, atomic writes.

Pure: no Flask, no database. A clip's key is the SHA-256 of what made it (engine, voice, speed,
text, and for a recording the digest of the uploaded file), so the same request always lands on
the same file and a file, once written, never changes: that is what makes the key a strong ETag
and lets the server tell browsers to cache clips forever.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

#: what a key looks like: 64 lowercase hex digits, nothing else can name a file
KEY_RE = re.compile(r"[0-9a-f]{64}")
SUFFIX = ".mp3"
MIME_TYPE = "audio/mpeg"
#: temporary files are named so that prune can recognise (and age out) leftovers of a crash
TMP_PREFIX = ".tmp-"


def clip_key(engine: str, voice: str, speed: str, text: str, extra: str = "") -> str:
    """The content address of a clip: SHA-256 over its engine, voice, speed and text."""
    payload = json.dumps([engine, voice, speed, text, extra], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def is_key(key: str) -> bool:
    return bool(KEY_RE.fullmatch(key))


def clip_path(audio_dir: str | Path, key: str) -> Path:
    """Where the clip `key` lives: AUDIO_DIR/ab/abcdef….mp3. Refuses anything but a key."""
    if not is_key(key):
        raise ValueError("not a clip key")
    return Path(audio_dir) / key[:2] / f"{key}{SUFFIX}"


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` so that no reader ever sees a partial file; first writer wins.

    The bytes go to a temporary file in the same folder, are flushed to disk, then linked into
    place. `os.link` fails if the file already exists, so when two workers make the same clip
    the first one's file stays and the second's is discarded; a crash leaves at most a
    temporary file, never a truncated clip. Returns True if this call created the file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:
            # A file system without hard links: rename is atomic too (last writer wins, and
            # both wrote the same content address).
            os.replace(tmp, path)
            return True
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def iter_files(audio_dir: str | Path) -> Iterator[Path]:
    """Every file under AUDIO_DIR's two-letter folders (clips and leftover temporary files)."""
    root = Path(audio_dir)
    if not root.is_dir():
        return
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and len(folder.name) == 2:
            yield from sorted(p for p in folder.iterdir() if p.is_file())


def key_of(path: Path) -> str | None:
    """The key a clip file is named after, or None for anything else (temporary files)."""
    stem = path.name.removesuffix(SUFFIX)
    return stem if path.name.endswith(SUFFIX) and is_key(stem) else None


def older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except FileNotFoundError:
        return False
