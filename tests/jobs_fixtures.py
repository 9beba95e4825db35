"""Job kinds for the tests (registered through JOBS_MODULES, as a plugin's would be)."""

from __future__ import annotations

import time
from pathlib import Path

from app.extensions import db
from app.jobs import JobError, job_kind
from app.models import AuditEvent

CALLS: list[dict] = []


@job_kind("test.record", "Запись события", max_attempts=3)
def record(payload, progress):
    """Writes one audit event per job: the effect whose count tells 'exactly once'."""
    CALLS.append(payload)
    progress(50, "половина")
    if payload.get("fail_times", 0) >= sum(1 for c in CALLS if c == payload):
        raise RuntimeError("temporary failure")
    if payload.get("refuse"):
        raise JobError("Файл повреждён: строка 3.")
    _mark(payload["marker"])
    return {"marker": payload["marker"]}


@job_kind("test.slow", "Долгая работа", max_attempts=3)
def slow(payload, progress):
    """Reports progress for a few seconds, then writes its marker (with its 'done', at once)."""
    for step in range(payload["steps"]):
        progress(100 * step / payload["steps"], f"шаг {step + 1}")
        Path(payload["progress_file"]).write_text(str(step))
        time.sleep(payload["pause"])
    _mark(payload["marker"])
    return {"steps": payload["steps"]}


def _mark(marker: str) -> None:
    """Deliberately not idempotent: a second run would show as a second row."""
    db.session.add(AuditEvent(action=marker, details={}))
