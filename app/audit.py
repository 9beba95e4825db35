"""The audit log: one append-only row per HR or admin change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import AuditEvent, Company, User


def company_of(target: Any) -> int | None:
    """The company an event on `target` belongs to: a company itself, or the company of a
    person, department or assignment; None for what no company owns (courses, items)."""
    if isinstance(target, Company):
        return target.id
    return getattr(target, "company_id", None)


def record(
    actor: User | None,
    action: str,
    target: Any = None,
    *,
    company_id: int | None = None,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Add an audit event to the session (the caller commits with its change).

    The event's company is the target's (`company_of`) unless `company_id` names another: an
    event without a target, or one whose target has moved and is not flushed yet."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        company_id=company_id if company_id is not None else company_of(target),
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
