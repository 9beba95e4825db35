"""The directory's rules on plain data: domains, role maps, roles from groups, filters, and a
server that never answers (the timeout holds)."""

from __future__ import annotations

import socket
import time

import pytest

from app.directory import jit, ldap
from app.directory.settings import SettingsError, parse_domains, parse_role_map


def test_domains_are_lower_cased_and_checked():
    assert parse_domains("Baltic-Port.ru, @bp.ru  bp.ru") == ["baltic-port.ru", "bp.ru"]
    with pytest.raises(SettingsError):
        parse_domains("baltic port.ru")


def test_role_maps_never_make_an_administrator():
    text = "CN=Qiao-HR,OU=Groups,DC=x = hr\n\ncn=trainers,dc=x = Trainer"
    assert parse_role_map(text, "f", lower=True) == {
        "cn=qiao-hr,ou=groups,dc=x": "hr",
        "cn=trainers,dc=x": "trainer",
    }
    with pytest.raises(SettingsError):
        parse_role_map("cn=admins,dc=x = admin", "f", lower=True)
    with pytest.raises(SettingsError):
        parse_role_map("no role here", "f", lower=True)


def test_roles_come_from_mapped_groups_only():
    mapping = {"staff": "learner", "people-team": "hr"}
    assert jit.roles_for(frozenset({"staff", "people-team"}), mapping) == {"learner", "hr"}
    assert jit.roles_for(frozenset({"cleaners"}), mapping) == set()  # no access
    assert jit.roles_for(frozenset(), {}) == {"learner"}  # no map: everyone learns


def test_a_silent_server_times_out_as_unreachable():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts the connection, never answers the bind
        port = silent.getsockname()[1]
        config = ldap.LdapConfig(
            url=f"ldap://127.0.0.1:{port}", user_dn_template="uid={login},dc=x", timeout=1
        )
        started = time.monotonic()
        with pytest.raises(ldap.DirectoryError) as failed:
            ldap.authenticate(config, "ivan@x.ru", "secret")
    assert failed.value.failure is ldap.Failure.UNREACHABLE
    assert time.monotonic() - started < 5
