"""HTTP-level safety that applies to every response."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from flask import Request, current_app
from werkzeug.routing import IntegerConverter

F = TypeVar("F", bound=Callable)

#: the largest id a row can have (PostgreSQL `integer`); a larger one names no row
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` in the URL rules, bounded: a number past any id is no route (404), where the
    database would fail on it (SQLite and psycopg refuse integers past 64 bits: a 500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def parse_id(value: object) -> int | None:
    """An id from a query string or a form field (text), or from JSON (a number); None when it
    is not one or is past any row's id."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isascii() or not value.isdigit() or len(value) > 10:
            return None
        value = int(value)
    if isinstance(value, int) and 0 <= value <= MAX_ID:
        return value
    return None


CSP = (
    "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; style-src 'self'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'; "
    "form-action 'self'"
)


class SecureCookiesOverHTTPS:
    """WSGI middleware: mark every cookie Secure when the request came over HTTPS.

    It sits outside Flask so that it sees the cookies that are set last (the session cookie and
    Flask-Login's remember-me cookie), and inside ProxyFix so that a TLS-terminating proxy
    counts as HTTPS.
    """

    def __init__(self, wsgi_app: Callable):
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def secure_start_response(status, headers, exc_info=None):
            headers = [
                (name, value + "; Secure")
                if name.lower() == "set-cookie" and "; secure" not in value.lower()
                else (name, value)
                for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, secure_start_response)


#: blueprints whose pages show other people's data: never kept in a browser's or proxy's cache
PRIVATE_BLUEPRINTS = frozenset({"hr", "admin"})


def security_headers(response):
    from flask import request

    if request.blueprint in PRIVATE_BLUEPRINTS:
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    hsts = current_app.config.get("HSTS_SECONDS") or 0
    if hsts and request.is_secure:
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={int(hsts)}; includeSubDomains"
        )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", CSP)
    return response


def body_limit(max_bytes: int) -> Callable[[F], F]:
    """Route decorator (right under `@bp.route`): refuse bodies over `max_bytes` with 413.

    The limit is read by `QiaoRequest` when the body is first read, which happens before the
    view runs (the CSRF check reads the form), so a large body is never parsed.
    """

    def decorator(view: F) -> F:
        view.max_content_length = max_bytes  # type: ignore[attr-defined]
        return view

    return decorator


class QiaoRequest(Request):
    """A request whose body limit can be lowered per route with `body_limit`."""

    @property
    def max_content_length(self) -> int | None:  # type: ignore[override]
        if self._max_content_length is None and self.endpoint and current_app:
            view = current_app.view_functions.get(self.endpoint)
            limit = getattr(view, "max_content_length", None)
            if limit is not None:
                return limit
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _load_form_data(self) -> None:
        """Parse the body, then drop multipart parts that have no name.

        A part without `name=` comes out of Werkzeug under the key None, on which code that
        walks the form's keys (Flask-WTF's CSRF check among it) fails with a 500; such a part
        can carry nothing a view reads, so it is ignored.
        """
        super()._load_form_data()
        for name in ("form", "files"):
            fields = self.__dict__[name]
            if None in fields:
                self.__dict__[name] = type(fields)(
                    (key, value) for key, value in fields.items(multi=True) if key is not None
                )


def refuse_nul_bytes() -> None:
    """A NUL character names no page (404 in the path) and no value (400 in the query); PostgreSQL
    refuses it in any text parameter, which was a 500 (found by the fuzzer)."""
    from flask import abort, request

    if "\x00" in request.path:
        abort(404)
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        abort(400)
