"""Characters taken apart (app.chinese.characters) and the packed stroke data (app.chinese.strokes)."""

import json
import re
from pathlib import Path

import pytest

from app.chinese import characters, strokes
from app.chinese.radicals_ru import RADICALS_RU

COURSES = Path(__file__).parents[2] / "courses"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def test_stroke_data_is_packed():
    assert strokes.available(), "run `make frontend`: it packs the stroke data"


def test_every_character_of_the_courses_has_stroke_data():
    found = set()
    for path in COURSES.rglob("*.yaml"):
        found |= set(HAN.findall(path.read_text(encoding="utf-8")))
    assert len(found) > 500
    missing = sorted(c for c in found if not strokes.has_strokes(c))
    assert not missing, f"no stroke data for {''.join(missing)}"


def test_the_whole_dataset_is_packed_not_only_the_courses_characters():
    # characters no course uses today: a trainer may add them tomorrow
    for char in "鬱爨饕餮鑫":
        assert strokes.has_strokes(char)


def test_stroke_data_of_a_character():
    data = strokes.stroke_data("好")
    assert len(data["strokes"]) == len(data["medians"]) == 6
    assert strokes.stroke_count("好") == 6
    assert strokes.radical_strokes("好") == [0, 1, 2]  # 女 is written first
    assert strokes.stroke_data("𠀀") is None and strokes.stroke_count("𠀀") is None
    assert not strokes.has_strokes("ab") and strokes.raw_strokes("a") is None


def test_pack_writes_one_member_per_character(tmp_path):
    source = tmp_path / "hanzi-writer-data"
    source.mkdir()
    (source / "人.json").write_text(json.dumps({"strokes": ["M 1 2"], "medians": [[[1, 2]]]}))
    (source / "package.json").write_text("{}")
    (source / "ARPHICPL.TXT").write_text("licence")
    dest = tmp_path / "out" / "strokes.zip"
    assert strokes.pack(source, dest) == 1
    assert strokes.has_strokes("人", dest) and not strokes.has_strokes("大", dest)
    assert strokes.stroke_count("人", dest) == 1


def test_without_packed_data_nothing_has_strokes(tmp_path):
    absent = tmp_path / "none.zip"
    assert not strokes.available(absent)
    assert strokes.stroke_data("好", absent) is None


def test_han_characters_in_order_without_repeats():
    assert characters.han_characters("谢谢, 你好！") == ["谢", "你", "好"]
    assert characters.han_characters("abc") == []


@pytest.mark.parametrize(
    ("char", "radical", "parts", "count"),
    [
        ("好", "女", ["女", "子"], 6),
        ("你", "亻", ["亻", "尔"], 7),
        ("们", "亻", ["亻", "门"], 5),
        ("谢", "讠", ["讠", "射"], 12),
        ("海", "氵", ["氵", "每"], 10),
        ("口", "口", [], 3),
    ],
)
def test_breakdown(char, radical, parts, count):
    b = characters.breakdown(char, {})
    assert b.char == char and b.strokes == count and b.animated
    assert b.radical == radical
    assert [p.char for p in b.components] == parts


def test_meanings_are_russian_from_our_radicals_and_the_glossary_or_absent():
    b = characters.breakdown("好", {"好": "хороший"})
    assert {p.char: p.meaning for p in b.components} == {"女": "женщина", "子": "ребёнок"}
    assert b.radical_meaning == "женщина"
    # 尔 is no radical: the courses' glossary or nothing, never the dataset's English
    assert {p.char: p.meaning for p in characters.breakdown("你", {}).components} == {
        "亻": "человек",
        "尔": None,
    }
    glossary = {
        p.char: p.meaning for p in characters.breakdown("你", {"尔": "ты (книжн.)"}).components
    }
    assert glossary["尔"] == "ты (книжн.)"


def test_every_radical_of_the_dataset_has_a_russian_meaning():
    missing = [r for r in characters._radicals() if r not in RADICALS_RU]
    assert not missing
    assert all(re.search("[а-яё]", m) for m in RADICALS_RU.values())


def test_unnamed_shapes_and_single_strokes_are_not_shown_as_components():
    for char in "万也九之":
        for part in characters.components(char):
            assert not part.isdigit()
            assert not 0x31C0 <= ord(part) < 0x31F0


def test_a_character_without_data_is_no_error():
    b = characters.breakdown("𠀀", {})
    assert b.strokes is None and not b.animated and b.radical is None


def test_radical_is_not_guessed_when_the_data_cannot_tell():
    # 五's radical strokes (the two horizontals) are not one part of its decomposition
    assert characters.radical("五") is None
