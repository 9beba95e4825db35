"""The WSGI entry point: `gunicorn wsgi:app`."""

from app import create_app
from app.settings import SettingsError

try:
    app = create_app()
except SettingsError as error:  # `flask …` and gunicorn print the message, not a traceback
    raise SystemExit(f"Error: {error}") from None
