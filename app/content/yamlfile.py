"""Reading course files safely: size and encoding limits, no anchors or aliases, line numbers.

`load(path)` returns the data (plain dicts, lists and scalars, as `yaml.safe_load` would) and a
map from each value's path (`("vocabulary", 3, "hanzi")`) to its line, so that validation
errors can point at `file:line`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 512 * 1024

Path_ = tuple[str | int, ...]


class FileError(Exception):
    """A file that cannot be read as a course file at all."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Document:
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def _check_events(text: str) -> None:
    """Refuse anchors and aliases: they allow 'billion laughs' expansion bombs."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise FileError(
                event.start_mark.line + 1,
                "YAML anchors and aliases (& and *) are not allowed in course files",
            )


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise FileError(key_node.start_mark.line + 1, f"duplicate key '{key}'")
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1  # the key's line, not the value's
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, (*path, index), lines)


def parse(raw: bytes) -> Document:
    """Parse the bytes of a course file; raise FileError for anything unreadable."""
    if len(raw) > MAX_FILE_BYTES:
        raise FileError(1, f"file is larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileError(line, "file is not valid UTF-8") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        _check_events(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise FileError(mark.line + 1 if mark else 1, f"YAML syntax: {exc.problem}") from None
    if node is None:
        raise FileError(1, "file is empty")
    constructor = yaml.constructor.SafeConstructor()
    data = constructor.construct_document(node)
    lines: dict[Path_, int] = {}
    _walk(node, (), lines)
    return Document(data, lines)


def load(path: Path) -> Document:
    return parse(path.read_bytes())
