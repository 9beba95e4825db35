"""Only trainers and admins reach the course editor: every page, button and JSON endpoint."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, sign_in

TRAINERS_ONLY = {"learner": 403, "trainer": 200, "hr": 403, "admin": 200}
POST_ONLY = dict.fromkeys(("anonymous", "learner", "trainer", "hr", "admin"), 405)
UNKNOWN = {"learner": 403, "trainer": 404, "hr": 403, "admin": 404}
SIGNED_IN_MISSING = {"learner": 404, "trainer": 404, "hr": 404, "admin": 404}
L = "/author/c/demo/l/one"

AUTHOR_MATRIX = {
    "author.new_course": [(lambda p, c: "/author/new", TRAINERS_ONLY)],
    "author.course": [
        (lambda p, c: "/author/c/demo", TRAINERS_ONLY),
        (lambda p, c: "/author/c/nope", UNKNOWN),
    ],
    "author.add_lesson": [(lambda p, c: "/author/c/demo/lessons", POST_ONLY)],
    "author.move_lesson": [(lambda p, c: "/author/c/demo/lessons/one/move", POST_ONLY)],
    "author.retire_lesson": [(lambda p, c: "/author/c/demo/lessons/one/retire", POST_ONLY)],
    "author.retire_course": [(lambda p, c: "/author/c/demo/retire", POST_ONLY)],
    "author.publish": [(lambda p, c: "/author/c/demo/publish", POST_ONLY)],
    "author.history": [(lambda p, c: "/author/c/demo/history", TRAINERS_ONLY)],
    "author.export": [(lambda p, c: "/author/c/demo/export.zip", TRAINERS_ONLY)],
    "author.export_anki": [(lambda p, c: "/author/c/demo/anki.apkg", TRAINERS_ONLY)],
    "author.import_courses": [(lambda p, c: "/author/import", TRAINERS_ONLY)],
    "author.analytics": [(lambda p, c: "/author/c/demo/analytics", TRAINERS_ONLY)],
    "author.lesson": [
        (lambda p, c: L, TRAINERS_ONLY),
        (lambda p, c: "/author/c/demo/l/nope", UNKNOWN),
    ],
    "author.add_item": [(lambda p, c: f"{L}/items", POST_ONLY)],
    "author.paste": [(lambda p, c: f"{L}/paste", POST_ONLY)],
    "author.item": [
        (lambda p, c: f"{L}/items/v0", TRAINERS_ONLY),
        (lambda p, c: f"{L}/items/v99", UNKNOWN),
    ],
    "author.dialogue": [(lambda p, c: f"{L}/dialogues/0", POST_ONLY)],
    "author.add_line": [(lambda p, c: f"{L}/dialogues/0/lines", POST_ONLY)],
    "author.dialogue_gloss": [(lambda p, c: f"{L}/dialogues/0/glosses", POST_ONLY)],
    "author.add_grammar": [(lambda p, c: f"{L}/grammar", POST_ONLY)],
    "author.grammar": [(lambda p, c: f"{L}/grammar/0", POST_ONLY)],
    "author.remove_grammar": [(lambda p, c: f"{L}/grammar/0/remove", POST_ONLY)],
    "author.move_item": [(lambda p, c: f"{L}/items/v0/move", POST_ONLY)],
    "author.remove_item": [(lambda p, c: f"{L}/items/v0/remove", POST_ONLY)],
    "author.new_exercise": [
        (lambda p, c: f"{L}/exercises/new/scenario", TRAINERS_ONLY),
        (lambda p, c: f"{L}/exercises/new/nope", UNKNOWN),
    ],
    "author.exercise": [(lambda p, c: f"{L}/exercises/scenario", TRAINERS_ONLY)],
    "author.move_exercise": [(lambda p, c: f"{L}/exercises/scenario/move", POST_ONLY)],
    "author.remove_exercise": [(lambda p, c: f"{L}/exercises/scenario/remove", POST_ONLY)],
    "author.generate": [(lambda p, c: f"{L}/generate", TRAINERS_ONLY)],
    "author.preview": [(lambda p, c: f"{L}/preview", TRAINERS_ONLY)],
    "author.preview_answer": [(lambda p, c: f"{L}/preview/exercises/1", POST_ONLY)],
    "author.upload": [(lambda p, c: "/author/uploads", POST_ONLY)],
    "uploads.file": [
        (lambda p, c: "/uploads/" + "0" * 64 + ".png", SIGNED_IN_MISSING),
        (lambda p, c: "/uploads/..%2Fsecret.png", {**SIGNED_IN_MISSING, "anonymous": 404}),
    ],
    "author.api_pinyin": [(lambda p, c: "/author/api/pinyin", POST_ONLY)],
    "author.api_exercise_preview": [(lambda p, c: "/author/api/preview/exercise", POST_ONLY)],
    "author.api_markdown": [(lambda p, c: "/author/api/preview/markdown", POST_ONLY)],
    "author.api_audio": [
        (lambda p, c: "/author/api/audio?t=%E4%BD%A0%E5%A5%BD", TRAINERS_ONLY | {"anonymous": 401}),
    ],
}

POSTS = [
    "/author/new",
    "/author/c/demo",
    "/author/c/demo/lessons",
    "/author/c/demo/lessons/one/move",
    "/author/c/demo/lessons/one/retire",
    "/author/c/demo/retire",
    "/author/c/demo/publish",
    "/author/import",
    L,
    f"{L}/items",
    f"{L}/paste",
    f"{L}/items/v0",
    f"{L}/items/v0/move",
    f"{L}/dialogues/0",
    f"{L}/dialogues/0/lines",
    f"{L}/dialogues/0/glosses",
    f"{L}/grammar",
    f"{L}/grammar/0",
    f"{L}/grammar/0/remove",
    f"{L}/items/v0/remove",
    f"{L}/exercises/new/scenario",
    f"{L}/exercises/scenario",
    f"{L}/exercises/scenario/move",
    f"{L}/exercises/scenario/remove",
    f"{L}/generate",
    f"{L}/preview/exercises/1",
    "/author/uploads",
    "/author/api/pinyin",
    "/author/api/preview/exercise",
    "/author/api/preview/markdown",
]


@pytest.mark.parametrize(
    "email, status",
    [
        (None, 302),
        ("learner@alpha.example", 403),
        ("hr@alpha.example", 403),
    ],
)
def test_every_change_is_refused_to_non_trainers(client, content, email, status):
    if email:
        sign_in(client, email)
    token = csrf_token(client, "/" if email else "/auth/login")
    for url in POSTS:
        got = client.post(url, data={"csrf_token": token}, headers={"X-CSRFToken": token})
        # the editor's JSON helpers (/author/api/*, described in the API) answer a guest 401
        # JSON, as the whole API does: a script cannot follow the sign-in page
        json_api = url.startswith("/author/api/")
        assert got.status_code == (401 if json_api and status == 302 else status), url
    from app.extensions import db
    from app.models import Course

    db.session.expire_all()
    course = db.session.get(Course, content.course.id)
    assert course.draft is None and course.retired_at is None


def test_every_change_needs_the_csrf_token(client, people):
    sign_in(client, "trainer@zone.example")
    for url in POSTS:
        assert client.post(url, data={"version": "1"}).status_code == 400, url
