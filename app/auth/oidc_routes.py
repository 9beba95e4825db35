"""Sign-in through a company's OpenID Connect provider: off to its page, and back."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.auth import bp
from app.auth.forms import LoginForm
from app.auth.routes import SIGN_IN_MESSAGES, login_failed, record_failure
from app.directory import jit, oidc, signin
from app.directory import settings as sign_in_settings
from app.extensions import db, limiter
from app.links import safe_next
from app.models import SignInMethod
from app.ratelimits import configured


def _settings(company_id: int | None):
    settings = sign_in_settings.for_company(company_id) if company_id else None
    if settings is None or settings.method != SignInMethod.OIDC:
        abort(404)
    return settings


@bp.route("/oidc/<int:company_id>")
def oidc_start(company_id: int):
    """Go to the company's provider to sign in (state, nonce and PKCE kept in the session)."""
    settings = _settings(company_id)
    session["oidc_company"] = company_id
    session["oidc_next"] = request.args.get("next", "")
    return oidc.start(
        settings,
        url_for("auth.oidc_callback", _external=True),
        login_hint=request.args.get("email", "")[:254],
    )


def _refused(message: str):
    g.login_failed = True
    record_failure("")
    form = LoginForm(formdata=None)
    return render_template("auth/login.html", form=form, error=message), 401


@bp.route("/oidc/callback")
@limiter.limit(configured("LOGIN_LIMIT_ADDRESS"), deduct_when=login_failed)
def oidc_callback():
    """Back from the provider: check its answer, make or update the account, sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("learn.dashboard"))
    failed = _("Sign-in through your company's account did not succeed. Try again.")
    company_id = session.get("oidc_company")
    if company_id is None:  # a callback this browser did not start (or a replayed one)
        return _refused(failed)
    settings = _settings(company_id)
    try:
        identity = oidc.finish(settings)
        user = jit.account_for(settings, identity, settings.oidc_group_roles)
    except oidc.OidcFailure:
        return _refused(failed)
    except jit.JitRefused as exc:
        return _refused(SIGN_IN_MESSAGES[signin.REFUSALS[exc.refusal]]())
    db.session.commit()
    login_user(user)
    session.pop("oidc_company", None)
    session.pop("locale", None)
    return redirect(safe_next(session.pop("oidc_next", ""), url_for("learn.dashboard")))
