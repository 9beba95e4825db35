"""Audio: speech engines, the clip cache, `flask audio`, serving clips and trainers' recordings."""

from pathlib import Path

from flask import Blueprint, current_app

bp = Blueprint("audio", __name__, url_prefix="/audio", template_folder="templates")


def audio_dir() -> str:
    """AUDIO_DIR as an absolute path (a relative setting is taken from the project folder)."""
    from app.config import ROOT

    return str(ROOT / Path(current_app.config["AUDIO_DIR"]))


from app.audio import routes  # noqa: E402,F401
