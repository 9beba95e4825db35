"""A real OpenLDAP `slapd` for the directory tests: a throwaway slapd.conf (mdb backend, the
memberOf overlay as in Active Directory) in a temporary folder, on a free loopback port of its
own, loaded with tests/data/directory.ldif (two companies), stopped at the end of the session.

The Debian packages `slapd` and `ldap-utils` provide it (`make sysdeps` installs them).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SLAPD = "/usr/sbin/slapd"
LDIF = Path(__file__).parent / "data" / "directory.ldif"
SUFFIX = "dc=test"
ROOT_DN = "cn=admin,dc=test"
ROOT_PASSWORD = "root-pass"
ALPHA = "o=alpha,dc=test"

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile {folder}/slapd.pid
argsfile {folder}/slapd.args
# StartTLS with a certificate of the test's own CA (tests check it is verified)
TLSCACertificateFile {folder}/ca.pem
TLSCertificateFile {folder}/server.pem
TLSCertificateKeyFile {folder}/server.key

database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {folder}/data
overlay memberof
# people authenticate; only signed-in accounts read (no anonymous reading)
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
"""


@dataclass
class Slapd:
    url: str
    port: int
    folder: Path
    process: subprocess.Popen

    @property
    def ca_file(self) -> str:
        """The CA that signed the server's certificate (for 127.0.0.1 and localhost)."""
        return str(self.folder / "ca.pem")

    def ldap(self, tool: str, *args: str, stdin: str | None = None) -> str:
        """Run an ldap-utils tool (ldapadd, ldapmodify, ldapdelete) as the directory's root."""
        result = subprocess.run(
            [tool, "-x", "-H", self.url, "-D", ROOT_DN, "-w", ROOT_PASSWORD, *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
        return result.stdout


def _certificates(folder: Path) -> None:
    """A throwaway CA and a server certificate it signs, for 127.0.0.1 and localhost."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    def pem(key) -> bytes:
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )

    ca_key, server_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Qiao test CA"))
        .issuer_name(name("Qiao test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    server = (
        x509.CertificateBuilder()
        .subject_name(name("localhost"))
        .issuer_name(ca.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(server.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(pem(server_key))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"slapd exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("slapd did not start listening")


@pytest.fixture(scope="session")
def slapd(tmp_path_factory) -> Iterator[Slapd]:
    """A running slapd with the two companies' directory; stopped after the session."""
    if not Path(SLAPD).exists() or shutil.which("ldapadd") is None:
        pytest.skip("slapd and ldap-utils are not installed (make sysdeps)")
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "data").mkdir()
    _certificates(folder)
    conf = folder / "slapd.conf"
    conf.write_text(
        CONFIG.format(folder=folder, suffix=SUFFIX, root_dn=ROOT_DN, root_password=ROOT_PASSWORD)
    )
    port = _free_port()
    url = f"ldap://127.0.0.1:{port}"
    log = (folder / "slapd.log").open("w")
    # -d keeps it in the foreground, a child of the test session, whatever else runs a slapd
    process = subprocess.Popen(
        [SLAPD, "-h", f"{url}/", "-f", str(conf), "-d", "0"], stdout=log, stderr=log
    )
    try:
        _wait_listening(port, process)
        server = Slapd(url=url, port=port, folder=folder, process=process)
        server.ldap("ldapadd", "-f", str(LDIF))
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def alpha_settings(url: str, **overrides):
    """Company A's sign-in settings: it searches with its service account (as with Active
    Directory) and maps its learners and hr groups to roles."""
    from app.directory.settings import SettingsData

    data = SettingsData(
        method="ldap",
        email_domains="alpha.test",
        local_allowed=True,
        ldap_url=url,
        ldap_bind_dn=f"cn=qiao,ou=services,{ALPHA}",
        ldap_bind_password="service-pass",
        ldap_base_dn=f"ou=people,{ALPHA}",
        # people disabled in the directory are left out
        ldap_user_filter="(&(objectClass=inetOrgPerson)(mail={email})(!(employeeType=disabled)))",
        ldap_group_roles=f"cn=learners,ou=groups,{ALPHA} = learner\ncn=hr,ou=groups,{ALPHA} = hr",
    )
    for name, value in overrides.items():
        setattr(data, name, value)
    return data
