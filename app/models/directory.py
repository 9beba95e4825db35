"""How each company's people sign in: local passwords, its LDAP/AD directory or OpenID Connect."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.tenancy import Company


class SignInMethod(enum.StrEnum):
    LOCAL = "local"  #: passwords kept by Qiao (the default)
    LDAP = "ldap"  #: the company's LDAP / Active Directory
    OIDC = "oidc"  #: the company's OpenID Connect provider


class SignInSettings(Base):
    """One company's sign-in configuration, set by the zone admin.

    Secrets (`*_enc`) are Fernet tokens made with `DIRECTORY_SECRET_KEY` (app/directory/secrets.py);
    the key never is in the database, so a copy of it reveals no directory password.
    """

    __tablename__ = "sign_in_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), unique=True
    )
    method: Mapped[str] = mapped_column(String(8), default=SignInMethod.LOCAL)
    #: the company's e-mail domains, lower-cased and comma-separated: home-realm discovery
    email_domains: Mapped[str] = mapped_column(String(500), default="")
    #: whether a password kept by Qiao still works (and is the fallback when the directory is down)
    local_allowed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    #: ldap://host:389 (with StartTLS) or ldaps://host:636
    ldap_url: Mapped[str] = mapped_column(String(500), default="")
    ldap_start_tls: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the service account that searches for the person's DN (empty: use the DN template)
    ldap_bind_dn: Mapped[str] = mapped_column(String(500), default="")
    ldap_bind_password_enc: Mapped[str | None] = mapped_column(Text)
    #: a person's DN from the part of the e-mail before @, e.g. uid={login},ou=people,dc=x,dc=ru
    ldap_user_dn_template: Mapped[str] = mapped_column(String(500), default="")
    ldap_base_dn: Mapped[str] = mapped_column(String(500), default="")
    #: the filter that finds one person; {email} is replaced by the escaped e-mail
    ldap_user_filter: Mapped[str] = mapped_column(String(500), default="(mail={email})")
    ldap_attr_email: Mapped[str] = mapped_column(String(64), default="mail")
    ldap_attr_name: Mapped[str] = mapped_column(String(64), default="cn")
    ldap_attr_department: Mapped[str] = mapped_column(String(64), default="departmentNumber")
    #: the attribute listing a person's groups (AD: memberOf); empty: search groups by member
    ldap_attr_groups: Mapped[str] = mapped_column(String(64), default="memberOf")
    #: {group DN (lower-cased): role}; members of a mapped group get the role
    ldap_group_roles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: seconds to connect and to wait for an answer
    ldap_timeout: Mapped[int] = mapped_column(Integer, default=5)

    oidc_issuer: Mapped[str] = mapped_column(String(500), default="")
    oidc_client_id: Mapped[str] = mapped_column(String(200), default="")
    oidc_client_secret_enc: Mapped[str | None] = mapped_column(Text)
    oidc_scopes: Mapped[str] = mapped_column(String(200), default="openid email profile")
    oidc_claim_email: Mapped[str] = mapped_column(String(64), default="email")
    oidc_claim_name: Mapped[str] = mapped_column(String(64), default="name")
    oidc_claim_groups: Mapped[str] = mapped_column(String(64), default="groups")
    #: {group name: role}
    oidc_group_roles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    company: Mapped[Company] = relationship()

    @property
    def domains(self) -> list[str]:
        return [d.strip() for d in self.email_domains.split(",") if d.strip()]

    def __repr__(self) -> str:
        return f"<SignInSettings {self.company_id} {self.method}>"
