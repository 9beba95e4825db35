"""Import, re-import, export and the learner's history."""

from pathlib import Path

from sqlalchemy import func, select

from app.content.exporter import export_course
from app.content.importer import ImportRefused, import_courses
from app.content.validate import validate_tree
from app.extensions import db
from app.models import (
    Attempt,
    Card,
    Company,
    Course,
    Dialogue,
    Exercise,
    Item,
    Lesson,
    LessonProgress,
)
from tests.content_fixtures import COURSE_YAML, LESSON_YAML, write_course

MODELS = (Course, Lesson, Dialogue, Item, Exercise)


def _import(root: Path):
    report = import_courses(validate_tree(root))
    db.session.commit()
    return report


def _snapshot():
    """Every content row as (table, id, all column values)."""
    rows = []
    for model in MODELS:
        for obj in db.session.scalars(select(model).order_by(model.id)):
            values = {c.key: getattr(obj, c.key) for c in model.__table__.columns}
            rows.append((model.__tablename__, values))
    return rows


def test_import_creates_the_course(app_ctx, tmp_path):
    write_course(tmp_path)
    report = _import(tmp_path)
    assert report.created["courses"] == 1 and report.created["lessons"] == 1
    assert not report.updated  # a first import creates; nothing counts as updated
    course = db.session.scalar(select(Course).where(Course.slug == "tiny"))
    assert course.published and course.visible_to_all
    items = {i.key: i for i in db.session.scalars(select(Item))}
    assert items["你好"].pinyin == "nǐ hǎo" and items["你好"].pinyin_locked
    # generated where the file gives none, with the engine's polyphone choice and neutral tone
    assert items["银行"].pinyin == "yínháng" and not items["银行"].pinyin_locked
    assert items["谢谢"].pinyin == "xièxie"
    assert items["meet:1"].speaker == "Ли" and items["meet:1"].dialogue_id is not None
    assert items["example:你好吗？"].kind == "example"
    assert items["谢谢"].hsk == 1  # filled from the HSK lists
    lesson = db.session.scalar(select(Lesson))
    assert lesson.grammar == [
        {"title": "Вопрос с 吗", "body": "Добавьте 吗 в конце.", "examples": ["example:你好吗？"]}
    ]
    exercise = db.session.scalar(select(Exercise).where(Exercise.key == "meaning"))
    assert exercise.data == {
        "prompt": "你好",
        "options": ["здравствуйте", "спасибо"],
        "answer": "здравствуйте",
    }


def test_reimport_is_idempotent(app_ctx, tmp_path):
    write_course(tmp_path)
    _import(tmp_path)
    before = _snapshot()
    report = _import(tmp_path)
    assert not report.created and not report.updated and not report.retired
    assert _snapshot() == before


def test_export_then_import_changes_nothing(app_ctx, tmp_path):
    write_course(tmp_path / "src")
    _import(tmp_path / "src")
    before = _snapshot()
    export_course("tiny", tmp_path / "out" / "tiny")
    assert validate_tree(tmp_path / "out").errors == []
    report = _import(tmp_path / "out")
    assert not report.created and not report.updated and not report.retired
    assert _snapshot() == before


def test_removed_item_is_retired_and_learner_history_stays(
    app_ctx, tmp_path, make_company, make_user
):
    write_course(tmp_path)
    _import(tmp_path)
    items = {i.key: i for i in db.session.scalars(select(Item))}
    exercise = db.session.scalar(select(Exercise).where(Exercise.key == "meaning"))
    lesson = db.session.scalar(select(Lesson))
    learner = make_user("learner@alpha.example", make_company("alpha", "Альфа"))
    db.session.add_all(
        [
            Card(user_id=learner.id, item_id=items["银行"].id, direction="recognition"),
            Attempt(
                submission_id="s1",
                user_id=learner.id,
                exercise_id=exercise.id,
                answer="здравствуйте",
                correct=True,
                score=1.0,
            ),
            LessonProgress(user_id=learner.id, lesson_id=lesson.id, score=100.0),
        ]
    )
    db.session.commit()
    ids = {key: item.id for key, item in items.items()}

    lesson_text = LESSON_YAML.replace("  - hanzi: 银行\n    ru: банк\n    pos: noun\n", "")
    lesson_text = lesson_text[: lesson_text.index("  - key: meaning")] + (
        "  - key: scenario\n    kind: scenario\n    prompt: Что делать?\n"
        "    options: [А, Б]\n    answer: А\n    explanation: Потому что.\n"
    )
    write_course(tmp_path, lesson_text)
    report = _import(tmp_path)
    assert report.retired == {"items": 1, "exercises": 1}
    db.session.expire_all()
    retired = db.session.get(Item, ids["银行"])
    assert retired is not None and retired.retired_at is not None
    assert db.session.get(Exercise, exercise.id).retired_at is not None
    assert db.session.scalar(select(func.count(Card.id))) == 1
    assert db.session.scalar(select(func.count(Attempt.id))) == 1
    assert db.session.scalar(select(func.count(LessonProgress.id))) == 1
    # the others kept their ids
    assert {i.key: i.id for i in db.session.scalars(select(Item)) if i.key != "银行"} == {
        k: v for k, v in ids.items() if k != "银行"
    }
    # putting it back brings the same row back to life
    write_course(tmp_path)
    _import(tmp_path)
    db.session.expire_all()
    assert db.session.get(Item, ids["银行"]).retired_at is None


