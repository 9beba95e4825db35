"""The placement test's file and scoring: bands, the recommended start, the shipped questions."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from app.content.validate import validate_tree
from app.placement.questions import PLACEMENT_FILE, PlacementFile, load, score

COURSES = Path(__file__).resolve().parents[2] / "courses"


def _test(**changes) -> PlacementFile:
    data = {
        "title": "Тест",
        "minutes": 10,
        "pass_share": 70,
        "bands": [
            {"key": "a", "title": "A", "start": "c/one"},
            {"key": "b", "title": "B", "start": "c/two"},
        ],
        "beyond": "c/three",
        "questions": [
            {
                "key": f"{band}{i}",
                "band": band,
                "ask": "?",
                "options": ["x", "y", "z"],
                "answer": "x",
            }
            for band in "ab"
            for i in range(10)
        ],
    }
    return PlacementFile.model_validate(data | changes)


def test_start_is_the_first_band_not_passed():
    test = _test()
    all_right = {q.key: "x" for q in test.questions}
    assert score(test, all_right).start == "c/three"
    assert score(test, all_right).stopped_at is None
    # 7 of 10 is the pass mark (70 %); 6 of 10 is not
    seven = {k: v for k, v in all_right.items() if k not in ("b0", "b1", "b2")}
    assert score(test, seven).start == "c/three"
    six = {k: v for k, v in all_right.items() if k not in ("b0", "b1", "b2", "b3")}
    result = score(test, six)
    assert result.start == "c/two" and result.bands == {"a": (10, 10), "b": (6, 10)}
    # a band failed early places there even if later bands went well
    assert score(test, {k: v for k, v in all_right.items() if k[0] == "b"}).start == "c/one"
    assert score(test, {}).start == "c/one"


def test_bad_files_are_refused():
    with pytest.raises(ValidationError, match="not among the options"):
        _test(
            questions=[
                {"key": "q", "band": "a", "ask": "?", "options": ["x", "y", "z"], "answer": "w"}
            ]
        )
    with pytest.raises(ValidationError, match="no band"):
        _test(
            questions=[
                {"key": "q", "band": "zz", "ask": "?", "options": ["x", "y", "z"], "answer": "x"}
            ]
        )
    with pytest.raises(ValidationError, match="has no questions"):
        _test(
            questions=[
                {"key": "q", "band": "a", "ask": "?", "options": ["x", "y", "z"], "answer": "x"}
            ]
        )
    with pytest.raises(ValidationError, match="options repeat"):
        _test(
            questions=[
                {"key": "q", "band": "a", "ask": "?", "options": ["x", "x", "z"], "answer": "x"}
            ]
        )
    with pytest.raises(ValidationError, match="course/lesson"):
        _test(beyond="nowhere")


def test_the_shipped_test():
    """Issue 16: at least 30 questions across the bands, 10 minutes, starts on the path."""
    test, issues = load(PLACEMENT_FILE)
    assert issues == [] and test is not None
    assert len(test.questions) >= 30 and test.minutes == 10
    assert [b.key for b in test.bands] == ["hsk1", "hsk2", "hsk3", "business"]
    for band in test.bands:
        assert sum(q.band == band.key for q in test.questions) >= 6, band.key
    lessons = {
        f"{c.course.slug}/{s.lesson.slug}"
        for c in validate_tree(COURSES).courses
        for s in c.lessons
    }
    assert {b.start for b in test.bands} | {test.beyond} <= lessons
    # the answer key: every question has one right option, which is not repeated elsewhere
    for q in test.questions:
        assert q.options.count(q.answer) == 1, q.key
