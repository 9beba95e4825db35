"""accounts: password reset tokens, daily goal and review reminder settings, reminder log

Revision ID: 90eb2bdc2215
Revises: a1b2c3d4e5f6
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '90eb2bdc2215'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('daily_goal_minutes', sa.Integer(), server_default='10', nullable=False))
        batch_op.add_column(sa.Column('review_reminder', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('reminder_hour', sa.Integer(), server_default='9', nullable=False))

    op.create_table('password_reset_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('requested_ip', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_reset_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_tokens_token_hash'))
    )
    with op.batch_alter_table('password_reset_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('study_reminder_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_study_reminder_logs_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_reminder_logs')),
    sa.UniqueConstraint('user_id', 'day', name=op.f('uq_study_reminder_logs_user_id_day'))
    )
    with op.batch_alter_table('study_reminder_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_study_reminder_logs_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('study_reminder_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_study_reminder_logs_user_id'))
    op.drop_table('study_reminder_logs')
    with op.batch_alter_table('password_reset_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_tokens_user_id'))
    op.drop_table('password_reset_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('reminder_hour')
        batch_op.drop_column('review_reminder')
        batch_op.drop_column('daily_goal_minutes')
