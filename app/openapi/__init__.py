"""The JSON API's description (OpenAPI 3.1), declared next to the views.

A view says what it takes and answers with `@documented(...)`: pydantic models for the body, the
query and each response, and who may call it (`Access`). `describe(app)` builds the document
from the URL map with apispec and its Flask plugin: only views that carry a declaration are in
it, their paths come from their rules, so a described path always exists; the test
`tests/web/test_openapi.py` checks the other direction (every JSON endpoint is described).

The rules for changing this description within v1 are in docs/api.md.
"""

from __future__ import annotations

from app.openapi.declare import FORM, Access, Operation, answers_json, documented, operation_of
from app.openapi.document import describe
from app.openapi.shapes import ApiError, Refusal

__all__ = [
    "FORM",
    "Access",
    "ApiError",
    "Operation",
    "Refusal",
    "answers_json",
    "describe",
    "documented",
    "operation_of",
]
