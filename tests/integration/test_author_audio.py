"""Saving in the editor makes the audio for real, in the background (espeak-ng, no network)."""

from app.audio import services as audio_services
from app.author.services import start_audio_build
from app.extensions import db


def test_background_build_makes_both_speeds_with_espeak(app, app_ctx, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "TTS_ENGINE", "espeak")
    monkeypatch.setitem(app.config, "AUDIO_DIR", str(tmp_path / "audio"))  # not the shared one
    thread = start_audio_build(app, ["您好", "您好", " "])
    assert thread is not None
    thread.join(timeout=120)
    assert not thread.is_alive()
    db.session.remove()
    keys = audio_services.clip_keys(["您好"])["您好"]
    assert keys.normal is not None and keys.slow is not None
    assert keys.normal.engine == "espeak"
    assert keys.normal.verdict == keys.slow.verdict == "passed"  # checked as it was made
