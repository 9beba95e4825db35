"""Sign-in, sign-out, password change and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp, services
from app.auth.forms import EmptyForm, LanguageForm, LoginForm, PasswordForm
from app.extensions import db, limiter


def safe_next(target: str | None, default: str) -> str:
    """Return `target` if it is a path on this site, else `default` (no open redirects)."""
    if not target:
        return default
    target = target.strip()
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return default
    return target


def _login_failed(response) -> bool:
    return bool(g.get("login_failed"))


def _account_key() -> str:
    return "login-account:" + services.normalize_email(request.form.get("email", ""))


def login_rate_limited():
    """The 429 answer of the sign-in page: the form again, with a clear message."""
    form = LoginForm()
    message = _("Too many failed sign-in attempts. Wait a minute and try again.")
    return render_template("auth/login.html", form=form, error=message), 429


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_login_failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_ADDRESS"], methods=["POST"], deduct_when=_login_failed
)
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
        result = services.authenticate(form.email.data, form.password.data)
        if result.user is not None:
            db.session.commit()
            login_user(result.user, remember=form.remember.data)
            session.pop("locale", None)
            return redirect(safe_next(form.next.data, default))
        g.login_failed = True
        if result.error is services.SignInError.INACTIVE:
            error = _("This account has been deactivated. Contact your HR department.")
        else:
            error = _("Wrong e-mail or password.")
    elif request.method == "POST":
        g.login_failed = True
    status = 401 if error else (400 if request.method == "POST" else 200)
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST with a CSRF token, never a link)."""
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change my password; other sessions end."""
    form = PasswordForm()
    if form.validate_on_submit():
        if services.change_password(current_user, form.current.data, form.new.data):
            db.session.commit()
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("learn.dashboard"))
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
