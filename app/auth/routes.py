"""Sign-in, sign-out, password change and the language switch."""

from __future__ import annotations

import logging
import time

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app import ratelimits
from app.accounts import credentials
from app.auth import bp
from app.auth.forms import LoginForm, PasswordForm
from app.directory import signin
from app.errors import rate_limited_page
from app.extensions import db
from app.forms import EmptyForm, LanguageForm
from app.links import safe_next
from app.models import SignInMethod
from app.ratelimits import posts_limited

security_log = logging.getLogger("qiao.security")


def login_failed(response) -> bool:
    return bool(g.get("login_failed"))


def _login_email() -> str:
    return credentials.normalize_email(request.form.get("email", ""))[:254]


def _account_address_key() -> str:
    """The hard limit's key: this account from this address (an attacker elsewhere cannot lock
    the owner out)."""
    return f"login-account:{_login_email()}|{request.remote_addr}"


def pause(seconds: float) -> None:
    """Wait before answering (a function of its own so that tests can watch it)."""
    time.sleep(seconds)


def _slow_down_account(email: str) -> None:
    """Failures for one account from many addresses: slow each attempt down, never refuse.

    Once `LOGIN_SLOWDOWN_AFTER` failures have been counted for the account in the window, each
    further attempt waits a little (up to `LOGIN_SLOWDOWN_MAX_SECONDS`), which throttles a
    distributed guesser while the owner, who is not refused, at worst waits a moment.
    """
    config = current_app.config
    if ratelimits.exceeded(config["LOGIN_SLOWDOWN_AFTER"], "login-slow", email):
        pause(config["LOGIN_SLOWDOWN_MAX_SECONDS"])


def record_failure(email: str) -> None:
    ratelimits.hit(current_app.config["LOGIN_SLOWDOWN_AFTER"], "login-slow", email)
    security_log.warning(
        "failed sign-in for %s from %s",
        email or "-",
        request.remote_addr,
        extra={"event": "sign_in_failed", "account": email, "address": request.remote_addr},
    )


@rate_limited_page("auth.login")
def login_rate_limited():
    """The 429 answer of the sign-in page: the form again, with a clear message."""
    form = LoginForm()
    message = _("Too many failed sign-in attempts. Wait a minute and try again.")
    return render_template("auth/login.html", form=form, error=message), 429


@bp.route("/login", methods=["GET", "POST"])
@posts_limited("LOGIN_LIMIT_ACCOUNT", key_func=_account_address_key, deduct_when=login_failed)
@posts_limited("LOGIN_LIMIT_ADDRESS", deduct_when=login_failed)
def login():
    """Sign in with e-mail and password."""
    default = url_for("learn.dashboard")
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), default))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    error = None
    if form.validate_on_submit():
        method, settings = signin.method_for(form.email.data)
        if method == SignInMethod.OIDC and not (settings.local_allowed and form.password.data):
            # a page of ours, not a redirect: the sign-in form's CSP (form-action 'self') would
            # stop a redirect chain that leaves for the provider
            target = url_for(
                "auth.oidc_start",
                company_id=settings.company_id,
                email=_login_email(),
                next=form.next.data or None,
            )
            return render_template("auth/company_sign_in.html", target=target)
        if not form.password.data:
            form.password.errors.append(_("Enter your password."))
            return render_template("auth/login.html", form=form, error=None), 400
        _slow_down_account(_login_email())
        if method == SignInMethod.LDAP:
            user, error = _ldap_sign_in(settings, form)
        else:
            user, error = _password_sign_in(form)
        if user is not None:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            session.pop("locale", None)
            return redirect(safe_next(form.next.data, default))
        g.login_failed = True
        record_failure(_login_email())
    elif request.method == "POST":
        g.login_failed = True
    status = 401 if error else (400 if request.method == "POST" else 200)
    return render_template("auth/login.html", form=form, error=error), status


def _password_sign_in(form: LoginForm):
    """A Qiao password: (the user, None) or (None, the message)."""
    result = credentials.authenticate(form.email.data, form.password.data)
    if result.user is not None:
        return result.user, None
    if result.error is credentials.SignInError.INACTIVE:
        return None, SIGN_IN_MESSAGES[signin.Outcome.INACTIVE]()
    return None, SIGN_IN_MESSAGES[signin.Outcome.WRONG]()


def _ldap_sign_in(settings, form: LoginForm):
    """The company's LDAP directory (with the Qiao password as its fallback where allowed)."""
    result = signin.ldap_sign_in(settings, form.email.data, form.password.data)
    if result.outcome is signin.Outcome.FALLBACK:
        flash(SIGN_IN_MESSAGES[signin.Outcome.FALLBACK](), "info")
    if result.user is not None:
        return result.user, None
    return None, SIGN_IN_MESSAGES[result.outcome]()


SIGN_IN_MESSAGES = {
    signin.Outcome.WRONG: lambda: _("Wrong e-mail or password."),
    signin.Outcome.INACTIVE: lambda: _(
        "This account has been deactivated. Contact your HR department."
    ),
    signin.Outcome.UNREACHABLE: lambda: _(
        "Your company's directory cannot be reached just now. Try again in a few minutes."
    ),
    signin.Outcome.UNREACHABLE_LOCAL: lambda: _(
        "Your company's directory cannot be reached just now. Sign in with your Qiao "
        "password if you have one, or try again in a few minutes."
    ),
    signin.Outcome.FALLBACK: lambda: _(
        "Your company's directory could not be reached: you signed in with your Qiao password."
    ),
    signin.Outcome.NO_GROUP: lambda: _(
        "Your company has not given your directory account access to Qiao. "
        "Contact your HR department."
    ),
    signin.Outcome.OTHER_COMPANY: lambda: _(
        "This e-mail is used by an account of another company. Contact your HR department."
    ),
}


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST with a CSRF token, never a link)."""
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            # the copied session cookie and the remember-me cookie stop working too
            credentials.end_sessions(current_user._get_current_object())
            db.session.commit()
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


def _user_key() -> str:
    user_id = current_user.get_id() if current_user.is_authenticated else None
    return f"user:{user_id.split(':')[0]}" if user_id else f"address:{request.remote_addr}"


def _wrong_current_password(response) -> bool:
    return bool(g.get("wrong_current_password"))


@bp.route("/password", methods=["GET", "POST"])
@posts_limited("PASSWORD_GUESS_LIMIT", key_func=_user_key, deduct_when=_wrong_current_password)
@login_required
def change_password():
    """Change my password; other sessions end. Guesses of the current one are limited."""
    form = PasswordForm()
    form.account = current_user
    if form.validate_on_submit():
        if credentials.change_password(current_user, form.current.data, form.new.data):
            db.session.commit()
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("learn.dashboard"))
        g.wrong_current_password = True
        form.current.errors.append(_("The current password is wrong."))
    return render_template("auth/password.html", form=form)


@bp.route("/language", methods=["POST"])
def language():
    """Switch the interface language (kept on the account, or in the session before sign-in)."""
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
        else:
            session["locale"] = form.locale.data
    return redirect(safe_next(form.next.data, url_for("learn.dashboard")))
