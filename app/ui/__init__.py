"""Shared pieces of the interface: navigation, template globals and filters."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request
from flask_babel import format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.models import Role


@dataclass(frozen=True)
class NavLink:
    endpoint: str
    label: str
    roles: tuple[str, ...]


NAV_LINKS = (
    NavLink("learn.dashboard", _l("Home"), (Role.LEARNER, Role.TRAINER, Role.HR, Role.ADMIN)),
    NavLink("author.courses", _l("Courses"), (Role.TRAINER, Role.ADMIN)),
    NavLink("hr.people", _l("Employees"), (Role.HR, Role.ADMIN)),
    NavLink("admin.users", _l("Users"), (Role.ADMIN,)),
    NavLink("admin.companies", _l("Companies"), (Role.ADMIN,)),
)


def navigation() -> list[NavLink]:
    """The links of the signed-in user's roles, in menu order."""
    if not current_user.is_authenticated:
        return []
    return [link for link in NAV_LINKS if current_user.has_role(*link.roles)]


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject():
        from app.auth.forms import EmptyForm, LanguageForm

        language_form = LanguageForm(formdata=None)
        language_form.next.data = request.full_path.rstrip("?")
        return {
            "nav_links": navigation(),
            "logout_form": EmptyForm(formdata=None),
            "language_form": language_form,
            "role_names": {
                Role.LEARNER: _l("learner"),
                Role.TRAINER: _l("trainer"),
                Role.HR: _l("HR"),
                Role.ADMIN: _l("administrator"),
            },
        }

    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        format_datetime(value, fmt) if value else "—"
    )
