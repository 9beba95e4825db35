"""Settings are parsed and checked once; a bad one names itself and what it accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import config
from app.settings import SettingsError, checked

ROOT = Path("/srv/qiao")


def environment_defaults(tmp_path, monkeypatch) -> dict:
    for name in (
        "TTS_ENGINE",
        "JOBS_BACKEND",
        "LOG_FORMAT",
        "AUDIO_DIR",
        "MAIL_PORT",
        "MAIL_USE_TLS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "k")
    return config.from_environment(tmp_path)


def test_good_defaults(tmp_path, monkeypatch):
    settings = checked(environment_defaults(tmp_path, monkeypatch), ROOT)
    assert settings["TTS_ENGINE"] == "auto"
    assert settings["JOBS_BACKEND"] == ""
    assert settings["LOG_FORMAT"] == "text"
    assert settings["MAIL_PORT"] == 25
    assert settings["MAIL_USE_TLS"] is False
    assert settings["PROXY_COUNT"] == 0
    assert settings["HSTS_SECONDS"] == 0
    assert settings["JOBS_LEASE_SECONDS"] == 120
    assert settings["JOBS_TIMEOUT_SECONDS"] == 3600
    assert settings["JOBS_BACKOFF_SECONDS"] == 10.0
    assert settings["LOGIN_SLOWDOWN_MAX_SECONDS"] == 2.0
    assert settings["IMPORT_PREVIEW_LIMIT"] == "10 per minute;60 per hour"
    assert Path(settings["AUDIO_DIR"]).is_absolute()


def test_values_from_the_environment_are_parsed(tmp_path, monkeypatch):
    monkeypatch.setenv("MAIL_PORT", " 587 ")
    monkeypatch.setenv("MAIL_USE_TLS", "True")
    monkeypatch.setenv("TTS_ENGINE", "Piper")
    monkeypatch.setenv("JOBS_BACKOFF_SECONDS", "0.5")
    settings = checked(config.from_environment(tmp_path), ROOT)
    assert settings["MAIL_PORT"] == 587
    assert settings["MAIL_USE_TLS"] is True
    assert settings["TTS_ENGINE"] == "piper"
    assert settings["JOBS_BACKOFF_SECONDS"] == 0.5


def test_relative_path_is_made_absolute(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIO_DIR", "audio")
    assert checked(config.from_environment(tmp_path), ROOT)["AUDIO_DIR"] == "/srv/qiao/audio"
    monkeypatch.setenv("AUDIO_DIR", "/var/lib/qiao/audio")
    assert checked(config.from_environment(tmp_path), ROOT)["AUDIO_DIR"] == "/var/lib/qiao/audio"


def test_relative_instance_is_taken_from_the_project_folder(monkeypatch):
    monkeypatch.setenv("QIAO_INSTANCE", "instance-two")
    assert config.instance_folder() == config.ROOT / "instance-two"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "TTS_ENGINE",
            "festival",
            "TTS_ENGINE='festival' is not allowed; use one of: auto, espeak, gtts, piper, sherpa",
        ),
        (
            "JOBS_BACKEND",
            "celery",
            "JOBS_BACKEND='celery' is not allowed; use one of: rq, sync, thread "
            "(or leave it empty)",
        ),
        ("LOG_FORMAT", "xml", "LOG_FORMAT='xml' is not allowed; use one of: json, text"),
        ("MAIL_PORT", "smtp", "MAIL_PORT='smtp' is not a whole number"),
        ("PROXY_COUNT", "1.5", "PROXY_COUNT='1.5' is not a whole number"),
        ("HSTS_SECONDS", "-1", "HSTS_SECONDS='-1' must be at least 0"),
        ("JOBS_LEASE_SECONDS", "0", "JOBS_LEASE_SECONDS='0' must be at least 1"),
        ("JOBS_BACKOFF_SECONDS", "soon", "JOBS_BACKOFF_SECONDS='soon' is not a number"),
        ("MAIL_USE_TLS", "maybe", "MAIL_USE_TLS='maybe' is not allowed; use true or false"),
        (
            "ANSWER_LIMIT",
            "60 per minut",
            "ANSWER_LIMIT='60 per minut' is not a rate limit such as '10 per minute;60 per hour'",
        ),
    ],
)
def test_a_bad_value_names_the_setting_and_what_it_accepts(
    tmp_path, monkeypatch, name, value, message
):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        checked(config.from_environment(tmp_path), ROOT)
    assert str(raised.value) == message


def test_the_factory_fails_fast(tmp_path, monkeypatch):
    from app import create_app

    monkeypatch.setenv("QIAO_INSTANCE", str(tmp_path))
    monkeypatch.setenv("TTS_ENGINE", "festival")
    with pytest.raises(SettingsError, match="TTS_ENGINE"):
        create_app({"SECRET_KEY": "k"})


def test_overrides_given_to_the_factory_are_checked_too(tmp_path, monkeypatch):
    monkeypatch.setenv("QIAO_INSTANCE", str(tmp_path))
    from app import create_app

    with pytest.raises(SettingsError, match="LOG_FORMAT"):
        create_app({"SECRET_KEY": "k", "LOG_FORMAT": "yaml"})


def test_the_engine_choices_are_the_engine_chains():
    from app.audio.engines import CHAINS
    from app.settings import CHOICES

    assert CHOICES["TTS_ENGINE"] == tuple(sorted(CHAINS))
