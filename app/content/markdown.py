"""Markdown of course texts: rendered with markdown-it, raw HTML disabled, sanitised with nh3."""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ruby",
    "rt",
    "span",
    "del",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"style"},
    "td": {"style"},
    "span": {"class", "lang"},
    "ol": {"start"},
}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "js-default": CommonMark with raw HTML off, plus tables and strikethrough.
    return MarkdownIt("js-default").enable(["table", "strikethrough"])


def _image_src_allowed(tag: str, attribute: str, value: str) -> str | None:
    """Images only from our own uploads; links only to http(s), mailto and site paths."""
    if tag == "img" and attribute == "src":
        return value if value.startswith("/uploads/") else None
    return value


#: more opening brackets than this in one text are shown as brackets, never parsed as links:
#: markdown-it looks for each one's closing bracket, which is quadratic in their number
#: (20,000 unmatched "[" took 6 s, "![" 10 s); no real note has a thousand links
MAX_LINK_BRACKETS = 1000
_OPEN_BRACKET = re.compile(r"(?<!\\)\[")


def defuse(text: str) -> str:
    """`text` with its opening brackets escaped when there are too many to parse in time."""
    if text.count("[") > MAX_LINK_BRACKETS:
        return _OPEN_BRACKET.sub(r"\\[", text)
    return text


@lru_cache(maxsize=2048)
def render(text: str) -> str:
    """Markdown → safe HTML: no scripts, no event handlers, no javascript: links.

    Pure (the same text always gives the same HTML), so results are kept: a lesson's body and
    grammar notes are parsed once per process, not on every page view."""
    html = _parser().render(defuse(text or ""))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_image_src_allowed,
    )


def raw_html_lines(text: str) -> list[int]:
    """1-based lines (within `text`) where raw HTML appears; it would be dropped on display."""
    parser = MarkdownIt("commonmark")
    lines = []
    for token in parser.parse(defuse(text or "")):
        if token.type == "html_block" and token.map:
            lines.append(token.map[0] + 1)
        for child in token.children or []:
            if child.type == "html_inline":
                lines.append((token.map[0] + 1) if token.map else 1)
    return sorted(set(lines))
