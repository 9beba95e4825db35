"""lessons: a review unit flag (no new words, mixed exercises over the lessons before it)

Revision ID: c4d8e2f1a9b3
Revises: a7c3e91d4b20
Create Date: 2026-12-03 14:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d8e2f1a9b3'
down_revision = 'a7c3e91d4b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('review', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_column('review')
