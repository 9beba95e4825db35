"""speech: the recordings a learner chose to keep of saying a word aloud (theirs only)

Revision ID: 5a7e0c1d9b42
Revises: c4e8a2f7d913
Create Date: 2026-12-03 14:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7e0c1d9b42'
down_revision = 'c4e8a2f7d913'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'speech_takes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=True),
        sa.Column('exercise_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.String(length=500), nullable=False),
        sa.Column('pinyin', sa.String(length=500), nullable=False),
        sa.Column('heard', sa.String(length=100), nullable=False),
        sa.Column('right', sa.Boolean(), nullable=False),
        sa.Column('duration_ms', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['exercise_id'], ['exercises.id'],
            name=op.f('fk_speech_takes_exercise_id_exercises'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['item_id'], ['items.id'],
            name=op.f('fk_speech_takes_item_id_items'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_speech_takes_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_speech_takes')),
    )
    with op.batch_alter_table('speech_takes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speech_takes_exercise_id'), ['exercise_id'])
        batch_op.create_index(batch_op.f('ix_speech_takes_item_id'), ['item_id'])
        batch_op.create_index('ix_speech_takes_user_created', ['user_id', 'created_at'])


def downgrade():
    with op.batch_alter_table('speech_takes', schema=None) as batch_op:
        batch_op.drop_index('ix_speech_takes_user_created')
        batch_op.drop_index(batch_op.f('ix_speech_takes_item_id'))
        batch_op.drop_index(batch_op.f('ix_speech_takes_exercise_id'))
    op.drop_table('speech_takes')
