"""The installable web app: the manifest, the service worker (served from the site's root so
that it controls every page) and the page shown when a page is opened without a connection."""

from flask import Blueprint

bp = Blueprint("pwa", __name__, template_folder="templates")

from app.pwa import routes  # noqa: E402,F401
