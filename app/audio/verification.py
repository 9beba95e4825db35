"""Is a clip Mandarin, and does a one-syllable clip carry its written tone?

Pure: no Flask, no database. Two checks, run by the build right after making a clip and again
by `flask audio verify` over every clip the content needs:

* **language**: espeak-ng shows in its phoneme output (`-x`) where it switched language to
  read something (`(en)nI55Tr'i:55(cmn)` is "ni three"): any switch fails the clip. Engines
  given the Chinese text cannot switch that way and pass this check;
* **tone**: for a one-syllable text in tone 1-4, the tone reader (`app.speech.tones`) must hear
  the written tone in the sound itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from app.audio import processing
from app.audio.engines import EngineError, EspeakEngine, language_switches
from app.speech import tones

PASSED = "passed"
FAILED = "failed"


@dataclass(frozen=True)
class Verdict:
    status: str
    heard_tone: int | None = None
    note: str = ""
    #: the clip is one syllable with a tone to check (counted in the tone share)
    tone_checked: bool = False
    #: the clip failed because the engine switched language
    language_switch: bool = False

    @property
    def passed(self) -> bool:
        return self.status == PASSED


@lru_cache(maxsize=4096)
def _switches(binary: str | None, voice: str, spoken: str) -> tuple[str, ...]:
    """Both speeds of a text read the same pinyin: espeak-ng is asked once per process."""
    engine = EspeakEngine(binary)
    engine.voice = voice
    return tuple(language_switches(engine.phonemes(spoken)))


def forget() -> None:
    """Start a run afresh: ask espeak-ng again (a build or a verify calls this first)."""
    _switches.cache_clear()


def check_language(engine_name: str, spoken: str | None, espeak: EspeakEngine | None) -> str:
    """The languages an espeak-ng clip switched to, as a note ("" when none)."""
    if engine_name != EspeakEngine.name or not spoken:
        return ""
    espeak = espeak or EspeakEngine()
    try:
        switches = _switches(espeak.binary, espeak.voice, spoken)
    except EngineError as exc:
        return f"phonemes unavailable: {exc}"
    return f"language switch to {', '.join(switches)}" if switches else ""


def check_tone(data: bytes, expected: int) -> tuple[int | None, str]:
    """The tone heard in an encoded clip and a note when it is not `expected`."""
    samples = processing.decode(data)
    reading = tones.classify(samples, processing.SAMPLE_RATE)
    if reading.tone is None:
        return None, f"no tone heard ({reading.reason}), written tone {expected}"
    if reading.tone != expected:
        return reading.tone, f"heard tone {reading.tone}, written tone {expected}"
    return reading.tone, ""


def verify_clip(
    data: bytes,
    *,
    engine_name: str,
    spoken: str | None,
    expected_tone: int | None,
    espeak: EspeakEngine | None = None,
) -> Verdict:
    """Both checks on one encoded clip. Raises processing.AudioError if it does not decode."""
    language = check_language(engine_name, spoken, espeak)
    if language.startswith("language switch"):
        return Verdict(FAILED, note=language, language_switch=True)
    if expected_tone is None:
        processing.decode(data)
        return Verdict(PASSED)
    heard, note = check_tone(data, expected_tone)
    return Verdict(FAILED if note else PASSED, heard, note, tone_checked=True)
