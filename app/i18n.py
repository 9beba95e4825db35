"""Locale and time zone of the current request: Russian first, English on request."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask, g, has_app_context, has_request_context, session
from flask_login import current_user

log = logging.getLogger(__name__)

LOCALES = ("ru", "en")
DEFAULT_TIMEZONE = "Europe/Moscow"


def select_locale() -> str:
    if not has_request_context():  # background jobs, CLI: the interface language
        return "ru"
    if current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = session.get("locale")
    return chosen if chosen in LOCALES else "ru"


def select_timezone() -> str:
    if not has_request_context():
        return DEFAULT_TIMEZONE
    return current_user.timezone if current_user.is_authenticated else DEFAULT_TIMEZONE


def _request_translations():
    """The catalogue of the current locale, looked up once per request and locale.

    Flask-Babel's template callables look the catalogue up again for every string (domain,
    locale, cache: about a tenth of a millisecond each), and a lesson page translates some 270
    strings. The catalogue is kept in Flask-Babel's own per-request namespace, keyed by the
    locale, so `force_locale` (Russian e-mails) still gets its own."""
    from flask_babel import get_translations

    if not has_app_context():
        return get_translations()
    space = getattr(g, "_flask_babel", None)
    cached = getattr(space, "qiao_translations", None)
    if cached is not None and cached[0] is getattr(space, "babel_locale", None):
        return cached[1]
    translations = get_translations()
    space = g._flask_babel  # created by the lookup
    space.qiao_translations = (getattr(space, "babel_locale", None), translations)
    return translations


def install_template_gettext(app: Flask) -> None:
    """Templates' _() and ngettext() through the per-request catalogue (call after Babel)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _request_translations().ugettext(s),
        ngettext=lambda s, p, n: _request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def init_app(app: Flask) -> None:
    """Make sure the compiled catalogues exist; call before Flask-Babel reads its settings."""
    fallback = Path(app.instance_path) / "translations"
    ensure_compiled(Path(app.root_path) / "translations", fallback)
    directories = [str(fallback)] if fallback.is_dir() else []
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join([*directories, "translations"]))


def ensure_compiled(translations: Path, fallback: Path) -> None:
    """Compile each `.po` whose `.mo` is missing or older, so that a bare `pip install -e .`
    (no `make`) still speaks Russian. A wheel carries its `.mo` files already; where the package
    folder is read-only the catalogue is compiled into the instance folder instead."""
    for po in translations.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        try:
            compile_catalogue(po, mo)
        except OSError:
            target = fallback / po.relative_to(translations).with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            compile_catalogue(po, target)
            log.warning("compiled %s into %s (the package folder is read-only)", po.name, target)


def compile_catalogue(po: Path, mo: Path) -> None:
    """Write the binary catalogue for `po` (fuzzy entries left out, as `pybabel compile` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalogue = read_po(source)
    tmp = mo.with_suffix(f".mo.{os.getpid()}.tmp")  # parallel test workers compile too
    try:
        with tmp.open("wb") as out:
            write_mo(out, catalogue)
        tmp.replace(mo)
    finally:
        tmp.unlink(missing_ok=True)
