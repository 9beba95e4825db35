"""Typed answers: pinyin in any common spelling, recall in hanzi or pinyin, mapped to ratings."""

import pytest

from app.srs import Verdict, directions_for, grade_pinyin, grade_recall
from app.srs import answers as answers_module
from app.srs.answers import check_pinyin, parse_pinyin
from app.srs.scheduling import AGAIN, GOOD, HARD


@pytest.fixture(autouse=True)
def own_checker(monkeypatch):
    """Test our own checker even when the Chinese engine offers one."""
    monkeypatch.setattr(answers_module, "_engine_checker", lambda: None)


@pytest.mark.parametrize(
    "given", ["nǐ hǎo", "ni3 hao3", "ni3hao3", "Nǐhǎo", "NI3 HAO3", " nǐ hǎo! "]
)
def test_spellings_of_the_right_answer_are_all_correct(given):
    assert check_pinyin("nǐ hǎo", given) is Verdict.CORRECT


@pytest.mark.parametrize(
    ("expected", "given", "verdict"),
    [
        ("xièxie", "xie4xie", Verdict.CORRECT),
        ("xièxie", "xie4xie5", Verdict.CORRECT),
        ("xièxie", "xiexie", Verdict.WRONG_TONE),
        ("nǐ hǎo", "ni3 hao4", Verdict.WRONG_TONE),
        ("nǐ hǎo", "nin2 hao3", Verdict.WRONG),
        ("lǜ", "lv4", Verdict.CORRECT),
        ("lǜ", "lu:4", Verdict.CORRECT),
        ("lǜ", "lu4", Verdict.WRONG),
        ("nǎr", "na3r", Verdict.CORRECT),
        ("Xī'ān", "xi1 an1", Verdict.CORRECT),
        ("chūcì jiànmiàn", "chu1ci4jian4mian4", Verdict.CORRECT),
        ("nǐ hǎo", "", Verdict.EMPTY),
        ("nǐ hǎo", "hello", Verdict.WRONG),
    ],
)
def test_pinyin_verdicts(expected, given, verdict):
    assert check_pinyin(expected, given) is verdict


def test_parse_reads_marks_and_numbers_alike():
    assert parse_pinyin("nǐhǎo") == parse_pinyin("ni3 hao3") == [("ni", 3), ("hao", 3)]
    assert parse_pinyin("12") is None


def test_verdicts_map_to_ratings_the_learner_can_correct():
    assert grade_pinyin("nǐ hǎo", "ni3hao3").rating == GOOD
    assert grade_pinyin("nǐ hǎo", "ni hao").rating == HARD
    assert grade_pinyin("nǐ hǎo", "ma").rating == AGAIN
    assert grade_pinyin("nǐ hǎo", "").rating == AGAIN


def test_recall_accepts_the_hanzi_or_its_pinyin():
    assert grade_recall("你好", "nǐ hǎo", "你好").verdict is Verdict.CORRECT
    assert grade_recall("你好", "nǐ hǎo", " 你好！").verdict is Verdict.CORRECT
    assert grade_recall("你好", "nǐ hǎo", "您好").verdict is Verdict.WRONG
    assert grade_recall("你好", "nǐ hǎo", "ni3 hao3").verdict is Verdict.CORRECT
    assert grade_recall("你好", "nǐ hǎo", "ni hao").rating == HARD


def test_the_engines_checker_is_used_when_it_exists(monkeypatch):
    class Result:
        def __init__(self, correct, kind):
            self.correct, self.kind = correct, kind

    monkeypatch.setattr(
        answers_module, "_engine_checker", lambda: lambda e, g: Result(False, "wrong_tone")
    )
    assert check_pinyin("nǐ hǎo", "ni3 hao4") is Verdict.WRONG_TONE
    monkeypatch.setattr(answers_module, "_engine_checker", lambda: lambda e, g: Result(True, "ok"))
    assert check_pinyin("nǐ hǎo", "whatever") is Verdict.CORRECT


def test_directions_that_make_sense():
    assert directions_for("你好", "nǐ hǎo", "здравствуйте") == (
        "recognition", "listening", "recall", "pinyin",
    )  # fmt: skip
    # too long to type out syllable by syllable: no pinyin card
    assert "pinyin" not in directions_for(
        "初次见面请多关照", "chūcì jiànmiàn qǐng duō guānzhào", "x"
    )
    # no pinyin given: nothing to check the typed pinyin against
    assert "pinyin" not in directions_for("你好", "", "здравствуйте")
    assert directions_for("OK", "", "хорошо") == ()
    assert directions_for("你好", "nǐ hǎo", "") == ()
