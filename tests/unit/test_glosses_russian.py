"""Tap-a-word glosses are Russian: course words first, names as names, never English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from app.chinese import russian_glosses
from app.chinese.glosses import chinese_number
from app.ui.chinese import ruby, words

COURSES = Path(__file__).resolve().parents[2] / "courses"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
#: names Russian writes in Latin letters, as the course vocabulary does («WeChat», «QR-код»)
#: names the courses themselves use in Russian text: brands and acronyms (NMPA, NVR, IP)
BRANDS = re.compile(r"\b(WeChat|FiO₂|[A-Z]{2,}\b)")
TOOLTIP = re.compile(r'<span class="gloss" role="tooltip" lang="ru">(.*?)</span></span>')


@pytest.fixture
def page(app):
    """A request in Russian (the interface language), as a page renders glosses."""
    with app.test_request_context("/", headers={"Accept-Language": "ru"}):
        yield


def _course_files():
    for course in sorted(p for p in COURSES.iterdir() if p.is_dir()):
        lessons = [
            yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted(course.glob("*.yaml"))
            if p.name != "course.yaml"
        ]
        yield course.name, lessons


def _dialogue_lines():
    """Every line of every dialogue of every course, with that course's glossary."""
    everything = {}
    courses = list(_course_files())
    for _name, lessons in courses:
        for lesson in lessons:
            for w in lesson.get("vocabulary") or []:
                everything.setdefault(w["hanzi"], (w.get("pinyin", ""), w["ru"]))
    for name, lessons in courses:
        own = {
            w["hanzi"]: (w.get("pinyin", ""), w["ru"])
            for lesson in lessons
            for w in lesson.get("vocabulary") or []
        }
        glossary = {**everything, **own}
        for lesson in lessons:
            for dialogue in lesson.get("dialogues") or []:
                for line in dialogue["lines"]:
                    yield f"{name}/{lesson['slug']}", line, glossary


def test_no_dialogue_gloss_of_any_course_is_english(page):
    lines = list(_dialogue_lines())
    assert len(lines) > 100  # all courses' dialogues, not a sample
    shown = 0
    for where, line, glossary in lines:
        html = str(ruby(line["hanzi"], line.get("pinyin"), glossary=glossary))
        for tooltip in TOOLTIP.findall(html):
            meaning = re.sub(r'<span class="gloss-py">.*?</span>', "", tooltip)
            meaning = re.sub(r"<[^>]+>", "", meaning)  # the markup of «нет перевода» and such
            assert not LATIN_WORD.search(BRANDS.sub("", meaning)), f"{where}: {line['hanzi']}"
            shown += 1
    assert shown > 800


def _glosses(text: str, vocabulary: dict[str, str] | None = None, overrides=None):
    tokens = [w.text for w in words(text, None)]
    return dict(
        (t, g)
        for t, g in zip(tokens, russian_glosses(tokens, vocabulary, overrides), strict=True)
        if g is not None
    )


def test_names_are_names_not_dictionary_senses():
    # 张 is a measure word in the vocabulary («лист»), but here a surname before a given name
    got = _glosses("我姓张，叫张伟。", {"张": "лист (счётное слово)", "叫": "звать"})
    assert (got["张"].kind, got["张"].meaning) == ("surname", "Чжан")
    assert (got["伟"].kind, got["伟"].meaning) == ("given_name", "Вэй")
    # GB/T 16159 joining may keep 姓 and 张 apart; either way the surname is read as one
    assert (
        got["姓张"].meaning == "по фамилии Чжан" if "姓张" in got else got["张"].kind == "surname"
    )
    # 明 is not the Ming dynasty after the surname 李
    got = _glosses("我是李明。", {"是": "быть"})
    assert got["李"].kind == "surname" and got["明"].kind == "given_name"
    # foreign names in transliteration, the surname cut in three (斯 米尔 诺娃) included
    got = _glosses("我叫安娜·斯米尔诺娃。", {"叫": "звать"})
    name_tokens = [t for t in got if t in "安娜斯米尔诺娃"]
    assert name_tokens and {got[t].kind for t in name_tokens} == {"name"}
    # a surname before a title, whether the segmenter keeps them together or not
    assert _glosses("张经理，价格是多少？", {"经理": "менеджер"})["张"].meaning == "Чжан"
    got = _glosses("王经理", {"经理": "менеджер"})
    if "王经理" in got:
        assert got["王经理"].meaning == "фамилия Ван + менеджер"
    else:  # GB/T 16159: the surname and the title are two words (Wáng jīnglǐ)
        assert (got["王"].meaning, got["经理"].meaning) == ("Ван", "менеджер")


def test_places_numbers_and_unknown_words():
    got = _glosses("我们去上海。", {"我们": "мы", "去": "ехать"})
    assert (got["上海"].kind, got["上海"].meaning) == ("place", "Шанхай")
    assert _glosses("莫斯科")["莫斯科"].meaning == "Москва"
    assert chinese_number("八万五千") == 85_000 and chinese_number("十三") == 13
    assert chinese_number("两百") == 200 and chinese_number("经理") is None
    # nothing known: no English fallback, the page says «нет перевода»
    assert _glosses("饕餮")["饕餮"].kind == "none"


def test_trainer_override_wins_and_compounds_use_known_words():
    got = _glosses("谢谢您", {"谢谢": "спасибо", "您": "Вы (вежливо)"})
    if "谢谢您" in got:  # a segmenter that keeps the phrase whole: glossed from its parts
        assert got["谢谢您"].meaning == "спасибо + Вы (вежливо)"
    else:
        assert (got["谢谢"].meaning, got["您"].meaning) == ("спасибо", "Вы (вежливо)")
    got = _glosses("张伟好", {"好": "хороший"}, overrides={"张": "Чжан — фамилия партнёра"})
    assert got["张"].kind == "override"


@pytest.mark.parametrize(
    ("text", "shown"),
    [("饕餮", "нет перевода"), ("我叫安娜。", "имя"), ("王经理", "фамилия Ван")],
)
def test_the_page_says_it_in_russian(page, text, shown):
    html = str(ruby(text, None, glossary={"我": ("wǒ", "я"), "经理": ("jīnglǐ", "менеджер")}))
    meanings = [
        re.sub(r"<[^>]+>", "", re.sub(r'<span class="gloss-py">.*?</span>', "", t))
        for t in TOOLTIP.findall(html)
    ]
    assert any(shown in m for m in meanings)
    assert not any(LATIN_WORD.search(m) for m in meanings)
