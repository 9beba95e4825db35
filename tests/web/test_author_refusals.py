"""Every draft edit answers a stale version the same way: the conflict message, the status of
its page (409 where the form is shown again, a redirect for buttons), and nothing saved."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Course
from tests.web.test_author import (  # noqa: F401 — no_audio_build, trainer: fixtures
    add_lesson,
    new_course,
    no_audio_build,
    paste,
    token,
    trainer,
)

L = "/l/lesson-1"
COURSE = {
    "slug": "biz",
    "title": "Другое название",
    "kind": "language",
    "level": "HSK 1",
    "audience": "Сотрудники",
    "description": "Курс.",
    "pass_threshold": "80",
    "visibility": "all",
}
EXERCISE = {"key": "pinyin-x", "prompt": "银行", "answer": "yínháng"}
KEPT = {"key": "pinyin-y", "kind": "type_pinyin", "prompt": "银行", "answer": "yínháng"}

#: (path under /author/c/biz, form fields, the status of the answer)
STALE_EDITS = [
    ("", COURSE, 409),
    ("/lessons", {"slug": "lesson-2", "title": "Второй", "goals": "Цель"}, 302),
    ("/lessons/lesson-1/move", {"direction": "down"}, 302),
    ("/lessons/lesson-1/retire", {}, 302),
    (L, {"slug": "lesson-1", "title": "Другой", "goals": "Цель"}, 409),
    (f"{L}/items", {"hanzi": "书", "ru": "книга", "pos": "phrase"}, 409),
    (f"{L}/paste", {"mode": "words", "block": "书 — книга"}, 409),
    (f"{L}/items/v0", {"hanzi": "银行", "ru": "банк!", "pos": "phrase"}, 409),
    (f"{L}/items/v0/move", {"direction": "down"}, 302),
    (f"{L}/items/v0/remove", {}, 302),
    (f"{L}/dialogues/0", {"title": "Новое"}, 409),
    (f"{L}/dialogues/0/glosses", {"word": "你好", "meaning": "привет"}, 409),
    (f"{L}/dialogues/0/lines", {"speaker": "Ли", "hanzi": "好", "ru": "хорошо"}, 409),
    (f"{L}/grammar", {"title": "吗", "body": "b", "examples": "你好吗？ — Как ты?"}, 409),
    (f"{L}/grammar/0", {"title": "吗", "body": "c", "examples": ""}, 409),
    (f"{L}/grammar/0/remove", {}, 302),
    (f"{L}/exercises/new/type_pinyin", EXERCISE, 409),
    (f"{L}/exercises/pinyin-a/move", {"direction": "down"}, 302),
    (f"{L}/exercises/pinyin-a/remove", {}, 302),
    (f"{L}/generate", {"keep": json.dumps(KEPT)}, 302),
]


@pytest.fixture
def course(trainer, client):  # noqa: F811 — the fixture imported above
    assert new_course(client).status_code == 302
    assert add_lesson(client).status_code == 302
    assert add_lesson(client, slug="lesson-3", title="Третий").status_code == 302
    assert paste(client, "银行 — банк\n你好 — здравствуйте").status_code == 302
    assert paste(client, "Ли: 你好！ — Привет!", mode="dialogue", title="Д").status_code == 302
    base = "/author/c/biz/l/lesson-1"
    for url, fields in [
        (f"{base}/grammar", {"title": "Вопрос", "body": "b", "examples": "你好吗？ — Как ты?"}),
        (f"{base}/exercises/new/type_pinyin", {**EXERCISE, "key": "pinyin-a"}),
        (f"{base}/exercises/new/type_pinyin", {**EXERCISE, "key": "pinyin-b"}),
    ]:
        version = _current()[1]["versions"]["lesson-1"]
        data = {"csrf_token": token(client), "version": version, **fields}
        assert client.post(url, data=data).status_code == 302, url
    return client


def _current() -> tuple[int, dict]:
    db.session.expire_all()
    row = db.session.scalar(select(Course).where(Course.slug == "biz"))
    return row.version, row.draft


def _conflict_shown(html: str) -> bool:
    return "since you opened it" in html or "пока у вас была открыта" in html


@pytest.mark.parametrize(("path", "fields", "status"), STALE_EDITS)
def test_a_stale_version_is_refused_everywhere_alike(course, client, path, fields, status):
    before = _current()
    data = {"csrf_token": token(client), "version": "999", **fields}
    response = client.post(f"/author/c/biz{path}", data=data)
    assert response.status_code == status
    if status == 302:
        response = client.get(response.headers["Location"])
    assert _conflict_shown(response.get_data(as_text=True))
    assert _current() == before
