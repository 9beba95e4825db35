"""/manifest.webmanifest, /sw.js and /offline.

The service worker's source is `static/js/sw.js`; it is served here, at the root, with a
version made of the contents of the files it keeps offline, so that a new release replaces the
cached copies. Its caching rules are described in the file itself.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Response, current_app, jsonify, render_template, url_for
from flask_babel import gettext as _

from app.pwa import bp

#: static files the service worker keeps for offline use (the review session's shell)
SHELL = (
    "css/qiao.css",
    "js/review.js",
    "js/pwa.js",
    "favicon.svg",
    "icons/icon.svg",
    "icons/icon-192.png",
)


@lru_cache(maxsize=4)
def _worker_source(static_folder: str) -> tuple[str, str]:
    """The worker's source and a version that changes with it or with any shell file."""
    folder = Path(static_folder)
    source = (folder / "js" / "sw.js").read_text(encoding="utf-8")
    digest = hashlib.sha256(source.encode())
    for name in SHELL:
        digest.update((folder / name).read_bytes())
    return source, digest.hexdigest()[:12]


@bp.route("/sw.js")
def service_worker():
    """The service worker, with its version and the list of shell URLs filled in."""
    source, version = _worker_source(current_app.static_folder)
    shell = [
        url_for("pwa.offline"),
        url_for("pwa.manifest"),
        *(url_for("static", filename=name) for name in SHELL),
    ]
    body = source.replace('"__VERSION__"', f'"{version}"').replace(
        '["__SHELL__"]', "[" + ", ".join(f'"{url}"' for url in shell) + "]"
    )
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


def _icon(name: str, sizes: str, type_: str = "image/png", **extra: str) -> dict[str, str]:
    """One icon of the manifest (from static/icons)."""
    return {
        "src": url_for("static", filename=f"icons/{name}"),
        "sizes": sizes,
        "type": type_,
        **extra,
    }


@bp.route("/manifest.webmanifest")
def manifest():
    """What a phone needs to install the site as an app that opens on the review session."""
    response = jsonify(
        name=_("Qiao: Chinese for the zone's companies"),
        short_name=_("Qiao"),
        description=_("Review your Chinese cards, online or offline."),
        lang="ru",
        start_url=url_for("review.session"),
        scope="/",
        display="standalone",
        background_color="#f6f4f0",
        theme_color="#b3261e",
        icons=[
            _icon("icon.svg", "any", "image/svg+xml"),
            _icon("icon-192.png", "192x192"),
            _icon("icon-512.png", "512x512"),
            _icon("icon-maskable-512.png", "512x512", purpose="maskable"),
        ],
    )
    response.mimetype = "application/manifest+json"
    return response


@bp.route("/offline")
def offline():
    """Shown by the service worker for a page that was never opened and cannot be loaded."""
    return render_template("pwa/offline.html")
