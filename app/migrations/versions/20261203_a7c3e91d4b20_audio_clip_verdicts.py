"""audio: clips carry what the engine read and their verification verdict; the English-reading
espeak-ng `cmn` clips are marked failed so that no page plays them again

Revision ID: a7c3e91d4b20
Revises: a7c3e9d41f20
Create Date: 2026-12-03 09:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e91d4b20'
down_revision = 'a7c3e9d41f20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audio_clips', schema=None) as batch_op:
        batch_op.add_column(sa.Column('spoken', sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column('verdict', sa.String(length=16), nullable=False, server_default='unchecked')
        )
        batch_op.add_column(sa.Column('heard_tone', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('verdict_note', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True))
    clips = sa.table(
        'audio_clips',
        sa.column('engine', sa.String),
        sa.column('voice', sa.String),
        sa.column('verdict', sa.String),
        sa.column('verdict_note', sa.String),
    )
    op.execute(
        clips.update()
        .where(clips.c.engine == 'espeak', clips.c.voice == 'cmn')
        .values(verdict='failed', verdict_note='espeak-ng voice cmn reads pinyin in English')
    )
    op.execute(clips.update().where(clips.c.engine == 'recording').values(verdict='passed'))


def downgrade():
    with op.batch_alter_table('audio_clips', schema=None) as batch_op:
        batch_op.drop_column('checked_at')
        batch_op.drop_column('verdict_note')
        batch_op.drop_column('heard_tone')
        batch_op.drop_column('verdict')
        batch_op.drop_column('spoken')
