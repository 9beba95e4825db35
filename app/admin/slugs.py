"""Company codes (slugs) from Russian or Latin names: pure functions, no Flask."""

from __future__ import annotations

import re

_RU = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "y",
            "-",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)
#: the hard and soft signs leave no letter
_SILENT = frozenset("ъь")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_LENGTH = 64


def slug_from_name(name: str) -> str:
    """`ООО «Балтийский порт»` → `ooo-baltiyskiy-port`; empty when nothing usable is left."""
    out = []
    for char in name.lower():
        latin = _RU.get(char, char)
        out.append("" if char in _SILENT else latin)
    text = re.sub(r"[^a-z0-9]+", "-", "".join(out)).strip("-")
    return text[:MAX_LENGTH].rstrip("-")


def is_valid_slug(slug: str) -> bool:
    return len(slug) <= MAX_LENGTH and bool(SLUG_RE.match(slug))
