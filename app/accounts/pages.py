"""The one page step the admin's and HR's account screens share: deactivate or bring back."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _

from app.extensions import db
from app.forms import EmptyForm, posted
from app.models import User


def toggle_active(
    person: User,
    *,
    set_active: Callable[[bool], object],
    refused: type[Exception],
    message: Callable[[Exception], str],
    action: str,
    back: str,
):
    """The POST that deactivates `person` (after a confirmation page) or reactivates them:
    `set_active(active)` is the area's service call, `refused` its error, `message` words it;
    `back` is where the person returns (and what «Cancel» opens)."""
    form = posted(EmptyForm)
    if person.active and request.form.get("confirm") != "1":
        return render_template(
            "confirm_deactivate.html", person=person, form=form, action=action, cancel=back
        )
    try:
        set_active(not person.active)
    except refused as exc:
        db.session.rollback()
        flash(message(exc), "error")
        return redirect(back)
    db.session.commit()
    if person.active:
        flash(_("%(name)s can sign in again.", name=person.full_name), "success")
    else:
        flash(
            _("%(name)s has been deactivated; their history is kept.", name=person.full_name),
            "success",
        )
    return redirect(back)
