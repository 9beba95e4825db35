"""Signing in with a company's OpenID Connect provider through Authlib's Flask client.

Authorization code with PKCE (S256); Authlib keeps state, nonce and the code verifier in the
session, refuses a callback whose state it does not hold (so a state works once), and checks the
ID token's signature against the provider's JWKS and its claims (issuer, audience, expiry,
nonce). No protocol code is written here: this module only builds the client from the
company's settings and maps the verified claims to an identity.

Authlib is imported when a provider is talked to, not with the module (the sign-in routes
import it): the library costs about 0.2 s at every worker and CLI start otherwise.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from requests import RequestException

from app.directory import jit, secrets
from app.models import SignInSettings

if TYPE_CHECKING:
    from authlib.integrations.flask_client.apps import FlaskOAuth2App

log = logging.getLogger("qiao.security")

DISCOVERY = "/.well-known/openid-configuration"


class OidcFailure(Exception):
    """The provider's answer was refused (state, token or claims): no account is touched."""


def client(settings: SignInSettings) -> FlaskOAuth2App:
    """An Authlib client for the company's provider, read from its discovery document."""
    from authlib.integrations.flask_client.apps import FlaskOAuth2App
    from authlib.integrations.flask_client.integration import FlaskIntegration

    name = f"oidc{settings.company_id}"
    return FlaskOAuth2App(
        FlaskIntegration(name),
        name,
        client_id=settings.oidc_client_id,
        client_secret=secrets.decrypt(settings.oidc_client_secret_enc),
        server_metadata_url=settings.oidc_issuer.rstrip("/") + DISCOVERY,
        client_kwargs={
            "scope": settings.oidc_scopes or "openid email profile",
            "code_challenge_method": "S256",
            "timeout": 10,
        },
    )


def start(settings: SignInSettings, redirect_uri: str, login_hint: str):
    """The redirect to the provider's sign-in page (state, nonce and PKCE kept in the session)."""
    return client(settings).authorize_redirect(redirect_uri, login_hint=login_hint)


def finish(settings: SignInSettings) -> jit.Identity:
    """Exchange the callback's code and return who the verified ID token names."""
    from authlib.integrations.base_client.errors import OAuthError
    from joserfc.errors import JoseError

    app = client(settings)
    try:
        token = app.authorize_access_token(claims_options=_claims_options(settings, app))
    except (OAuthError, JoseError, RequestException, ValueError) as exc:
        log.warning("OpenID Connect sign-in refused: %r", exc, extra={"event": "oidc"})
        raise OidcFailure(str(exc)) from exc
    claims = token.get("userinfo")
    if not claims:
        raise OidcFailure("no verified ID token")
    return identity(settings, dict(claims))


def _claims_options(settings: SignInSettings, app: FlaskOAuth2App) -> dict:
    """The ID token's issuer must be the configured one (as discovery requires) and its audience
    must include our client id: Authlib checks only what it is told to, beyond the nonce."""
    issuer = app.load_server_metadata().get("issuer", "")
    if issuer.rstrip("/") != settings.oidc_issuer.rstrip("/"):
        raise OidcFailure(f"the discovery document names another issuer: {issuer}")
    return {
        "iss": {"essential": True, "values": [issuer]},
        "aud": {"essential": True, "values": [settings.oidc_client_id]},
    }


def identity(settings: SignInSettings, claims: dict) -> jit.Identity:
    """The person the claims describe (the e-mail claim must be there and verified if said)."""
    email = str(claims.get(settings.oidc_claim_email) or "").strip().lower()
    if not email or claims.get("email_verified") is False:
        raise OidcFailure("no verified e-mail in the ID token")
    if email.rpartition("@")[2] not in settings.domains:
        # a provider speaks for its own company's domains only
        raise OidcFailure(f"{email} is outside the company's domains")
    groups = claims.get(settings.oidc_claim_groups) or []
    if isinstance(groups, str):
        groups = [groups]
    return jit.Identity(
        email=email,
        full_name=str(claims.get(settings.oidc_claim_name) or email),
        department=claims.get("department"),
        groups=frozenset(str(g) for g in groups),
        source="oidc",
        subject=str(claims.get("sub", "")),
    )
