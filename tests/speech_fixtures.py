"""Recordings for the say tests: espeak-ng's `cmn-latn-pinyin` voice saying numbered pinyin,
made at test time (the voice the app's offline engine uses, app/audio/engines.py)."""

from __future__ import annotations

import io
import wave
from functools import lru_cache

from app.audio.engines import EspeakEngine


@lru_cache(maxsize=32)
def spoken_wav(numbered: str, speed: str = "slow") -> bytes:
    """WAV bytes of espeak-ng saying `numbered` ("ma1", "lao3shi1")."""
    return EspeakEngine().synthesize(numbered, speed)


def padded_wav(numbered: str, before_s: float = 0.4, after_s: float = 6.0) -> bytes:
    """The same with silence around it: Chromium's fake microphone plays its file in a loop,
    and a long silence after the syllable keeps a short take to one saying of it."""
    with wave.open(io.BytesIO(spoken_wav(numbered)), "rb") as source:
        rate, width, channels = source.getframerate(), source.getsampwidth(), source.getnchannels()
        frames = source.readframes(source.getnframes())
    silence = b"\0" * width * channels
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(channels)
        target.setsampwidth(width)
        target.setframerate(rate)
        target.writeframes(silence * int(before_s * rate) + frames + silence * int(after_s * rate))
    return out.getvalue()


def silent_wav(seconds: float, rate: int = 8_000) -> bytes:
    """Silence of a given length (8-bit, so that a long one stays small)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(1)
        target.setframerate(rate)
        target.writeframes(b"\x80" * int(seconds * rate))
    return out.getvalue()
