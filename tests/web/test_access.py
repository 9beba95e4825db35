"""The role and company access matrix over every route that exists."""

import pytest

from tests.conftest import csrf_token, sign_in

ROLES = ("anonymous", "learner", "trainer", "hr", "admin")
EMAILS = {
    "learner": "learner@alpha.example",
    "trainer": "trainer@zone.example",
    "hr": "hr@alpha.example",
    "admin": "admin@zone.example",
}
SIGNED_IN = {"learner": 200, "trainer": 200, "hr": 200, "admin": 200}
ADMIN_ONLY = {"learner": 403, "trainer": 403, "hr": 403, "admin": 200}

# endpoint -> list of (url builder, expected status per role); anonymous always gets the
# sign-in page (302) unless stated.
MATRIX = {
    "learn.dashboard": [(lambda w: "/", SIGNED_IN)],
    "auth.change_password": [(lambda w: "/auth/password", SIGNED_IN)],
    "auth.login": [
        (
            lambda w: "/auth/login",
            {"anonymous": 200, "learner": 302, "trainer": 302, "hr": 302, "admin": 302},
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
    # POST-only endpoints: a GET is not allowed; their POSTs are tested below.
    "auth.logout": [(lambda w: "/auth/logout", dict.fromkeys(ROLES, 405))],
    "auth.language": [(lambda w: "/auth/language", dict.fromkeys(ROLES, 405))],
    "admin.toggle_active": [
        (lambda w: f"/admin/users/{w.learner_b.id}/active", dict.fromkeys(ROLES, 405))
    ],
}


def test_matrix_covers_every_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(MATRIX), "add new routes to the access matrix"


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
