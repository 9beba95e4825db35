"""HR's background jobs: invitations by e-mail to everyone of a company never signed in, and
imports too large for a request."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app import policy
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


# --------------------------------------------------------------------------- large imports


def _import_outcome(result: dict[str, Any]) -> list[tuple[str, str | None]]:
    from flask import url_for

    lines: list[tuple[str, str | None]] = [
        (_("Created: %(n)d", n=result.get("created", 0)), None),
        (_("Updated: %(n)d", n=result.get("updated", 0)), None),
        (_("Unchanged: %(n)d", n=result.get("unchanged", 0)), None),
        (_("Failed: %(n)d", n=result.get("failed", 0)), None),
        (_("New departments: %(n)d", n=result.get("departments", 0)), None),
    ]
    if result.get("invitations_job"):
        lines.append(
            (_("Invitations by e-mail"), url_for("jobs.job_page", job_id=result["invitations_job"]))
        )
    company = result.get("company_id")
    lines.append((_("Back to the employees"), url_for("hr.people", company=company)))
    return lines


def applied_import(company_id: int, key: str) -> dict[str, Any] | None:
    """What the import applied under `key` did (created, updated, …), if one was applied."""
    from app.extensions import db
    from app.models import AuditEvent, Job

    for details in db.session.scalars(
        select(AuditEvent.details)
        .where(AuditEvent.action == "people.import", AuditEvent.company_id == company_id)
        .order_by(AuditEvent.id.desc())
        .limit(500)
    ):
        if (details or {}).get("key") == key:
            created, updated = len(details["created"]), len(details["updated"])
            invitations = db.session.scalar(
                select(Job.id).where(Job.key == f"hr-invitations:{company_id}:{key}").limit(1)
            )
            return {
                "created": created,
                "updated": updated,
                "unchanged": int(details.get("rows", 0)) - created - updated,
                "departments": len(details.get("departments_created", [])),
                "failed": 0,
                **({"invitations_job": invitations} if invitations else {}),
            }
    return None


@job_kind("hr.import", _l("Import of employees"), outcome=_import_outcome)
def import_people(payload: dict[str, Any], progress) -> dict[str, Any]:
    """Apply a confirmed import that is too large for a request.

    The import, its audit event (carrying payload["key"]) and the job's "done" are committed in
    one transaction, so a run after a killed worker either finds the key (and reports what was
    done) or applies the import as if for the first time: it happens once."""
    from app.extensions import db
    from app.hr.people import import_store, importing
    from app.jobs import enqueue
    from app.models import Company, User

    actor = db.session.get(User, int(payload["actor_id"]))
    company = db.session.get(Company, int(payload["company_id"]))
    if actor is None or not actor.active or company is None:
        raise JobError(_("The person who started the import can no longer act."))
    try:
        policy.check_company(actor, company.id)
    except HTTPException:
        raise JobError(_("The person who started the import can no longer act.")) from None
    key = str(payload["key"])
    done = applied_import(company.id, key)
    if done is not None:
        return {**done, "company_id": company.id}
    data = import_store.load(str(payload["file"]))
    if data is None:
        raise JobError(_("The uploaded file is no longer kept; upload it again."))
    table = importing.load_table(data)
    progress(5, _("Checking %(n)d rows", n=len(table.rows)))
    plan, result = importing.apply_import(
        actor, company, table, filename=str(payload.get("filename") or ""),
        ip=payload.get("ip"), key=key,
    )  # fmt: skip
    if result is None:
        raise JobError(
            _(
                "Nothing was imported: %(n)d problem(s) appeared since the preview. Upload the "
                "file again to see them.",
                n=len(plan.problems),
            )
        )
    outcome = {
        "created": len(result.created),
        "updated": result.updated,
        "unchanged": plan.count("unchanged"),
        "departments": result.departments,
        "failed": 0,
    }
    invited = [p.id for p in result.created if p.active]
    if payload.get("invite") and invited:
        job = enqueue(
            "hr.invitations",
            {"actor_id": actor.id, "company_id": company.id, "people": invited, "batch": key,
             "link": payload["link"], "ip": payload.get("ip")},
            user=actor, key=f"hr-invitations:{company.id}:{key}",
        )  # fmt: skip
        outcome["invitations_job"] = job.id
    return {**outcome, "company_id": company.id}
