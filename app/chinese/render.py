"""HTML for templates: ruby pinyin over characters, coloured by tone.

Pure strings, every piece of text escaped with ``html.escape``; the templates wrap the result
in ``Markup``. Colours come from the ``tone1`` … ``tone5`` classes (see ``tones.TONE_CLASSES``).
"""

from __future__ import annotations

from html import escape

from app.chinese.levels import word_level
from app.chinese.pinyin import annotate
from app.chinese.tones import numbered_to_marked, tone_class

MODES = ("on", "off", "above")


def ruby_char(char: str, numbered: str | None, show_pinyin: bool = True) -> str:
    """Return ``<ruby class="tone4">汉<rt>hàn</rt></ruby>`` for one character."""
    if not numbered:
        return escape(char)
    css = tone_class(numbered)
    if not show_pinyin:
        return f'<span class="{css}">{escape(char)}</span>'
    return (
        f'<ruby class="{css}">{escape(char)}<rt>{escape(numbered_to_marked(numbered))}</rt></ruby>'
    )


def ruby_html(text: str, mode: str = "on", level: int | None = None, sandhi: bool = False) -> str:
    """Return ``text`` as escaped HTML with tone-coloured characters and ruby pinyin.

    ``mode`` is ``"on"`` (pinyin over every character), ``"off"`` (colours only) or
    ``"above"`` (pinyin only over words whose HSK level is above ``level``, and over words
    on no list; with ``level`` None every word gets it). With ``sandhi`` the pinyin and colours
    show the spoken tones. Each Han word is a ``<span class="zh-word">``; other text is escaped
    as it is.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    out = []
    for word in annotate(text, sandhi=sandhi):
        if not word.is_han:
            out.append(escape(word.text))
            continue
        if mode == "on":
            show = True
        elif mode == "off":
            show = False
        else:
            word_lv = word_level(word.text)
            show = level is None or word_lv is None or word_lv > level
        syllables = word.spoken if sandhi else word.numbered
        chars = "".join(
            ruby_char(ch, syl or None, show) for ch, syl in zip(word.text, syllables, strict=True)
        )
        out.append(f'<span class="zh-word">{chars}</span>')
    return "".join(out)
