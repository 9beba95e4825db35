"""Rendered pieces of the lesson page, kept in the process and keyed on everything they show.

A lesson page repeats the same rows for every visit: a word with its ruby, audio and «Сказать»
buttons, a dialogue line with its glosses, an exercise's prompt and inputs. Rendering them is
most of the page's cost, so a template wraps such a piece in

    {% call cached_fragment("vocab", item.id, item.hanzi, …) %}…{% endcall %}

naming in the key every value the piece reads. The language of the page and the application's
URL prefix are added here, so a key never has to name them. A change of content changes the
key (the old entry is simply never asked for again), so nothing has to be invalidated.

The learner-independent part of a lesson (goals, words, dialogues, grammar) is one piece keyed
on `row_key` of every row it shows (`LessonPage.content_key`), so an edit of any column shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, is_dataclass
from typing import Any

from flask import g, has_app_context, request
from flask_babel import get_locale
from jinja2 import Undefined
from markupsafe import Markup, escape
from sqlalchemy import inspect

#: the cache starts afresh past this many characters of HTML (a Cyrillic or Chinese character
#: takes 2–4 bytes in a str): a lesson's content is some 30–60 thousand characters, its rows
#: and exercise cards a few hundred to a few thousand — some eighty lessons in one display
#: setting, at most a dozen MB of the worker's memory budget (bench/memory.py)
LIMIT_CHARS = 4_000_000
#: and past this many pieces
LIMIT = 20_000
_cache: dict[Hashable, Markup] = {}
_size = 0


def cached_fragment(*key: Any, caller: Callable[[], Markup]) -> Markup:
    """The piece rendered by `caller` (the body of the call block, markup already), from the
    cache when `key` was seen. A key with an
    undefined part (a page object without the attribute) is not cached: the piece is rendered."""
    global _size
    if any(isinstance(part, Undefined) for part in key):
        return caller()
    try:
        full = (_frozen(key), str(get_locale()), request.script_root)
        hash(full)
    except TypeError:  # a part that cannot be compared safely: no caching
        return caller()
    html = _cache.get(full)
    if html is None:
        html = caller()
        if len(_cache) >= LIMIT or _size + len(html) > LIMIT_CHARS:
            _cache.clear()
            _size = 0
        _cache[full] = html
        _size += len(html)
    return html


#: stand-ins in a cached piece for what every request makes anew (`fill_slots`)
CSRF_SLOT = Markup("<!--qiao-slot:csrf-->")
SUBMISSION_SLOT = Markup("qiao-slot-submission")


def fill_slots(html: Markup, csrf_field: Any, submission_id: Any) -> Markup:
    """A cached piece (markup: a filter block's body) with this request's CSRF field and
    submission id in its slots; Markup.replace escapes what is not markup already."""
    return escape(html).replace(CSRF_SLOT, csrf_field).replace(SUBMISSION_SLOT, submission_id)


def card_slot(number: int) -> str:
    """The slot of the `number`th exercise card's submission id in a piece of several cards
    (plain text: nothing in it to escape)."""
    return f"qiao-slot-card-{number:d}-"


def fill_card_slots(html: Markup, csrf_field: Any, exercises: Sequence[Any]) -> Markup:
    """A cached piece of exercise cards with this request's CSRF field and each card's
    submission id (`exercises[n - 1].submission_id` in the slot of card n)."""
    html = escape(html).replace(CSRF_SLOT, csrf_field)
    for number, item in enumerate(exercises, 1):
        # the author's preview passes dicts without one: an empty value, as the template wrote
        found = item.get("submission_id") if isinstance(item, dict) else item.submission_id
        html = html.replace(card_slot(number), "" if found is None else found)
    return html


def _frozen(value: Any) -> Hashable:
    if isinstance(value, str | int | float | None):
        return value
    if isinstance(value, dict | list):
        return _json(value)
    if isinstance(value, tuple):
        try:
            hash(value)  # hashable all through (a row key): nothing to freeze
            return value
        except TypeError:
            return tuple(_frozen(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        # its fields as they are (asdict deep-copies): a verdict's details are plain JSON
        fields = getattr(value, "__dict__", None)
        return (type(value).__name__, _json(asdict(value) if fields is None else fields))
    return value


def _json(value: Any) -> Hashable:
    """A JSON-like value (a dict or list from a JSON column, an exercise's view, a verdict's
    fields) as one string: its repr, made in C, far cheaper than walking it in Python. Equal
    reprs mean equal values for such data (the type of every number and container shows), so a
    piece is never taken for another; the same value in another key order only misses."""
    return repr(value)


_COLUMNS: dict[type, tuple[str, ...]] = {}


def row_key(row: Any) -> tuple:
    """Every column of an ORM row, as a hashable tuple: the key of a piece that shows the row."""
    names = _COLUMNS.get(type(row))
    if names is None:
        names = _COLUMNS[type(row)] = tuple(c.key for c in inspect(type(row)).column_attrs)
    loaded = row.__dict__  # the loaded columns, without the instrumented attributes' cost
    try:
        values = tuple(loaded[n] for n in names)
    except KeyError:  # expired or not loaded: read through the attributes
        values = tuple(getattr(row, n) for n in names)
    if any(isinstance(v, dict | list) for v in values):
        return tuple(_json(v) if isinstance(v, dict | list) else v for v in values)
    return values


def rows_key(rows: Iterable[Any]) -> tuple:
    return tuple(row_key(row) for row in rows)


def keys_fingerprint(keys: Mapping[str, Any] | None) -> Hashable:
    """A small stand-in for a page's audio clips (app.audio.clips.clip_keys): a digest of
    every text's clips, made once per request and mapping. The exercises' pieces depend on the
    clips of their texts; a digest compares in one step where the clips themselves took a lesson
    page some eight hundred comparisons of their dataclasses."""
    if not keys:
        return ()
    memo = g.setdefault("_keys_fingerprints", {}) if has_app_context() else {}
    found = memo.get(id(keys))
    if found is None or found[0] is not keys:
        digest = hashlib.blake2b(repr(sorted(keys.items())).encode(), digest_size=16).digest()
        found = (keys, digest)
        memo[id(keys)] = found
    return found[1]
