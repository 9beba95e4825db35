"""Settings checked once, when the app is built: each bad value stops the start with a message
that names the setting and what it accepts. Pure: no Flask, no database."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from limits import parse_many

#: the values each choice setting accepts ("" for JOBS_BACKEND: chosen from REDIS_URL)
CHOICES: dict[str, tuple[str, ...]] = {
    "TTS_ENGINE": ("auto", "espeak", "gtts", "piper", "sherpa"),  # app.audio.engines.CHAINS
    "JOBS_BACKEND": ("", "rq", "sync", "thread"),
    "LOG_FORMAT": ("json", "text"),
}
#: whole numbers and the least value each may take
INTEGERS: dict[str, int] = {
    "MAIL_PORT": 1,
    "PROXY_COUNT": 0,
    "HSTS_SECONDS": 0,
    "JOBS_LEASE_SECONDS": 1,
    "JOBS_TIMEOUT_SECONDS": 1,
}
#: numbers of seconds that may have a fraction, none below zero
NUMBERS = ("JOBS_BACKOFF_SECONDS", "LOGIN_SLOWDOWN_MAX_SECONDS")
BOOLEANS = ("MAIL_USE_TLS",)
#: Flask-Limiter limits such as "10 per minute;60 per hour"
LIMITS = (
    "LOGIN_LIMIT_ACCOUNT",
    "LOGIN_LIMIT_ADDRESS",
    "LOGIN_SLOWDOWN_AFTER",
    "ANSWER_LIMIT",
    "SAY_LIMIT",
    "IMPORT_PREVIEW_LIMIT",
    "PERSON_FORM_LIMIT",
    "PASSWORD_GUESS_LIMIT",
    "RESET_LIMIT_ADDRESS",
    "RESET_LIMIT_EMAIL",
)
#: folders; a relative one is taken from the project folder
PATHS = ("AUDIO_DIR",)

_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off", "")


class SettingsError(ValueError):
    """A setting Qiao cannot start with; the message names it and the values it accepts."""


def choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    text = str(value).strip().lower()
    if text not in allowed:
        shown = ", ".join(v for v in allowed if v) + (
            " (or leave it empty)" if "" in allowed else ""
        )
        raise SettingsError(f"{name}={value!r} is not allowed; use one of: {shown}")
    return text


def integer(name: str, value: Any, minimum: int = 0) -> int:
    if isinstance(value, bool):
        raise SettingsError(f"{name}={value!r} is not a whole number")
    try:
        number = value if isinstance(value, int) else int(str(value).strip())
    except ValueError:
        raise SettingsError(f"{name}={value!r} is not a whole number") from None
    if number < minimum:
        raise SettingsError(f"{name}={value!r} must be at least {minimum}")
    return number


def number(name: str, value: Any, minimum: float = 0) -> float:
    try:
        result = float(value if isinstance(value, int | float) else str(value).strip())
    except ValueError:
        raise SettingsError(f"{name}={value!r} is not a number") from None
    if result < minimum:
        raise SettingsError(f"{name}={value!r} must be at least {minimum:g}")
    return result


def boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise SettingsError(f"{name}={value!r} is not allowed; use true or false")


def rate_limit(name: str, value: Any) -> str:
    try:
        parse_many(str(value))
    except ValueError:
        raise SettingsError(
            f"{name}={value!r} is not a rate limit such as '10 per minute;60 per hour'"
        ) from None
    return str(value)


def absolute_path(name: str, value: Any, base: Path) -> str:
    """`value` as an absolute path, a relative one taken from `base`."""
    if not str(value).strip():
        raise SettingsError(f"{name} is empty; give a folder")
    return str(base / Path(str(value).strip()).expanduser())


def checked(config: Mapping[str, Any], base: Path) -> dict[str, Any]:
    """The settings of `config` this module knows, parsed and checked (raises SettingsError)."""
    result: dict[str, Any] = {}
    for name, allowed in CHOICES.items():
        result[name] = choice(name, config.get(name, ""), allowed)
    for name, minimum in INTEGERS.items():
        result[name] = integer(name, config[name], minimum)
    for name in NUMBERS:
        result[name] = number(name, config[name])
    for name in BOOLEANS:
        result[name] = boolean(name, config[name])
    for name in LIMITS:
        result[name] = rate_limit(name, config[name])
    for name in PATHS:
        result[name] = absolute_path(name, config[name], base)
    return result
