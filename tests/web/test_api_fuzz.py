"""Schemathesis over the whole JSON API, from its own OpenAPI description (docs/api.md).

Signed in as a learner with the CSRF header (the editor's helpers also as a trainer), every
described operation is called with generated requests, valid and invalid: no answer may be a
5xx, and every answer must have a described status, content type and shape. A second test sends
the same requests without the CSRF token and checks that each is refused and nothing changed.

Bounded for the test suite: QIAO_FUZZ_EXAMPLES examples per operation (a few by default),
derandomized so a run is repeatable; `make fuzz` runs many more.
"""

from __future__ import annotations

import os
from itertools import cycle

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.models import Card
from app.openapi import describe
from app.review import deck
from app.security import MAX_ID
from tests.helpers import csrf_token, sign_in

EXAMPLES = int(os.environ.get("QIAO_FUZZ_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: the path and body fields that name a row: most generated ids are turned into real ones, so
#: that the requests reach past the 404 into the views' real work
ID_FIELDS = {"card_id": "cards", "exercise_id": "exercises", "item_id": "items"}
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


class Session:
    """A signed-in person's cookies and CSRF header, and the ids of rows they may use."""

    def __init__(self, client, ids: dict[str, list[int]]):
        self.cookies = {"session": client.get_cookie("session").value}
        self.headers = {"X-CSRFToken": csrf_token(client, "/")}
        self.ids = {name: cycle(values) for name, values in ids.items() if values}

    def aim(self, case) -> None:
        """Replace three of four generated ids by real ones (deterministically); ids out of
        range (the invalid requests') are kept as they are."""
        for container in (case.path_parameters, case.body, case.query):
            if not isinstance(container, dict):
                continue
            for field, table in ID_FIELDS.items():
                value = container.get(field)
                real = type(value) is int and 0 < value <= MAX_ID and value % 4
                if real and table in self.ids:
                    container[field] = next(self.ids[table])


def _schema(app):
    schema = schemathesis.openapi.from_dict(describe(app))
    schema.app = app
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES,
        deterministic=True,
        with_security_parameters=False,
        database="none",
    )
    return schema


@pytest.fixture
def learner_session(app, client, people, content) -> Session:
    """learner@beta, signed in, with cards of the first lesson's words due now."""
    items = list(content.lesson.items)
    deck.ensure_cards(people.learner_b, items)
    db.session.commit()
    assert sign_in(client, people.learner_b.email).status_code == 302
    cards = db.session.scalars(select(Card.id).where(Card.user_id == people.learner_b.id)).all()
    return Session(
        client,
        {
            "cards": list(cards),
            "exercises": [e.id for e in content.exercises.values()],
            "items": [i.id for i in items],
        },
    )


@pytest.fixture
def trainer_session(app, client, people, content) -> Session:
    assert sign_in(client, people.trainer.email).status_code == 302
    return Session(client, {})


def _fuzz(schema, session: Session, test) -> list[str]:
    """Run `test(case)` on generated cases of every operation; the failures, one a line."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @FUZZ_SETTINGS
        @given(case=cases)
        def run(case):
            session.aim(case)
            test(case)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 — every operation's failure is reported
            failures.append(f"{operation.label}: {exc}")
    return failures


def test_the_api_as_a_learner(app, learner_session):
    def call(case):
        case.call_and_validate(
            headers=learner_session.headers, cookies=learner_session.cookies, checks=CHECKS
        )

    failures = _fuzz(_schema(app), learner_session, call)
    assert not failures, "\n\n".join(failures)


def test_the_editor_helpers_as_a_trainer(app, trainer_session):
    def call(case):
        case.call_and_validate(
            headers=trainer_session.headers, cookies=trainer_session.cookies, checks=CHECKS
        )

    failures = _fuzz(_schema(app).include(tag="author"), trainer_session, call)
    assert not failures, "\n\n".join(failures)


def _fingerprint() -> dict[str, int]:
    """Rows per table and the cards' versions: any change the API could make shows here."""
    db.session.expire_all()
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    counts["card versions"] = db.session.scalar(select(func.coalesce(func.sum(Card.version), 0)))
    return counts


def _needs_csrf(operation) -> bool:
    security = operation.definition.raw.get("security")
    if security is None:
        security = operation.schema.raw_schema.get("security", [])
    return any("csrf" in requirement for requirement in security)


def test_nothing_changes_without_the_csrf_token(app, learner_session):
    """The same requests with the session cookie but no token: refused, and no row changed."""

    urls = app.url_map.bind("localhost")

    def call(case):
        before = _fingerprint()
        response = case.call(cookies=learner_session.cookies)
        try:
            urls.match(case.formatted_path, case.method)
        except HTTPException:  # no view at all: a path whose parameters fit no rule
            assert response.status_code == 404
        else:
            assert response.status_code in (400, 413, 429), response.text
            if response.status_code == 400:
                assert response.json()["code"] == "csrf", response.text
        assert _fingerprint() == before

    schema = _schema(app).include(func=lambda ctx: _needs_csrf(ctx.operation))
    failures = _fuzz(schema, learner_session, call)
    assert not failures, "\n\n".join(failures)
