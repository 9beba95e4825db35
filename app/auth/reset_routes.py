"""«Forgot password»: ask for a link by e-mail, then choose a new password and be signed in."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.accounts import reset
from app.accounts.credentials import normalize_email
from app.auth import bp
from app.auth.forms import ForgotPasswordForm, ResetPasswordForm
from app.errors import rate_limited_page
from app.extensions import db
from app.links import external_url
from app.mail import Mailer
from app.ratelimits import posts_limited


def _email_key() -> str:
    return "reset-email:" + normalize_email(request.form.get("email", ""))[:254]


#: stands for the token while the link is built inside the request (tokens are URL-safe)
_PLACEHOLDER = "--token--"


def reset_after_response(response, email: str, ip: str | None):
    """Look the address up, make the token and send the e-mail once `response` has gone out.

    The request itself does the same for every address (validate, answer), so neither the
    page nor its timing tells whether an account exists; the database work and the SMTP
    conversation happen afterwards.
    """
    app = current_app._get_current_object()
    link_template = external_url("auth.reset_password", token=_PLACEHOLDER)

    def work() -> None:
        with app.app_context():
            try:
                result = reset.request_reset(email, ip=ip)
                db.session.commit()
                if result.user is None or result.token is None:
                    return
                link = link_template.replace(_PLACEHOLDER, result.token)
                with Mailer(app.config) as mailer:
                    mailer.send(reset.reset_mail(result.user, link))
            except Exception:  # noqa: BLE001 — the page has answered; the failure is logged
                db.session.rollback()
                app.logger.exception("password reset e-mail failed")

    response.call_on_close(work)
    return response


@rate_limited_page("auth.forgot_password")
def forgot_rate_limited():
    """The 429 answer of the «forgot password» page: the form again, with a clear message."""
    message = _("Too many requests for a new password. Wait an hour and try again.")
    return render_template("auth/forgot.html", form=ForgotPasswordForm(), error=message), 429


@bp.route("/forgot", methods=["GET", "POST"])
@posts_limited("RESET_LIMIT_EMAIL", key_func=_email_key)
@posts_limited("RESET_LIMIT_ADDRESS")
def forgot_password():
    """Ask for a password link; the answer is the same whether or not the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        response = current_app.make_response(render_template("auth/forgot_sent.html"))
        return reset_after_response(response, form.email.data, request.remote_addr)
    if request.method == "GET" and current_user.is_authenticated:
        form.email.data = current_user.email
    return render_template("auth/forgot.html", form=form, error=None)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password with a link from the e-mail; signed in right after."""
    person = reset.user_for_token(token)
    if person is None:
        response = current_app.make_response((render_template("auth/reset_invalid.html"), 404))
    else:
        form = ResetPasswordForm()
        if form.validate_on_submit():
            user = reset.reset_password(token, form.new.data, ip=request.remote_addr)
            if user is not None:
                db.session.commit()
                session.clear()
                login_user(user)
                flash(_("Your new password is set. Welcome back!"), "success")
                return redirect(url_for("learn.dashboard"))
        response = current_app.make_response(
            render_template("auth/reset.html", form=form, person=person)
        )
    # the token is in the address: never send it on to another site
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response
