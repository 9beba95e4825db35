"""The tone reader measures sound: synthetic voices with known contours, and espeak-ng itself."""

import shutil

import numpy as np
import pytest

from app.audio import processing
from app.audio.engines import EspeakEngine
from app.speech import tones

RATE = 16_000


def voice(contour_hz, seconds=0.45, rate=RATE, gap=None):
    """A buzzy vowel-like sound whose pitch follows `contour_hz` (points spread over the
    syllable), with optional silence in the middle (creak) and a little silence around."""
    n = int(seconds * rate)
    points = np.interp(np.linspace(0, 1, n), np.linspace(0, 1, len(contour_hz)), contour_hz)
    phase = 2 * np.pi * np.cumsum(points) / rate
    sound = sum(np.sin(k * phase) / k for k in range(1, 12)).astype(np.float32)
    sound *= np.hanning(n).astype(np.float32) ** 0.3 * 0.3
    if gap is not None:
        a, b = (int(x * n) for x in gap)
        sound[a:b] = np.random.default_rng(1).normal(0, 0.02, b - a)
    pad = np.zeros(int(0.1 * rate), dtype=np.float32)
    return np.concatenate([pad, sound, pad])


# Contours as a speaker with a 200 Hz voice says them (Chao's 55, 35, 214, 51).
CONTOURS = {
    1: [262, 262, 263, 262, 262],
    2: [200, 198, 215, 245, 270],
    3: [185, 160, 145, 150, 205],
    4: [285, 270, 230, 190, 160],
}


@pytest.mark.parametrize("tone", [1, 2, 3, 4])
def test_each_tone_of_a_synthetic_voice_is_read(tone):
    assert tones.classify(voice(CONTOURS[tone]), RATE).tone == tone


@pytest.mark.parametrize("tone", [1, 2, 3, 4])
def test_the_reading_does_not_depend_on_the_voice_height(tone):
    """Per-clip normalisation: a low male voice gives the same tones."""
    low = [hz * 0.45 for hz in CONTOURS[tone]]
    assert tones.classify(voice(low), RATE).tone == tone


def test_a_rise_into_a_level_tone_is_still_tone_1():
    """The consonant's transition at the start must not make a tone 1 into a tone 2."""
    onset = [220, 245, 262, 262, 262, 262, 262, 262, 262, 262]
    assert tones.classify(voice(onset), RATE).tone == 1


def test_a_creaky_tone_3_with_a_gap_in_the_pitch_is_tone_3():
    creaky = [180, 165, 150, 150, 150, 150, 160]
    reading = tones.classify(voice(creaky, gap=(0.35, 0.7)), RATE)
    assert reading.tone == 3


def test_a_low_level_syllable_is_tone_3_when_the_speakers_pitch_is_known():
    low_level = [150, 148, 147, 147, 148]
    assert tones.classify(voice(low_level), RATE).tone == 1  # shape alone: level
    assert tones.classify(voice(low_level), RATE, reference_hz=210).tone == 3


def test_a_clip_too_short_to_judge_gives_no_tone():
    reading = tones.classify(voice(CONTOURS[4], seconds=0.03), RATE)
    assert reading.tone is None and "too short" in reading.reason


def test_silence_gives_no_tone():
    assert tones.classify(np.zeros(RATE, dtype=np.float32), RATE).tone is None


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize("speed", ["normal", "slow"])
def test_espeak_ma_ma_ma_ma_are_heard_in_their_tones(speed):
    """妈麻马骂 as the clips are made (the voice, then trimming, loudness and MP3)."""
    engine = EspeakEngine()
    heard = []
    for syllable in ("ma1", "ma2", "ma3", "ma4"):
        clip = processing.finish(engine.synthesize(syllable, speed))
        heard.append(tones.classify(processing.decode(clip.data), processing.SAMPLE_RATE).tone)
    assert heard == [1, 2, 3, 4]
