"""The recommended path (phonetics first for beginners) and company codes: pure functions."""

from datetime import datetime

from app.admin.slugs import is_valid_slug, slug_from_name
from app.learn.path import ASSIGNED, NEXT, PHONETICS, STARTED, CourseInfo, is_beginner, order

PHON = CourseInfo(1, "phonetics", "language", "Фонетика")
BIZ = CourseInfo(2, "business-chinese-1", "language", "Деловой китайский")
ETIQ = CourseInfo(3, "business-etiquette", "etiquette", "Деловой этикет")


def _plan(courses, beginner=True):
    return [(s.info.slug, s.reason) for s in order(courses, beginner=beginner,
                                                    phonetics_slug="phonetics")]  # fmt: skip


def test_beginners_start_with_phonetics_even_before_an_assigned_course():
    biz = CourseInfo(2, "business-chinese-1", "language", "Деловой", enrolled=True, assigned=True,
                     due_at=datetime(2027, 1, 1))  # fmt: skip
    assert _plan([ETIQ, biz, PHON]) == [
        ("phonetics", PHONETICS),
        ("business-chinese-1", ASSIGNED),
        ("business-etiquette", NEXT),
    ]


def test_others_follow_deadlines_then_started_courses_then_language_before_etiquette():
    soon = CourseInfo(4, "soon", "etiquette", "Я", enrolled=True, assigned=True,
                      due_at=datetime(2027, 1, 1))  # fmt: skip
    later = CourseInfo(5, "later", "language", "А", enrolled=True, assigned=True,
                       due_at=datetime(2027, 6, 1))  # fmt: skip
    started = CourseInfo(6, "mine", "language", "Б", enrolled=True, started=True)
    plan = order([ETIQ, later, PHON, started, soon, BIZ], beginner=False,
                 phonetics_slug="phonetics", limit=10)  # fmt: skip
    assert [(s.info.slug, s.reason) for s in plan] == [
        ("soon", ASSIGNED),
        ("later", ASSIGNED),
        ("mine", STARTED),
        ("business-chinese-1", NEXT),
        ("phonetics", NEXT),
        ("business-etiquette", NEXT),
    ]


def test_completed_courses_drop_out_and_the_path_is_short():
    done = CourseInfo(1, "phonetics", "language", "Фонетика", enrolled=True, completed=True)
    assert _plan([done, BIZ, ETIQ]) == [("business-chinese-1", NEXT), ("business-etiquette", NEXT)]
    many = [CourseInfo(i, f"c{i}", "language", f"К{i}") for i in range(10, 20)]
    assert len(order(many, beginner=True, phonetics_slug="phonetics")) == 3


def test_who_is_a_beginner():
    assert is_beginner(None) and is_beginner(1)
    assert not is_beginner(2) and not is_beginner(7)


def test_company_codes_from_russian_and_latin_names():
    assert slug_from_name("ООО «Балтийский порт»") == "ooo-baltiyskiy-port"
    assert slug_from_name("Объединённая Хим-Компания") == "obedinennaya-khim-kompaniya"
    assert slug_from_name("ACME Logistics, Ltd.") == "acme-logistics-ltd"
    assert slug_from_name("«»") == ""
    assert len(slug_from_name("Щ" * 100)) <= 64
    assert is_valid_slug("baltic-port") and is_valid_slug("a1")
    for bad in ("", "Baltic", "a--b", "-a", "a_b", "порт", "x" * 65):
        assert not is_valid_slug(bad), bad
