"""Directory passwords and client secrets encrypted at rest (Fernet, key from the environment).

`DIRECTORY_SECRET_KEY` is a Fernet key (`python -c "from cryptography.fernet import Fernet;
print(Fernet.generate_key().decode())"`). It lives in the environment, not in the database, so a
stolen backup reveals no company's directory password. Without it no secret can be saved.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


class SecretKeyMissing(RuntimeError):
    """DIRECTORY_SECRET_KEY is not set (or not a Fernet key): secrets cannot be stored or read."""


def _fernet() -> Fernet:
    key = current_app.config.get("DIRECTORY_SECRET_KEY") or ""
    try:
        return Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError) as exc:
        raise SecretKeyMissing("DIRECTORY_SECRET_KEY is not a Fernet key") from exc


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str | None) -> str:
    """The plain secret, or '' when none is stored; SecretKeyMissing if the key changed."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretKeyMissing("the stored secret was made with another key") from exc
