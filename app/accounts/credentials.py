"""Credentials: password hashing, sign-in checks, password changes (the auth views call these)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from app.accounts.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH
from app.extensions import db
from app.models import User, utcnow

_hasher = PasswordHasher()
#: verified against when the e-mail is unknown, so that timing does not reveal accounts
_DUMMY_HASH = _hasher.hash("qiao-dummy-password")

__all__ = ["MIN_PASSWORD_LENGTH"]


class SignInError(enum.Enum):
    INVALID = "invalid"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    error: SignInError | None = None


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def authenticate(email: str, password: str) -> SignInResult:
    """Check an e-mail and password; a deactivated account is refused even with the right one."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return SignInResult(None, SignInError.INVALID)
    assert user is not None
    if not user.active:
        return SignInResult(None, SignInError.INACTIVE)
    if _hasher.check_needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    user.last_seen_at = utcnow()
    return SignInResult(user)


def end_sessions(user: User) -> None:
    """Make every session and remember-me cookie of `user` useless (sign-out, compromise)."""
    user.session_version += 1


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password if `current` is right; ends every other session of the user."""
    if not verify_password(user.password_hash, current):
        return False
    set_password(user, new)
    return True


def set_password(user: User, password: str) -> None:
    """Give `user` a new password; every open session and pending link of theirs ends."""
    user.password_hash = hash_password(password)
    user.session_version += 1
