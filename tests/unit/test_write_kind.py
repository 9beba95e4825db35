"""The `write` exercise kind: the mistakes per character decide, within documented limits."""

from __future__ import annotations

import pytest

from app.exercises import REGISTRY, AnswerError
from app.exercises.kinds.write import (
    MAX_CHARS,
    Write,
    allowed_mistakes,
    characters,
    parse_counts,
)
from app.srs import directions as d

KIND = REGISTRY["write"]
NI_HAO = {"key": "w", "kind": "write", "answer": "你好", "ru": "здравствуйте"}


@pytest.mark.parametrize(
    ("strokes", "allowed"),
    [(1, 1), (4, 1), (5, 2), (9, 2), (10, 3), (25, 3), (None, 2)],
)
def test_the_allowance_grows_with_the_stroke_count(strokes, allowed):
    assert allowed_mistakes(strokes) == allowed


def test_each_character_has_its_stroke_count_from_the_data():
    assert [(c["char"], c["strokes"], c["allowed"]) for c in characters("你好")] == [
        ("你", 7, 2),
        ("好", 6, 2),
    ]


def test_no_mistakes_is_right_and_too_many_on_one_character_is_wrong():
    right = KIND.check(NI_HAO, "0 0")
    assert right.correct and right.score == 1.0
    assert [row["mistakes"] for row in right.details["written"]] == [0, 0]
    within = KIND.check(NI_HAO, "2,1")
    assert within.correct
    wrong = KIND.check(NI_HAO, "3 0")
    assert not wrong.correct and wrong.score == 0.5 and wrong.right_answer == "你好"
    assert [row["ok"] for row in wrong.details["written"]] == [False, True]


@pytest.mark.parametrize("answer", [None, "", "0", "0 0 0", "-1 0", "a b", "1000 0", ["0", "0"]])
def test_an_answer_that_is_not_one_count_per_character_is_never_right(answer):
    assert KIND.check(NI_HAO, answer).correct is False


@pytest.mark.parametrize("answer", ["0", "0 0 0", "x y", "1.5 0", ["0", "0"], {"0": 0}, True])
def test_an_answer_of_the_wrong_shape_is_refused_before_it_is_stored(answer):
    with pytest.raises(AnswerError) as error:
        KIND.parse_answer(NI_HAO, answer)
    assert error.value.code == "shape"


def test_an_answer_longer_than_the_counts_can_be_is_refused():
    with pytest.raises(AnswerError) as error:
        KIND.parse_answer(NI_HAO, "0" + " " * 40 + "0")
    assert error.value.code == "too long"
    assert KIND.parse_answer(NI_HAO, " 12 3 ") == "12 3"


def test_counts_are_capped():
    assert parse_counts("999 0", 2) == [99, 0]


def test_the_file_takes_a_few_han_characters_only():
    Write.model_validate(NI_HAO)
    for bad in ("你 好", "你好！", "ni", "你" * (MAX_CHARS + 1)):
        with pytest.raises(ValueError):
            Write.model_validate({**NI_HAO, "answer": bad})


def test_the_page_never_shows_the_characters_as_text():
    view = KIND.render(NI_HAO, seed=1)
    assert view["ru"] == "здравствуйте" and view["pinyin"] == "nǐ hǎo"
    assert [c["char"] for c in view["chars"]] == ["你", "好"]  # for the drawing pad's data only


def test_writing_is_a_direction_only_for_learners_who_chose_it():
    assert d.WRITING not in d.directions_for("你好", "nǐ hǎo", "здравствуйте")
    assert d.WRITING in d.directions_for("你好", "nǐ hǎo", "здравствуйте", writing=True)
    assert d.WRITING not in d.directions_for("初次见面吧", "", "при первой встрече", writing=True)


def test_the_generator_proposes_handwriting_for_short_words_only():
    from app.author.generation import generate_exercises

    lesson = {
        "vocabulary": [
            {"hanzi": "好", "pinyin": "hǎo", "ru": "хорошо"},
            {"hanzi": "银行", "pinyin": "yínháng", "ru": "банк"},
            {"hanzi": "工程师", "pinyin": "gōngchéngshī", "ru": "инженер"},
        ]
    }
    written = [e for e in generate_exercises(lesson) if e["kind"] == "write"]
    assert [(e["key"], e["answer"], e["ru"]) for e in written] == [
        ("write-hao", "好", "хорошо"),
        ("write-yinhang", "银行", "банк"),
    ]