def test_broken_course_changes_nothing(app_ctx, tmp_path, runner):
    write_course(tmp_path / "good")
    _import(tmp_path / "good")
    before = _snapshot()
    broken = LESSON_YAML.replace("title: Приветствие", "title: Новое название").replace(
        "    pinyin: nǐ hǎo\n", "    pinyin: nǐ\n"
    )
    folder = write_course(tmp_path / "bad", broken)
    result = runner.invoke(args=["courses", "import", str(tmp_path / "bad")])
    assert result.exit_code != 0
    assert f"{folder / 'hello.yaml'}:9: vocabulary[0].pinyin: " in result.output
    assert "nothing was imported" in result.output
    db.session.expire_all()
    assert _snapshot() == before


def test_visibility_to_unknown_company_is_refused(app_ctx, tmp_path):
    db.session.add(Company(slug="alpha", name="Альфа"))
    db.session.commit()
    course = COURSE_YAML.replace("lessons:", "visibility: [alpha, omega]\nlessons:")
    write_course(tmp_path, course=course)
    try:
        import_courses(validate_tree(tmp_path))
    except ImportRefused as exc:
        assert [str(i) for i in exc.issues] == [
            f"{tmp_path / 'tiny' / 'course.yaml'}:8: visibility[1]: no company 'omega'"
        ]
    else:
        raise AssertionError("import should have been refused")
    db.session.rollback()
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_visibility_to_chosen_companies(app_ctx, tmp_path):
    alpha = Company(slug="alpha", name="Альфа")
    db.session.add(alpha)
    db.session.commit()
    write_course(tmp_path, course=COURSE_YAML.replace("lessons:", "visibility: [alpha]\nlessons:"))
    _import(tmp_path)
    course = db.session.scalar(select(Course))
    assert not course.visible_to_all
    assert [link.company_id for link in course.company_links] == [alpha.id]


def test_validate_command(runner, tmp_path):
    write_course(tmp_path)
    result = runner.invoke(args=["courses", "validate", str(tmp_path)])
    assert result.exit_code == 0 and "OK: 1 course(s), 1 lesson(s)" in result.output
    write_course(tmp_path, LESSON_YAML.replace("pos: noun", "pos: thing"))
    result = runner.invoke(args=["courses", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "hello.yaml:" in result.output and "vocabulary[2].pos" in result.output


def test_report_command(app_ctx, runner, tmp_path):
    write_course(tmp_path)
    _import(tmp_path)
    result = runner.invoke(args=["courses", "report"])
    assert result.exit_code == 0
    assert "Крошечный курс (tiny, HSK 1): 3 words" in result.output


REVIEW_YAML = """\
slug: again
title: Повторение
review: true
goals:
  - Повторить
exercises:
  - key: meaning
    kind: choose_meaning
    prompt: 你好
    options: [здравствуйте, спасибо]
    answer: здравствуйте
"""


def test_review_unit_round_trips(app_ctx, tmp_path):
    folder = write_course(tmp_path / "src", course=COURSE_YAML + "  - again\n")
    (folder / "again.yaml").write_text(REVIEW_YAML, encoding="utf-8")
    _import(tmp_path / "src")
    lessons = {lesson.slug: lesson for lesson in db.session.scalars(select(Lesson))}
    assert lessons["again"].review and not lessons["hello"].review
    before = _snapshot()
    export_course("tiny", tmp_path / "out" / "tiny")
    exported = (tmp_path / "out" / "tiny" / "again.yaml").read_text(encoding="utf-8")
    assert "review: true" in exported
    assert "review" not in (tmp_path / "out" / "tiny" / "hello.yaml").read_text(encoding="utf-8")
    report = _import(tmp_path / "out")
    assert not report.created and not report.updated and not report.retired
    assert _snapshot() == before


def test_report_lists_uses_before_teaching(runner, tmp_path):
    write_course(tmp_path)
    (tmp_path / "grammar.yaml").write_text(
        "path: [tiny]\nconstructions:\n"
        "  - {id: ma, ru: Вопрос с 吗, lesson: null, patterns: [吗], words: [吗]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["courses", "report", str(tmp_path), "--files-only"])
    assert result.exit_code == 0, result.output
    assert "Крошечный курс (tiny, HSK 1)" in result.output
    assert "1 lessons, 0 review units, 3 words, 0 business words" in result.output
    # the dialogue uses only taught words; no dialogue or exercise uses 吗 (a grammar example
    # does, which teaches rather than uses): nothing is reported
    assert "used before taught: 0 (0 words, 0 constructions)" in result.output
    assert "constructions no lesson teaches yet: ma" in result.output
    lesson = tmp_path / "tiny" / "hello.yaml"
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace("hanzi: 谢谢。", "hanzi: 你好吗？"),
        encoding="utf-8",
    )
    result = runner.invoke(args=["courses", "report", str(tmp_path), "--files-only"])
    assert "    hello: grammar ma, taught nowhere on the path — «你好吗？»" in result.output
    assert "used before taught: 1 (0 words, 1 constructions)" in result.output
