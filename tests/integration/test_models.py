from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models import AuditEvent, Card, Role, User


def test_timestamps_are_stored_and_read_back_in_utc(app_ctx):
    moscow = timezone(timedelta(hours=3))
    event = AuditEvent(action="test", at=datetime(2026, 3, 1, 12, 0, tzinfo=moscow))
    db.session.add(event)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(AuditEvent, event.id)
    assert stored.at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert stored.at.utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused(app_ctx):
    db.session.add(AuditEvent(action="naive", at=datetime(2026, 3, 1, 12, 0)))
    with pytest.raises(Exception, match="naive datetime"):
        db.session.flush()
    db.session.rollback()


def test_roles_are_a_set(make_company, make_user):
    user = make_user("hr@alpha.example", make_company("alpha"), {Role.HR, Role.LEARNER})
    assert user.roles == {Role.HR, Role.LEARNER}
    user.set_roles({Role.HR, Role.TRAINER})
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, user.id).roles == {Role.HR, Role.TRAINER}
    with pytest.raises(ValueError):
        user.set_roles({"superuser"})


def test_foreign_keys_are_enforced(make_company, make_user):
    learner = make_user("learner@alpha.example", make_company("alpha"))
    db.session.add(Card(user_id=learner.id, item_id=999_999, direction="recall"))
    with pytest.raises(Exception, match="(?i)foreign key"):
        db.session.flush()
    db.session.rollback()


def test_sqlite_runs_in_wal_mode(app_ctx):
    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"
        return
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_hot_query_indexes_exist(app_ctx):
    from sqlalchemy import inspect

    inspector = inspect(db.engine)

    def indexed(table: str) -> set[tuple[str, ...]]:
        found = {tuple(ix["column_names"]) for ix in inspector.get_indexes(table)}
        found |= {tuple(uq["column_names"]) for uq in inspector.get_unique_constraints(table)}
        return found

    assert ("user_id", "due") in indexed("cards")
    assert ("user_id", "reviewed_at") in indexed("review_logs")
    assert ("user_id",) in indexed("enrollments") or ("user_id", "course_id") in indexed(
        "enrollments"
    )
    assert ("course_id",) in indexed("enrollments")


def test_deactivated_user_keeps_rows(make_company, make_user):
    from app.admin import services

    admin = make_user("admin@zone.example", make_company("zone", kind="zone"), {Role.ADMIN})
    learner = make_user("learner@alpha.example", make_company("alpha"))
    services.set_active(admin, learner, False)
    db.session.commit()
    user = db.session.scalar(select(User).where(User.email == "learner@alpha.example"))
    assert user is not None and not user.active and user.deactivated_at is not None
