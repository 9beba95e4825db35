"""All models, importable from one place (Alembic's autogenerate needs them loaded)."""

from app.models.accounts import PasswordResetToken, StudyReminderLog
from app.models.activity import StudyTime
from app.models.base import Base, utcnow
from app.models.content import (
    Course,
    CourseCompany,
    CourseKind,
    Dialogue,
    Exercise,
    Item,
    ItemKind,
    Lesson,
)
from app.models.directory import SignInMethod, SignInSettings
from app.models.hr import DashboardSnapshot, ReadinessSnapshot, ReminderLog
from app.models.jobs import Job, JobStatus
from app.models.learning import (
    Attempt,
    Card,
    CardDirection,
    Certificate,
    Enrollment,
    EnrollmentStatus,
    FsrsFit,
    LessonProgress,
    PlacementAttempt,
    ReviewLog,
)
from app.models.operations import Assignment, AssignmentTarget, AudioClip, AuditEvent, ClipVerdict
from app.models.speech import SpeechTake
from app.models.tenancy import Company, CompanyKind, Department
from app.models.users import Role, User, UserRole

__all__ = [
    "DashboardSnapshot",
    "Assignment",
    "AssignmentTarget",
    "Attempt",
    "AudioClip",
    "ClipVerdict",
    "AuditEvent",
    "Base",
    "Card",
    "CardDirection",
    "Certificate",
    "Company",
    "CompanyKind",
    "Course",
    "CourseCompany",
    "CourseKind",
    "Department",
    "Dialogue",
    "Enrollment",
    "EnrollmentStatus",
    "Exercise",
    "FsrsFit",
    "Item",
    "ItemKind",
    "Job",
    "JobStatus",
    "Lesson",
    "LessonProgress",
    "PlacementAttempt",
    "PasswordResetToken",
    "ReadinessSnapshot",
    "ReminderLog",
    "ReviewLog",
    "StudyTime",
    "Role",
    "SignInMethod",
    "SignInSettings",
    "SpeechTake",
    "StudyReminderLog",
    "User",
    "UserRole",
    "utcnow",
]
