"""Palladius transcription: the standard table, word joining, names and exonyms."""

import pytest

from app.chinese import palladius
from app.chinese.palladius import syllable, word


@pytest.mark.parametrize(
    ("numbered", "cyrillic"),
    [
        ("zhong1", "чжун"),
        ("chi1", "чи"),
        ("shi4", "ши"),
        ("ren2", "жэнь"),
        ("zi4", "цзы"),
        ("ci2", "цы"),
        ("si1", "сы"),
        ("zai4", "цзай"),
        ("cai2", "цай"),
        ("jia1", "цзя"),
        ("qing1", "цин"),
        ("xin1", "синь"),
        ("ban1", "бань"),
        ("bang1", "бан"),
        ("nv3", "нюй"),
        ("lv4", "люй"),
        ("ju2", "цзюй"),
        ("qu4", "цюй"),
        ("xue2", "сюэ"),
        ("yue4", "юэ"),
        ("yuan2", "юань"),
        ("yun2", "юнь"),
        ("gui4", "гуй"),
        ("dui4", "дуй"),
        ("hui4", "хуэй"),
        ("you3", "ю"),
        ("ye3", "е"),
        ("yi1", "и"),
        ("wo3", "во"),
        ("wei4", "вэй"),
        ("guo2", "го"),
        ("e4", "э"),
        ("de5", "дэ"),
        ("er2", "эр"),
        ("liu2", "лю"),
        ("dian4", "дянь"),
        ("xiong2", "сюн"),
        ("pi2", "пи"),
        ("ma1", "ма"),
        ("fa1", "фа"),
        ("tu3", "ту"),
        ("ke4", "кэ"),
        ("lun2", "лунь"),
        ("sheng1", "шэн"),
        ("feng1", "фэн"),
        ("zhuang4", "чжуан"),
        ("kuai4", "куай"),
        ("hua4", "хуа"),
        ("gou3", "гоу"),
        ("bei3", "бэй"),
        ("hao3", "хао"),
        ("ai4", "ай"),
    ],
)
def test_syllables_of_every_initial_and_final(numbered, cyrillic):
    assert syllable(numbered) == cyrillic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("深圳", "Шэньчжэнь"),
        ("青岛", "Циндао"),
        ("习近平", "Си Цзиньпин"),
        ("北京", "Пекин"),
        ("哈尔滨", "Харбин"),
        ("上海", "Шанхай"),
        ("广州", "Гуанчжоу"),
        ("毛泽东", "Мао Цзэдун"),
        ("长安", "Чанъань"),
    ],
)
def test_words_names_and_exonyms(text, expected):
    assert palladius(text) == expected


def test_erhua():
    assert palladius("你在哪儿") == "Ни цзай нар"
    assert word("哪儿", ("na3", "r5")) == "нар"


def test_sentence_keeps_punctuation_latin_and_digits():
    assert palladius("我在深圳工作。他说：“你好！”") == 'Во цзай Шэньчжэнь гунцзо. Та шо: "Ни хао!"'
    assert palladius("ABC公司有3个人") == "ABC гунсы ю 3 гэ жэнь"


def test_empty():
    assert palladius("") == ""


def test_not_a_syllable():
    with pytest.raises(ValueError):
        syllable("xx1")
