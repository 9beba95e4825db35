"""The migrations build exactly the schema the models describe.

The session's database was upgraded to head by Alembic (tests/conftest.py), on SQLite or on the
PostgreSQL of TEST_DATABASE_URL; autogenerate compares it with the models and must find nothing:
a model change without its migration (or the reverse) fails here, not on a server."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def test_upgrade_to_head_gives_the_models_schema(app_ctx):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "\n".join(map(str, differences))
