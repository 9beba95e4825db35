"""The error shapes every JSON endpoint shares (the success shapes live beside their views)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: the codes an API error names; a client branches on these, never on the message
ErrorCode = Literal[
    "bad_request",
    "unauthorized",
    "forbidden",
    "not_found",
    "stale",
    "not_reviewable",
    "reused",
]
#: the codes of refusals answered by the app-wide handlers (errors.py, sign-in, CSRF)
RefusalCode = Literal[
    "bad_request",
    "csrf",
    "unauthorized",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "too_large",
    "rate_limited",
    "server_error",
]


class ApiError(BaseModel):
    """An error of the review and jobs API: a stable code and a sentence to show."""

    model_config = ConfigDict(title="ApiError")

    error: ErrorCode = Field(description="What went wrong, as a stable code.")
    message: str = Field(description="The same for a person, in their language.")


class Refusal(BaseModel):
    """A refused request: a sentence to show, and (from the app-wide handlers) its code.

    `error` is the sentence here (the page scripts show it as it is); `code`, when present, is
    the stable code to branch on.
    """

    model_config = ConfigDict(title="Refusal")

    error: str = Field(description="Why the request was refused, for a person.")
    code: RefusalCode | None = Field(
        default=None, description="The stable code, when an app-wide handler answered."
    )
