"""Settings read once from the environment, with defaults that work out of the box."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from app import db_pool
from app.settings import absolute_path

ROOT = Path(__file__).resolve().parent.parent
#: Run from a source checkout (make run) rather than from an installed wheel.
IN_CHECKOUT = (ROOT / "pyproject.toml").is_file()


def instance_folder() -> Path:
    """QIAO_INSTANCE as an absolute path (a relative one is taken from the project folder)."""
    if value := os.environ.get("QIAO_INSTANCE"):
        return Path(absolute_path("QIAO_INSTANCE", value, ROOT))
    return default_instance()


def default_instance() -> Path:
    """instance/ beside a checkout; for an installed package `$PREFIX/var/qiao-instance` (Flask)."""
    if IN_CHECKOUT:
        return ROOT / "instance"
    return Path(sys.prefix) / "var" / "qiao-instance"


def _secret_key(instance: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{instance / 'qiao.db'}"
    # Heroku-style URLs and the bare scheme name the psycopg 3 driver we ship.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def from_environment(instance: Path) -> dict:
    """Build the Flask configuration mapping from environment variables. Numbers, switches,
    choices and folders are left as written: `app.settings.checked` parses and checks them once
    the app's own overrides are in."""
    redis_url = os.environ.get("REDIS_URL", "")
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance),
        # a pooled connection's liveness is checked on its socket, not by a query (app.db_pool)
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": db_pool.RECYCLE_SECONDS},
        "REDIS_URL": redis_url,
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "text"),
        "JOBS_BACKEND": os.environ.get("JOBS_BACKEND", ""),
        "JOBS_QUEUE": os.environ.get("JOBS_QUEUE", "qiao"),
        "JOBS_MODULES": os.environ.get("JOBS_MODULES", ""),
        "JOBS_LEASE_SECONDS": os.environ.get("JOBS_LEASE_SECONDS", "120"),
        "JOBS_BACKOFF_SECONDS": os.environ.get("JOBS_BACKOFF_SECONDS", "10"),
        "JOBS_TIMEOUT_SECONDS": os.environ.get("JOBS_TIMEOUT_SECONDS", "3600"),
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN", ""),
        "METRICS_ALLOW_FROM": os.environ.get("METRICS_ALLOW_FROM", "127.0.0.1/32,::1/128"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # a moving window: fixed minute windows let twice a limit through across a boundary
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_HEADERS_ENABLED": True,
        "TTS_ENGINE": os.environ.get("TTS_ENGINE", "auto"),
        "AUDIO_DIR": os.environ.get(
            "AUDIO_DIR", str(ROOT / "audio" if IN_CHECKOUT else instance / "audio")
        ),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": os.environ.get("MAIL_PORT", "25"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "false"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "qiao@localhost"),
        "PROXY_COUNT": os.environ.get("PROXY_COUNT", "0"),
        # the address people open Qiao at: links in e-mails, invitations and certificates
        "QIAO_BASE_URL": os.environ.get("QIAO_BASE_URL", "").strip(),
        # host names Qiao answers to (comma-separated); others get 400
        "TRUSTED_HOSTS": [
            h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()
        ]
        or None,
        # Strict-Transport-Security max-age in seconds, for deployments where Qiao terminates
        # TLS itself or the proxy does not add it (0: no header)
        "HSTS_SECONDS": os.environ.get("HSTS_SECONDS", "0"),
        # a Fernet key that encrypts the companies' directory passwords and OIDC client secrets
        "DIRECTORY_SECRET_KEY": os.environ.get("DIRECTORY_SECRET_KEY", ""),
        # a PEM file of CAs for companies' LDAPS / StartTLS certificates (else the system's)
        "LDAP_CA_FILE": os.environ.get("LDAP_CA_FILE", ""),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        "BABEL_DEFAULT_LOCALE": "ru",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Moscow",
        "LOGIN_LIMIT_ACCOUNT": os.environ.get("LOGIN_LIMIT_ACCOUNT", "5 per minute"),
        "LOGIN_LIMIT_ADDRESS": os.environ.get("LOGIN_LIMIT_ADDRESS", "20 per minute"),
        # failures for one account from any address beyond this slow sign-in down (no refusal)
        "LOGIN_SLOWDOWN_AFTER": os.environ.get("LOGIN_SLOWDOWN_AFTER", "10 per minute"),
        "LOGIN_SLOWDOWN_MAX_SECONDS": os.environ.get("LOGIN_SLOWDOWN_MAX_SECONDS", "2"),
        # exercise answers per learner (a person answers far fewer; a script is stopped)
        "ANSWER_LIMIT": os.environ.get("ANSWER_LIMIT", "60 per minute"),
        # recordings read per learner (each costs ~0.2 s of CPU)
        "SAY_LIMIT": os.environ.get("SAY_LIMIT", "30 per minute"),
        # HR: import previews and person forms (each tells whether an e-mail is in use)
        "IMPORT_PREVIEW_LIMIT": os.environ.get("IMPORT_PREVIEW_LIMIT", "10 per minute;60 per hour"),
        # a confirmed import of more rows than this runs as a background job
        "HR_IMPORT_JOB_ROWS": int(os.environ.get("HR_IMPORT_JOB_ROWS", "300")),
        # hours a large import's file waits for its job, and a built export for its download
        "HR_IMPORT_KEEP_HOURS": float(os.environ.get("HR_IMPORT_KEEP_HOURS", "24")),
        # an export of more rows than this is built by a background job, then downloaded
        "EXPORT_JOB_ROWS": int(os.environ.get("EXPORT_JOB_ROWS", "20000")),
        "EXPORT_KEEP_HOURS": float(os.environ.get("EXPORT_KEEP_HOURS", "24")),
        "PERSON_FORM_LIMIT": os.environ.get("PERSON_FORM_LIMIT", "30 per minute;300 per hour"),
        "PASSWORD_GUESS_LIMIT": os.environ.get("PASSWORD_GUESS_LIMIT", "5 per 15 minutes"),
        "QIAO_PHONETICS_COURSE": os.environ.get("QIAO_PHONETICS_COURSE", "phonetics"),
        "RESET_LIMIT_ADDRESS": os.environ.get("RESET_LIMIT_ADDRESS", "10 per hour"),
        "RESET_LIMIT_EMAIL": os.environ.get("RESET_LIMIT_EMAIL", "3 per hour"),
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    }
