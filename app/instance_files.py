"""Files the app keeps for a while in its instance folder (stored imports, finished exports)."""

from __future__ import annotations

import time
from pathlib import Path


def remove_older_than(folder: Path, pattern: str, hours: float, now: float | None = None) -> int:
    """Remove the files of `folder` matching `pattern` last changed more than `hours` ago;
    returns how many. A file another worker removed first is simply passed over."""
    cutoff = (now or time.time()) - hours * 3600
    removed = 0
    for path in folder.glob(pattern):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
