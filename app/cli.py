"""`flask` commands. They call the same services as the web pages."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask import Flask, current_app

from app.extensions import db


def _demo_password() -> str:
    """QIAO_DEMO_PASSWORD, or a random one generated once and kept in instance/demo_password."""
    if password := os.environ.get("QIAO_DEMO_PASSWORD"):
        return password
    path = Path(current_app.instance_path) / "demo_password"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(12))
        click.echo(f"QIAO_DEMO_PASSWORD is not set: generated a password, kept in {path}", err=True)
    return path.read_text().strip()


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Create the demo companies, departments and one user per role (idempotent)."""
        from app.demo import seed_demo

        password = _demo_password()
        accounts = seed_demo(password)
        db.session.commit()
        for account, company in accounts:
            click.echo(f"{account.role}\t{company.name}\t{account.email}")
