"""`@documented`: what a JSON view takes and answers, stored on the view for `describe`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel

F = TypeVar("F", bound=Callable)

#: a response's content: a pydantic model, several (any of them), a raw JSON schema, or None
Content = type[BaseModel] | tuple[type[BaseModel], ...] | dict[str, Any] | None

#: the body of a plain HTML form (`body_media`), for endpoints posted by a page's script
FORM = "application/x-www-form-urlencoded"


class Access(Enum):
    """Who may call an endpoint, and so which refusals it may answer before its own."""

    #: anyone (probes, public data)
    PUBLIC = "public"
    #: any signed-in person; the CSRF header on POST
    SIGNED_IN = "signed_in"
    #: a signed-in learner; the CSRF header on every method (GET included)
    LEARNER = "learner"
    #: a signed-in trainer or zone admin; the CSRF header on POST
    TRAINER = "trainer"


@dataclass(frozen=True)
class Operation:
    """The declaration of one JSON endpoint (its methods share it)."""

    tag: str
    access: Access
    responses: dict[int, Content]
    body: type[BaseModel] | None = None
    body_media: str = "application/json"
    query: type[BaseModel] | None = None
    #: a refused request may answer 429 (rate limit) or 413 (body limit)
    rate_limited: bool = False
    body_limited: bool = False


def documented(
    tag: str,
    access: Access,
    responses: dict[int, Content],
    *,
    body: type[BaseModel] | None = None,
    body_media: str = "application/json",
    query: type[BaseModel] | None = None,
    rate_limited: bool = False,
    body_limited: bool = False,
) -> Callable[[F], F]:
    """Declare a JSON endpoint: put it right under the route decorator(s).

    `responses` lists the view's own answers; the refusals that come before the view (sign-in,
    role, CSRF, rate and body limits) are added from `access` and the two flags.
    """
    operation = Operation(
        tag=tag,
        access=access,
        responses=responses,
        body=body,
        body_media=body_media,
        query=query,
        rate_limited=rate_limited,
        body_limited=body_limited,
    )

    def decorator(view: F) -> F:
        view.openapi_operation = operation  # type: ignore[attr-defined]
        return view

    return decorator


def operation_of(view: Callable | None) -> Operation | None:
    """The declaration of a view function, looking through the decorators that wrap it."""
    while view is not None:
        found = getattr(view, "openapi_operation", None)
        if found is not None:
            return found
        view = getattr(view, "__wrapped__", None)
    return None


def answers_json(path: str, view: Callable | None) -> bool:
    """Whether a request's errors are answered as JSON: the /api/ paths and every declared
    JSON endpoint (a script cannot follow a sign-in page or read an HTML error page)."""
    return path.startswith("/api/") or operation_of(view) is not None
