"""The audit log: one append-only row per HR or admin change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import AuditEvent, User


def record(
    actor: User | None,
    action: str,
    *,
    company_id: int | None = None,
    target: Any = None,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Add an audit event to the session (the caller commits with its change)."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        company_id=company_id,
        action=action,
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=getattr(target, "id", None),
        details=details or {},
        ip=ip,
    )
    db.session.add(event)
    return event


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when something tries to change or delete a recorded audit event."""


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, flush_context, instances) -> None:
    """Nobody edits the audit log: a changed or deleted event stops the flush."""
    for obj in session.deleted:
        if isinstance(obj, AuditEvent):
            raise AuditLogIsAppendOnly("audit events cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, AuditEvent) and session.is_modified(obj):
            raise AuditLogIsAppendOnly("audit events cannot be changed")
