"""Qiao (桥): the application factory."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app import config as config_module
from app import settings
from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from app.security import (
    IdConverter,
    QiaoRequest,
    SecureCookiesOverHTTPS,
    refuse_nul_bytes,
    security_headers,
)

log = logging.getLogger(__name__)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration → extensions → blueprints → CLI → error handlers.

    A setting Qiao cannot use raises `app.settings.SettingsError` naming it, before anything
    starts."""
    instance = config_module.instance_folder()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True)
    app.request_class = QiaoRequest
    app.url_map.converters["int"] = IdConverter
    app.config.from_mapping(config_module.from_environment(instance))
    if config:
        app.config.update(config)
    app.config.update(settings.checked(app.config, base=config_module.ROOT))
    instance.mkdir(parents=True, exist_ok=True)

    app.wsgi_app = SecureCookiesOverHTTPS(app.wsgi_app)  # type: ignore[method-assign]
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    _init_extensions(app)
    app.before_request(refuse_nul_bytes)
    from app import ops

    ops.init_app(app)
    _register_blueprints(app)
    _register_cli(app)
    from app.errors import register_error_handlers

    register_error_handlers(app)
    app.after_request(security_headers)
    if not app.testing:
        from app.ratelimits import check_shared_store, workers_from_environment

        check_shared_store(
            app.config["RATELIMIT_STORAGE_URI"], workers=workers_from_environment(os.environ)
        )
        if not app.config.get("QIAO_BASE_URL") and not app.debug:
            logging.getLogger("qiao.security").warning(
                "QIAO_BASE_URL is not set: links in e-mails, invitations and certificates "
                "follow the Host header of each request. Set it to the address people use."
            )
    return app


def _init_extensions(app: Flask) -> None:
    from app import auth_loader, db_pool, i18n

    db.init_app(app)
    db_pool.cache_long_statements()
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    auth_loader.configure(login_manager)
    i18n.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.install_template_gettext(app)
    from app.ui import init_app as init_ui

    init_ui(app)


def _register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.audio import bp as audio_bp
    from app.auth import bp as auth_bp
    from app.author import bp as author_bp
    from app.hr import bp as hr_bp
    from app.learn import bp as learn_bp
    from app.pwa import bp as pwa_bp
    from app.review import api as review_api_bp
    from app.review import bp as review_bp
    from app.uploads import bp as uploads_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(author_bp)
    app.register_blueprint(hr_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(audio_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(review_api_bp)
    app.register_blueprint(uploads_bp)
    app.register_blueprint(pwa_bp)
    from app.placement import bp as placement_bp

    app.register_blueprint(placement_bp)
    from app.jobs import bp as jobs_bp

    app.register_blueprint(jobs_bp)
    from app.api_docs import bp as api_docs_bp

    app.register_blueprint(api_docs_bp)


def _register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL and foreign keys for every SQLite connection (no effect on other databases)."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a commit need not wait on fsync
    cursor.close()
