"""content: a word may be passive (recognised and heard, not produced)

Revision ID: c41d7e2a9b10
Revises: b3e7c1a9d5f2
Create Date: 2026-12-04 15:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c41d7e2a9b10"
down_revision = "b3e7c1a9d5f2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("items") as batch:
        batch.add_column(
            sa.Column("passive", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("items") as batch:
        batch.drop_column("passive")
