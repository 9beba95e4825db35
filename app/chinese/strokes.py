"""Stroke data for every character Make Me a Hanzi draws: the `hanzi-writer-data` npm package,
packed by `make frontend` into one zip inside the package (``app/chinese/data/strokes.zip``).

One zip member per character (``好.json``: SVG stroke outlines, stroke medians and the indices of
the radical's strokes), deflated: 9,574 characters take about 15 MB instead of 32 MB of loose
files, and one character is read without unpacking the rest. The whole dataset is packed, not
only the courses' characters, so a character a trainer adds later has its animation too.

Standard library only, so that the Makefile can run this file by its path (``python3
app/chinese/strokes.py pack SRC DEST``) before the virtualenv exists. It imports neither Flask
nor the database.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import zipfile
from functools import lru_cache
from pathlib import Path

#: where `make frontend` puts the packed data (git-ignored; package data of the wheel)
DATA = Path(__file__).parent / "data" / "strokes.zip"
#: the data's licence, packed beside the characters
LICENSE_MEMBER = "ARPHICPL.TXT"

_lock = threading.Lock()


def pack(source: Path, dest: Path) -> int:
    """Pack every ``<char>.json`` of `source` (node_modules/hanzi-writer-data) into `dest`.

    Returns the number of characters. The zip is written beside `dest` and renamed into place,
    so a running server never reads half a file.
    """
    files = sorted(p for p in source.glob("*.json") if len(p.stem) == 1)
    if not files:
        raise FileNotFoundError(f"no character files in {source}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for path in files:
            # re-serialised compactly: the same data, a little smaller
            data = json.loads(path.read_text(encoding="utf-8"))
            out.writestr(path.name, json.dumps(data, separators=(",", ":")))
        licence = source / LICENSE_MEMBER
        if licence.exists():
            out.write(licence, LICENSE_MEMBER)
    partial.replace(dest)
    return len(files)


@lru_cache(maxsize=2)
def _open(path: Path, pid: int) -> zipfile.ZipFile | None:
    """One open archive per process: a file offset shared across a fork would mix reads."""
    try:
        return zipfile.ZipFile(path)
    except (FileNotFoundError, zipfile.BadZipFile):
        return None


def _archive(path: Path) -> zipfile.ZipFile | None:
    return _open(path, os.getpid())


@lru_cache(maxsize=1)
def _names(path: Path) -> frozenset[str]:
    archive = _archive(path)
    if archive is None:
        return frozenset()
    return frozenset(n[:-5] for n in archive.namelist() if n.endswith(".json"))


def available(path: Path = DATA) -> bool:
    """Whether the stroke data has been packed (`make frontend`)."""
    return bool(_names(path))


def has_strokes(char: str, path: Path = DATA) -> bool:
    """Whether `char` (one character) has stroke data."""
    return len(char) == 1 and char in _names(path)


def raw_strokes(char: str, path: Path = DATA) -> bytes | None:
    """The hanzi-writer JSON of `char` as stored, or None when it has no data."""
    if not has_strokes(char, path):
        return None
    archive = _archive(path)
    with _lock:  # a ZipFile is not safe to read from several threads at once
        return archive.read(f"{char}.json")  # type: ignore[union-attr]


@lru_cache(maxsize=4096)
def stroke_data(char: str, path: Path = DATA) -> dict | None:
    """`char`'s strokes, medians and radical strokes (``radStrokes``), or None without data."""
    raw = raw_strokes(char, path)
    return None if raw is None else json.loads(raw)


def stroke_count(char: str, path: Path = DATA) -> int | None:
    """How many strokes `char` has (Make Me a Hanzi's count), or None without data."""
    data = stroke_data(char, path)
    return None if data is None else len(data["strokes"])


def radical_strokes(char: str, path: Path = DATA) -> list[int]:
    """The indices of the strokes that make `char`'s radical (empty when unknown)."""
    data = stroke_data(char, path)
    return list(data.get("radStrokes") or []) if data else []


def _main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[1] != "pack":
        print("usage: strokes.py pack NODE_MODULES/hanzi-writer-data DEST.zip", file=sys.stderr)
        return 2
    count = pack(Path(argv[2]), Path(argv[3]))
    size = Path(argv[3]).stat().st_size / 1e6
    print(f"stroke data: {count} characters packed into {argv[3]} ({size:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv))
