"""Job kinds by name: what a job does, how it is called and how often it may be tried."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: modules that define job kinds; imported when a kind is looked up
KIND_MODULES = (
    "app.audio.jobs",
    "app.directory.jobs",
    "app.hr.people.jobs",
    "app.hr.training.export_jobs",
    "app.learn.jobs",
    "app.review.jobs",
)


class JobError(Exception):
    """An expected failure; its message (Russian) is shown to the person who started the job."""


@dataclass(frozen=True)
class JobKind:
    name: str
    #: what the person who started the job sees as its title
    title: Any
    func: Callable[..., dict[str, Any] | None]
    max_attempts: int = 3
    #: a done job's result as lines for its page: `outcome(result) -> [(text, url or None)]`
    #: (called in a request, so it may translate and build URLs)
    outcome: Callable[[dict[str, Any]], list[tuple[str, str | None]]] | None = None


KINDS: dict[str, JobKind] = {}


def job_kind(name: str, title: Any, *, max_attempts: int = 3, outcome=None):
    """Register `func(payload, progress) -> result dict` as the job kind `name`.

    A job may run more than once (a retry after a failure or after its worker was killed), so it
    must be idempotent: the same payload twice leaves the same state as once. `outcome`
    says what a done job's page shows of its result (see JobKind)."""

    def register(func: Callable[..., dict[str, Any] | None]):
        KINDS[name] = JobKind(name, title, func, max_attempts, outcome)
        return func

    return register


def kind(name: str) -> JobKind:
    """The kind called `name`, importing the modules that define kinds (KIND_MODULES and the
    comma-separated JOBS_MODULES setting, for plugins) on first use."""
    if name not in KINDS:
        from flask import current_app

        extra = current_app.config.get("JOBS_MODULES", "")
        for module in (*KIND_MODULES, *filter(None, (m.strip() for m in extra.split(",")))):
            importlib.import_module(module)
    return KINDS[name]
