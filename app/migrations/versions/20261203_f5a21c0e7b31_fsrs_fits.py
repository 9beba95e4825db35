"""fsrs: fitted FSRS parameters per learner (users.fsrs_parameters, users.fsrs_decay) and the
history of fits (fsrs_fits; user_id NULL for the zone's fit)

Revision ID: f5a21c0e7b31
Revises: 5a7e0c1d9b42
Create Date: 2026-12-03 14:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f5a21c0e7b31"
down_revision = "5a7e0c1d9b42"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fsrs_parameters", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("fsrs_decay", sa.Float(), nullable=True))
    op.create_table(
        "fsrs_fits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("fitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_count", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("held_out", sa.Integer(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("log_loss_before", sa.Float(), nullable=True),
        sa.Column("log_loss_after", sa.Float(), nullable=True),
        sa.Column("rmse_before", sa.Float(), nullable=True),
        sa.Column("rmse_after", sa.Float(), nullable=True),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_fsrs_fits_user_time", "fsrs_fits", ["user_id", "fitted_at"], unique=False)


def downgrade():
    op.drop_index("ix_fsrs_fits_user_time", table_name="fsrs_fits")
    op.drop_table("fsrs_fits")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("fsrs_decay")
        batch_op.drop_column("fsrs_parameters")
