"""A confirmed import too large for a request waits for its job as a file of the instance
folder, named by the hash of its content (the same table twice is one file).

The folder must be shared by the web instances and the workers (docs/deploy.md); files older
than HR_IMPORT_KEEP_HOURS are removed when the next one is stored.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from flask import current_app

from app.instance_files import remove_older_than


def folder() -> Path:
    return Path(current_app.instance_path) / "imports"


def _path(digest: str) -> Path:
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError("not a content hash")
    return folder() / f"{digest}.json"


def store(table: dict[str, Any]) -> str:
    """Write the dumped table once (atomically) and return its SHA-256."""
    body = json.dumps(table, ensure_ascii=False, sort_keys=True).encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()
    path = _path(digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    prune()
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(body)
        os.chmod(partial, 0o600)
        partial.replace(path)
    return digest


def load(digest: str) -> dict[str, Any] | None:
    """The table stored under `digest`, or None when it is gone (expired) or altered."""
    try:
        body = _path(digest).read_bytes()
    except (FileNotFoundError, ValueError):
        return None
    if hashlib.sha256(body).hexdigest() != digest:
        return None
    return json.loads(body)


def prune(now: float | None = None) -> int:
    """Remove stored tables older than HR_IMPORT_KEEP_HOURS; returns how many."""
    return remove_older_than(folder(), "*.json", current_app.config["HR_IMPORT_KEEP_HOURS"], now)
