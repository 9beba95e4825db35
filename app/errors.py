"""Error pages in the user's language; a 500 rolls the session back first."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from app.extensions import db

#: pages that answer a refused (429) request of their own endpoint, say the sign-in form again
#: with a message; a blueprint adds its own with `@rate_limited_page(endpoint)`
RATE_LIMIT_PAGES: dict[str, Callable] = {}


def rate_limited_page(endpoint: str):
    """Register the decorated function as the 429 answer of `endpoint`."""

    def register(page: Callable) -> Callable:
        RATE_LIMIT_PAGES[endpoint] = page
        return page

    return register


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _page(status: int, title: str, message: str):
    if _wants_json():
        return jsonify(error=message), status
    if request_ctx.url_adapter is None:
        # the request could not be matched at all (an untrusted Host): no links can be built
        return Response(f"{title}. {message}", status, mimetype="text/plain")
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(error):
        return _page(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(
            400,
            _("The form has expired"),
            _(
                "The page was open too long or the form was sent from elsewhere. "
                "Go back, reload the page and try again."
            ),
        )

    @app.errorhandler(403)
    def forbidden(error):
        return _page(403, _("Access denied"), _("You do not have permission to open this page."))

    @app.errorhandler(404)
    def not_found(error):
        return _page(404, _("Page not found"), _("There is no such page, or it has been removed."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        return _page(405, _("Not allowed"), _("This action is not available here."))

    @app.errorhandler(413)
    def too_large(error):
        return _page(413, _("File too large"), _("The file is larger than allowed."))

    @app.errorhandler(429)
    def too_many(error):
        page = RATE_LIMIT_PAGES.get(request.endpoint or "")
        if page is not None:
            return page()
        return _page(
            429, _("Too many requests"), _("Too many requests. Wait a minute and try again.")
        )

    @app.errorhandler(500)
    def internal_error(error):
        db.session.rollback()
        return _page(
            500,
            _("Something went wrong"),
            _("An unexpected error occurred. We have recorded it; please try again later."),
        )
