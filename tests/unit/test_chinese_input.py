"""Pinyin typed by trainers and learners: parsing, normalising, judging answers."""

import pytest

from app.chinese import check_pinyin_answer, han_count, normalize_pinyin, split_pinyin, syllables


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ni3 hao3", ["ni3", "hao3"]),
        ("nǐ hǎo", ["ni3", "hao3"]),
        ("NǏ HǍO", ["ni3", "hao3"]),
        ("nǐhǎo", ["ni3", "hao3"]),
        ("ni3hao3", ["ni3", "hao3"]),
        ("xièxie", ["xie4", "xie5"]),
        ("Xī'ān", ["xi1", "an1"]),
        ("xian1", ["xian1"]),
        ("lǜ", ["lv4"]),
        ("lv4", ["lv4"]),
        ("lu:4", ["lv4"]),
        ("nü3", ["nv3"]),
        ("ju2", ["ju2"]),
        ("qv4", ["qu4"]),
        ("jü2", ["ju2"]),
        ("nǎr", ["na3", "r5"]),
        ("nar3", ["na3", "r5"]),
        ("yīdiǎnr", ["yi1", "dian3", "r5"]),
        ("nǚ'ér", ["nv3", "er2"]),
        ("Nín hǎo! Wǒ shì Lǐ Míng.", ["nin2", "hao3", "wo3", "shi4", "li3", "ming2"]),
    ],
)
def test_split_pinyin(typed, expected):
    assert split_pinyin(typed) == expected


def test_joined_syllables_split_as_orthography_says():
    assert split_pinyin("xiān") == ["xian1"]
    assert split_pinyin("xī'ān") == ["xi1", "an1"]
    assert split_pinyin("bàngōng") == ["ban4", "gong1"]
    with pytest.raises(ValueError):
        split_pinyin("xīān")  # a syllable starting with a vowel needs the apostrophe


@pytest.mark.parametrize("bad", ["hello world", "qqq", "ni3 h@o", "12"])
def test_split_pinyin_rejects_what_is_not_pinyin(bad):
    with pytest.raises(ValueError):
        split_pinyin(bad)


def test_split_pinyin_matches_the_engine():
    hanzi = "谢谢，我们去哪儿？"
    pinyin = "Xièxie, wǒmen qù nǎr?"
    assert split_pinyin(pinyin) == [s for s in syllables(hanzi) if s]
    assert len(split_pinyin(pinyin)) == han_count(hanzi)


def test_normalize_keeps_missing_tones_visible():
    assert normalize_pinyin("nihao3") == ["ni", "hao3"]


@pytest.mark.parametrize(
    ("expected", "given", "kind", "positions"),
    [
        ("nǐ hǎo", "ni3 hao3", "correct", ()),
        ("nǐ hǎo", "nǐhǎo", "correct", ()),
        ("nǚ", "nv3", "correct", ()),
        ("nǚ", "nü3", "correct", ()),
        ("xièxie", "xie4xie", "correct", ()),
        ("xièxie", "xie4 xie5", "correct", ()),
        ("nǐ hǎo", "ni2 hao3", "wrong_tone", (0,)),
        ("nǐ hǎo", "nihao3", "wrong_tone", (0,)),
        ("nǐ hǎo", "nihao", "missing_tones", (0, 1)),
        ("nǐ hǎo", "ni3 hai3", "wrong_syllable", (1,)),
        ("nǚ", "nu3", "wrong_syllable", (0,)),
        ("nǐ hǎo", "ni3", "wrong_syllable", ()),
        ("nǐ hǎo", "???", "unparseable", ()),
        ("nǐ hǎo", "", "unparseable", ()),
    ],
)
def test_check_pinyin_answer(expected, given, kind, positions):
    verdict = check_pinyin_answer(expected, given)
    assert verdict.kind == kind
    assert verdict.positions == positions
    assert verdict.correct is (kind == "correct")
    assert verdict.message


def test_wrong_tone_is_distinguishable_from_wrong_syllable():
    tone = check_pinyin_answer("mǎi", "mài")
    syllable = check_pinyin_answer("mǎi", "mǐ")
    assert tone.kind == "wrong_tone"
    assert syllable.kind == "wrong_syllable"


@pytest.mark.parametrize("given", ["na3r", "na3r5", "nar3", "nǎr", "nǎr5", "NA3R"])
def test_a_tone_number_may_stand_before_the_erhua_r(given):
    assert check_pinyin_answer("nǎr", given).correct
    assert normalize_pinyin(given) == ["na3", "r5"]


def test_a_tone_number_before_erhua_works_inside_longer_answers():
    assert check_pinyin_answer("yīdiǎnr", "yi1dian3r").correct
    assert check_pinyin_answer("yīdiǎnr", "yi1dian3r5").correct
    assert normalize_pinyin("na3ren2") == ["na3", "ren2"]  # a whole syllable still wins


@pytest.mark.parametrize(
    ("given", "kind"),
    [
        ("na4r", "wrong_tone"),
        ("na4r5", "wrong_tone"),
        ("nar4", "wrong_tone"),
        ("nàr", "wrong_tone"),
        ("nar", "missing_tones"),
        ("na3r4", "unparseable"),  # two different tones on one syllable
        ("nǎr4", "unparseable"),
    ],
)
def test_wrong_tones_before_erhua_are_still_refused(given, kind):
    assert check_pinyin_answer("nǎr", given).kind == kind


@pytest.mark.parametrize("given", ["kěài", "kě'ài", "ke3ai4", "ke3 ai4", "kě ài"])
def test_tone_marks_split_a_vowel_syllable_without_the_apostrophe(given):
    assert check_pinyin_answer("kě'ài", given).correct
    assert normalize_pinyin(given) == ["ke3", "ai4"]


def test_answers_without_the_apostrophe_keep_their_tones_checked():
    assert check_pinyin_answer("kě'ài", "kěāi").kind == "wrong_tone"
    assert check_pinyin_answer("kě'ài", "kè'ài").kind == "wrong_tone"
    assert check_pinyin_answer("kě'ài", "keai").kind == "missing_tones"
    assert check_pinyin_answer("Xī'ān", "xīān").correct
    assert check_pinyin_answer("xiān", "xian1").correct  # one syllable when one reading fits


def test_course_files_still_need_the_apostrophe():
    with pytest.raises(ValueError):
        split_pinyin("kěài")
