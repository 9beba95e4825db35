"""`flask directory sync` against a real slapd: a preview that writes nothing, then the import
of people and departments, updates, deactivation of people gone from the directory (history
kept), nothing deleted; also as a background job."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.directory import settings as sign_in_settings
from app.extensions import db
from app.models import (
    Assignment,
    AssignmentTarget,
    AuditEvent,
    Enrollment,
    Job,
    JobStatus,
    Role,
    User,
)
from tests import factories
from tests.ldap_server import alpha_settings, slapd  # noqa: F401 — the session's directory


@pytest.fixture
def synced(people, make_user, slapd):  # noqa: F811
    """Company A on the directory, with a course for all, Olga under an old name, and someone
    who has left the company (not in the directory)."""
    sign_in_settings.save(people.admin, people.a, alpha_settings(slapd.url))
    course = factories.make_course()
    db.session.add(
        Assignment(company_id=people.a.id, course_id=course.id, target=AssignmentTarget.COMPANY)
    )
    make_user("olga@alpha.test", people.a, {Role.LEARNER}, full_name="Ольга Старая")
    make_user("gone@alpha.test", people.a, {Role.LEARNER})
    db.session.commit()
    return people


def _users() -> dict[str, User]:
    db.session.expire_all()
    return {u.email: u for u in db.session.scalars(select(User))}


def test_the_preview_reports_and_writes_nothing(app, synced):
    before = db.session.scalar(select(func.count(User.id)))
    result = app.test_cli_runner().invoke(args=["directory", "sync", "--company", "alpha"])
    assert result.exit_code == 0, result.output
    assert "alpha: 2 new, 1 changed, 1 to deactivate" in result.output
    assert "+ anna@alpha.test" in result.output and "+ ivan@alpha.test" in result.output
    assert "~ olga@alpha.test" in result.output and "Ольга Старая → Ольга Смирнова" in result.output
    assert "- gone@alpha.test" in result.output
    assert "boris" not in result.output  # in no group given access
    assert "vera" not in result.output  # disabled in the directory
    assert db.session.scalar(select(func.count(User.id))) == before
    assert _users()["gone@alpha.test"].active


def test_apply_imports_updates_and_deactivates_and_deletes_nothing(app, synced):
    result = app.test_cli_runner().invoke(args=["directory", "sync", "--apply"])
    assert result.exit_code == 0, result.output
    users = _users()
    ivan, olga, gone = users["ivan@alpha.test"], users["olga@alpha.test"], users["gone@alpha.test"]
    assert ivan.company_id == synced.a.id and ivan.department.name == "Продажи"
    assert olga.full_name == "Ольга Смирнова" and olga.roles == {Role.LEARNER, Role.HR}
    assert olga.department.name == "Логистика" and olga.department.company_id == synced.a.id
    assert gone.active is False and gone.deactivated_at is not None
    assert users["learner@alpha.example"].active  # another domain: not the directory's
    assert "boris@alpha.test" not in users
    assert db.session.scalar(select(Enrollment).where(Enrollment.user_id == ivan.id))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "directory.sync"))
    assert event.details["deactivated"] == ["gone@alpha.test"]
    again = app.test_cli_runner().invoke(args=["directory", "sync", "--apply"])
    assert "alpha: 0 new, 0 changed, 0 to deactivate, 3 unchanged" in again.output


def test_sync_runs_as_a_job(app, synced):
    result = app.test_cli_runner().invoke(
        args=["directory", "sync", "--company", "alpha", "--apply", "--background"]
    )
    assert result.exit_code == 0, result.output
    job = db.session.scalar(select(Job).where(Job.kind == "directory.sync"))
    db.session.refresh(job)
    assert job.status == JobStatus.DONE and job.result["new"] == 2
    assert _users()["gone@alpha.test"].active is False


def test_an_unreachable_directory_changes_nothing(app, people):
    sign_in_settings.save(people.admin, people.a, alpha_settings("ldap://127.0.0.1:9"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["directory", "sync", "--apply"])
    assert result.exit_code == 1 and "alpha: not synced: unreachable" in result.output
    assert _users()["learner@alpha.example"].active


def test_a_company_without_ldap_is_refused(app, people):
    result = app.test_cli_runner().invoke(args=["directory", "sync", "--company", "beta"])
    assert result.exit_code != 0 and "no company signing in with LDAP" in result.output
