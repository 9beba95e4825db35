"""Calibration on the statistics page, workload advice on settings, Anki exports (who may)."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import uuid
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Card, FsrsFit, Role, utcnow
from app.review import answers, deck
from tests.helpers import sign_in
from tests.integration.test_review_services import WORDS, make_lesson


def open_package(data: bytes, tmp_path) -> tuple[list[list[str]], list[int], dict, zipfile.ZipFile]:
    """Notes (fields), card template ordinals and the media map of an .apkg."""
    package = zipfile.ZipFile(io.BytesIO(data))
    path = tmp_path / f"{uuid.uuid4()}.anki2"
    path.write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(path) as con:
        notes = [row[0].split("\x1f") for row in con.execute("SELECT flds FROM notes ORDER BY id")]
        ords = sorted(row[0] for row in con.execute("SELECT ord FROM cards"))
    return notes, ords, json.loads(package.read("media")), package


@pytest.fixture
def reviewed(people):
    """learner@alpha with three words' cards, one answered twice (a review after 3 days)."""
    _lesson, items = make_lesson(WORDS[:3])
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    card = db.session.scalars(select(Card).where(Card.user_id == people.learner_a.id)).first()
    now = utcnow() - timedelta(days=20)
    for rating, when in ((3, now), (3, now + timedelta(minutes=15)), (3, now + timedelta(days=5))):
        db.session.refresh(card)
        answers.answer(people.learner_a, card_id=card.id, rating=rating,
                       review_id=str(uuid.uuid4()), duration_ms=1000, now=when,
                       version=card.version)  # fmt: skip
        db.session.commit()
    return items


def test_the_statistics_page_shows_calibration(client, people, reviewed):
    sign_in(client, people.learner_a.email)
    page = client.get("/review/stats").get_data(as_text=True)
    assert 'class="calibration"' in page and 'aria-labelledby="cal-title cal-desc"' in page
    assert "Предсказанная и фактическая вероятность вспомнить" in page
    assert 'class="calibration-table"' in page
    assert "по умолчанию" in page  # no fit yet: the published defaults
    # figures are written the Russian way: «86,9 %», never «86.9 %»
    assert re.search(r"\d,\d %", page) and not re.search(r"\d\.\d+ ?%", page)


def test_the_statistics_page_names_the_learners_own_fit(client, people, reviewed):
    w = [0.3, 1.5, 3.0, 9.0, *([1.0] * 17)]
    db.session.add(FsrsFit(user_id=people.learner_a.id, review_count=900, days=40, held_out=150,
                           parameters=w, log_loss_before=0.412, log_loss_after=0.371,
                           accepted=True, reason="better"))  # fmt: skip
    people.learner_a.fsrs_parameters = w
    db.session.commit()
    sign_in(client, people.learner_a.email)
    page = client.get("/review/stats").get_data(as_text=True)
    assert "900" in page and "0,371" in page and "0,412" in page


def test_the_settings_page_compares_workloads(client, people, reviewed):
    sign_in(client, people.learner_a.email)
    page = client.get("/review/settings").get_data(as_text=True)
    assert 'class="workload-table"' in page
    for percent in ("80 %", "85 %", "90 %", "95 %"):
        assert percent in page
    assert 'class="current"' in page  # 90 %, the learner's own


def test_a_learner_exports_their_own_cards(client, people, reviewed, audio_dir, tmp_path):
    from app.audio.cache import clip_path
    from tests.audio_fixtures import make_clip

    clip = make_clip(audio_dir, WORDS[0][0])
    # another learner's cards on other words never appear
    _other, others = make_lesson(WORDS[3:], course_slug="other", lesson_slug="other")
    deck.ensure_cards(people.learner_b, others)
    db.session.commit()
    sign_in(client, people.learner_a.email)
    response = client.get("/review/export.apkg")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    notes, ords, media, package = open_package(response.data, tmp_path)
    assert sorted(n[0] for n in notes) == sorted(w[0] for w in WORDS[:3])
    first = next(n for n in notes if n[0] == WORDS[0][0])
    assert 'class="tone3"' in first[1] and first[2] == WORDS[0][2]
    assert first[5].startswith("[sound:") and list(media.values()) == [first[5][7:-1]]
    assert package.read("0") == clip_path(audio_dir, clip.key).read_bytes()
    # one card per Qiao direction the learner has: 4 for the clip's word, 3 without audio
    assert ords.count(1) == 1 and len(ords) == 4 + 3 + 3


def test_a_trainer_exports_a_course(client, people, tmp_path):
    lesson, _items = make_lesson(WORDS[:2])
    sign_in(client, people.trainer.email)
    response = client.get(f"/author/c/{lesson.course.slug}/anki.apkg")
    assert response.status_code == 200
    notes, ords, media, _package = open_package(response.data, tmp_path)
    assert [n[0] for n in notes] == [WORDS[0][0], WORDS[1][0]]
    hello = notes[0]
    assert hello[4].startswith("你好！")  # the course's sentence that uses the word
    assert media == {} and 1 not in ords  # no clips: no listening cards


def test_hr_never_exports(client, people, make_user):
    lesson, _items = make_lesson(WORDS[:2])
    hr_only = make_user("hr-only@alpha.example", people.a, {Role.HR})
    sign_in(client, hr_only.email)
    assert client.get("/review/export.apkg").status_code == 403
    assert client.get(f"/author/c/{lesson.course.slug}/anki.apkg").status_code == 403


def test_a_learner_cannot_export_a_course(client, people):
    lesson, _items = make_lesson(WORDS[:2])
    sign_in(client, people.learner_a.email)
    assert client.get(f"/author/c/{lesson.course.slug}/anki.apkg").status_code == 403


def test_trainers_see_difficulty_and_leeches_per_word(client, people):
    lesson, items = make_lesson(WORDS[:2])
    for user, difficulty, lapses, leech in ((people.learner_a, 8.0, 9, True),
                                            (people.learner_b, 6.0, 2, False)):  # fmt: skip
        db.session.add(Card(user_id=user.id, item_id=items[0].id, direction="recognition",
                            is_new=False, state=2, stability=1.0, difficulty=difficulty,
                            lapses=lapses, leech=leech))  # fmt: skip
    db.session.commit()
    sign_in(client, people.trainer.email)
    page = client.get(f"/author/c/{lesson.course.slug}/analytics").get_data(as_text=True)
    row = page[page.index(WORDS[0][0], page.index("<tbody>")) :].split("</tr>")[0]
    assert "<td>11</td><td>7,0</td><td>1</td><td>2</td>" in row  # lapses, difficulty, leeches
