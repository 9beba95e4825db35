"""Pinyin of a text: per character, per word, and the canonical string course files store."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from app.chinese import lexicon
from app.chinese import words as orthography
from app.chinese.polyphones import Polyphone
from app.chinese.reading import Analysis, Token, analyse
from app.chinese.spoken import spoken_from_written
from app.chinese.tones import join_marked, numbered_to_marked, tone_of

#: Chinese punctuation and its Latin equivalent in pinyin text.
PUNCTUATION = {
    "，": ",", "。": ".", "、": ",", "！": "!", "？": "?", "：": ":", "；": ";", "（": "(",
    "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'", "《": '"', "》": '"', "〈": '"',
    "〉": '"', "「": '"', "」": '"', "『": '"', "』": '"', "【": "[", "】": "]", "…": "…",
    "—": "-", "～": "~", "·": " ", "．": ".", "〔": "(", "〕": ")",
}  # fmt: skip
_OPENING = set("（“‘《〈「『【〔([{")
_SENTENCE_END = set("。！？.!?…")
#: Middle dots between the parts of a foreign name: written as a space (GB/T 16159).
_DOTS = set("·•‧・")


@dataclass(frozen=True)
class Word:
    """A segmented word of a text (or a run of non-Han text) with its pinyin.

    ``numbered`` and ``marked`` hold one written-tone syllable per character (empty for
    non-Han text), ``pinyin`` the word as a dictionary writes it (xièxie, nǎr, Xī'ān).
    ``spoken`` / ``spoken_marked`` / ``spoken_pinyin`` are the same after tone sandhi when
    ``annotate`` was asked for it, and equal to the written ones otherwise. For non-Han text
    ``pinyin`` is the text with Chinese punctuation turned Latin. ``start`` is the index of
    the word in the text; ``polyphones`` the polyphones it contains.
    """

    text: str
    start: int
    is_han: bool
    numbered: tuple[str, ...]
    marked: tuple[str, ...]
    pinyin: str
    spoken: tuple[str, ...]
    spoken_marked: tuple[str, ...]
    spoken_pinyin: str
    polyphones: tuple[Polyphone, ...] = ()

    @property
    def tones(self) -> tuple[int, ...]:
        """Written tones, one per syllable (5 for neutral)."""
        return tuple(tone_of(s) for s in self.numbered)

    @property
    def has_sandhi(self) -> bool:
        """Whether any syllable is spoken with another tone than written."""
        return self.spoken != self.numbered


def syllables(text: str) -> list[str | None]:
    """Return one entry per character of ``text``: its numbered reading, or None if not Han.

    Written tones (no sandhi), neutral tone 5 (``ma5``), ü as ``v`` (``lv4``). An erhua 儿
    gets ``r5`` (CC-CEDICT's convention): 哪儿 is ``["na3", "r5"]``, shown as ``nǎr``; a 儿
    that is a syllable of its own keeps ``er2`` (女儿 ``["nv3", "er2"]``).
    """
    return list(analyse(text).readings)


def han_count(text: str) -> int:
    """Return how many syllable entries the pinyin of ``text`` must have.

    That is the number of Han characters with a reading, an erhua 儿 included: 哪儿 counts 2,
    matching ``split_pinyin("nǎr") == ["na3", "r5"]``.
    """
    return sum(1 for r in analyse(text).readings if r is not None)


def _spoken(analysis: Analysis) -> list[str | None]:
    return spoken_from_written(analysis.text, analysis.readings)


def _latin(text: str) -> str:
    if text.isspace():
        return " "
    return "".join(PUNCTUATION.get(ch) or unicodedata.normalize("NFKC", ch) for ch in text)


def annotate(text: str, sandhi: bool = False) -> list[Word]:
    """Return the words of ``text`` (segmented) with their pinyin, written and, if ``sandhi``,
    spoken (see ``Word``). Non-Han stretches (Latin, digits, punctuation, spaces) are words
    with ``is_han`` False, so joining the words' ``text`` gives back ``text``."""
    analysis = analyse(text)
    spoken = _spoken(analysis) if sandhi else analysis.readings
    by_index = {p.index: p for p in analysis.polyphones}
    words = []
    lex = lexicon.lexicon()
    name_words = {a: b for name in analysis.names for a, b in name.words}
    pieces: list[tuple[str, int, bool, bool]] = []
    run: list[tuple[str, int]] = []

    def flush() -> None:
        for piece in orthography.pieces(run, name_words, lex):
            pieces.append((piece.text, piece.start, True, piece.name))
        run.clear()

    for token in analysis.tokens:
        if not token.is_han:
            flush()
            pieces.append((token.text, token.start, False, False))
            continue
        if run and run[-1][1] + len(run[-1][0]) != token.start:
            flush()
        run.append((token.text, token.start))
    flush()
    for piece_text, piece_start, piece_is_han, is_name in pieces:
        token = Token(piece_text, piece_start, piece_is_han)
        span = range(token.start, token.start + len(token.text))
        if token.is_han:
            numbered = tuple(analysis.readings[i] or "" for i in span)
            said = tuple(spoken[i] or "" for i in span)
            marked = tuple(numbered_to_marked(s) if s else "" for s in numbered)
            said_marked = tuple(numbered_to_marked(s) if s else "" for s in said)
            pinyin = _spell(token.text, marked, is_name)
            spoken_pinyin = _spell(token.text, said_marked, is_name)
        else:
            numbered = said = marked = said_marked = ()
            pinyin = spoken_pinyin = _latin(token.text)
        words.append(
            Word(
                text=token.text,
                start=token.start,
                is_han=token.is_han,
                numbered=numbered,
                marked=marked,
                pinyin=pinyin,
                spoken=said,
                spoken_marked=said_marked,
                spoken_pinyin=spoken_pinyin,
                polyphones=tuple(by_index[i] for i in span if i in by_index),
            )
        )
    return words


def _spell(word: str, marked: tuple[str, ...], is_name: bool = False) -> str:
    """A word's pinyin: syllables joined, names capitalised (GB/T 16159), a personal name's
    surname apart from the given name (Xí Jìnpíng)."""
    lex = lexicon.lexicon()
    surname = lex.names.get(word)
    if surname:
        family, given = join_marked(marked[:surname]), join_marked(marked[surname:])
        return f"{_capitalise(family)} {_capitalise(given)}"
    if orthography.ordinal(word):
        return f"{marked[0]}-{join_marked(marked[1:])}"
    joined = join_marked(marked)
    return _capitalise(joined) if is_name or orthography.capitalised(word, lex) else joined


def _capitalise(pinyin: str) -> str:
    return pinyin[:1].upper() + pinyin[1:]


def pinyin_text(text: str, sandhi: bool = False) -> str:
    """Return the pinyin string course files store: "Nín hǎo! Wǒ shì Lǐ Míng."

    Tone marks, a word's syllables joined, words separated by single spaces, Chinese
    punctuation turned into its Latin equivalent and kept, the start of each sentence and
    the names CC-CEDICT capitalises (Běijīng, Xí Jìnpíng) capitalised. Written tones unless
    ``sandhi``.
    """
    return assemble(annotate(text, sandhi=sandhi), lambda w: w.spoken_pinyin)


def assemble(words: list[Word], render: Callable[[Word], str]) -> str:
    """Write words as a Latin-punctuated sentence: ``render`` gives each Han word's spelling,
    spaces go between words but not inside punctuation, sentence starts are capitalised."""
    out: list[str] = []
    glue_next = True
    sentence_start = True
    for word in words:
        if not word.is_han:
            if word.text.isspace() or word.text in _DOTS:
                glue_next = glue_next or not out
                continue
            if word.text == "…" and out and out[-1].endswith("…"):
                continue
            after_colon = bool(out) and out[-1].endswith(":")
            opening = word.text[0] in _OPENING
            closing = not opening and not word.text[0].isalnum()
            if out and not glue_next and not closing:
                out.append(" ")
            out.append(word.pinyin)
            glue_next = opening
            if word.text[-1] in _SENTENCE_END or (opening and after_colon):
                sentence_start = True
            elif word.text[0].isalnum():
                sentence_start = False
            continue
        piece = render(word)
        if sentence_start:
            piece = _capitalise(piece)
        sentence_start = False
        if out and not glue_next:
            out.append(" ")
        out.append(piece)
        glue_next = False
    return "".join(out).strip()
