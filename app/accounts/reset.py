"""«Forgot password»: one-time, expiring links sent by e-mail; only their hashes are stored.

The page answers the same whether or not the address belongs to an account; the look-up, the
token and the e-mail all happen after the response has gone out (`app.auth.reset_routes`),
so neither the page nor its timing tells who has an account.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app import audit
from app.accounts.credentials import find_user_by_email, set_password
from app.accounts.mails import russian_mail
from app.extensions import db
from app.mail import Mail
from app.models import PasswordResetToken, User, utcnow

#: how long a link works
TOKEN_LIFETIME = timedelta(hours=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class ResetRequest:
    """What the request produced: the person and their token, or nothing for an unknown one."""

    user: User | None
    token: str | None


def request_reset(email: str, *, ip: str | None = None) -> ResetRequest:
    """Make a reset token for an active account with this e-mail (the caller commits).

    A never-activated account gets one too: the link lets them choose their first password.
    The token is random (256 bits); only its SHA-256 is stored.
    """
    user = find_user_by_email(email)
    token = secrets.token_urlsafe(32)
    if user is None or not user.active:
        return ResetRequest(None, None)
    now = utcnow()
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_digest(token),
            created_at=now,
            expires_at=now + TOKEN_LIFETIME,
            requested_ip=(ip or "")[:64] or None,
        )
    )
    db.session.flush()
    return ResetRequest(user, token)


def _row_for(token: str) -> PasswordResetToken | None:
    if not token or len(token) > 128:
        return None
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _digest(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def user_for_token(token: str) -> User | None:
    """The active user of a genuine, fresh, unused token."""
    row = _row_for(token)
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    return user if user is not None and user.active else None


def reset_password(token: str, password: str, *, ip: str | None = None) -> User | None:
    """Set a new password with a token; it and every other open token of the user stop working.

    Other sessions end (the session version changes). None for a bad, used or expired token.
    """
    row = _row_for(token)
    user = db.session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or not user.active:
        return None
    now = utcnow()
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
    set_password(user, password)
    user.last_seen_at = now
    audit.record(user, "user.password_reset", user, ip=ip)
    db.session.flush()
    return user


def reset_mail(user: User, link: str) -> Mail:
    """The e-mail with the link, in Russian."""
    return russian_mail(
        user,
        _l("Qiao: choose a new password"),
        _l(
            "Hello, %(name)s!\n\n"
            "Someone (we hope it was you) asked to reset the password of your Qiao account. "
            "Open the link below and choose a new password:\n\n%(link)s\n\n"
            "The link works once and for %(minutes)d minutes. If you did not ask for it, "
            "ignore this e-mail: your password stays the same.\n\n— Qiao",
            name=user.full_name,
            link=link,
            minutes=int(TOKEN_LIFETIME.total_seconds() // 60),
        ),
    )
