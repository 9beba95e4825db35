"""The API description against the app: every JSON endpoint is described, every described path
exists, the document is served to signed-in people and its page to the staff."""

from __future__ import annotations

import inspect
import re

import pytest

from app.openapi import operation_of
from tests.helpers import sign_in

#: endpoints that answer JSON but are not the API, each with the reason; a new JSON endpoint
#: must be described (`@documented`) or added here with its own reason
NOT_IN_API = {
    "pwa.manifest": "the web app manifest (W3C format) that a browser reads to install the site",
    "learn.study": "a lesson page's form; JSON only for that page's own script (Accept header)",
    "learn.display": "a settings form; JSON only for the page's own script (Accept header)",
    "author.upload": "the editor's image upload form; JSON only for its own script",
    "author.preview_answer": "the draft preview's answer form; JSON only for its own script",
}


def _source(view) -> str:
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    try:
        return inspect.getsource(view)
    except (OSError, TypeError):
        return ""


def _answers_json(rule, view) -> bool:
    """A rule of the API's paths, or a view whose code makes JSON."""
    if "/api/" in rule.rule or rule.rule.endswith(".json"):
        return True
    return bool(re.search(r"jsonify\(|application/json", _source(view)))


def _openapi_path(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def test_every_json_endpoint_is_described_and_nothing_else(app):
    undescribed, needless = [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        described = operation_of(view) is not None
        if _answers_json(rule, view) and not described and rule.endpoint not in NOT_IN_API:
            undescribed.append(f"{rule.rule} ({rule.endpoint})")
        if described and rule.endpoint in NOT_IN_API:
            needless.append(rule.endpoint)
    assert not undescribed, "JSON endpoints without a description: " + ", ".join(undescribed)
    assert not needless, f"described, yet listed as not in the API: {needless}"
    assert set(NOT_IN_API) <= set(app.view_functions), "NOT_IN_API names a missing endpoint"


def test_every_described_path_and_method_exists(app, client, people):
    sign_in(client, people.learner_a.email)
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    routes = {}
    for rule in app.url_map.iter_rules():
        methods = {m.lower() for m in rule.methods or ()} - {"head", "options"}
        routes.setdefault(_openapi_path(rule), set()).update(methods)
    for path, operations in document["paths"].items():
        assert path in routes, f"described path {path} is not in the URL map"
        assert set(operations) <= routes[path] | {"parameters"}, path
    assert {"/api/v1/review/next", "/api/v1/review/answer", "/author/api/pinyin"} <= set(
        document["paths"]
    )


def test_the_description_names_the_error_codes_and_the_authentication(app, client, people):
    sign_in(client, people.trainer.email)
    document = client.get("/api/v1/openapi.json").get_json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["csrf"] == schemes["csrf"] | {"in": "header", "name": "X-CSRFToken"}
    assert schemes["session"]["in"] == "cookie"
    codes = document["components"]["schemas"]["ApiError"]["properties"]["error"]["enum"]
    assert {"stale", "not_found", "bad_request"} <= set(codes)
    answer = document["paths"]["/api/v1/review/answer"]["post"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(answer["responses"])
    body = answer["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    required = document["components"]["schemas"][body.rsplit("/", 1)[1]]["required"]
    assert set(required) == {"card_id", "rating", "review_id"}


def test_a_guest_gets_401_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("role", "status"), [("learner", 403), ("trainer", 200), ("hr", 200), ("admin", 200)]
)
def test_the_docs_page_is_for_staff(client, people, role, status):
    person = {"learner": people.learner_b, "hr": people.hr_a}.get(role) or getattr(people, role)
    sign_in(client, person.email)
    response = client.get("/docs/api")
    assert response.status_code == status
    if status == 200:
        assert "/api/v1/openapi.json" in response.get_data(as_text=True)


def test_a_declared_json_endpoint_answers_its_errors_as_json(client, people):
    """The editor's helpers live under /author/api/: a guest and a learner get JSON refusals
    (a script cannot follow a sign-in page), not the HTML pages."""
    guest = client.get("/author/api/audio?t=x")
    assert guest.status_code == 401 and guest.get_json()["code"] == "unauthorized"
    sign_in(client, people.learner_a.email)
    refused = client.get("/author/api/audio?t=x")
    assert refused.status_code == 403 and refused.get_json()["code"] == "forbidden"
