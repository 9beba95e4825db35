"""The role and company access matrix over every route that exists."""

import pytest

from tests.audio_fixtures import clip_url
from tests.helpers import csrf_token, sign_in
from tests.web.access_posts import POST_MATRIX, _kept_take
from tests.web.test_author_access import AUTHOR_MATRIX
from tests.web.test_hr_access import HR_MATRIX, _hr_b
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
    "learn.dashboard": [(lambda p, c: "/", SIGNED_IN)],
    "learn.catalogue": [(lambda p, c: "/courses", SIGNED_IN)],
    "learn.course": [
        (lambda p, c: f"/courses/{c.course.id}", SIGNED_IN),
        # a course only company B may see: 404 for everyone else
        (lambda p, c: f"/courses/{c.private_course.id}", NOT_FOUND_FOR_A),
        (lambda p, c: "/courses/999999", dict.fromkeys(("learner", "trainer", "hr", "admin"), 404)),
    ],
    "learn.lesson": [
        (lambda p, c: f"/lessons/{c.lesson.id}", SIGNED_IN),
        # the second lesson opens after the first: back to the course page
        (lambda p, c: f"/lessons/{c.lesson2.id}", dict.fromkeys(SIGNED_IN, 302)),
        (lambda p, c: f"/lessons/{c.private_lesson.id}", NOT_FOUND_FOR_A),
    ],
    "learn.stats": [(lambda p, c: "/me/stats", SIGNED_IN)],
    "learn.my_certificates": [(lambda p, c: "/certificates", SIGNED_IN)],
    "learn.certificate_pdf": [
        # another learner's certificate
        (lambda p, c: f"/certificates/{c.certificate_b.id}.pdf", NOT_FOUND_FOR_A),
    ],
    "learn.verify_form": [(lambda p, c: "/certificates/verify", dict.fromkeys(ROLES, 200))],
    "learn.verify_certificate": [
        (lambda p, c: "/certificates/verify/ABCD-EFGH-JKLM", dict.fromkeys(ROLES, 200)),
        (lambda p, c: "/certificates/verify/ZZZZ-ZZZZ-ZZZZ", dict.fromkeys(ROLES, 404)),
    ],
    "learn.enroll": [(lambda p, c: f"/courses/{c.course.id}/enroll", POST_ONLY)],
    "learn.answer": [(lambda p, c: f"/exercises/{c.exercises['scenario'].id}/answer", POST_ONLY)],
    "learn.answer_json": [
        (lambda p, c: f"/api/v1/exercises/{c.exercises['scenario'].id}/answer", POST_ONLY)
    ],
    "learn.say_item": [(lambda p, c: "/api/v1/items/1/say", POST_ONLY)],
    "learn.my_recordings": [
        (lambda p, c: "/me/recordings", dict.fromkeys(ROLES, 200) | {"anonymous": 302})
    ],
    "learn.my_recording": [
        (
            lambda p, c: f"/me/recordings/{_kept_take(p, c)}.mp3",
            {"anonymous": 302, "learner": 200, "trainer": 404, "hr": 404, "admin": 404},
        )
    ],
    "learn.delete_recording": [(lambda p, c: "/me/recordings/1/delete", POST_ONLY)],
    "learn.say_exercise": [(lambda p, c: "/api/v1/exercises/1/say", POST_ONLY)],
    "learn.mark_read": [(lambda p, c: f"/lessons/{c.lesson.id}/read", POST_ONLY)],
    "learn.study": [(lambda p, c: f"/lessons/{c.lesson.id}/study", POST_ONLY)],
    "learn.display": [(lambda p, c: "/settings/display", POST_ONLY)],
    "learn.heartbeat": [(lambda p, c: "/api/v1/study/heartbeat", POST_ONLY)],
    "learn.word": [
        (lambda p, c: f"/words/{word_id(c.lesson, '你好')}", SIGNED_IN),
        (lambda p, c: "/words/999999", dict.fromkeys(("learner", "trainer", "hr", "admin"), 404)),
    ],
    # stroke data is the same for everyone, like a static file
    "learn.stroke_data": [(lambda p, c: "/strokes/好.json", dict.fromkeys(ROLES, 200))],
    "auth.change_password": [(lambda p, c: "/auth/password", SIGNED_IN)],
    "auth.login": [
        (
            lambda p, c: "/auth/login",
            {"anonymous": 200, "learner": 302, "trainer": 302, "hr": 302, "admin": 302},
        )
    ],
    # a company without OpenID Connect has no provider to go to; a callback nobody started is
    # refused (signed-in people are simply sent home)
    "auth.oidc_start": [(lambda p, c: f"/auth/oidc/{p.a.id}", dict.fromkeys(ROLES, 404))],
    "auth.oidc_callback": [
        (
            lambda p, c: "/auth/oidc/callback?code=x&state=y",
            {"anonymous": 401, "learner": 302, "trainer": 302, "hr": 302, "admin": 302},
        )
    ],
    "author.courses": [
        (lambda p, c: "/author/", {"learner": 403, "trainer": 200, "hr": 403, "admin": 200})
    ],
    "hr.people": [
        (lambda p, c: "/hr/people", {"learner": 403, "trainer": 403, "hr": 200, "admin": 200})
    ],
    "hr.person": [
        (
            lambda p, c: f"/hr/people/{p.learner_a.id}",
            {"learner": 403, "trainer": 403, "hr": 200, "admin": 200},
        ),
        (
            lambda p, c: f"/hr/people/{p.learner_b.id}",
            {"learner": 403, "trainer": 403, "hr": 404, "admin": 200},
        ),
        (
            lambda p, c: f"/hr/people/{_hr_b().id}",
            {"learner": 403, "trainer": 403, "hr": 404, "admin": 200},
        ),
        (
            lambda p, c: "/hr/people/999999",
            {"learner": 403, "trainer": 403, "hr": 404, "admin": 404},
        ),
    ],
    "admin.users": [(lambda p, c: "/admin/users", ADMIN_ONLY)],
    "admin.new_user": [(lambda p, c: "/admin/users/new", ADMIN_ONLY)],
    "admin.edit_user": [(lambda p, c: f"/admin/users/{p.learner_b.id}", ADMIN_ONLY)],
    "admin.companies": [(lambda p, c: "/admin/companies", ADMIN_ONLY)],
    "admin.new_company": [(lambda p, c: "/admin/companies/new", ADMIN_ONLY)],
    "admin.edit_company": [
        (lambda p, c: f"/admin/companies/{p.b.id}", ADMIN_ONLY),
        (
            lambda p, c: "/admin/companies/999999",
            {"learner": 403, "trainer": 403, "hr": 403, "admin": 404},
        ),
    ],
    "admin.company_sign_in": [
        (lambda p, c: f"/admin/companies/{p.b.id}/sign-in", ADMIN_ONLY),
        (
            lambda p, c: "/admin/companies/999999/sign-in",
            {"learner": 403, "trainer": 403, "hr": 403, "admin": 404},
        ),
    ],
    # «forgot password»: open to everyone; a bad link is a 404 page
    "auth.forgot_password": [(lambda p, c: "/auth/forgot", dict.fromkeys(ROLES, 200))],
    "auth.reset_password": [(lambda p, c: "/auth/reset/not-a-token", dict.fromkeys(ROLES, 404))],
    "learn.goal_settings": [(lambda p, c: "/settings/goal", LEARNERS)],
    "placement.intro": [(lambda p, c: "/placement", LEARNERS)],
    # no sitting in progress: back to the introduction
    "placement.sitting": [
        (lambda p, c: "/placement/test", {"learner": 302, "trainer": 403, "hr": 302, "admin": 403})
    ],
    "placement.start": [(lambda p, c: "/placement/start", POST_ONLY)],
    "placement.submit": [(lambda p, c: "/placement/submit", POST_ONLY)],
    "placement.known": [(lambda p, c: "/placement/known", POST_ONLY)],
    # POST-only endpoints: a GET is not allowed; their POSTs are tested below.
    "auth.logout": [(lambda p, c: "/auth/logout", dict.fromkeys(ROLES, 405))],
    "auth.language": [(lambda p, c: "/auth/language", dict.fromkeys(ROLES, 405))],
    "admin.toggle_active": [
        (lambda p, c: f"/admin/users/{p.learner_b.id}/active", dict.fromkeys(ROLES, 405))
    ],
    "audio.clip": [
        # a word of the published course: everyone signed in hears it
        (lambda p, c: clip_url("你好"), SIGNED_IN),
        # a clip of no published content: trainers and admins only
        (lambda p, c: clip_url("草稿"), {"learner": 404, "trainer": 200, "hr": 404, "admin": 200}),
        (lambda p, c: "/audio/" + "0" * 64, NOT_FOUND_FOR_A),
        (lambda p, c: "/audio/..%2F..%2Fetc%2Fpasswd", dict.fromkeys(ROLES, 404)),
    ],
    "audio.index": [
        (lambda p, c: "/audio/", {"learner": 403, "trainer": 200, "hr": 403, "admin": 200})
    ],
    "audio.course": [
        (
            lambda p, c: f"/audio/course/{c.course.slug}",
            {"learner": 403, "trainer": 200, "hr": 403, "admin": 200},
        ),
        (
            lambda p, c: "/audio/course/nope",
            {"learner": 403, "trainer": 404, "hr": 403, "admin": 404},
        ),
    ],
    "audio.upload_recording": [(lambda p, c: "/audio/items/1/recording", POST_ONLY)],
    "audio.batch_recordings": [
        (
            lambda p, c: f"/audio/lessons/{c.lesson.id}/recordings",
            {"learner": 403, "trainer": 200, "hr": 403, "admin": 200},
        ),
        (
            lambda p, c: "/audio/lessons/999999/recordings",
            {"learner": 403, "trainer": 404, "hr": 403, "admin": 404},
        ),
    ],
    "audio.delete_recording": [(lambda p, c: "/audio/items/1/recording/delete", POST_ONLY)],
    # review: learners only (the HR officer of A also studies); trainers see the leeches
    "review.session": [(lambda p, c: "/review/", LEARNERS)],
    "review.stats": [(lambda p, c: "/review/stats", LEARNERS)],
    "review.cards": [(lambda p, c: "/review/cards", LEARNERS)],
    "review.settings": [(lambda p, c: "/review/settings", LEARNERS)],
    # the learner's own cards only (the HR officer of A exports their own, as a learner)
    "review.export_anki": [(lambda p, c: "/review/export.apkg", LEARNERS)],
    "review.leeches": [
        (lambda p, c: "/review/leeches", {"learner": 403, "trainer": 200, "hr": 403, "admin": 200})
    ],
    "review.check": [(lambda p, c: "/review/check", POST_ONLY)],
    "review.answer": [(lambda p, c: "/review/answer", POST_ONLY)],
    "review.undo": [(lambda p, c: "/review/undo", POST_ONLY)],
    "review.suspend": [(lambda p, c: "/review/cards/1/suspend", POST_ONLY)],
    "review.bury": [(lambda p, c: "/review/cards/1/bury", POST_ONLY)],
    "review.resume": [(lambda p, c: "/review/cards/1/resume", POST_ONLY)],
    # JSON: 401 for a guest, 403 without the learner role, 400 without the CSRF header
    "review_api.next_card": [
        (
            lambda p, c: "/api/v1/review/next",
            {"anonymous": 401, "learner": 400, "trainer": 403, "hr": 400, "admin": 403},
        )
    ],
    "review_api.queue": [
        (
            lambda p, c: "/api/v1/review/queue",
            {"anonymous": 401, "learner": 400, "trainer": 403, "hr": 400, "admin": 403},
        )
    ],
    # the installable web app: the same for everyone, signed in or not
    "pwa.service_worker": [(lambda p, c: "/sw.js", dict.fromkeys(ROLES, 200))],
    "pwa.manifest": [(lambda p, c: "/manifest.webmanifest", dict.fromkeys(ROLES, 200))],
    "pwa.offline": [(lambda p, c: "/offline", dict.fromkeys(ROLES, 200))],
    "review_api.answer": [(lambda p, c: "/api/v1/review/answer", POST_ONLY)],
    "review_api.check": [(lambda p, c: "/api/v1/review/check", POST_ONLY)],
    "review_api.undo": [(lambda p, c: "/api/v1/review/undo", POST_ONLY)],
    "review_api.suspend": [(lambda p, c: "/api/v1/review/cards/1/suspend", POST_ONLY)],
    "review_api.bury": [(lambda p, c: "/api/v1/review/cards/1/bury", POST_ONLY)],
    # the API's description: JSON for every signed-in person, its documentation page for staff
    "api_docs.openapi_json": [
        (lambda p, c: "/api/v1/openapi.json", dict.fromkeys(ROLES, 200) | {"anonymous": 401})
    ],
    "api_docs.docs": [
        (
            lambda p, c: "/docs/api",
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
@pytest.mark.usefixtures("hr_b")  # company B has its HR too, as in the GET matrix
def test_post_access_matrix(app, people, content, role):
    """Every POST route by every role, with a valid CSRF token, from one table."""
    client = app.test_client()
    if role != "anonymous":
        assert sign_in(client, EMAILS[role]).status_code == 302
    token = csrf_token(client, "/auth/login" if role == "anonymous" else "/auth/password")
    failures = []
    for endpoint, cases in POST_MATRIX.items():
        for build, expected, body in cases:
            url = build(people, content)
            got = _post(client, url, token, body(people, content) if body else None).status_code
            if got != expected[role]:
                failures.append(f"{endpoint} POST {url}: {role} got {got}, want {expected[role]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.usefixtures("hr_b")  # company B's HR: its page and its export are in the matrix
def test_access_matrix(app, people, content, role):
    client = app.test_client()
    if role != "anonymous":
        assert sign_in(client, EMAILS[role]).status_code == 302
    failures = []
    for endpoint, cases in MATRIX.items():
        for build, expected in cases:
            url = build(people, content)
            want = expected.get(role, 302 if role == "anonymous" else None)
            got = client.get(url).status_code
            if got != want:
                failures.append(f"{endpoint} {url}: {role} got {got}, want {want}")
    assert not failures, "\n".join(failures)


@pytest.mark.usefixtures("hr_b")
def test_hr_lists_only_own_company(client, people):
    sign_in(client, "hr@alpha.example")
    html = client.get("/hr/people").get_data(as_text=True)
    assert "learner@alpha.example" in html
    assert "learner@beta.example" not in html and "hr@beta.example" not in html
    # a department id of another company in the filter shows nobody of that company
    html = client.get(f"/hr/people?department={people.b_logistics.id}").get_data(as_text=True)
    assert "learner@beta.example" not in html


def test_admin_sees_every_company(client, people):
    sign_in(client, "admin@zone.example")
    html = client.get("/hr/people").get_data(as_text=True)
    assert "learner@alpha.example" in html and "learner@beta.example" in html


def test_only_admin_may_deactivate(client, people):
    sign_in(client, "hr@alpha.example")
    token = csrf_token(client, "/")
    response = client.post(f"/admin/users/{people.learner_a.id}/active", data={"csrf_token": token})
    assert response.status_code == 403
    from app.extensions import db
    from app.models import User

    assert db.session.get(User, people.learner_a.id).active


def test_policy_raises_in_services_without_a_request(people):
    from werkzeug.exceptions import Forbidden, NotFound

    from app.hr import services

    with pytest.raises(NotFound):
        services.get_person(people.hr_a, people.learner_b.id)
    with pytest.raises(Forbidden):
        services.list_people(people.learner_a)
    assert services.get_person(people.admin, people.learner_b.id) == people.learner_b
