"""The error of a change refused for a reason the person can fix in the form.

Each service has its own subclass (so a route catches only its own), with one shape: `field`
names the form field the problem belongs to, `code` (also the message) says which problem it
is, for the route to put into words.
"""

from __future__ import annotations


class FieldError(ValueError):
    """A refused change: `field` of the form, `code` of the problem."""

    def __init__(self, field: str, code: str):
        super().__init__(code)
        self.field = field
        self.code = code
