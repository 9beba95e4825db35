"""review: a learner may choose to review by writing the characters by hand (off by default)

Revision ID: c4e8a2f7d913
Revises: d5e9f3a2b0c4
Create Date: 2026-12-03 14:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8a2f7d913'
down_revision = 'd5e9f3a2b0c4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('review_writing', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('review_writing')
