"""study time (heartbeat), certificate facts (company, hours, first-try score), dialogue glosses

Revision ID: a7c3e9d41f20
Revises: 90eb2bdc2215
Create Date: 2026-12-03 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c3e9d41f20"
down_revision = "90eb2bdc2215"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "study_time",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("last_beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_study_time_course_id_courses")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_study_time_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_time")),
    )
    with op.batch_alter_table("study_time", schema=None) as batch_op:
        batch_op.create_index(
            "ix_study_time_user_course_day", ["user_id", "course_id", "day"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_study_time_course_id"), ["course_id"], unique=False)
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("company_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("study_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("first_try_score", sa.Float(), nullable=True))
    with op.batch_alter_table("dialogues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("glosses", sa.JSON(), nullable=True))
    op.execute("UPDATE dialogues SET glosses = '{}'")
    with op.batch_alter_table("dialogues", schema=None) as batch_op:
        batch_op.alter_column("glosses", existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table("dialogues", schema=None) as batch_op:
        batch_op.drop_column("glosses")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_column("first_try_score")
        batch_op.drop_column("study_seconds")
        batch_op.drop_column("company_name")
    with op.batch_alter_table("study_time", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_time_course_id"))
        batch_op.drop_index("ix_study_time_user_course_day")
    op.drop_table("study_time")
