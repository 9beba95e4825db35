"""The reading of a learner's take (app/speech/say.py) and the say kind's verdicts: pure, no app."""

from __future__ import annotations

import numpy as np
import pytest

from app.audio import processing
from app.exercises import AnswerError, get_kind
from app.speech import say
from tests.speech_fixtures import spoken_wav

RATE = processing.SAMPLE_RATE


@pytest.mark.parametrize(
    ("hanzi", "pinyin", "expected"),
    [
        ("你好", "nǐ hǎo", [("nǐ", 2), ("hǎo", 3)]),  # third-tone sandhi
        ("我很好。", "Wǒ hěn hǎo.", [("wǒ", 2), ("hěn", 2), ("hǎo", 3)]),
        ("一定", "yīdìng", [("yī", 2), ("dìng", 4)]),  # 一 before a fourth tone
        ("不是", "bù shì", [("bù", 2), ("shì", 4)]),
        ("谢谢", "xièxie", [("xiè", 4), ("xie", 5)]),
        ("哪儿", "nǎr", [("nǎr", 3)]),  # erhua joins its syllable
    ],
)
def test_the_tones_expected_are_the_tones_said(hanzi, pinyin, expected):
    assert say.syllables_of(hanzi, pinyin) == expected


def test_pinyin_that_does_not_read_is_an_error():
    with pytest.raises(ValueError):
        say.syllables_of("妈", "qqq1")


def _take(numbered: str, expected: list[int]) -> say.Take:
    return say.read_take(processing.decode(spoken_wav(numbered)), RATE, expected)


@pytest.mark.parametrize("tone", [1, 2, 4])
def test_one_syllable_is_heard_in_its_tone(tone):
    take = _take(f"ma{tone}", [tone])
    assert take.heard == [tone] and take.right


@pytest.mark.parametrize(
    ("numbered", "tones"),
    [("fei1ji1", [1, 1]), ("wen4ti2", [4, 2]), ("tong2shi4", [2, 4]), ("mian4bao1", [4, 1])],
)
def test_two_syllables_are_cut_and_each_heard(numbered, tones):
    take = _take(numbered, tones)
    assert take.heard == tones
    first, second = take.syllables
    assert first.end <= second.start + 1e-9 < second.end


def test_the_contour_is_in_semitones_around_the_speakers_mean_and_in_syllable_units():
    take = _take("wen4ti2", [4, 2])
    xs = [x for x, _ in take.points]
    values = np.array([v for _, v in take.points])
    assert min(xs) >= 0 and max(xs) <= 2
    assert abs(values.mean()) < 2.0  # around the speaker's own mean
    assert values.max() - values.min() > 3  # a fall then a rise: a wide range
    lines = say.polylines(take.points, 2, 600, 160)
    assert len(lines) == 2  # one line per syllable
    assert all(0 <= float(p.split(",")[1]) <= 160 for line in lines for p in line.split())


def test_a_low_voice_and_a_high_voice_draw_the_same_shape():
    samples = processing.decode(spoken_wav("ma4"))
    low = say.read_take(samples, RATE, [4])
    # the same take an octave higher: every other sample at half the rate is the same sound,
    # read at the full rate it is twice as high
    high = say.read_take(samples[::2], RATE, [4])
    assert high.mean_hz == pytest.approx(2 * low.mean_hz, rel=0.1)
    assert high.heard == low.heard == [4]


def test_silence_hears_no_tone_and_is_not_right():
    take = say.read_take(np.zeros(RATE, dtype=np.float32), RATE, [1, 4])
    assert take.heard == [None, None] and not take.right and not take.voiced
    assert take.points == []


def test_the_say_kind_judges_the_tones_heard_and_counts_a_skip_as_done():
    kind = get_kind("say")
    data = {"prompt": "你好", "answer": "nǐ hǎo"}
    right = kind.check(data, "2 3")
    assert right.correct and right.score == 1.0
    wrong = kind.check(data, "3 0")
    assert not wrong.correct and wrong.feedback == "say_tones" and wrong.score == 0.0
    assert [row["heard"] for row in wrong.details["syllables"]] == [3, None]
    skipped = kind.check(data, "skip")
    assert skipped.correct and skipped.score == 0.0 and skipped.feedback == "skipped"


def test_a_learner_may_not_type_the_tones_but_a_stored_answer_reads_back():
    kind = get_kind("say")
    data = {"prompt": "你好", "answer": "nǐ hǎo"}
    for typed in ("2 3", "1", ["2", "3"], "skip " * 20):
        with pytest.raises(AnswerError):
            kind.parse_answer(data, typed)
    assert kind.parse_answer(data, "skip") == "skip"
    assert kind.stored_answer(data, "2 3") == "2 3"
    with pytest.raises(AnswerError):
        kind.stored_answer(data, "9 x")
