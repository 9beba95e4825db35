"""Which review directions make sense for a vocabulary item."""

from __future__ import annotations

from app.srs.answers import han_only

RECOGNITION = "recognition"  #: hanzi → meaning
RECALL = "recall"  #: meaning → hanzi (typed)
LISTENING = "listening"  #: audio → meaning
PINYIN = "pinyin"  #: hanzi → typed pinyin with tones
WRITING = "writing"  #: meaning and pinyin → the characters written by hand (a learner's choice)

#: the order new cards of a lesson are introduced in: recognising a word comes before producing it
ORDER = (RECOGNITION, LISTENING, RECALL, PINYIN, WRITING)
#: longer phrases are recognised and heard, not typed out syllable by syllable
MAX_TYPED_SYLLABLES = 4
#: and not written out character by character either
MAX_WRITTEN_CHARACTERS = 4


def directions_for(
    hanzi: str, pinyin: str, meaning: str, *, writing: bool = False, passive: bool = False
) -> tuple[str, ...]:
    """The directions worth a card for a word with this hanzi, pinyin and meaning.

    Recognition needs Han characters and a meaning; listening needs something to speak (every
    item gets an audio clip); recall needs a meaning to start from; typing pinyin needs the
    pinyin and a word short enough to type. Writing by hand, for a learner who chose it
    (`writing`), needs a word short enough to write out (its Han characters). A passive word
    (one the course only wants recognised in texts) is recognised and heard, never produced.
    """
    han = han_only(hanzi)
    if not han or not meaning.strip():
        return ()
    if passive:
        return (RECOGNITION, LISTENING)
    out = [RECOGNITION, LISTENING, RECALL]
    if pinyin.strip() and len(han) <= MAX_TYPED_SYLLABLES:
        out.append(PINYIN)
    if writing and len(han) <= MAX_WRITTEN_CHARACTERS:
        out.append(WRITING)
    return tuple(d for d in ORDER if d in out)
