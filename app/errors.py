"""Error pages in the user's language; a 500 rolls the session back first."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from app.extensions import db
from app.openapi import answers_json

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
    from flask import current_app

    return answers_json(request.path, current_app.view_functions.get(request.endpoint or ""))


#: the stable codes of the JSON refusals (the `Refusal` shape of the API description)
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
    500: "server_error",
}


def _page(status: int, title: str, message: str, code: str | None = None):
    if _wants_json():
        return jsonify(error=message, code=code or CODES[status]), status
    if request_ctx.url_adapter is None:
        # the request could not be matched at all (an untrusted Host): no links can be built
        return Response(f"{title}. {message}", status, mimetype="text/plain")
    return render_template("errors/error.html", status=status, title=title, message=message), status


#: the plain error pages: status → (title, message), lazily translated
PLAIN_PAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("There is no such page, or it has been removed.")),
    405: (_l("Not allowed"), _l("This action is not available here.")),
    413: (_l("File too large"), _l("The file is larger than allowed.")),
}


def _plain_page(status: int):
    title, message = PLAIN_PAGES[status]
    return lambda error: _page(status, str(title), str(message))


def register_error_handlers(app: Flask) -> None:
    for status in PLAIN_PAGES:
        app.register_error_handler(status, _plain_page(status))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(
            400,
            _("The form has expired"),
            _(
                "The page was open too long or the form was sent from elsewhere. "
                "Go back, reload the page and try again."
            ),
            code="csrf",
        )

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
