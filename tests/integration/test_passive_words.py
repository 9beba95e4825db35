"""Passive words (issue 16): a course may teach a word above its level for recognition only.
The file flag survives import and export, the learner gets recognition and listening cards but
no recall or pinyin card, the lesson page says so, and the path report counts them apart."""

from sqlalchemy import select

from app.content import path_report
from app.content.exporter import export_course
from app.content.importer import import_courses
from app.content.validate import validate_tree
from app.extensions import db
from app.models import Card, Item
from app.review.deck import ensure_cards
from app.srs import directions
from tests.content_fixtures import LESSON_YAML, write_course

PASSIVE_LESSON = LESSON_YAML.replace(
    "  - hanzi: 银行\n    ru: банк\n    pos: noun\n",
    "  - hanzi: 银行\n    ru: банк\n    pos: noun\n    passive: true\n",
)


def _import(root):
    report = import_courses(validate_tree(root))
    db.session.commit()
    return report


def test_a_passive_word_is_recognised_and_heard_not_produced():
    assert directions.directions_for("银行", "yínháng", "банк", passive=True) == (
        directions.RECOGNITION,
        directions.LISTENING,
    )
    active = directions.directions_for("银行", "yínháng", "банк", writing=True)
    assert directions.RECALL in active and directions.PINYIN in active


def test_passive_survives_import_and_export_and_limits_the_cards(
    app_ctx, tmp_path, make_company, make_user
):
    assert PASSIVE_LESSON != LESSON_YAML
    write_course(tmp_path / "src", PASSIVE_LESSON)
    _import(tmp_path / "src")
    items = {i.hanzi: i for i in db.session.scalars(select(Item).where(Item.kind == "word"))}
    assert items["银行"].passive and not items["谢谢"].passive

    export_course("tiny", tmp_path / "out" / "tiny")
    exported = (tmp_path / "out" / "tiny" / "hello.yaml").read_text(encoding="utf-8")
    assert exported.count("passive: true") == 1
    assert not _import(tmp_path / "out").updated  # the round trip is exact

    learner = make_user("learner@alpha.example", make_company("alpha", "Альфа"))
    ensure_cards(learner, items.values())
    cards = db.session.execute(select(Card.item_id, Card.direction)).all()
    bank = {d for item_id, d in cards if item_id == items["银行"].id}
    thanks = {d for item_id, d in cards if item_id == items["谢谢"].id}
    assert bank == {directions.RECOGNITION, directions.LISTENING}
    assert {directions.RECALL, directions.PINYIN} <= thanks


def test_the_report_counts_active_words_against_the_stated_level(tmp_path):
    assert path_report.stated_band("HSK 1–2") == 2
    assert path_report.stated_band("HSK 3 и внешняя торговля") == 3
    assert path_report.stated_band("Без знания языка") is None
    write_course(tmp_path, PASSIVE_LESSON)
    (tmp_path / "grammar.yaml").write_text(
        "path: [tiny]\nconstructions:\n  - {id: ma, ru: Вопрос с 吗, lesson: tiny/hello, patterns: [吗]}\n",
        encoding="utf-8",
    )
    report = path_report.build(tmp_path)
    (course,) = report.courses
    assert course.passive == {"银行"}
    # 你好 and 谢谢 are HSK 1; the passive 银行 is not among the active words at all
    assert course.in_band_share() == (2, 2)
    (shape,) = course.shapes
    assert shape.faults() == ["3 new words (aim 20–35)", "1 grammar notes (aim ≥ 2)"]
    text = "\n".join(path_report.lines(report))
    assert "active words at or below HSK 1: 2/2 (100 %, aim 70 % ok); passive words: 1" in text
    assert "hello: 3 new words (aim 20–35); 1 grammar notes (aim ≥ 2)" in text


def test_a_word_and_its_erhua_form_are_one_entry_of_the_list():
    from app.chinese.levels import hsk_level, listed_form

    assert listed_form("面条") == "面条儿" and hsk_level("面条") == 1
    assert listed_form("一点") == "一点儿" and hsk_level("一点") == 1
    assert listed_form("激光器") is None
    one = path_report.coverage({"面条", "面条儿", "一点", "一点儿"})[1][0]
    assert one == 2
