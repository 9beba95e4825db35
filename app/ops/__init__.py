"""Operations: liveness and readiness probes, Prometheus metrics, one log line per request."""

from flask import Blueprint

bp = Blueprint("ops", __name__)


def init_app(app) -> None:
    """Request ids, the request log line and metrics around every request; the probes."""
    import time

    from flask import g, request
    from flask_login import current_user

    from app.ops import logs
    from app.ops.metrics import observe_request

    logs.configure(app.config.get("LOG_FORMAT", "text"))
    app.register_blueprint(bp)

    @app.before_request
    def _start_clock():
        g.request_started = time.perf_counter()
        g.request_id = logs.request_id_from(request.headers.get("X-Request-ID"))

    @app.after_request
    def _account(response):
        started = g.get("request_started")
        if started is None:
            return response
        seconds = time.perf_counter() - started
        response.headers["X-Request-ID"] = g.request_id
        observe_request(request.endpoint, request.method, response.status_code, seconds)
        if request.endpoint not in ("ops.healthz", "ops.readyz", "ops.metrics", "static"):
            who = g.get("signed_in") if current_user.is_authenticated else None
            if who is None and current_user.is_authenticated:
                who = (current_user.id, current_user.company_id)  # signed in by this request
            logs.log_request(
                request.method,
                request.path,
                response.status_code,
                seconds * 1000,
                *(who or (None, None)),
            )
        return response


from app.ops import routes  # noqa: E402,F401
