"""«Forgot password»: ask for a link by e-mail, then choose a new password and be signed in."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.auth import bp, reset
from app.auth.forms import ForgotPasswordForm, ResetPasswordForm
from app.auth.services import normalize_email
from app.extensions import db, limiter
from app.hr.mail import Mail, Mailer
from app.links import external_url


def _email_key() -> str:
    return "reset-email:" + normalize_email(request.form.get("email", ""))[:254]


def send_after_response(response, mail: Mail):
    """Send `mail` once the response has gone out, so that its time is not the page's."""
    config = dict(current_app.config)
    logger = current_app.logger

    def send() -> None:
        try:
            with Mailer(config) as mailer:
                mailer.send(mail)
        except Exception:  # noqa: BLE001 — the page has answered; the failure is logged
            logger.exception("password reset e-mail failed")

    response.call_on_close(send)
    return response


def forgot_rate_limited():
    """The 429 answer of the «forgot password» page: the form again, with a clear message."""
    message = _("Too many requests for a new password. Wait an hour and try again.")
    return render_template("auth/forgot.html", form=ForgotPasswordForm(), error=message), 429


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RESET_LIMIT_EMAIL"], key_func=_email_key, methods=["POST"]
)
@limiter.limit(lambda: current_app.config["RESET_LIMIT_ADDRESS"], methods=["POST"])
def forgot_password():
    """Ask for a password link; the answer is the same whether or not the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        result = reset.request_reset(form.email.data, ip=request.remote_addr)
        db.session.commit()
        response = current_app.make_response(render_template("auth/forgot_sent.html"))
        if result.user is not None and result.token is not None:
            link = external_url("auth.reset_password", token=result.token)
            send_after_response(response, reset.reset_mail(result.user, link))
        return response
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
