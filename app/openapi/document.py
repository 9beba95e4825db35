"""Build the OpenAPI 3.1 document from the declared views of an app's URL map."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask
from pydantic import BaseModel
from werkzeug.routing import BaseConverter, IntegerConverter, Rule

from app.openapi.declare import Access, Content, Operation, operation_of
from app.openapi.shapes import ApiError, Refusal

API_VERSION = "1.0.0"
DESCRIPTION = """The JSON API of Qiao (桥): reviews, exercise answers, the editor's live helpers.

Authentication is the browser's: sign in through `/auth/login`, then send the session cookie
and the CSRF token (the `csrf_token` of any page's form, or the `csrf-token` meta tag) in the
`X-CSRFToken` header. The review API wants the header on every request, GET included; the
others on POST. Errors are JSON: see the `ApiError` and `Refusal` schemas. What may change
within v1 is written in docs/api.md.
"""

SECURITY_SCHEMES = {
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "The session cookie set by signing in at /auth/login.",
    },
    "csrf": {
        "type": "apiKey",
        "in": "header",
        "name": "X-CSRFToken",
        "description": "The session's CSRF token (a page's `csrf_token` form field).",
    },
}

STATUS_TEXT = {
    200: "OK",
    201: "Created",
    400: "The request could not be understood, or the CSRF token is missing or stale.",
    401: "Not signed in.",
    403: "Signed in without the role this needs, or the lesson is not open yet.",
    404: "No such object, or not one the caller may see.",
    405: "Method not allowed.",
    409: "A conflict with the current state (see the error code).",
    413: "The body is larger than this endpoint accepts.",
    422: "The content was understood but refused (the message says why).",
    429: "Too many requests: wait a minute.",
    503: "Not ready.",
}


def _path_schema(converter: BaseConverter) -> dict[str, Any]:
    """The schema of a path parameter, from its URL converter (`<int:…>` is bounded)."""
    if isinstance(converter, IntegerConverter):
        schema: dict[str, Any] = {"type": "integer", "minimum": converter.min or 0}
        if converter.max is not None:
            schema["maximum"] = converter.max
        return schema
    return {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}


class _Builder:
    def __init__(self, spec: APISpec):
        self.spec = spec
        self.known: set[str] = set()

    def ref(self, model: type[BaseModel]) -> dict[str, str]:
        """Register `model` (and the models it uses) once; a reference to it."""
        name = model.__name__
        if name not in self.known:
            self.known.add(name)
            schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for sub_name, sub_schema in schema.pop("$defs", {}).items():
                if sub_name not in self.known:
                    self.known.add(sub_name)
                    self.spec.components.schema(sub_name, sub_schema)
            self.spec.components.schema(name, schema)
        return {"$ref": f"#/components/schemas/{name}"}

    def schema(self, content: Content) -> dict[str, Any]:
        if isinstance(content, tuple):
            return {"anyOf": [self.ref(model) for model in content]}
        if isinstance(content, dict):
            return content
        assert content is not None
        return self.ref(content)

    def response(self, status: int, content: Content) -> dict[str, Any]:
        response: dict[str, Any] = {"description": STATUS_TEXT.get(status, str(status))}
        if content is not None:
            response["content"] = {"application/json": {"schema": self.schema(content)}}
        return response


def _refusals(rule: Rule, operation: Operation, method: str) -> dict[int, Content]:
    """The answers that come before the view: no such path, sign-in, role, CSRF, limits."""
    refusals: dict[int, Content] = {}
    if rule.arguments:
        refusals[404] = Refusal  # a path whose parameters do not fit the rule, or hold a NUL
    if operation.query is not None:
        refusals[400] = Refusal  # a NUL character in the query
    error = ApiError if operation.access is Access.LEARNER else Refusal
    if operation.access is not Access.PUBLIC:
        refusals[401] = error
        if method == "post" or operation.access is Access.LEARNER:
            refusals[400] = Refusal
    if operation.access in (Access.LEARNER, Access.TRAINER):
        refusals[403] = error
    if operation.rate_limited:
        refusals[429] = Refusal
    if operation.body_limited:
        refusals[413] = Refusal
    return refusals


def _merge(first: Content, second: Content) -> Content:
    """Either of two shapes for one status (a view's own 400 and the CSRF refusal)."""
    if first is None or first == second:
        return second
    if second is None:
        return first
    models = (first if isinstance(first, tuple) else (first,)) + (
        second if isinstance(second, tuple) else (second,)
    )
    return tuple(dict.fromkeys(models))


def _parameters(rule: Rule, operation: Operation) -> list[dict[str, Any]]:
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": _path_schema(converter),
        }
        for name, converter in rule._converters.items()
    ]
    if operation.query is not None:
        schema = operation.query.model_json_schema()
        required = set(schema.get("required", []))
        for name, prop in schema["properties"].items():
            parameter = {"name": name, "in": "query", "required": name in required}
            if "description" in prop:
                parameter["description"] = prop.pop("description")
            prop.pop("title", None)
            parameters.append(parameter | {"schema": prop})
    return parameters


def _operation(builder: _Builder, view, rule: Rule, method: str, operation: Operation) -> dict:
    doc = (view.__doc__ or "").strip()
    summary, _, description = doc.partition("\n\n")
    responses = dict(operation.responses)
    for status, content in _refusals(rule, operation, method).items():
        responses[status] = _merge(responses.get(status), content)
    out: dict[str, Any] = {
        "operationId": rule.endpoint.replace(".", "_"),
        "tags": [operation.tag],
        "summary": " ".join(summary.split()),
        "responses": {
            str(status): builder.response(status, content)
            for status, content in sorted(responses.items())
        },
    }
    if description:
        out["description"] = " ".join(description.split())
    if parameters := _parameters(rule, operation):
        out["parameters"] = parameters
    if operation.body is not None and method != "get":
        out["requestBody"] = {
            "required": True,
            "content": {operation.body_media: {"schema": builder.ref(operation.body)}},
        }
    if operation.access is Access.PUBLIC:
        out["security"] = []
    elif method == "get" and operation.access is not Access.LEARNER:
        out["security"] = [{"session": []}]
    return out


def documented_rules(app: Flask) -> list[tuple[Rule, Operation]]:
    """Every rule of the URL map whose view carries a declaration, in path order."""
    found = []
    for rule in app.url_map.iter_rules():
        operation = operation_of(app.view_functions.get(rule.endpoint))
        if operation is not None:
            found.append((rule, operation))
    return sorted(found, key=lambda pair: pair[0].rule)


def describe(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of `app`'s declared JSON endpoints."""
    spec = APISpec(
        title="Qiao API",
        version=API_VERSION,
        openapi_version="3.1.0",
        plugins=[FlaskPlugin()],
        info={"description": DESCRIPTION},
        security=[{"session": [], "csrf": []}],
    )
    for name, scheme in SECURITY_SCHEMES.items():
        spec.components.security_scheme(name, scheme)
    builder = _Builder(spec)
    builder.ref(ApiError)
    builder.ref(Refusal)
    for rule, operation in documented_rules(app):
        view = app.view_functions[rule.endpoint]
        methods = sorted(m.lower() for m in (rule.methods or ()) if m not in ("HEAD", "OPTIONS"))
        spec.path(
            view=view,
            app=app,
            operations={m: _operation(builder, view, rule, m, operation) for m in methods},
        )
    return spec.to_dict()
