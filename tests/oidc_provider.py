"""A real OpenID Connect provider on loopback for the tests, built from Authlib's server classes:
discovery document, JWKS, a login form, the authorization code grant with PKCE and OpenID
Connect ID tokens signed with an RSA key. It runs in a thread on a free port for the session.

`provider.misbehave` makes it issue a bad ID token (forged, expired, for another audience) so
that the tests can check that the client refuses it.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, request
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "qiao"
CLIENT_SECRET = "qiao-client-secret"

#: the provider's people: login → (password, claims)
PEOPLE = {
    "mila": (
        "mila-pass",
        {
            "email": "mila@gamma.test",
            "email_verified": True,
            "name": "Мила Орлова",
            "department": "Финансы",
            "groups": ["staff"],
        },
    ),
    "gleb": (
        "gleb-pass",
        {
            "email": "gleb@gamma.test",
            "email_verified": True,
            "name": "Глеб Ильин",
            "groups": ["staff", "people-team"],
        },
    ),
    "intruder": (
        "intruder-pass",
        {
            "email": "learner@alpha.example",
            "email_verified": True,
            "name": "Чужой",
            "groups": ["staff"],
        },
    ),
}

LOGIN_FORM = """<!doctype html><html lang="en"><head><title>Gamma ID</title></head><body>
<main><h1>Gamma ID</h1><form method="post">
<label for="username">Login</label><input id="username" name="username" autocomplete="username">
<label for="password">Password</label><input id="password" name="password" type="password">
<button id="provider-submit" type="submit">Continue</button></form></main></body></html>"""


@dataclass
class Client(ClientMixin):
    redirect_uris: list[str] = field(default_factory=list)

    def get_client_id(self):
        return CLIENT_ID

    def get_default_redirect_uri(self):
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope):
        return " ".join(s for s in scope.split() if s in {"openid", "email", "profile", "groups"})

    def check_redirect_uri(self, redirect_uri):
        # the tests' Qiao listens on a port of the moment: any loopback callback is accepted
        return redirect_uri.startswith("http://127.0.0.1:") or redirect_uri.startswith(
            "http://localhost"
        )

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, CLIENT_SECRET)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    user: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


class Provider:
    """The provider's state: its key, codes, and how it should misbehave (None: not at all)."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "gamma-1", "use": "sig"})
        self.forger = RSAKey.generate_key(2048, parameters={"kid": "gamma-1", "use": "sig"})
        self.codes: dict[str, Code] = {}
        self.misbehave: str | None = None
        self.url = ""
        self.client = Client()

    def jwt_claims(self) -> dict:
        now = int(time.time())
        claims = {"iss": self.url, "aud": [CLIENT_ID], "exp": now + 300}
        if self.misbehave == "expired":
            claims.update(exp=now - 3600, iat=now - 7200, auth_time=now - 7200)
        if self.misbehave == "audience":
            # another client's token, naming us as the party it was given to
            claims.update(aud="someone-else", azp=CLIENT_ID)
        return claims


def _grant(provider: Provider):
    """The authorization code grant and its OpenID Connect extension, on the provider's state."""

    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def save_authorization_code(self, code, req):
            provider.codes[code] = Code(
                code=code,
                user=req.user,
                redirect_uri=req.payload.redirect_uri,
                scope=req.payload.scope,
                nonce=req.payload.data.get("nonce"),
                code_challenge=req.payload.data.get("code_challenge"),
                code_challenge_method=req.payload.data.get("code_challenge_method"),
                auth_time=int(time.time()),
            )

        def query_authorization_code(self, code, client):
            return provider.codes.get(code)

        def delete_authorization_code(self, authorization_code):
            provider.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code):
            return authorization_code.user

    class OpenID(OpenIDCode):
        def exists_nonce(self, nonce, req):
            return any(c.nonce == nonce for c in provider.codes.values())

        def resolve_client_private_key(self, client):
            return provider.forger if provider.misbehave == "forged" else provider.key

        def get_client_algorithm(self, client):
            return "RS256"

        def get_encode_header(self, client):
            return {"alg": "RS256", "kid": "gamma-1"}

        def get_client_claims(self, client):
            return provider.jwt_claims()

        def get_compatible_claims(self, req):
            now = int(time.time())
            claims = {"iat": now, "auth_time": now}
            claims.update(provider.jwt_claims())
            return claims

        def generate_user_info(self, user, scope):
            return UserInfo(sub=user, **PEOPLE[user][1])

    return CodeGrant, OpenID


def build(provider: Provider) -> Flask:
    app = Flask("oidc_provider")
    app.secret_key = "provider"
    CodeGrant, OpenID = _grant(provider)
    server = AuthorizationServer(
        app,
        query_client=lambda cid: provider.client if cid == CLIENT_ID else None,
        save_token=lambda token, req: None,
    )
    server.register_grant(CodeGrant, [CodeChallenge(required=True), OpenID(require_nonce=True)])

    @app.get("/.well-known/openid-configuration")
    def discovery():
        return jsonify(
            issuer=provider.url,
            authorization_endpoint=provider.url + "/authorize",
            token_endpoint=provider.url + "/token",
            jwks_uri=provider.url + "/jwks",
            response_types_supported=["code"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            code_challenge_methods_supported=["S256"],
            scopes_supported=["openid", "email", "profile", "groups"],
            token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        )

    @app.get("/jwks")
    def jwks():
        return jsonify(KeySet([provider.key]).as_dict(private=False))

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize():
        if request.method == "GET":
            server.get_consent_grant(end_user=None)  # checks the request before the form
            return LOGIN_FORM
        login = request.form.get("username", "")
        if login not in PEOPLE or request.form.get("password") != PEOPLE[login][0]:
            return LOGIN_FORM.replace("<form", "<p role=alert>Wrong login</p><form"), 401
        return server.create_authorization_response(grant_user=login)

    @app.post("/token")
    def token():
        return server.create_token_response()

    return app


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    """The provider, listening on a free loopback port until the session ends."""
    provider = Provider()
    server = make_server("127.0.0.1", 0, build(provider), threaded=True)
    provider.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join(timeout=10)


def provider_company(admin, provider: Provider, group_roles: str = "staff = learner"):
    """Company Gamma (e-mails @gamma.test), which signs in with `provider` only."""
    from app.directory import settings as sign_in_settings
    from app.extensions import db
    from tests import factories

    company = factories.make_company("gamma", "Гамма")
    sign_in_settings.save(
        admin,
        company,
        sign_in_settings.SettingsData(
            method="oidc",
            email_domains="gamma.test",
            local_allowed=False,
            oidc_issuer=provider.url,
            oidc_client_id=CLIENT_ID,
            oidc_client_secret=CLIENT_SECRET,
            oidc_group_roles=group_roles,
        ),
    )
    db.session.commit()
    return company
