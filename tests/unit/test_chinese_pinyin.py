"""Pinyin in context: polyphones, neutral tones, erhua, mixed text (no app needed)."""

import pytest

from app.chinese import annotate, han_count, pinyin_text, polyphones, syllables


def reading_of(text: str, char: str) -> str | None:
    """The reading of the last occurrence of ``char`` in ``text``."""
    index = text.rindex(char)
    return syllables(text)[index]


@pytest.mark.parametrize(
    ("text", "char", "expected"),
    [
        ("我在银行工作。", "行", "hang2"),
        ("行长明天来开会。", "行", "hang2"),
        ("行长明天来开会。", "长", "zhang3"),
        ("这个项目很重要。", "重", "zhong4"),
        ("请你重新填写。", "重", "chong2"),
        ("贷款要按时还款。", "还", "huan2"),
        ("我还没吃饭。", "还", "hai2"),
        ("下周我要去上海出差。", "差", "chai1"),
        ("她是公司的会计。", "会", "kuai4"),
        ("这个问题由我来处理。", "处", "chu3"),
        ("会议室的空调坏了。", "调", "tiao2"),
        ("我们对市场进行了调查。", "调", "diao4"),
        ("时间不早了，我得走了。", "得", "dei3"),
        ("他汉语说得很好。", "得", "de5"),
        ("你了解这家公司吗？", "了", "liao3"),
        ("他认真地检查了合同。", "地", "de5"),
        ("这条路很长。", "长", "chang2"),
        ("孩子长得真快。", "长", "zhang3"),
        ("请你数一下。", "数", "shu3"),
        ("我买了一只小狗。", "只", "zhi1"),
        ("认识你很高兴。", "兴", "xing4"),
        ("这次访问的目的是了解市场。", "的", "di4"),
    ],
)
def test_polyphones_in_business_sentences(text, char, expected):
    assert reading_of(text, char) == expected


def test_same_character_two_readings_in_one_sentence():
    text = "银行行长"
    assert syllables(text) == ["yin2", "hang2", "hang2", "zhang3"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("谢谢", ["xie4", "xie5"]),
        ("朋友", ["peng2", "you5"]),
        ("东西", ["dong1", "xi5"]),
        ("意思", ["yi4", "si5"]),
        ("妈妈", ["ma1", "ma5"]),
    ],
)
def test_neutral_tones_as_dictionaries_give_them(word, expected):
    assert syllables(word) == expected


def test_particles_are_neutral():
    assert syllables("你好吗") == ["ni3", "hao3", "ma5"]
    assert syllables("我的") == ["wo3", "de5"]


@pytest.mark.parametrize(
    ("word", "numbered", "pinyin"),
    [
        ("哪儿", ["na3", "r5"], "nǎr"),
        ("一点儿", ["yi1", "dian3", "r5"], "yīdiǎnr"),
        ("这儿", ["zhe4", "r5"], "zhèr"),
    ],
)
def test_erhua_is_read_as_learners_read_it(word, numbered, pinyin):
    assert syllables(word) == numbered
    assert annotate(word)[0].pinyin == pinyin


def test_er_that_is_a_syllable_of_its_own_stays():
    assert syllables("女儿") == ["nv3", "er2"]
    assert syllables("儿子") == ["er2", "zi5"]


def test_umlaut_is_v():
    assert syllables("绿色") == ["lv4", "se4"]
    assert syllables("女") == ["nv3"]


def test_mixed_text_keeps_one_entry_per_character():
    text = "我有3个iPhone，价格是5,000元！"
    result = syllables(text)
    assert len(result) == len(text)
    assert result[0] == "wo3"
    assert result[2] is None  # the digit
    assert result[text.index("i")] is None
    assert result[text.index("，")] is None
    assert result[text.index("元")] == "yuan2"


def test_empty_input():
    assert syllables("") == []
    assert annotate("") == []
    assert pinyin_text("") == ""
    assert han_count("") == 0
    assert polyphones("") == []


def test_only_non_han():
    assert syllables("abc 123 !?") == [None] * 10
    assert pinyin_text("Hello, 123") == "Hello, 123"


def test_annotate_words_rebuild_the_text_and_carry_both_forms():
    text = "您好，我叫李明。"
    words = annotate(text)
    assert "".join(w.text for w in words) == text
    hello = words[0]
    assert hello.is_han
    assert hello.numbered == ("nin2",)
    assert hello.marked == ("nín",)
    comma = words[2]
    assert not comma.is_han
    assert comma.pinyin == ","


def test_annotate_joins_syllables_as_a_dictionary_does():
    words = {w.text: w for w in annotate("谢谢你，我们去西安。")}
    assert words["谢谢"].pinyin == "xièxie"
    assert words["西安"].pinyin == "Xī'ān"


def test_pinyin_text_is_the_course_file_form():
    assert pinyin_text("您好！我是王经理的朋友。").startswith("Nín hǎo! Wǒ shì")
    assert pinyin_text("我们去北京。") == "Wǒmen qù Běijīng."
    assert pinyin_text("他说：“你好。”") == 'Tā shuō: "Nǐ hǎo."'


def test_pinyin_text_keeps_written_tones():
    assert pinyin_text("一个") == "yī gè".capitalize()
    assert pinyin_text("不是") == "Bù shì"


def test_han_count_counts_erhua_as_split_pinyin_does():
    assert han_count("哪儿") == 2
    assert han_count("我有3个iPhone。") == 3


def test_polyphone_flags_name_the_choice_and_alternatives():
    flags = {p.char: p for p in polyphones("我们银行的行长说，我得走了。")}
    bank = flags["行"]
    assert bank.chosen == "hang2"
    assert "xing2" in bank.alternatives
    assert bank.source == "phrase"
    assert not bank.needs_review
    must = flags["得"]
    assert must.chosen == "dei3"
    assert must.source in ("rule", "model")


def test_polyphone_indices_point_at_the_character():
    text = "Hi! 我还没还钱。"
    for flag in polyphones(text):
        assert text[flag.index] == flag.char


def test_very_long_input_is_linear_and_does_not_crash():
    import time

    chunk = "我们的银行行长下周去上海出差，会计处理了还款。Hello 123! "
    small = (chunk * 400)[:10_000]
    big = (chunk * 4000)[:100_000]
    start = time.perf_counter()
    syllables(small)
    small_time = time.perf_counter() - start
    start = time.perf_counter()
    result = syllables(big)
    big_time = time.perf_counter() - start
    assert len(result) == 100_000
    assert result[:8] == syllables(chunk[:8])
    # ten times the text may take ten times as long, with room for a noisy machine
    assert big_time < 30 * small_time + 2
