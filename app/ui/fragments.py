"""Rendered pieces of the lesson page, kept in the process and keyed on everything they show.

A lesson page repeats the same rows for every visit: a word with its ruby, audio and «Сказать»
buttons, a dialogue line with its glosses, an exercise's prompt and inputs. Rendering them is
most of the page's cost, so a template wraps such a piece in

    {% call cached_fragment("vocab", item.id, item.hanzi, …) %}…{% endcall %}

naming in the key every value the piece reads. The language of the page and the application's
URL prefix are added here, so a key never has to name them. A change of content changes the
key (the old entry is simply never asked for again), so nothing has to be invalidated.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import asdict, is_dataclass
from typing import Any

from flask import g, request
from flask_babel import get_locale
from jinja2 import Undefined
from markupsafe import Markup

#: at most this many pieces are kept; past it the cache starts afresh (a lesson page is some 60
#: pieces of a few hundred bytes to a few kB with their keys: about eighty lessons, a few MB a
#: worker, well inside the memory budget of docs/deploy.md)
LIMIT = 5_000
_cache: dict[Hashable, Markup] = {}


def cached_fragment(*key: Any, caller: Callable[[], Markup]) -> Markup:
    """The piece rendered by `caller` (the body of the call block, markup already), from the
    cache when `key` was seen. A key with an
    undefined part (a page object without the attribute) is not cached: the piece is rendered."""
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
        if len(_cache) >= LIMIT:
            _cache.clear()
        _cache[full] = html
    return html


def _frozen(value: Any) -> Hashable:
    if isinstance(value, str | int | float | None):
        return value
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, _frozen(asdict(value)))
    return value


def keys_fingerprint(keys: Mapping[str, Any] | None) -> Hashable:
    """A hashable stand-in for a page's audio clips (app.audio.clips.clip_keys), made once per
    request and mapping: the exercises' pieces depend on the clips of their texts."""
    if not keys:
        return ()
    memo = g.setdefault("_keys_fingerprints", {})
    found = memo.get(id(keys))
    if found is None or found[0] is not keys:
        found = (keys, frozenset(keys.items()))
        memo[id(keys)] = found
    return found[1]
