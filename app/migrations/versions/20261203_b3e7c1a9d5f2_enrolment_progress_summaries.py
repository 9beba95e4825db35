"""hr: progress summaries on each enrolment (lessons done, exercises answered, right at the
first try, study seconds), backfilled from the rows they summarise; readiness and dashboard
snapshots

Revision ID: b3e7c1a9d5f2
Revises: d6e6a2467685
Create Date: 2026-12-03 16:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b3e7c1a9d5f2"
down_revision = "d6e6a2467685"
branch_labels = None
depends_on = None

SUMMARIES = ("lessons_done", "answered", "first_right", "study_seconds")

#: the same figures as app.enrolment_progress.summary_values, in SQL both SQLite and
#: PostgreSQL read (the migration must not import the application)
BACKFILL = """
UPDATE enrollments SET
  lessons_done = (
    SELECT count(p.id) FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id
    WHERE p.user_id = enrollments.user_id AND l.course_id = enrollments.course_id
      AND p.status = 'completed'),
  answered = (
    SELECT count(DISTINCT a.exercise_id)
    FROM attempts a JOIN exercises x ON x.id = a.exercise_id JOIN lessons l ON l.id = x.lesson_id
    WHERE a.user_id = enrollments.user_id AND l.course_id = enrollments.course_id),
  first_right = (
    SELECT count(a.id)
    FROM attempts a JOIN exercises x ON x.id = a.exercise_id JOIN lessons l ON l.id = x.lesson_id
    WHERE a.user_id = enrollments.user_id AND l.course_id = enrollments.course_id AND a.correct
      AND NOT EXISTS (SELECT 1 FROM attempts b WHERE b.user_id = a.user_id
                      AND b.exercise_id = a.exercise_id AND b.id < a.id)),
  study_seconds = (
    SELECT coalesce(sum(s.seconds), 0) FROM study_time s
    WHERE s.user_id = enrollments.user_id AND s.course_id = enrollments.course_id)
"""


def upgrade():
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        for name in SUMMARIES:
            batch_op.add_column(
                sa.Column(name, sa.Integer(), server_default="0", nullable=False)
            )
    op.execute(BACKFILL)
    op.create_table(
        "readiness_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("hsk", sa.Integer(), nullable=False),
        sa.Column("learners", sa.Integer(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("recall_sum", sa.Float(), nullable=False),
        sa.Column("known", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"],
            name=op.f("fk_readiness_snapshots_company_id_companies"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"],
            name=op.f("fk_readiness_snapshots_course_id_courses"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"],
            name=op.f("fk_readiness_snapshots_department_id_departments"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_snapshots")),
    )
    op.create_index(
        "ix_readiness_snapshots_company_time",
        "readiness_snapshots",
        ["company_id", "computed_at"],
        unique=False,
    )
    op.create_table(
        "dashboard_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("enrolments", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"],
            name=op.f("fk_dashboard_snapshots_company_id_companies"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_snapshots")),
    )
    op.create_index(
        "ix_dashboard_snapshots_company_time",
        "dashboard_snapshots",
        ["company_id", "computed_at"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_dashboard_snapshots_company_time", table_name="dashboard_snapshots")
    op.drop_table("dashboard_snapshots")
    op.drop_index("ix_readiness_snapshots_company_time", table_name="readiness_snapshots")
    op.drop_table("readiness_snapshots")
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        for name in reversed(SUMMARIES):
            batch_op.drop_column(name)
