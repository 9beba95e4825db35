"""The neutral-tone and names gold set (bench/data/neutral-names.tsv) is checked against its
sources, and the engine's rules for each class it covers."""

import sys
from pathlib import Path

import pytest

from app.chinese import annotate, lexicon, pinyin_text, split_pinyin, syllables
from app.chinese.names import SURNAME_READINGS
from app.chinese.tones import numbered_to_marked

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "bench" / "data" / "neutral-names.tsv"
sys.path.insert(0, str(ROOT / "bench"))

import courses  # noqa: E402

ROWS = courses.load_gold(GOLD)


def _cedict() -> dict[str, set[tuple[str, ...]]]:
    import gzip
    import re

    line_re = re.compile(r"^(\S+) (\S+) \[([^\]]+)\]")
    out: dict[str, set[tuple[str, ...]]] = {}
    with gzip.open(lexicon.cedict_path(), mode="rt", encoding="utf-8") as fh:
        for line in fh:
            match = line_re.match(line)
            if match:
                syls = tuple(s.lower().replace("u:", "v") for s in match.group(3).split())
                out.setdefault(match.group(2), set()).add(syls)
    return out


def test_gold_set_is_large_and_every_row_names_its_source():
    assert len(ROWS) >= 300
    kinds = ("CC-CEDICT ", "现代汉语词典 ", "rule: ", "surname ")
    for sentence, start, end, pinyin, source in ROWS:
        assert source.startswith(kinds), (sentence, source)
        assert 0 <= start < end <= len(sentence)
        han = sum(1 for ch in sentence[start:end] if ch not in "·")
        assert len(split_pinyin(pinyin)) == han, sentence


def test_cedict_rows_agree_with_cedict():
    cedict = _cedict()
    problems = []
    for sentence, start, end, pinyin, source in ROWS:
        if not source.startswith("CC-CEDICT "):
            continue
        word = sentence[start:end]
        expected = tuple(s.lower() for s in split_pinyin(pinyin))
        if len(word) == 1:
            if expected[0] not in lexicon.lexicon().chars.get(word, ()) and not expected[
                0
            ].endswith("5"):
                problems.append(f"{word}: {expected}")
            continue
        if expected not in cedict.get(word, set()):
            problems.append(f"{word}: {expected} not in {sorted(cedict.get(word, set()))}")
    assert not problems, "\n".join(problems)


def test_rule_and_surname_rows_follow_their_rule():
    for sentence, start, end, pinyin, source in ROWS:
        span = sentence[start:end]
        syls = split_pinyin(pinyin)
        if source.startswith("surname "):
            assert syls[0].lower() == SURNAME_READINGS[span[0]], sentence
            assert pinyin[0].isupper(), sentence
        elif source == "rule: locative after a noun":
            assert span in "上里" and syls[0].endswith("5"), sentence
        elif source == "rule: reduplicated verb":
            assert span[0] == span[1] and syls[1].endswith("5"), sentence
        elif source == "rule: 一 in V一V":
            assert span == "一" and sentence[start - 1] == sentence[end] and syls == ["yi5"]
        elif "transliterated name" in source or "organisation name" in source:
            assert all(part[0].isupper() for part in pinyin.split()), sentence


def test_engine_agrees_with_the_gold_set():
    rate, misses = courses.score_gold(ROWS)
    assert rate >= 0.97, misses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的联系方式都在名片上。", "Wǒ de liánxì fāngshì dōu zài míngpiàn shang."),
        ("对不起，车间里不能拍照。", "Duìbuqǐ, chējiān li bù néng pāizhào."),
        ("来，先尝尝这个菜！", "Lái, xiān chángchang zhège cài!"),
        ("请你告诉我。", "Qǐng nǐ gàosu wǒ."),
        ("这个多少钱？", "Zhège duōshao qián?"),
        ("哪里哪里。", "Nǎli nǎli."),
        ("对不起，我没收到附件。", "Duìbuqǐ, wǒ méi shōudào fùjiàn."),
        ("您扫一扫这个二维码。", "Nín sǎo yi sǎo zhège èrwéimǎ."),
        ("那位先生是谁？", "Nà wèi xiānsheng shì shéi?"),
    ],
)
def test_neutral_tones_and_lone_words(text, expected):
    assert pinyin_text(text) == expected


