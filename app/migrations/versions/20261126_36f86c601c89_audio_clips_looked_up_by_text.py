"""audio: index audio_clips on (text, speed), the lookup every page with audio makes

Revision ID: 36f86c601c89
Revises: 768f41b743d8
Create Date: 2026-11-26 15:40:26.451114

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '36f86c601c89'
down_revision = '768f41b743d8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audio_clips', schema=None) as batch_op:
        batch_op.create_index('ix_audio_clips_text_speed', ['text', 'speed'], unique=False)


def downgrade():
    with op.batch_alter_table('audio_clips', schema=None) as batch_op:
        batch_op.drop_index('ix_audio_clips_text_speed')
