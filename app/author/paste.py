"""Reading what trainers paste: word and dialogue lines (`汉字 — перевод`) and grammar
examples. Pure parsing; problems come back as codes for `app.author.messages` to word."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app import chinese
from app.content.schema import check_pinyin

_SEPARATOR = re.compile(r"\s+[—–-]\s+|\t+|\s*=\s*")
_SPEAKER = re.compile(r"^([^:：]{1,60})[:：]\s*(.+)$")


@dataclass(frozen=True)
class PasteError:
    """A pasted line that could not be read: its number, what is wrong, the text at fault.

    `problem` is a code the route turns into a Russian message: `format` (no «汉字 — перевод»),
    `speaker` (a dialogue line without «Speaker:»), `no_hanzi` (`text` has no Chinese).
    """

    line: int
    problem: str
    text: str = ""


@dataclass
class Pasted:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[PasteError] = field(default_factory=list)


def parse_block(text: str, *, dialogue: bool) -> Pasted:
    """Parse pasted lines: `汉字 — перевод` per line, or `Speaker: 汉字 — перевод` for a
    dialogue. Errors name the line."""
    out = Pasted()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        speaker = None
        if dialogue:
            match = _SPEAKER.match(line)
            if match is None or chinese.han_count(match.group(1)) != 0:
                out.errors.append(PasteError(number, "speaker"))
                continue
            speaker, line = match.group(1).strip(), match.group(2).strip()
        parts = _SEPARATOR.split(line, maxsplit=1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            out.errors.append(PasteError(number, "format"))
            continue
        hanzi, ru = parts[0].strip(), parts[1].strip()
        if chinese.han_count(hanzi) == 0:
            out.errors.append(PasteError(number, "no_hanzi", hanzi))
            continue
        row: dict[str, Any] = {"hanzi": hanzi, "ru": ru, "pos": "phrase"}
        if speaker is not None:
            row["speaker"] = speaker
        out.rows.append(row)
    return out


# --------------------------------------------------------------------------- grammar examples


def parse_examples(text: str) -> tuple[list[dict[str, Any]], list[tuple[int, str, str]]]:
    """Grammar examples, one a line: `汉字 — перевод`, or `汉字 | pinyin — перевод` to keep a
    reading. Returns the examples and errors as (line number, code, text): `format` (no
    separator), `no_han` (no Chinese characters) or `pinyin` (the reading does not fit)."""
    examples: list[dict[str, Any]] = []
    errors: list[tuple[int, str, str]] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = _SEPARATOR.split(line, maxsplit=1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            errors.append((number, "format", line))
            continue
        left, ru = parts[0].strip(), parts[1].strip()
        hanzi, _bar, pinyin = (s.strip() for s in left.partition("|"))
        if chinese.han_count(hanzi) == 0:
            errors.append((number, "no_han", hanzi))
            continue
        example: dict[str, Any] = {"hanzi": hanzi}
        if pinyin:
            try:
                check_pinyin(hanzi, pinyin)
            except ValueError as exc:
                errors.append((number, "pinyin", str(exc)))
                continue
            example["pinyin"] = pinyin
        example["ru"] = ru
        examples.append(example)
    return examples, errors


def examples_text(examples: list[dict[str, Any]]) -> str:
    """Examples as the editor shows them (the inverse of `parse_examples`)."""
    lines = []
    for ex in examples:
        left = f"{ex['hanzi']} | {ex['pinyin']}" if ex.get("pinyin") else ex["hanzi"]
        lines.append(f"{left} — {ex['ru']}")
    return "\n".join(lines)
