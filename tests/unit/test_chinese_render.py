"""Tone colours, ruby HTML, levels, glosses and the CLI description."""

import pytest

from app.chinese import (
    describe,
    gloss,
    gloss_en,
    hsk_level,
    level_profile,
    numbered_to_marked,
    ruby_html,
    tone_class,
)
from app.chinese.tones import marked_to_numbered


@pytest.mark.parametrize(
    ("syllable", "css"),
    [("ma1", "tone1"), ("ma2", "tone2"), ("ma3", "tone3"), ("ma4", "tone4"), ("ma5", "tone5")],
)
def test_tone_class(syllable, css):
    assert tone_class(syllable) == css


def test_tone_class_of_nothing_is_neutral():
    assert tone_class(None) == "tone5"
    assert tone_class("r5") == "tone5"


@pytest.mark.parametrize(
    ("numbered", "marked"),
    [("hang2", "háng"), ("lv4", "lǜ"), ("ma5", "ma"), ("xiu1", "xiū"), ("gui4", "guì"),
     ("lve4", "lüè"), ("ou3", "ǒu"), ("er2", "ér"), ("r5", "r")],
)  # fmt: skip
def test_marks_go_on_the_right_vowel(numbered, marked):
    assert numbered_to_marked(numbered) == marked
    assert marked_to_numbered(marked) == numbered


def test_ruby_html_on():
    html = ruby_html("汉")
    assert html == '<span class="zh-word"><ruby class="tone4">汉<rt>hàn</rt></ruby></span>'


def test_ruby_html_off_keeps_colours_without_pinyin():
    html = ruby_html("汉")
    assert "<rt>" in html
    assert "<rt>" not in ruby_html("汉", mode="off")
    assert 'class="tone4"' in ruby_html("汉", mode="off")


def test_ruby_html_escapes_everything():
    html = ruby_html('<script>alert("x")</script>你好&')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.endswith("&amp;")


def test_ruby_html_above_level_shows_only_harder_words():
    html = ruby_html("你好，会计", mode="above", level=2)
    assert "<rt>nǐ</rt>" not in html
    assert "<rt>kuài</rt>" in html


def test_ruby_html_sandhi():
    assert "<rt>ní</rt>" in ruby_html("你好", sandhi=True)
    assert "<rt>nǐ</rt>" in ruby_html("你好")


def test_ruby_html_rejects_unknown_mode():
    with pytest.raises(ValueError):
        ruby_html("你好", mode="sometimes")


def test_hsk_level():
    assert hsk_level("你好") == 1
    assert hsk_level("会计") is not None
    assert hsk_level("不是一个词") is None
    assert hsk_level("一点儿") == 1


def test_level_profile_counts_words_by_level():
    profile = level_profile("我每天早上去公园。")
    assert sum(profile.values()) == 5
    assert profile[1] >= 3
    assert level_profile("") == {}


def test_gloss_en_and_russian_first():
    assert "bank" in gloss_en("银行")
    assert gloss_en("不存在的词语") == []
    entry = gloss("银行", {"银行": "банк"})
    assert entry.ru == ("банк",)
    assert "bank" in entry.en
    assert gloss("银行").ru == ()


def test_describe_prints_annotation_sandhi_and_palladius():
    text = describe("你好，我在深圳的银行工作。")
    lines = text.splitlines()
    assert lines[0] == "Text:       你好，我在深圳的银行工作。"
    assert lines[1] == "Pinyin:     Nǐ hǎo, wǒ zài Shēnzhèn de yínháng gōngzuò."
    assert lines[2].startswith("Sandhi:     Ní hǎo")
    assert "Шэньчжэнь" in text
    assert "银行 yínháng" in text
    assert "Polyphones:" in text


def test_coloured_pinyin_keeps_the_spacing_capitals_and_punctuation():
    from app.ui.chinese import coloured_pinyin

    assert str(coloured_pinyin("Zhōngguó, nǐ hǎo!")) == (
        '<span class="tone1">Zhōng</span><span class="tone2">guó</span>, '
        '<span class="tone3">nǐ</span> <span class="tone3">hǎo</span>!'
    )
    assert str(coloured_pinyin("xièxie")).endswith('<span class="tone5">xie</span>')
    assert str(coloured_pinyin("<b>")) == "&lt;b&gt;"
