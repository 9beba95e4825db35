"""The directory sync as a background job (`flask directory sync --apply --background`)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.jobs.registry import JobError, job_kind


@job_kind("directory.sync", _l("Directory sync"))
def sync_company(payload: dict[str, Any], progress) -> dict[str, Any]:
    """Sync one company with its directory; idempotent (a second run finds nothing to do)."""
    from app.directory import ldap, sync
    from app.extensions import db
    from app.models import Company

    company = db.session.get(Company, int(payload["company_id"]))
    if company is None:
        raise JobError(_("The company no longer exists."))
    try:
        result = sync.apply(company)
    except (sync.SyncError, ldap.DirectoryError) as exc:
        raise JobError(str(exc)) from exc
    db.session.commit()
    return {
        "new": len(result.new),
        "changed": len(result.changed),
        "deactivated": len(result.deactivate),
        "departments": len(result.new_departments),
    }
