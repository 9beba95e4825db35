"""How Flask-Login finds the signed-in user."""

from __future__ import annotations

from flask import current_app, flash, g, jsonify, redirect, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, login_url
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import User
from app.openapi import answers_json

#: the signed-in user with their roles, one statement built once
_USER = select(User).options(joinedload(User.role_rows)).where(User.id == bindparam("uid"))


def load_user(user_id: str) -> User | None:
    """Load a user from the session id `"<id>:<session_version>"`.

    A password change bumps the version, so old sessions and remember-me cookies stop working;
    a deactivated user is treated as signed out.
    """
    try:
        raw_id, raw_version = user_id.split(":", 1)
        uid, version = int(raw_id), int(raw_version)
    except ValueError:
        return None
    # one round trip: the user with their roles (the request log reads `g.signed_in` later,
    # so an answer's commit, which expires the user, costs no second load)
    user = db.session.execute(_USER, {"uid": uid}).unique().scalar_one_or_none()
    if user is not None:
        g.signed_in = (user.id, user.company_id)
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def unauthorized(manager: LoginManager):
    """A guest: the JSON API answers 401 (a script cannot follow a sign-in page), pages send
    the browser to the sign-in page and back."""
    if answers_json(request.path, current_app.view_functions.get(request.endpoint or "")):
        message = str(_l("Please sign in to open this page."))
        return jsonify(error=message, code="unauthorized"), 401
    flash(str(manager.login_message), manager.login_message_category)
    return redirect(login_url(manager.login_view, next_url=request.url))


def configure(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    manager.unauthorized_handler(lambda: unauthorized(manager))
    manager.login_view = "auth.login"
    manager.login_message = _l("Please sign in to open this page.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"
