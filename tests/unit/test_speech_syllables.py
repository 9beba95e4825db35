"""Utterances of several syllables: cut into syllables, each read by the tone reader."""

import numpy as np
import pytest

from app.speech import tones
from tests.unit.test_speech_tones import CONTOURS, RATE, voice


def _word(*tone_list, gap_s=0.04):
    gap = np.zeros(int(gap_s * RATE), dtype=np.float32)
    parts = []
    for tone in tone_list:
        parts += [voice(CONTOURS[tone], seconds=0.3)[int(0.08 * RATE) : -int(0.08 * RATE)], gap]
    pad = np.zeros(int(0.15 * RATE), dtype=np.float32)
    return np.concatenate([pad, *parts[:-1], pad])


@pytest.mark.parametrize("pair", [(1, 4), (4, 2), (2, 1), (3, 1)])
def test_two_syllables_are_split_and_each_read(pair):
    readings = tones.read_syllables(_word(*pair), RATE, 2)
    assert [r.tone for r in readings] == list(pair)


def test_split_gives_the_asked_number_of_stretches_covering_the_speech():
    word = _word(1, 4, 2)
    parts = tones.split_syllables(word, RATE, 3)
    assert len(parts) == 3
    assert all(part.size > 0.15 * RATE for part in parts)
    assert sum(part.size for part in parts) <= word.size


def test_silence_or_one_syllable_is_no_error():
    silence = np.zeros(RATE, dtype=np.float32)
    assert len(tones.split_syllables(silence, RATE, 2)) == 2
    assert [r.tone for r in tones.read_syllables(silence, RATE, 2)] == [None, None]
    assert len(tones.split_syllables(_word(1), RATE, 1)) == 1


def test_a_low_syllable_before_another_is_a_half_third():
    """A tone 3 before a tone 1 is only its low part, falling a little like a low 4: given the
    speaker's usual pitch it is a 3; alone, with no reference, the same shape is a fall."""
    half_third = [150, 140, 130, 124, 120]
    word = _word_from(half_third, CONTOURS[1])
    assert [r.tone for r in tones.read_syllables(word, RATE, 2)] == [3, 1]
    alone = voice(half_third)
    assert tones.classify(alone, RATE).tone == 4


def _word_from(*contours):
    gap = np.zeros(int(0.04 * RATE), dtype=np.float32)
    cut = int(0.08 * RATE)
    parts = [voice(c, seconds=0.3)[cut:-cut] for c in contours]
    pad = np.zeros(int(0.15 * RATE), dtype=np.float32)
    return np.concatenate([pad, parts[0], gap, *parts[1:], pad])
