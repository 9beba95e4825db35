from sqlalchemy import func, select

from app.extensions import db
from app.models import Company, Department, User
from tests.helpers import sign_in


def _counts():
    return tuple(
        db.session.scalar(select(func.count()).select_from(m)) for m in (Company, Department, User)
    )


def test_seed_demo_is_idempotent_and_prints_accounts(app, runner, monkeypatch):
    monkeypatch.setenv("QIAO_DEMO_PASSWORD", "demo-password-1")
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    # account lines are tab-separated; notes (e.g. review cards skipped) go to stderr
    lines = [line.split("\t") for line in first.stdout.strip().splitlines() if "\t" in line]
    assert ["hr", "Лассард", "hr@lassard.demo"] in lines
    assert {row[0] for row in lines} == {"admin", "trainer", "hr", "learner"}
    # a learner and an HR officer in at least two companies, to show isolation
    assert len({row[1] for row in lines if row[0] == "hr"}) >= 2
    with app.app_context():
        before = _counts()
        hashes = dict(db.session.execute(select(User.email, User.password_hash)).all())
    second = runner.invoke(args=["seed-demo"])
    assert second.stdout == first.stdout
    with app.app_context():
        assert _counts() == before
        assert dict(db.session.execute(select(User.email, User.password_hash)).all()) == hashes
    client = app.test_client()
    for _role, _company, email in lines:
        assert sign_in(client, email, "demo-password-1").status_code == 302
        client.get("/")
        client.delete_cookie("session")


def test_seed_demo_without_password_generates_one(app, runner, monkeypatch):
    monkeypatch.delenv("QIAO_DEMO_PASSWORD", raising=False)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    from pathlib import Path

    password = (Path(app.instance_path) / "demo_password").read_text().strip()
    assert len(password) >= 12
    assert sign_in(app.test_client(), "learner@lassard.demo", password).status_code == 302
