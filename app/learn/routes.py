from flask import render_template
from flask_login import current_user, login_required

from app.learn import bp, services


@bp.route("/")
@login_required
def dashboard():
    """The home page: what to do today."""
    return render_template("learn/dashboard.html", data=services.dashboard(current_user))
