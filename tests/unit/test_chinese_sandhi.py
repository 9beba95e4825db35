"""Tone sandhi of 一, 不 and the third tone, for display."""

import pytest

from app.chinese import annotate, pinyin_text


def spoken(text: str) -> list[str]:
    return [s for w in annotate(text, sandhi=True) for s in w.spoken]


def written(text: str) -> list[str]:
    return [s for w in annotate(text, sandhi=True) for s in w.numbered]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一个", ["yi2", "ge4"]),
        ("一天", ["yi4", "tian1"]),
        ("一年", ["yi4", "nian2"]),
        ("一起", ["yi4", "qi3"]),
        ("第一", ["di4", "yi1"]),
        ("十一", ["shi2", "yi1"]),
        ("统一", ["tong3", "yi1"]),
        ("看一看", ["kan4", "yi5", "kan4"]),
    ],
)
def test_yi(text, expected):
    assert spoken(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("不是", ["bu2", "shi4"]),
        ("不要", ["bu2", "yao4"]),
        ("不好", ["bu4", "hao3"]),
        ("不忙", ["bu4", "mang2"]),
    ],
)
def test_bu(text, expected):
    assert spoken(text) == expected


def test_bu_in_a_not_a_question_is_neutral():
    assert spoken("好不好")[1] == "bu5"


def test_third_tone_sandhi():
    assert spoken("你好") == ["ni2", "hao3"]
    assert spoken("我很好") == ["wo2", "hen2", "hao3"]
    assert spoken("可以") == ["ke2", "yi3"]


def test_third_tone_before_other_tones_stays():
    assert spoken("你们") == ["ni3", "men5"]
    assert spoken("好吃") == ["hao3", "chi1"]


def test_written_tones_stay_available():
    assert written("你好") == ["ni3", "hao3"]
    assert written("一个") == ["yi1", "ge4"]
    word = annotate("你好", sandhi=True)[0]
    assert word.numbered == ("ni3",)
    assert word.spoken == ("ni2",)
    assert word.has_sandhi


def test_punctuation_breaks_third_tone_runs():
    assert spoken("好，好") == ["hao3", "hao3"]


def test_sandhi_off_by_default():
    assert all(w.spoken == w.numbered for w in annotate("你好，一个不是"))


def test_sandhi_pinyin_text():
    assert pinyin_text("你好", sandhi=True) == "Ní hǎo"
    assert pinyin_text("我不是", sandhi=True) == "Wǒ bú shì"
