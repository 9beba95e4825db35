"""The zone admin's per-company sign-in settings: read, validate, save with an audit line."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from sqlalchemy import select

from app import audit, policy
from app.directory import secrets
from app.extensions import db
from app.field_errors import FieldError
from app.models import Company, Role, SignInMethod, SignInSettings, User

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_ATTRIBUTE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,63}$")
ROLE_VALUES = frozenset(r.value for r in Role) - {Role.ADMIN.value}


class SettingsError(FieldError):
    """A value the admin can fix: `field` of the form, the code is the message key."""


@dataclass
class SettingsData:
    """The form's fields. A secret left empty keeps the stored one."""

    method: str = SignInMethod.LOCAL.value
    email_domains: str = ""
    local_allowed: bool = True
    ldap_url: str = ""
    ldap_start_tls: bool = False
    ldap_bind_dn: str = ""
    ldap_bind_password: str = ""
    ldap_user_dn_template: str = ""
    ldap_base_dn: str = ""
    ldap_user_filter: str = "(mail={email})"
    ldap_attr_email: str = "mail"
    ldap_attr_name: str = "cn"
    ldap_attr_department: str = "departmentNumber"
    ldap_attr_groups: str = "memberOf"
    ldap_group_roles: str = ""
    ldap_timeout: int = 5
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid email profile"
    oidc_claim_email: str = "email"
    oidc_claim_name: str = "name"
    oidc_claim_groups: str = "groups"
    oidc_group_roles: str = ""


SECRETS = {
    "ldap_bind_password": "ldap_bind_password_enc",
    "oidc_client_secret": "oidc_client_secret_enc",
}
ROLE_MAPS = ("ldap_group_roles", "oidc_group_roles")
ATTRIBUTES = ("ldap_attr_email", "ldap_attr_name", "ldap_attr_department", "ldap_attr_groups")


def parse_domains(text: str) -> list[str]:
    """`a.ru, b.ru` → ['a.ru', 'b.ru'] lower-cased; SettingsError on a malformed domain."""
    domains = [d.strip().lower().lstrip("@") for d in re.split(r"[,\s]+", text or "") if d.strip()]
    for domain in domains:
        if not _DOMAIN.match(domain):
            raise SettingsError("email_domains", "bad domain")
    return sorted(set(domains))


def parse_role_map(text: str, field_name: str, *, lower: bool) -> dict[str, str]:
    """Lines `group = role` → {group: role}; roles are learner, trainer or hr (never admin:
    the zone's administrators are not made by a company's directory)."""
    mapping: dict[str, str] = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        group, sep, role = line.rpartition("=")
        group, role = group.strip(), role.strip().lower()
        if not sep or not group or role not in ROLE_VALUES:
            raise SettingsError(field_name, "bad role map")
        mapping[group.lower() if lower else group] = role
    return mapping


def format_role_map(mapping: dict[str, str] | None) -> str:
    return "\n".join(f"{group} = {role}" for group, role in sorted((mapping or {}).items()))


def for_company(company_id: int) -> SignInSettings | None:
    return db.session.scalar(select(SignInSettings).where(SignInSettings.company_id == company_id))


def for_email(email: str) -> SignInSettings | None:
    """Home-realm discovery: the settings of the company whose e-mail domain `email` has."""
    domain = (email or "").rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for settings in db.session.scalars(
        select(SignInSettings).where(SignInSettings.email_domains.contains(domain))
    ):
        if domain in settings.domains:
            return settings
    return None


def get(actor: User, company: Company) -> SignInSettings:
    """The company's settings (a fresh, unsaved default if none were saved); zone admin only."""
    policy.require_role(actor, Role.ADMIN)
    return for_company(company.id) or SignInSettings(
        company_id=company.id, **{f.name: f.default for f in _defaults()}
    )


def _defaults():
    plain = {f.name for f in fields(SettingsData)} - set(SECRETS) - set(ROLE_MAPS)
    return [f for f in fields(SettingsData) if f.name in plain]


def as_data(settings: SignInSettings) -> SettingsData:
    """The stored settings as form data (secrets never leave: they stay empty)."""
    values = {f.name: getattr(settings, f.name) for f in _defaults()}
    values.update({name: format_role_map(getattr(settings, name)) for name in ROLE_MAPS})
    return SettingsData(**values)


def _check(data: SettingsData, company: Company) -> dict:
    """Validated column values from `data` (secrets and maps apart)."""
    if data.method not in {m.value for m in SignInMethod}:
        raise SettingsError("method", "bad method")
    domains = parse_domains(data.email_domains)
    for other in db.session.scalars(
        select(SignInSettings).where(SignInSettings.company_id != company.id)
    ):
        if set(domains) & set(other.domains):
            raise SettingsError("email_domains", "domain taken")
    for name in ATTRIBUTES:
        value = getattr(data, name).strip()
        if value and not _ATTRIBUTE.match(value):
            raise SettingsError(name, "bad attribute")
    values = {f.name: getattr(data, f.name) for f in _defaults()}
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    values["email_domains"] = ",".join(domains)
    if data.method != SignInMethod.LOCAL and not domains:
        raise SettingsError("email_domains", "domains required")
    if data.method == SignInMethod.LDAP:
        _check_ldap(values)
    if data.method == SignInMethod.OIDC:
        if not values["oidc_issuer"].startswith(
            ("https://", "http://127.0.0.1", "http://localhost")
        ):
            raise SettingsError("oidc_issuer", "bad issuer")
        if not values["oidc_client_id"]:
            raise SettingsError("oidc_client_id", "client id required")
    if not 1 <= int(values["ldap_timeout"] or 0) <= 60:
        raise SettingsError("ldap_timeout", "bad timeout")
    return values


def _check_ldap(values: dict) -> None:
    if not values["ldap_url"].startswith(("ldap://", "ldaps://")):
        raise SettingsError("ldap_url", "bad ldap url")
    if not values["ldap_user_dn_template"] and not (
        values["ldap_bind_dn"] and values["ldap_base_dn"]
    ):
        raise SettingsError("ldap_user_dn_template", "template or search required")
    if values["ldap_user_dn_template"] and "{login}" not in values["ldap_user_dn_template"]:
        raise SettingsError("ldap_user_dn_template", "template needs login")
    if "{email}" not in values["ldap_user_filter"]:
        raise SettingsError("ldap_user_filter", "filter needs email")


def save(
    actor: User, company: Company, data: SettingsData, *, ip: str | None = None
) -> SignInSettings:
    """Store the company's sign-in settings (zone admin only) and audit what changed; the
    caller commits. Secrets are encrypted; the audit line names changed fields, never values
    of secrets."""
    policy.require_role(actor, Role.ADMIN)
    values = _check(data, company)
    values["ldap_group_roles"] = parse_role_map(
        data.ldap_group_roles, "ldap_group_roles", lower=True
    )
    values["oidc_group_roles"] = parse_role_map(
        data.oidc_group_roles, "oidc_group_roles", lower=False
    )
    settings = for_company(company.id)
    if settings is None:
        settings = SignInSettings(company_id=company.id)
        db.session.add(settings)
    changes = {}
    for name, value in values.items():
        before = getattr(settings, name, None)
        if before != value:
            changes[name] = {"before": before, "after": value}
            setattr(settings, name, value)
    for plain_name, column in SECRETS.items():
        plain = getattr(data, plain_name)
        if plain:
            setattr(settings, column, secrets.encrypt(plain))
            changes[plain_name] = {"changed": True}
    if changes:
        db.session.flush()
        audit.record(actor, "company.sign_in", company, details={"changes": changes}, ip=ip)
    return settings
