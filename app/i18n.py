"""Locale and time zone of the current request: Russian first, English on request."""

from __future__ import annotations

from flask import Flask, session
from flask_login import current_user

LOCALES = ("ru", "en")
DEFAULT_TIMEZONE = "Europe/Moscow"


def select_locale() -> str:
    if current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = session.get("locale")
    return chosen if chosen in LOCALES else "ru"


def select_timezone() -> str:
    return current_user.timezone if current_user.is_authenticated else DEFAULT_TIMEZONE


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
