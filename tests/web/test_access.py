"""The role and company access matrix over every route that exists."""

import pytest

from tests.audio_fixtures import clip_url
from tests.helpers import csrf_token, sign_in
from tests.web.access_posts import POST_MATRIX, _kept_take
from tests.web.test_author_access import AUTHOR_MATRIX
from tests.web.test_hr_access import HR_MATRIX
from tests.web.test_ops import OPS_MATRIX


def word_id(lesson, hanzi: str) -> int:
    """The id of a word of `lesson`."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Item

    return db.session.scalar(
        select(Item.id).where(Item.lesson_id == lesson.id, Item.hanzi == hanzi)
    )


ROLES = ("anonymous", "learner", "trainer", "hr", "admin")
EMAILS = {
    "learner": "learner@alpha.example",
    "trainer": "trainer@zone.example",
    "hr": "hr@alpha.example",
    "admin": "admin@zone.example",
}
SIGNED_IN = {"learner": 200, "trainer": 200, "hr": 200, "admin": 200}
ADMIN_ONLY = {"learner": 403, "trainer": 403, "hr": 403, "admin": 200}
NOT_FOUND_FOR_A = {"learner": 404, "trainer": 404, "hr": 404, "admin": 404}
POST_ONLY = dict.fromkeys(ROLES, 405)
LEARNERS = {"learner": 200, "trainer": 403, "hr": 200, "admin": 403}

# endpoint -> list of (url builder, expected status per role); anonymous always gets the
# sign-in page (302) unless stated.
MATRIX = {
    "learn.dashboard": [(lambda w: "/", SIGNED_IN)],
    "learn.catalogue": [(lambda w: "/courses", SIGNED_IN)],
    "learn.course": [
        (lambda w: f"/courses/{w.content.course.id}", SIGNED_IN),
        # a course only company B may see: 404 for everyone else
        (lambda w: f"/courses/{w.content.private_course.id}", NOT_FOUND_FOR_A),
        (lambda w: "/courses/999999", dict.fromkeys(("learner", "trainer", "hr", "admin"), 404)),
    ],
    "learn.lesson": [
        (lambda w: f"/lessons/{w.content.lesson.id}", SIGNED_IN),
        # the second lesson opens after the first: back to the course page
        (lambda w: f"/lessons/{w.content.lesson2.id}", dict.fromkeys(SIGNED_IN, 302)),
        (lambda w: f"/lessons/{w.content.private_lesson.id}", NOT_FOUND_FOR_A),
    ],
    "learn.stats": [(lambda w: "/me/stats", SIGNED_IN)],
    "learn.my_certificates": [(lambda w: "/certificates", SIGNED_IN)],
    "learn.certificate_pdf": [
        # another learner's certificate
        (lambda w: f"/certificates/{w.content.certificate_b.id}.pdf", NOT_FOUND_FOR_A),
    ],
    "learn.verify_form": [(lambda w: "/certificates/verify", dict.fromkeys(ROLES, 200))],
    "learn.verify_certificate": [
        (lambda w: "/certificates/verify/ABCD-EFGH-JKLM", dict.fromkeys(ROLES, 200)),
        (lambda w: "/certificates/verify/ZZZZ-ZZZZ-ZZZZ", dict.fromkeys(ROLES, 404)),
    ],
    "learn.enroll": [(lambda w: f"/courses/{w.content.course.id}/enroll", POST_ONLY)],
    "learn.answer": [
        (lambda w: f"/exercises/{w.content.exercises['scenario'].id}/answer", POST_ONLY)
    ],
    "learn.answer_json": [
        (lambda w: f"/api/v1/exercises/{w.content.exercises['scenario'].id}/answer", POST_ONLY)
    ],
    "learn.say_item": [(lambda w: "/api/v1/items/1/say", POST_ONLY)],
    "learn.my_recordings": [
        (lambda w: "/me/recordings", dict.fromkeys(ROLES, 200) | {"anonymous": 302})
    ],
    "learn.my_recording": [
        (
            lambda w: f"/me/recordings/{_kept_take(w)}.mp3",
            {"anonymous": 302, "learner": 200, "trainer": 404, "hr": 404, "admin": 404},
        )
    ],
    "learn.delete_recording": [(lambda w: "/me/recordings/1/delete", POST_ONLY)],
    "learn.say_exercise": [(lambda w: "/api/v1/exercises/1/say", POST_ONLY)],
    "learn.mark_read": [(lambda w: f"/lessons/{w.content.lesson.id}/read", POST_ONLY)],
    "learn.study": [(lambda w: f"/lessons/{w.content.lesson.id}/study", POST_ONLY)],
    "learn.display": [(lambda w: "/settings/display", POST_ONLY)],
    "learn.heartbeat": [(lambda w: "/api/v1/study/heartbeat", POST_ONLY)],
    "learn.word": [
        (lambda w: f"/words/{word_id(w.content.lesson, '你好')}", SIGNED_IN),
        (lambda w: "/words/999999", dict.fromkeys(("learner", "trainer", "hr", "admin"), 404)),
    ],
    # stroke data is the same for everyone, like a static file
    "learn.stroke_data": [(lambda w: "/strokes/好.json", dict.fromkeys(ROLES, 200))],
    "auth.change_password": [(lambda w: "/auth/password", SIGNED_IN)],
    "auth.login": [
        (
            lambda w: "/auth/login",
            {"anonymous": 200, "learner": 302, "trainer": 302, "hr": 302, "admin": 302},
        )
    ],
    # a company without OpenID Connect has no provider to go to; a callback nobody started is
    # refused (signed-in people are simply sent home)
    "auth.oidc_start": [(lambda w: f"/auth/oidc/{w.a.id}", dict.fromkeys(ROLES, 404))],
    "auth.oidc_callback": [
        (
            lambda w: "/auth/oidc/callback?code=x&state=y",
            {"anonymous": 401, "learner": 302, "trainer": 302, "hr": 302, "admin": 302},
        )
    ],
    "author.courses": [
        (lambda w: "/author/", {"learner": 403, "trainer": 200, "hr": 403, "admin": 200})
    ],
    "hr.people": [
        (lambda w: "/hr/people", {"learner": 403, "trainer": 403, "hr": 200, "admin": 200})
    ],
    "hr.person": [
        (
            lambda w: f"/hr/people/{w.learner_a.id}",
            {"learner": 403, "trainer": 403, "hr": 200, "admin": 200},
        ),
        (
            lambda w: f"/hr/people/{w.learner_b.id}",
            {"learner": 403, "trainer": 403, "hr": 404, "admin": 200},
        ),
        (
            lambda w: f"/hr/people/{w.hr_b.id}",
            {"learner": 403, "trainer": 403, "hr": 404, "admin": 200},
        ),
        (lambda w: "/hr/people/999999", {"learner": 403, "trainer": 403, "hr": 404, "admin": 404}),
    ],
    "admin.users": [(lambda w: "/admin/users", ADMIN_ONLY)],
    "admin.new_user": [(lambda w: "/admin/users/new", ADMIN_ONLY)],
    "admin.edit_user": [(lambda w: f"/admin/users/{w.learner_b.id}", ADMIN_ONLY)],
    "admin.companies": [(lambda w: "/admin/companies", ADMIN_ONLY)],
    "admin.new_company": [(lambda w: "/admin/companies/new", ADMIN_ONLY)],
    "admin.edit_company": [
        (lambda w: f"/admin/companies/{w.b.id}", ADMIN_ONLY),
        (
            lambda w: "/admin/companies/999999",
            {"learner": 403, "trainer": 403, "hr": 403, "admin": 404},
        ),
    ],
    "admin.company_sign_in": [
        (lambda w: f"/admin/companies/{w.b.id}/sign-in", ADMIN_ONLY),
        (
            lambda w: "/admin/companies/999999/sign-in",
            {"learner": 403, "trainer": 403, "hr": 403, "admin": 404},
        ),
    ],
    # «forgot password»: open to everyone; a bad link is a 404 page
    "auth.forgot_password": [(lambda w: "/auth/forgot", dict.fromkeys(ROLES, 200))],
    "auth.reset_password": [(lambda w: "/auth/reset/not-a-token", dict.fromkeys(ROLES, 404))],
    "learn.goal_settings": [(lambda w: "/settings/goal", LEARNERS)],
    "placement.intro": [(lambda w: "/placement", LEARNERS)],
    # no sitting in progress: back to the introduction
    "placement.sitting": [
        (lambda w: "/placement/test", {"learner": 302, "trainer": 403, "hr": 302, "admin": 403})
    ],
    "placement.start": [(lambda w: "/placement/start", POST_ONLY)],
    "placement.submit": [(lambda w: "/placement/submit", POST_ONLY)],
    "placement.known": [(lambda w: "/placement/known", POST_ONLY)],
    # POST-only endpoints: a GET is not allowed; their POSTs are tested below.
    "auth.logout": [(lambda w: "/auth/logout", dict.fromkeys(ROLES, 405))],
    "auth.language": [(lambda w: "/auth/language", dict.fromkeys(ROLES, 405))],
    "admin.toggle_active": [
        (lambda w: f"/admin/users/{w.learner_b.id}/active", dict.fromkeys(ROLES, 405))
    ],
    "audio.clip": [
        # a word of the published course: everyone signed in hears it
        (lambda w: clip_url("你好"), SIGNED_IN),
        # a clip of no published content: trainers and admins only
        (lambda w: clip_url("草稿"), {"learner": 404, "trainer": 200, "hr": 404, "admin": 200}),
        (lambda w: "/audio/" + "0" * 64, NOT_FOUND_FOR_A),
        (lambda w: "/audio/..%2F..%2Fetc%2Fpasswd", dict.fromkeys(ROLES, 404)),
    ],
    "audio.index": [
        (lambda w: "/audio/", {"learner": 403, "trainer": 200, "hr": 403, "admin": 200})
    ],
    "audio.course": [
        (
            lambda w: f"/audio/course/{w.content.course.slug}",
            {"learner": 403, "trainer": 200, "hr": 403, "admin": 200},
        ),
        (lambda w: "/audio/course/nope", {"learner": 403, "trainer": 404, "hr": 403, "admin": 404}),
    ],
    "audio.upload_recording": [(lambda w: "/audio/items/1/recording", POST_ONLY)],
    "audio.batch_recordings": [
        (
            lambda w: f"/audio/lessons/{w.content.lesson.id}/recordings",
            {"learner": 403, "trainer": 200, "hr": 403, "admin": 200},
        ),
        (
            lambda w: "/audio/lessons/999999/recordings",
            {"learner": 403, "trainer": 404, "hr": 403, "admin": 404},
        ),
    ],
    "audio.delete_recording": [(lambda w: "/audio/items/1/recording/delete", POST_ONLY)],
    # review: learners only (the HR officer of A also studies); trainers see the leeches
    "review.session": [(lambda w: "/review/", LEARNERS)],
    "review.stats": [(lambda w: "/review/stats", LEARNERS)],
    "review.cards": [(lambda w: "/review/cards", LEARNERS)],
    "review.settings": [(lambda w: "/review/settings", LEARNERS)],
    # the learner's own cards only (the HR officer of A exports their own, as a learner)
    "review.export_anki": [(lambda w: "/review/export.apkg", LEARNERS)],
    "review.leeches": [
        (lambda w: "/review/leeches", {"learner": 403, "trainer": 200, "hr": 403, "admin": 200})
    ],
    "review.check": [(lambda w: "/review/check", POST_ONLY)],
    "review.answer": [(lambda w: "/review/answer", POST_ONLY)],
    "review.undo": [(lambda w: "/review/undo", POST_ONLY)],
    "review.suspend": [(lambda w: "/review/cards/1/suspend", POST_ONLY)],
    "review.bury": [(lambda w: "/review/cards/1/bury", POST_ONLY)],
    "review.resume": [(lambda w: "/review/cards/1/resume", POST_ONLY)],
    # JSON: 401 for a guest, 403 without the learner role, 400 without the CSRF header
    "review_api.next_card": [
        (
            lambda w: "/api/v1/review/next",
            {"anonymous": 401, "learner": 400, "trainer": 403, "hr": 400, "admin": 403},
        )
    ],
    "review_api.queue": [
        (
            lambda w: "/api/v1/review/queue",
            {"anonymous": 401, "learner": 400, "trainer": 403, "hr": 400, "admin": 403},
        )
    ],
    # the installable web app: the same for everyone, signed in or not
    "pwa.service_worker": [(lambda w: "/sw.js", dict.fromkeys(ROLES, 200))],
    "pwa.manifest": [(lambda w: "/manifest.webmanifest", dict.fromkeys(ROLES, 200))],
    "pwa.offline": [(lambda w: "/offline", dict.fromkeys(ROLES, 200))],
    "review_api.answer": [(lambda w: "/api/v1/review/answer", POST_ONLY)],
    "review_api.check": [(lambda w: "/api/v1/review/check", POST_ONLY)],
    "review_api.undo": [(lambda w: "/api/v1/review/undo", POST_ONLY)],
    "review_api.suspend": [(lambda w: "/api/v1/review/cards/1/suspend", POST_ONLY)],
    "review_api.bury": [(lambda w: "/api/v1/review/cards/1/bury", POST_ONLY)],
    # the API's description: JSON for every signed-in person, its documentation page for staff
    "api_docs.openapi_json": [
        (lambda w: "/api/v1/openapi.json", dict.fromkeys(ROLES, 200) | {"anonymous": 401})
    ],
    "api_docs.docs": [
        (
            lambda w: "/docs/api",
            {"anonymous": 302, "learner": 403, "trainer": 200, "hr": 200, "admin": 200},
        )  # fmt: skip
    ],
}
# HR routes and their other-company cases live beside the HR tests
for _endpoint, _cases in HR_MATRIX.items():
    MATRIX.setdefault(_endpoint, []).extend(_cases)
# so do the course editor's (tests/web/test_author_access.py)
for _endpoint, _cases in AUTHOR_MATRIX.items():
    MATRIX.setdefault(_endpoint, []).extend(_cases)
# and the operations probes' (tests/web/test_ops.py)
for _endpoint, _cases in OPS_MATRIX.items():
    MATRIX.setdefault(_endpoint, []).extend(_cases)


def test_matrix_covers_every_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(MATRIX), "add new routes to the access matrix"


def test_post_matrix_covers_every_route_that_accepts_post(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert endpoints == set(POST_MATRIX), "add POST routes to tests/web/access_posts.py"


def _post(client, url: str, token: str, body: dict | None):
    body = body or {}
    if "json" in body:
        return client.post(url, json=body["json"], headers={"X-CSRFToken": token})
    return client.post(url, data={"csrf_token": token, **body.get("data", {})})


@pytest.mark.parametrize("role", ROLES)
def test_post_access_matrix(app, world, role):
    """Every POST route by every role, with a valid CSRF token, from one table."""
    client = app.test_client()
    if role != "anonymous":
        assert sign_in(client, EMAILS[role]).status_code == 302
    token = csrf_token(client, "/auth/login" if role == "anonymous" else "/auth/password")
    failures = []
    for endpoint, cases in POST_MATRIX.items():
        for build, expected, body in cases:
            url = build(world)
            got = _post(client, url, token, body(world) if body else None).status_code
            if got != expected[role]:
                failures.append(f"{endpoint} POST {url}: {role} got {got}, want {expected[role]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        assert sign_in(client, EMAILS[role]).status_code == 302
    failures = []
    for endpoint, cases in MATRIX.items():
        for build, expected in cases:
            url = build(world)
            want = expected.get(role, 302 if role == "anonymous" else None)
            got = client.get(url).status_code
            if got != want:
                failures.append(f"{endpoint} {url}: {role} got {got}, want {want}")
    assert not failures, "\n".join(failures)


def test_hr_lists_only_own_company(client, world):
    sign_in(client, "hr@alpha.example")
    html = client.get("/hr/people").get_data(as_text=True)
    assert "learner@alpha.example" in html
    assert "learner@beta.example" not in html and "hr@beta.example" not in html
    # a department id of another company in the filter shows nobody of that company
    html = client.get(f"/hr/people?department={world.b_logistics.id}").get_data(as_text=True)
    assert "learner@beta.example" not in html


def test_admin_sees_every_company(client, world):
    sign_in(client, "admin@zone.example")
    html = client.get("/hr/people").get_data(as_text=True)
    assert "learner@alpha.example" in html and "learner@beta.example" in html


def test_only_admin_may_deactivate(client, world):
    sign_in(client, "hr@alpha.example")
    token = csrf_token(client, "/")
    response = client.post(f"/admin/users/{world.learner_a.id}/active", data={"csrf_token": token})
    assert response.status_code == 403
    from app.extensions import db
    from app.models import User

    assert db.session.get(User, world.learner_a.id).active


def test_policy_raises_in_services_without_a_request(world):
    from werkzeug.exceptions import Forbidden, NotFound

    from app.hr import services

    with pytest.raises(NotFound):
        services.get_person(world.hr_a, world.learner_b.id)
    with pytest.raises(Forbidden):
        services.list_people(world.learner_a)
    assert services.get_person(world.admin, world.learner_b.id) == world.learner_b
