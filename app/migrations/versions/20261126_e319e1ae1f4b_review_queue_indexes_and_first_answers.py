"""review: queue and leech indexes on cards; review_logs.was_new counts the day's new cards

Revision ID: e319e1ae1f4b
Revises: 36f86c601c89
Create Date: 2026-11-26 15:43:17.261672

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e319e1ae1f4b'
down_revision = '36f86c601c89'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.create_index('ix_cards_leech', ['leech', 'item_id'], unique=False)
        batch_op.create_index('ix_cards_queue', ['user_id', 'is_new', 'suspended', 'due'], unique=False)

    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('was_new', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.drop_column('was_new')

    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_index('ix_cards_queue')
        batch_op.drop_index('ix_cards_leech')
