"""What every HR page shares: who may open it, and the company it works on.

The zone admin picks a company with `?company=`; HR always works on its own. The choice is read
once per request (`bp.url_value_preprocessor`), resolved on first use (`work_company()`, which
answers 404 for HR asking for another company) and put back into every link to a page that
works on one company (`bp.url_defaults`), so that views and templates no longer pass it around.
"""

from __future__ import annotations

from functools import wraps

from flask import g, render_template, request
from flask_login import current_user

from app.hr import bp
from app.hr.people import services
from app.models import Company, Role

HR_ROLES = (Role.HR, Role.ADMIN)

#: the pages that work on one chosen company: their links keep the admin's choice
COMPANY_PAGES = frozenset(
    {
        "hr.dashboard",
        "hr.people",
        "hr.new_person",
        "hr.departments",
        "hr.import_people",
        "hr.import_confirm",
        "hr.invite_pending",
        "hr.assignments_list",
        "hr.new_assignment",
        "hr.audit_log",
    }
)


@bp.url_value_preprocessor
def _read_company(endpoint: str | None, values: dict | None) -> None:
    g.company_arg = request.args.get("company", type=int)


@bp.url_defaults
def _keep_company(endpoint: str, values: dict) -> None:
    chosen = g.get("company_arg")
    if chosen is None or endpoint not in COMPANY_PAGES or "company" in values:
        return
    if current_user.is_authenticated and current_user.has_role(Role.ADMIN):
        values["company"] = chosen


def ip() -> str | None:
    return request.remote_addr


def work_company() -> Company | None:
    """The company of this page: HR's own (404 for another), or the admin's `?company=`
    (None: all companies, on read-only pages). Resolved once per request."""
    if "company" not in g:
        g.company = services.resolve_company(current_user, g.get("company_arg"))
    return g.company


def work_company_id() -> int | None:
    """The id of `work_company()`, None for the admin's «all companies»."""
    company = work_company()
    return company.id if company is not None else None


def choose_company():
    """For the zone admin on a page that needs one company: pick it first."""
    return render_template(
        "hr/choose_company.html",
        companies=services.resident_companies(current_user),
        endpoint=request.endpoint,
        view_args=request.view_args or {},
    )


def one_company(view):
    """For a page that works on one company: the view gets it as `company`; the zone admin who
    has not chosen one picks it first."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        company = work_company()
        if company is None:
            return choose_company()
        return view(*args, company=company, **kwargs)

    return wrapped
