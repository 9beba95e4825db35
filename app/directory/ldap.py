"""Binding and reading people in an LDAP / Active Directory through ldap3 (no Flask, no database).

Safety: a password is never empty (an empty one is an "unauthenticated bind" that many servers
accept as anonymous), no bind is anonymous, values put into filters are escaped with
`escape_filter_chars` and into DNs with `escape_rdn`, and every connection has a connect and a
receive timeout.

ldap3 is imported when a server is talked to, not with the module: the sign-in page imports
this module, and the library (about 0.13 s) is not worth loading for companies without LDAP or
for every CLI command and worker start.
"""

from __future__ import annotations

import enum
import functools
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ldap3


@dataclass(frozen=True)
class LdapConfig:
    """What the directory code needs of a company's settings, secrets decrypted."""

    url: str
    start_tls: bool = False
    bind_dn: str = ""
    bind_password: str = ""
    user_dn_template: str = ""
    base_dn: str = ""
    user_filter: str = "(mail={email})"
    attr_email: str = "mail"
    attr_name: str = "cn"
    attr_department: str = "departmentNumber"
    attr_groups: str = "memberOf"
    timeout: int = 5
    #: the CA that signed the directory's certificate, if not one the system trusts
    ca_file: str = ""


@dataclass(frozen=True)
class DirectoryPerson:
    """A person as the directory describes them."""

    dn: str
    email: str
    full_name: str
    department: str | None
    #: group DNs, lower-cased
    groups: frozenset[str]


class Failure(enum.Enum):
    REFUSED = "refused"  #: wrong password (or, with a DN template, unknown person)
    UNKNOWN_USER = "unknown_user"
    UNREACHABLE = "unreachable"
    MISCONFIGURED = "misconfigured"


class DirectoryError(Exception):
    def __init__(self, failure: Failure, detail: str = ""):
        super().__init__(f"{failure.value}: {detail}" if detail else failure.value)
        self.failure = failure


@functools.cache
def _network_errors() -> tuple[type[Exception], ...]:
    from ldap3.core import exceptions as ldap_errors

    return (
        ldap_errors.LDAPSocketOpenError,
        ldap_errors.LDAPSocketReceiveError,
        ldap_errors.LDAPSocketSendError,
        ldap_errors.LDAPSessionTerminatedByServerError,
        ldap_errors.LDAPStartTLSError,
        ldap_errors.LDAPCommunicationError,
        ldap_errors.LDAPSSLConfigurationError,
        ldap_errors.LDAPCertificateError,
        ssl.SSLError,
    )


def _ldap_error() -> type[Exception]:
    from ldap3.core.exceptions import LDAPException

    return LDAPException


def _server(config: LdapConfig) -> ldap3.Server:
    """The server, its certificate verified (LDAPS and StartTLS) against the system's CAs or
    `ca_file`: ldap3's own default accepts any certificate."""
    import ldap3

    return ldap3.Server(
        config.url,
        use_ssl=config.url.lower().startswith("ldaps://"),
        connect_timeout=config.timeout,
        get_info=ldap3.NONE,
        tls=ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=config.ca_file or None),
    )


def _bind(config: LdapConfig, dn: str, password: str) -> ldap3.Connection:
    """A connection bound as `dn`; DirectoryError when the password is wrong or the server
    cannot be reached. Never anonymous: an empty DN or password is refused before any network."""
    if not dn or not password:
        raise DirectoryError(Failure.REFUSED, "empty DN or password")
    import ldap3

    connection = ldap3.Connection(
        _server(config),
        user=dn,
        password=password,
        authentication=ldap3.SIMPLE,
        receive_timeout=config.timeout,
        read_only=True,
        raise_exceptions=False,
    )
    try:
        connection.open()
        if config.start_tls:
            connection.start_tls()
        if not connection.bind():
            connection.unbind()
            raise DirectoryError(Failure.REFUSED, str(connection.result.get("description")))
    except _network_errors() as exc:
        raise DirectoryError(Failure.UNREACHABLE, str(exc)) from exc
    return connection


def _attributes(config: LdapConfig) -> list[str]:
    names = [config.attr_email, config.attr_name, config.attr_department, config.attr_groups]
    return [n for n in names if n]


