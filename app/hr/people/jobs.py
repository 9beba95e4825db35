"""HR's background jobs: invitations by e-mail to everyone of a company never signed in."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.jobs.registry import JobError, job_kind

#: stands for the token in the link template built by the page (tokens are URL-safe)
LINK_SLOT = "--link-slot--"


@job_kind("hr.invitations", _l("Invitations by e-mail"))
def send_invitations(payload: dict[str, Any], progress) -> dict[str, Any]:
    """E-mail a fresh link to each person of payload["people"] still never activated.

    A retried run skips whoever this batch already invited (their audit event carries it)."""
    from app.accounts import invitations as invites
    from app.extensions import db
    from app.mail import Mailer
    from app.models import AuditEvent, User

    actor = db.session.get(User, int(payload["actor_id"]))
    if actor is None or not actor.active:
        raise JobError(_("The person who started the invitations can no longer act."))
    batch = str(payload["batch"])
    wanted = {int(i) for i in payload.get("people", [])}
    people = [
        p for p in invites.never_activated(actor, int(payload["company_id"])) if p.id in wanted
    ]
    done = {
        event.target_id
        for event in db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "person.invite",
                AuditEvent.target_id.in_([p.id for p in people]),
            )
        )
        if (event.details or {}).get("batch") == batch
    }
    todo = [p for p in people if p.id not in done]
    sent = failed = 0
    with Mailer(current_app.config) as mailer:
        for number, person in enumerate(todo, 1):
            token = invites.create_invitation(actor, person, ip=payload.get("ip"), batch=batch)
            link = str(payload["link"]).replace(LINK_SLOT, token)
            try:
                mailer.send(invites.invitation_mail(person, link))
            except Exception:  # noqa: BLE001 — one failure must not stop the batch
                db.session.rollback()
                current_app.logger.exception("invitation e-mail to %s failed", person.email)
                failed += 1
            else:
                db.session.commit()
                sent += 1
            progress(100 * number / len(todo), _("Invitations sent: %(n)d.", n=sent))
    return {"sent": sent + len(done), "failed": failed}