def test_bare_shao_and_wei():
    assert syllables("少") == ["shao3"]
    assert syllables("为") == ["wei4"]
    assert syllables("海关没收了货物。")[2] == "mo4"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("单经理明天来。", "Shàn jīnglǐ míngtiān lái."),
        ("曾先生是顾问。", "Zēng xiānsheng shì gùwèn."),
        ("我叫仇亮。", "Wǒ jiào Qiú Liàng."),
        ("我姓张，叫张伟。", "Wǒ xìng Zhāng, jiào Zhāng Wěi."),
        ("我是伊戈尔·彼得罗夫。", "Wǒ shì Yīgē'ěr Bǐdéluófū."),
        ("我叫安娜·斯米尔诺娃。", "Wǒ jiào Ānnà Sīmǐ'ěrnuòwá."),
        ("伊万诺夫先生来了。", "Yīwànnuòfū xiānsheng lái le."),
        ("我在华星公司工作。", "Wǒ zài Huáxīng Gōngsī gōngzuò."),
        ("我们公司很大。", "Wǒmen gōngsī hěn dà."),
    ],
)
def test_names(text, expected):
    assert pinyin_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("保持联系", "bǎochí liánxì"),
        ("打电话", "dǎ diànhuà"),
        ("高铁很快。", "gāotiě hěn kuài"),
        ("半个小时", "bàn gè xiǎoshí"),
        ("三百五十块", "sānbǎi wǔshí kuài"),
        ("八万五千", "bāwàn wǔqiān"),
        ("二十五万", "èrshíwǔ wàn"),
        ("一千零五十元", "yīqiān líng wǔshí yuán"),
        ("十月十三号", "shíyuè shísān hào"),
        ("下午三点十分", "xiàwǔ sān diǎn shí fēn"),
        ("星期一", "xīngqīyī"),
        ("美元", "měiyuán"),
        ("春节快乐", "Chūnjié kuàilè"),
        ("俄罗斯人", "Éluósīrén"),
        ("用完", "yòngwán"),
        ("没关系", "méi guānxi"),
        ("总经理", "zǒngjīnglǐ"),
        ("这位", "zhè wèi"),
        ("这个", "zhège"),
        ("祝您身体健康", "zhù nín shēntǐ jiànkāng"),
        ("办公室", "bàngōngshì"),
        ("你好", "nǐ hǎo"),
    ],
)
def test_words_follow_gb_t_16159(text, expected):
    got = " ".join(w.pinyin for w in annotate(text) if w.is_han)
    assert got == expected


@pytest.mark.parametrize(
    ("text", "char", "reading"),
    [
        ("他家种了很多玉米。", "种", "zhong4"),
        ("这种产品很好。", "种", "zhong3"),
        ("我们把温度调高一点儿。", "调", "tiao2"),
        ("他调到北京工作了。", "调", "diao4"),
        ("你说得很好。", "得", "de5"),
        ("我得走了。", "得", "dei3"),
        ("我们为你们准备了礼物。", "为", "wei4"),
        ("这条路很长。", "长", "chang2"),
    ],
)
def test_single_character_polyphones(text, char, reading):
    assert syllables(text)[text.index(char)] == reading


def test_polyphones_say_why():
    from app.chinese import polyphones

    found = {p.char: p for p in polyphones("我们的行长很忙。我得走了。")}
    assert found["行"].reason == "dictionary phrase" and found["行"].detail == "行长"
    assert found["得"].source == "rule" and "děi" in found["得"].reason
    assert numbered_to_marked(found["得"].chosen) == "děi"
