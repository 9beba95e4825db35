"""Russian where the interface showed English or developer text; the study-time heartbeat."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import StudyTime
from tests.helpers import csrf_token, sign_in
from tests.web.test_author import (  # noqa: F401 — no_audio_build: autouse, no audio threads
    add_lesson,
    new_course,
    no_audio_build,
    paste,
    trainer,
)


@pytest.mark.usefixtures("trainer")
def test_pasted_lines_are_explained_in_russian(client, people):
    assert new_course(client).status_code == 302 and add_lesson(client).status_code == 302
    html = paste(client, "просто текст\nbank — банк").get_data(as_text=True)
    assert "Строка 1: напишите «汉字 — перевод»." in html
    assert "Строка 2: в «bank» нет китайских иероглифов." in html
    assert "write «" not in html and "Строка Строка" not in html
    html = paste(client, "您好 — здравствуйте", mode="dialogue", title="Д").get_data(as_text=True)
    assert "Строка 1: напишите «Собеседник: 汉字 — перевод»." in html


@pytest.mark.usefixtures("trainer")
def test_part_of_speech_is_russian_in_the_trainers_select(client, people):
    html = client.get("/author/c/demo/l/one/items/v0").get_data(as_text=True)
    assert '<option selected value="phrase">выражение</option>' in html
    assert '<option value="measure">счётное слово</option>' in html
    assert ">noun<" not in html and ">phrase<" not in html


def test_csv_charset_is_said_once_and_export_filters_are_named(client, people):
    sign_in(client, "hr@alpha.example")
    response = client.get(f"/hr/export/completion.csv?department={people.a_sales.id}")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    html = client.get("/hr/audit").get_data(as_text=True)
    assert "Выгружен отчёт" in html and "фильтры:" in html and "отдел: Продажи" in html
    assert "report.export</" not in html and '{"' not in html


def test_zone_shows_a_dash_for_recall_without_learners(client, people):
    sign_in(client, "admin@zone.example")
    html = client.get("/hr/zone").get_data(as_text=True)
    assert "<dt>Прогноз припоминания</dt><dd>—</dd>" in html
    assert "<dd>0%</dd>" not in html.split("Прогноз припоминания", 1)[1][:40]


def test_heartbeat_needs_csrf_and_records_visible_seconds(client, people, small_course):
    sign_in(client, "learner@alpha.example")
    assert client.post("/api/v1/study/heartbeat", data={"seconds": "30"}).status_code == 400
    page = client.get("/").get_data(as_text=True)
    assert "js/heartbeat.js" in page and 'data-url="/api/v1/study/heartbeat"' in page
    response = client.post(
        "/api/v1/study/heartbeat", data={"seconds": "30", "csrf_token": csrf_token(client, "/")}
    )
    assert response.status_code == 200 and response.get_json() == {"added": 30}
    row = db.session.scalar(select(StudyTime).where(StudyTime.user_id == people.learner_a.id))
    assert row.seconds == 30 and row.course_id is None
    # the lesson page names its course for the heartbeat
    lesson = client.get(f"/lessons/{small_course.lesson.id}").get_data(as_text=True)
    assert f'data-course="{small_course.course.id}"' in lesson
    assert client.post("/api/v1/study/heartbeat").status_code == 400  # no token: refused


def test_history_and_audit_show_words_not_keys(client, people):
    from app import audit

    audit.record(
        people.hr_a,
        "assignment.create",
        company_id=people.a.id,
        details={"course": "demo", "target": "company", "recurrence_months": None},
    )
    db.session.commit()
    sign_in(client, "hr@alpha.example")
    html = client.get("/hr/audit").get_data(as_text=True)
    assert "Назначен курс" in html and "повторять каждые, мес.:</span> —" in html
    assert "recurrence_months" not in html and "None" not in html
    assert "кому назначено:</span> вся компания" in html


@pytest.mark.usefixtures("trainer")
def test_trainer_glosses_a_dialogue_word_draft_then_publish(app, client, people):
    from app.models import Dialogue, Lesson
    from tests.web.test_author import lesson_version, publish

    assert new_course(client).status_code == 302 and add_lesson(client).status_code == 302
    block = "Ли Мин: 您好！我是李明。 — Здравствуйте! Я Ли Мин."
    assert paste(client, block, mode="dialogue", title="Знакомство").status_code == 302

    def gloss(word, meaning):
        return client.post(
            "/author/c/biz/l/lesson-1/dialogues/0/glosses",
            data={
                "csrf_token": csrf_token(client, "/"),
                "version": lesson_version(),
                "word": word,
                "meaning": meaning,
            },
        )

    assert gloss("银行", "банк").status_code == 422  # not in the dialogue
    assert gloss("明", "Мин — имя партнёра").status_code == 302
    html = client.get("/author/c/biz/l/lesson-1").get_data(as_text=True)
    assert "Мин — имя партнёра" in html
    # a draft: learners do not see it until the course is published
    assert db.session.scalar(select(Dialogue.id)) is None
    assert publish(client).status_code == 302
    dialogue = db.session.scalar(select(Dialogue))
    assert dialogue.glosses == {"明": "Мин — имя партнёра"}
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-1"))
    learner = app.test_client()
    sign_in(learner, "learner@alpha.example")
    page = learner.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Мин — имя партнёра" in page
    history = client.get("/author/c/biz/history").get_data(as_text=True)
    assert "Изменена подсказка к слову диалога" in history
