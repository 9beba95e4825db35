"""The reading of a text: segmentation, phrase dictionary, grammar rules, context model.

``analyse`` is the single place where a text gets its readings; every public function
(``syllables``, ``annotate``, ``pinyin_text``, ``polyphones`` …) is a view of its result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from app.chinese import grammar, lexicon, names, rules, segment
from app.chinese.levels import is_common_char
from app.chinese.polyphones import REVIEW_BELOW, Polyphone

#: Texts longer than this are not kept in the analysis cache.
_CACHE_TEXT_LIMIT = 2000
#: For a character outside the HSK lists (names, terms: where the phrase data is weakest and the
#: model's encyclopaedia training strongest), a model this sure overrides the phrase data.
RARE_OVERRIDE = 0.9
#: A phrase that only pypinyin's phrase data has, not CC-CEDICT, is weaker evidence: the model
#: overrides it when this sure (it carries misreadings: 呵叻 kēlè for hēlè, 冰瀑 bīngbào).
UNCONFIRMED_OVERRIDE = 0.999
#: Polyphones sent to the context model in one batch.
_BATCH = 256
#: Measure words that, right after digits, stand alone (3个人 is 3 个 人, not 3 个人).
_MEASURES = set("个位名家本张条只件次年月日天号岁元块分秒点层台辆间种份双套句课页周")
_NON_HAN_TOKEN = re.compile(r"\s+|[A-Za-z]+(?:['’][A-Za-z]+)*|[0-9]+(?:[.,][0-9]+)*|.", re.S)


@dataclass(frozen=True)
class Token:
    """A segmented piece of text: a Han word (``is_han``) or a run of anything else."""

    text: str
    start: int
    is_han: bool


@dataclass(frozen=True)
class Analysis:
    """Readings of one text: ``readings`` has one entry per character (None if not Han);
    ``choices`` lists each polyphone as (index, source, confidence)."""

    text: str
    tokens: tuple[Token, ...]
    readings: tuple[str | None, ...]
    choices: tuple[tuple[int, str, float], ...]
    #: why each polyphone got its reading: index -> (reason, detail), see ``Polyphone``
    reasons: dict[int, tuple[str, str]] = field(default_factory=dict)
    #: names found in the text (``names.py``)
    names: tuple[names.Name, ...] = ()

    @cached_property
    def polyphones(self) -> tuple[Polyphone, ...]:
        """The polyphones of the text with the reading chosen and the alternatives."""
        out = []
        for index, source, confidence in self.choices:
            chosen = self.readings[index] or ""
            out.append(
                Polyphone(
                    index=index,
                    char=self.text[index],
                    chosen=chosen,
                    alternatives=tuple(r for r in _options(self.text[index]) if r != chosen),
                    source=source,
                    confidence=confidence,
                    needs_review=confidence < REVIEW_BELOW,
                    reason=self.reasons.get(index, ("", ""))[0],
                    detail=self.reasons.get(index, ("", ""))[1],
                )
            )
        return tuple(out)


def _pieces(word: str, lex: lexicon.Lexicon) -> list[tuple[str, str | None]]:
    """Split a jieba word into dictionary pieces: ``(piece, phrase reading or None)``.

    A word the phrase dictionary knows is one piece; otherwise the longest known phrases are
    taken from the left and the characters between them stand alone (reading None).
    """
    part = lex.phrases.part
    if len(word) > 1:
        whole = part(word[0]).get(word)
        if whole is not None:
            return [(word, whole)]
    pieces: list[tuple[str, str | None]] = []
    i = 0
    while i < len(word):
        phrases = part(word[i])  # the phrases that start with word[i]
        for j in range(min(len(word), i + lex.max_phrase), i + 1, -1):
            found = phrases.get(word[i:j])
            if found is not None:
                pieces.append((word[i:j], found))
                i = j
                break
        else:
            pieces.append((word[i], None))
            i += 1
    return pieces


def _tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    last = 0
    for match in segment.HAN_RUN.finditer(text):
        tokens.extend(_other_tokens(text, last, match.start()))
        start = match.start()
        words = segment.cut(match.group(), ensured=True)
        if start and text[start - 1].isdigit() and len(words[0]) > 1 and words[0][0] in _MEASURES:
            words[:1] = [words[0][0], *segment.cut(words[0][1:], ensured=True)]
        words = rules.resegment(words, lexicon.lexicon())
        for word in words:
            tokens.append(Token(word, start, True))
            start += len(word)
        last = match.end()
    tokens.extend(_other_tokens(text, last, len(text)))
    return tokens


def _other_tokens(text: str, start: int, end: int) -> list[Token]:
    return [
        Token(m.group(), start + m.start(), False) for m in _NON_HAN_TOKEN.finditer(text[start:end])
    ]


def _neighbour(pieces: list[tuple[str, int, bool, Token] | None], p: int, step: int) -> str | None:
    """The Han text next to piece ``p``: the next piece of the same word, else the whole
    neighbouring word; None past the ends or at non-Han text."""
    q = p + step
    if not 0 <= q < len(pieces) or pieces[q] is None or pieces[p] is None:
        return None
    here, there = pieces[p], pieces[q]
    return there[0] if there[3] is here[3] else there[3].text


def _context():
    """The context model module, imported on first use: it brings numpy."""
    from app.chinese import context

    return context


def _runs(tokens: list[Token]) -> list[list[tuple[str, int]]]:
    """The Han tokens grouped into runs of adjacent words, as (word, start)."""
    runs: list[list[tuple[str, int]]] = []
    end = -1
    for token in tokens:
        if not token.is_han:
            continue
        if token.start != end or not runs:
            runs.append([])
        runs[-1].append((token.text, token.start))
        end = token.start + len(token.text)
    return runs


def _analyse(text: str) -> Analysis:
    context = _context()
    lex = lexicon.lexicon()
    lex.ensure(text)
    model = context.model()
    tokens = _tokens(text)
    covered = model.options
    readings: list[str | None] = [None] * len(text)
    sources: dict[int, str] = {}
    reasons: dict[int, tuple[str, str]] = {}
    pieces: list[tuple[str, int, bool, Token] | None] = []
    #: positions read from a phrase that only the phrase data has (CC-CEDICT does not list it)
    unconfirmed: set[int] = set()
    for token in tokens:
        if not token.is_han:
            pieces.append(None)
            continue
        start = token.start
        for piece, phrase in _pieces(token.text, lex):
            if phrase is not None:
                for k, syllable in enumerate(phrase.split(" ")):
                    readings[start + k] = syllable
            else:
                options = lex.chars.get(piece)
                readings[start] = options[0] if options else None
            confirmed = phrase is None or lex.in_cedict(piece) or piece in lex.terms
            for k in range(len(piece)):
                if text[start + k] in covered:
                    sources[start + k] = "phrase" if phrase is not None else "default"
                    if not confirmed:
                        unconfirmed.add(start + k)
                    reasons[start + k] = (
                        (rules.PHRASE, piece) if phrase is not None else (rules.DEFAULT, "")
                    )
            pieces.append((piece, start, phrase is not None, token))
            start += len(piece)
    for p, item in enumerate(pieces):
        if item is None or item[2] or sources.get(item[1]) != "default":
            continue
        ruled = grammar.rule_reading(_neighbour(pieces, p, -1), item[0], _neighbour(pieces, p, 1))
        if ruled:
            readings[item[1]], reasons[item[1]] = ruled[0], (ruled[1], "")
            sources[item[1]] = "rule"
    runs = _runs(tokens)
    found = tuple(names.find(text, runs, lex))
    fixed = rules.apply(text, runs, readings, found, lex)
    for index, (reading, reason) in fixed.items():
        readings[index] = reading
        reasons[index] = (reason, "")
        if index in sources or text[index] in covered:
            sources[index] = "rule"
    ask = [
        i
        for i, source in sources.items()
        if source == "default"
        or (source == "phrase" and (i in unconfirmed or not is_common_char(text[i])))
    ]
    confidence: dict[int, float] = {}
    for b in range(0, len(ask), _BATCH):
        batch = ask[b : b + _BATCH]
        for index, guess in zip(batch, model.predict(text, batch), strict=True):
            if sources[index] == "phrase" and not _overrides(
                guess, readings[index], text[index], index in unconfirmed
            ):
                continue
            readings[index] = guess.reading
            sources[index] = "model"
            confidence[index] = guess.probability
            reasons[index] = (rules.MODEL, f"{guess.probability:.0%}")
    choices = tuple(
        (index, sources[index], confidence.get(index, 1.0 if sources[index] != "default" else 0.0))
        for index in sorted(sources)
    )
    return Analysis(text, tuple(tokens), tuple(readings), choices, reasons, found)


def _overrides(guess, phrase_reading: str | None, ch: str, unconfirmed: bool) -> bool:
    """Whether the model's guess replaces a phrase's reading: for a character outside the HSK
    lists when the model is fairly sure (``RARE_OVERRIDE``); for a common one only when the
    phrase is the phrase data's alone and the model all but certain (``UNCONFIRMED_OVERRIDE``),
    and never to undo a neutral tone (the model learnt CPP's full tones: 认识 rènshí)."""
    if guess.reading == phrase_reading:
        return False
    if not is_common_char(ch):
        return guess.probability >= RARE_OVERRIDE
    neutral = bool(phrase_reading) and phrase_reading[:-1] == guess.reading[:-1]
    return unconfirmed and not neutral and guess.probability >= UNCONFIRMED_OVERRIDE


def _options(ch: str) -> tuple[str, ...]:
    """Readings of a polyphone: the model's classes first, then the dictionary's others."""
    found = _OPTIONS.get(ch)
    if found is None:
        model = _context().model()
        options = [model.classes[i] for i in model.options[ch]]
        options += [r for r in lexicon.lexicon().chars.get(ch, ()) if r not in options]
        found = _OPTIONS[ch] = tuple(options)
    return found


_OPTIONS: dict[str, tuple[str, ...]] = {}


@lru_cache(maxsize=512)
def _analyse_cached(text: str) -> Analysis:
    return _analyse(text)


def analyse(text: str) -> Analysis:
    """Return the readings of ``text`` (short texts are cached: pages ask several views)."""
    if len(text) <= _CACHE_TEXT_LIMIT:
        return _analyse_cached(text)
    return _analyse(text)


def load() -> None:
    """Load the dictionaries and the model now instead of on the first text."""
    lexicon.lexicon()
    segment.load()
    _context().model()
