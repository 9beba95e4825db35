"""A word-order exercise may list other right orders (`also`): the learner who builds
这台机器我没用过 for 我没用过这台机器 is right; an `also` that is not the same tiles is refused."""

from __future__ import annotations

import pytest

from app.author.messages import schema_message
from app.exercises.base import get_kind
from app.exercises.kinds.word_order import WordOrder
from tests.content_fixtures import LESSON_YAML, write_course

TILES = ["我", "没", "用过", "这台", "机器"]
DATA = {
    "key": "order",
    "kind": "word_order",
    "answer": "我没用过这台机器。",
    "ru": "Я не работал на этом станке.",
    "tiles": TILES,
    "also": ["这台机器我没用过。"],
}


def test_another_listed_order_is_right_and_an_unlisted_one_is_wrong():
    kind = get_kind("word_order")
    assert kind.check(DATA, ["我", "没", "用过", "这台", "机器"]).correct
    assert kind.check(DATA, ["这台", "机器", "我", "没", "用过"]).correct
    assert not kind.check(DATA, ["没", "我", "用过", "这台", "机器"]).correct
    without = {k: v for k, v in DATA.items() if k != "also"}
    assert not kind.check(without, ["这台", "机器", "我", "没", "用过"]).correct
    assert kind.check(DATA, TILES).feedback == "correct"


def test_an_alternative_must_be_the_same_tiles(app_ctx):
    from flask_babel import force_locale
    from pydantic import ValidationError

    WordOrder.model_validate(DATA)
    for wrong in ("这台机器我用过。", "这台机器我没用过了。", "机这台器我没用过。"):
        with pytest.raises(ValidationError) as refused:
            WordOrder.model_validate({**DATA, "also": [wrong]})
        (err,) = refused.value.errors()
        assert err["type"] == "order_not_the_tiles"
        with app_ctx.test_request_context(), force_locale("ru"):
            assert (
                schema_message(err)
                == f"«{wrong}» — не те же плитки, что в ответе, в другом порядке"
            )


def test_the_editor_reads_and_writes_one_order_a_line():
    kind = get_kind("word_order")
    assert kind.parse_field("also", "这台机器我没用过。\n\n  ") == ["这台机器我没用过。"]
    assert kind.parse_field("also", "") is None
    assert kind.field_text("also", ["a", "b"]) == "a\nb"


def test_a_course_file_may_list_alternatives(tmp_path):
    from app.content.validate import validate_tree

    exercise = """\
  - key: order2
    kind: word_order
    answer: 我没用过这台机器。
    ru: Я не работал на этом станке.
    tiles: [我, 没, 用过, 这台, 机器]
    also: [这台机器我没用过。]
"""
    write_course(tmp_path, LESSON_YAML + exercise)
    assert validate_tree(tmp_path).errors == []
    broken = exercise.replace("also: [这台机器我没用过。]", "also: [这台机器我用过。]")
    write_course(tmp_path / "broken", LESSON_YAML + broken)
    (error,) = validate_tree(tmp_path / "broken").errors
    assert "'这台机器我用过。' is not an order of the answer's tiles" in str(error)
