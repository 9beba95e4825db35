"""One-time invitation links: a new employee sets their own password; nobody else ever sees it.

The link carries a signed, expiring token bound to the account's current password hash, session
version and roles: setting the password changes the first two, so the link works exactly once,
and a role granted later (trainer, admin) voids every link made before.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from app import audit, policy
from app.accounts.credentials import set_password
from app.accounts.mails import russian_mail
from app.extensions import db
from app.mail import Mail
from app.models import User

MAX_AGE_DAYS = 7
_SALT = "qiao-hr-invite"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fingerprint(user: User) -> str:
    roles = ",".join(sorted(user.roles))
    material = f"{user.id}|{user.password_hash or ''}|{user.session_version}|{roles}"
    return hashlib.sha256(material.encode()).hexdigest()[:24]


def make_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_token(token: str) -> User | None:
    """The active user a token was made for, if it is genuine, fresh and not used yet."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None
    return user


def create_invitation(
    actor: User, person: User, *, ip: str | None = None, batch: str | None = None
) -> str:
    """A fresh one-time link token for a person the actor manages (recorded, never stored).

    `batch` marks the invitations of one «invite everyone» run, so that a retried run skips
    the people it has already invited."""
    policy.check_person(actor, person)
    audit.record(actor, "person.invite", person, details={"batch": batch} if batch else None, ip=ip)
    return make_token(person)


def never_activated(actor: User, company_id: int) -> list[User]:
    """Active people of a company who have never chosen a password (never signed in)."""
    policy.check_company(actor, company_id)
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.company_id == company_id,
                User.active.is_(True),
                User.password_hash.is_(None),
            )
            .order_by(User.full_name)
        )
    )


def accept(token: str, password: str) -> User | None:
    """Set the password of the token's user; the token stops working. None for a bad token."""
    user = user_for_token(token)
    if user is None:
        return None
    set_password(user, password)
    audit.record(user, "person.invite_accepted", user)
    return user


def invitation_mail(person: User, link: str) -> Mail:
    """The invitation e-mail (in Russian): the link and how long it works."""
    return russian_mail(
        person,
        _l("Invitation to Qiao, the Chinese course platform"),
        _l(
            "Hello, %(name)s!\n\n"
            "Your company has invited you to study Chinese on Qiao. "
            "Open the link below and choose your password:\n\n%(link)s\n\n"
            "The link works once and for %(days)d days. Your sign-in name is %(email)s.\n\n"
            "— Qiao",
            name=person.full_name,
            link=link,
            days=MAX_AGE_DAYS,
            email=person.email,
        ),
    )
