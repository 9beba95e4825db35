"""author: courses.draft keeps trainers' unpublished edits

Revision ID: d152cf099c6b
Revises: e319e1ae1f4b
Create Date: 2026-11-26 16:31:33.259541

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d152cf099c6b"
down_revision = "e319e1ae1f4b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_column("draft")
