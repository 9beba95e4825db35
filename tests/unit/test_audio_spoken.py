"""What espeak-ng's pinyin voice is given: the stored pinyin as numbered syllables."""

import pytest

from app.audio.spoken import SpokenError, single_tone, spoken_pinyin, tones


@pytest.mark.parametrize(
    ("hanzi", "pinyin", "spoken"),
    [
        # the stored reading wins over the voice's dictionary: 银行 háng, not xíng
        ("银行", "yínháng", "yin2hang2"),
        ("银行行长", "yínháng hángzhǎng", "yin2hang2 hang2zhang3"),
        # the neutral tone is 5 (a bare syllable or 0 would be read as tone 1)
        ("吗", "ma", "ma5"),
        ("谢谢", "xièxie", "xie4xie5"),
        # ü as v
        ("绿", "lǜ", "lv4"),
        ("女", "nǚ", "nv3"),
        # erhua glued to its syllable, tone before the r
        ("哪儿", "nǎr", "na3r"),
        ("一点儿", "yīdiǎnr", "yi4dian3r"),
        # apostrophes go, the syllables stay
        ("西安", "Xī'ān", "xi1an1"),
        # 一 and 不 as spoken (the voice does third-tone sandhi itself)
        ("一个", "yī gè", "yi2 ge4"),
        ("不是", "bù shì", "bu2 shi4"),
        ("你好", "nǐ hǎo", "ni3 hao3"),
        # sentences and dialogue lines keep their punctuation as pauses
        ("您好！我是李明。", "Nín hǎo! Wǒ shì Lǐ Míng.", "nin2 hao3! wo3 shi4 li3 ming2."),
        ("你好，朋友", "nǐ hǎo，péngyou", "ni3 hao3, peng2you5"),
        ("他说：“好。”", "Tā shuō: “Hǎo.”", "ta1 shuo1: hao3."),
    ],
)
def test_stored_pinyin_becomes_numbered_pinyin(hanzi, pinyin, spoken):
    assert spoken_pinyin(hanzi, pinyin) == spoken


def test_a_line_break_does_not_split_the_reading():
    assert "\n" not in spoken_pinyin("你好", "nǐ\nhǎo")


def test_what_is_not_pinyin_is_refused():
    with pytest.raises(SpokenError):
        spoken_pinyin("好", "hello world")


def test_tones_and_single_syllables():
    assert tones("ni3 hao3 ma5?") == [3, 3, 5]
    assert single_tone("ma3") == 3 and single_tone("ma3.") == 3
    assert single_tone("ma5") is None  # the neutral tone is not checked
    assert single_tone("na3r") is None  # erhua: the voice reads a second syllable
    assert single_tone("ni3 hao3") is None
