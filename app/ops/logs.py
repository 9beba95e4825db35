"""One log line per request, with a request id that is also sent back in `X-Request-ID`.

Every record logged during a request carries the request id, so a failed sign-in or a 500 can be
found from the id a user reports. LOG_FORMAT=json writes one JSON object per line."""

from __future__ import annotations

import json
import logging
import re
import uuid

from flask import g, has_request_context

_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REQUEST_LOG = logging.getLogger("qiao.request")
_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id", "company_id")


def request_id_from(header: str | None) -> str:
    """The proxy's id when it is a sane token, else a new one."""
    if header and _INCOMING_ID.match(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in _FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(log_format: str) -> None:
    """Give the root logger one stderr handler (unless the server set one) with the format."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
        root.setLevel(logging.INFO)
    formatter = (
        JsonFormatter()
        if log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    for handler in root.handlers:
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())
        if type(handler) is logging.StreamHandler:
            handler.setFormatter(formatter)


def log_request(method: str, path: str, status: int, duration_ms: float, user, company_id) -> None:
    REQUEST_LOG.info(
        "%s %s %s %.1fms user=%s company=%s",
        method,
        path,
        status,
        duration_ms,
        user or "-",
        company_id or "-",
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round(duration_ms, 1),
            "user_id": user,
            "company_id": company_id,
        },
    )
