"""What must answer before this instance takes traffic: the database at the migrations' head,
and Redis when one is configured."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text

from app.extensions import db


def migration_heads(directory: str) -> set[str]:
    """The head revisions of the migration scripts shipped with this code."""
    config = Config()
    config.set_main_option("script_location", directory)
    return set(ScriptDirectory.from_config(config).get_heads())


def failed_checks() -> list[dict[str, str]]:
    """Each failed check as {"check": name, "error": why}; an empty list means ready."""
    failures: list[dict[str, str]] = []
    try:
        current = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception as error:  # noqa: BLE001 - any database failure means "not ready"
        db.session.rollback()
        failures.append({"check": "database", "error": _short(error)})
    else:
        directory = current_app.extensions["migrate"].directory
        heads = migration_heads(str(Path(directory)))
        if current != heads:
            failures.append(
                {
                    "check": "migrations",
                    "error": f"database at {sorted(current)}, code expects {sorted(heads)}",
                }
            )
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2).ping()
        except Exception as error:  # noqa: BLE001 - any Redis failure means "not ready"
            failures.append({"check": "redis", "error": _short(error)})
    return failures


def _short(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"[:300]