def _first(entry: dict, name: str) -> str | None:
    value = entry.get(name) if name else None
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value not in (None, "") else None


def _person(
    config: LdapConfig, dn: str, attributes: dict, fallback_email: str = ""
) -> DirectoryPerson:
    groups = attributes.get(config.attr_groups, []) if config.attr_groups else []
    if isinstance(groups, str):
        groups = [groups]
    email = (_first(attributes, config.attr_email) or fallback_email).strip().lower()
    return DirectoryPerson(
        dn=dn,
        email=email,
        full_name=_first(attributes, config.attr_name) or email,
        department=_first(attributes, config.attr_department),
        groups=frozenset(str(g).lower() for g in groups),
    )


def user_filter(config: LdapConfig, email: str) -> str:
    """The filter that finds the person with `email`, the e-mail escaped (no injection)."""
    from ldap3.utils.conv import escape_filter_chars

    return config.user_filter.replace("{email}", escape_filter_chars(email))


def _search(
    connection: ldap3.Connection,
    config: LdapConfig,
    base: str,
    search_filter: str,
    scope: str = "SUBTREE",
    size_limit: int = 0,
) -> list[tuple[str, dict]]:
    try:
        connection.search(
            base,
            search_filter,
            search_scope=scope,
            attributes=_attributes(config),
            size_limit=size_limit,
            time_limit=config.timeout,
        )
    except _network_errors() as exc:
        raise DirectoryError(Failure.UNREACHABLE, str(exc)) from exc
    except _ldap_error() as exc:
        raise DirectoryError(Failure.MISCONFIGURED, str(exc)) from exc
    return [
        (entry["dn"], dict(entry["attributes"]))
        for entry in connection.response or []
        if entry.get("type") == "searchResEntry"
    ]


def authenticate(config: LdapConfig, email: str, password: str) -> DirectoryPerson:
    """Check `password` by binding as the person with `email`; their directory record.

    With a DN template the person binds directly (the DN made from the part of the e-mail
    before @); otherwise the service account finds their DN with the user filter first.
    """
    email = email.strip().lower()
    if not password:
        raise DirectoryError(Failure.REFUSED, "empty password")
    if config.user_dn_template:
        from ldap3.utils.dn import escape_rdn

        login = email.partition("@")[0]
        dn = config.user_dn_template.replace("{login}", escape_rdn(login))
        connection = _bind(config, dn, password)
        try:
            found = _search(connection, config, dn, "(objectClass=*)", scope="BASE")
        finally:
            connection.unbind()
        if not found:
            raise DirectoryError(Failure.UNKNOWN_USER, dn)
        return _person(config, found[0][0], found[0][1], email)
    service = _bind(config, config.bind_dn, config.bind_password)
    try:
        found = _search(service, config, config.base_dn, user_filter(config, email), size_limit=2)
    finally:
        service.unbind()
    if len(found) != 1:
        raise DirectoryError(Failure.UNKNOWN_USER, f"{len(found)} entries")
    dn, attributes = found[0]
    _bind(config, dn, password).unbind()
    return _person(config, dn, attributes, email)


def people(config: LdapConfig, search_filter: str) -> Iterator[DirectoryPerson]:
    """Everyone under the base DN matching `search_filter`, read with the service account in
    pages of 500 (Active Directory answers at most 1000 entries to one search)."""
    service = _bind(config, config.bind_dn, config.bind_password)
    try:
        entries = service.extend.standard.paged_search(
            config.base_dn,
            search_filter,
            search_scope="SUBTREE",
            attributes=_attributes(config),
            paged_size=500,
            time_limit=config.timeout,
            generator=False,
        )
    except _network_errors() as exc:
        raise DirectoryError(Failure.UNREACHABLE, str(exc)) from exc
    except _ldap_error() as exc:
        raise DirectoryError(Failure.MISCONFIGURED, str(exc)) from exc
    finally:
        service.unbind()
    for entry in entries or []:
        if entry.get("type") != "searchResEntry":
            continue
        person = _person(config, entry["dn"], dict(entry["attributes"]))
        if person.email:
            yield person
