"""placement test: attempts with a server-side deadline; lessons marked known after it

Revision ID: d5e9f3a2b0c4
Revises: c4d8e2f1a9b3
Create Date: 2026-12-03 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e9f3a2b0c4'
down_revision = 'c4d8e2f1a9b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'placement_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('expired', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('bands', sa.JSON(), nullable=False),
        sa.Column('start', sa.String(length=170), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_placement_attempts_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_attempts')),
    )
    with op.batch_alter_table('placement_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_attempts_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('placed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_column('placed_at')
    with op.batch_alter_table('placement_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_attempts_user_id'))
    op.drop_table('placement_attempts')
