"""Signing in through a company's directory: LDAP now, OpenID Connect beside it (`oidc`).

The login page asks `method_for(email)`; for LDAP it calls `ldap_sign_in`, which binds, then
makes or updates the account (`jit`). A directory that cannot be reached leaves the Qiao
password as a fallback where the company allows it.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, fields

from flask import current_app

from app.accounts import credentials
from app.directory import jit, secrets
from app.directory import settings as sign_in_settings
from app.directory.ldap import DirectoryError, Failure, LdapConfig, authenticate
from app.models import SignInMethod, SignInSettings, User

log = logging.getLogger("qiao.security")


class Outcome(enum.Enum):
    SIGNED_IN = "signed_in"
    FALLBACK = "fallback"  #: the directory was down; the Qiao password let them in
    WRONG = "wrong"  #: wrong password or unknown person (one answer: no enumeration)
    INACTIVE = "inactive"
    UNREACHABLE = "unreachable"
    UNREACHABLE_LOCAL = "unreachable_local"  #: down, but a Qiao password would work: say so
    OTHER_COMPANY = "other_company"
    NO_GROUP = "no_group"  #: in the directory, but in none of the groups given access


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    user: User | None = None


REFUSALS = {
    jit.Refusal.INACTIVE: Outcome.INACTIVE,
    jit.Refusal.OTHER_COMPANY: Outcome.OTHER_COMPANY,
    jit.Refusal.NO_GROUP: Outcome.NO_GROUP,
}


def method_for(email: str) -> tuple[str, SignInSettings | None]:
    """Home-realm discovery: the sign-in method of the company the e-mail's domain belongs to."""
    settings = sign_in_settings.for_email(email)
    if settings is None:
        return SignInMethod.LOCAL.value, None
    return settings.method, settings


#: LdapConfig's fields that are not the settings' `ldap_<name>` column as it is stored
_LDAP_NOT_PLAIN = ("bind_password", "ca_file")


def ldap_config(settings: SignInSettings) -> LdapConfig:
    """The company's LDAP settings for the directory code: each `ldap_<name>` column as the
    field `<name>`, the bind password decrypted, the CA file from the app's settings."""
    plain = {
        field.name: getattr(settings, f"ldap_{field.name}")
        for field in fields(LdapConfig)
        if field.name not in _LDAP_NOT_PLAIN
    }
    return LdapConfig(
        **plain,
        bind_password=secrets.decrypt(settings.ldap_bind_password_enc),
        ca_file=current_app.config.get("LDAP_CA_FILE", ""),
    )


def _local(settings: SignInSettings, email: str, password: str) -> credentials.SignInResult | None:
    if not settings.local_allowed:
        return None
    return credentials.authenticate(email, password)


def ldap_sign_in(settings: SignInSettings, email: str, password: str) -> Result:
    """Sign in with the company's LDAP directory, then the Qiao password if allowed."""
    email = credentials.normalize_email(email)
    try:
        person = authenticate(ldap_config(settings), email, password)
    except DirectoryError as exc:
        log.warning("directory sign-in of %s failed: %s", email, exc, extra={"event": "ldap"})
        local = _local(settings, email, password)
        if local is not None and local.user is not None:
            return Result(
                Outcome.FALLBACK if exc.failure is Failure.UNREACHABLE else Outcome.SIGNED_IN,
                local.user,
            )
        if local is not None and local.error is credentials.SignInError.INACTIVE:
            return Result(Outcome.INACTIVE)
        if exc.failure in (Failure.UNREACHABLE, Failure.MISCONFIGURED):
            return Result(
                Outcome.UNREACHABLE_LOCAL if settings.local_allowed else Outcome.UNREACHABLE
            )
        return Result(Outcome.WRONG)
    identity = jit.Identity(
        email=email,
        full_name=person.full_name,
        department=person.department,
        groups=person.groups,
        source="ldap",
        subject=person.dn,
    )
    try:
        user = jit.account_for(settings, identity, settings.ldap_group_roles)
    except jit.JitRefused as exc:
        return Result(REFUSALS[exc.refusal])
    return Result(Outcome.SIGNED_IN, user)
