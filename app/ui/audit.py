"""The audit log in words: an event's action and details as a person reads them.

Events store stable English keys (`report.export`, `filters: {"company": "2"}`); the HR audit
log and a course's history show them through these functions, never raw.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

ACTIONS = {
    "assignment.create": _l("Course assigned"),
    "assignment.cancel": _l("Assignment cancelled"),
    "enrollment.override": _l("Marked completed by HR"),
    "enrollment.recertify": _l("Sent for recertification"),
    "person.create": _l("Employee added"),
    "person.update": _l("Employee changed"),
    "person.activate": _l("Employee reactivated"),
    "person.deactivate": _l("Employee deactivated"),
    "person.invite": _l("Invitation sent"),
    "person.invite_accepted": _l("Invitation accepted"),
    "people.import": _l("Employees imported"),
    "department.create": _l("Department created"),
    "department.rename": _l("Department renamed"),
    "report.export": _l("Report exported"),
    "user.create": _l("Account created"),
    "user.update": _l("Account changed"),
    "user.activate": _l("Account reactivated"),
    "user.deactivate": _l("Account deactivated"),
    "course.create": _l("Course created"),
    "course.settings": _l("Course settings changed"),
    "course.publish": _l("Course published"),
    "course.import": _l("Course imported from files"),
    "course.retire": _l("Course hidden from learners"),
    "course.lesson.add": _l("Lesson added"),
    "course.lesson.edit": _l("Lesson changed"),
    "course.lesson.move": _l("Lesson moved"),
    "course.lesson.retire": _l("Lesson removed"),
    "course.items.add": _l("Items added"),
    "course.item.edit": _l("Item changed"),
    "course.item.move": _l("Item moved"),
    "course.item.remove": _l("Item removed"),
    "course.dialogue.edit": _l("Dialogue changed"),
    "course.exercise.add": _l("Exercise added"),
    "course.exercise.edit": _l("Exercise changed"),
    "course.exercise.generate": _l("Exercises generated"),
    "course.exercise.move": _l("Exercise moved"),
    "course.exercise.remove": _l("Exercise removed"),
    "course.grammar.add": _l("Grammar note added"),
    "course.grammar.edit": _l("Grammar note changed"),
    "course.grammar.remove": _l("Grammar note removed"),
    "course.gloss.edit": _l("Dialogue gloss changed"),
    "audio.recording.upload": _l("Recording uploaded"),
    "audio.recording.delete": _l("Recording deleted"),
    "upload.image": _l("Image uploaded"),
}

FIELDS = {
    "after": _l("after"),
    "before": _l("before"),
    "bytes": _l("size, bytes"),
    "company": _l("company"),
    "company_id": _l("company"),
    "count": _l("number"),
    "course": _l("course"),
    "created": _l("created"),
    "active": _l("active"),
    "department": _l("department"),
    "departments_created": _l("departments created"),
    "dialogue": _l("dialogue"),
    "due_date": _l("due date"),
    "due_from": _l("due from"),
    "due_to": _l("due to"),
    "email": _l("e-mail"),
    "exercise": _l("exercise"),
    "fields": _l("fields"),
    "file": _l("file"),
    "filters": _l("filters"),
    "format": _l("format"),
    "from": _l("from"),
    "full_name": _l("full name"),
    "gloss": _l("gloss"),
    "grammar": _l("grammar note"),
    "item": _l("item"),
    "items": _l("items"),
    "key": _l("key"),
    "kind": _l("kind"),
    "lesson": _l("lesson"),
    "manager": _l("manager"),
    "name": _l("name"),
    "override_reason": _l("HR's reason"),
    "password_reset": _l("password reset"),
    "person": _l("employee"),
    "position": _l("position"),
    "previous_completed_at": _l("completed before"),
    "reason": _l("reason"),
    "recurrence_months": _l("repeat every, months"),
    "report": _l("report"),
    "retired": _l("retired"),
    "roles": _l("roles"),
    "speed": _l("speed"),
    "status": _l("status"),
    "summary": _l("summary"),
    "target": _l("assigned to"),
    "title": _l("title"),
    "to": _l("to"),
    "updated": _l("updated"),
    "word": _l("word"),
}

VALUES = {
    "completion": _l("completion"),
    "overdue": _l("overdue"),
    "company": _l("whole company"),
    "person": _l("one employee"),
    "not_started": _l("not started"),
    "in_progress": _l("in progress"),
    "completed": _l("completed"),
    "learner": _l("learner"),
    "trainer": _l("trainer"),
    "hr": _l("HR"),
    "admin": _l("administrator"),
    "csv": "CSV",
    "xlsx": "XLSX",
}

#: fields whose meaning depends on the action
ACTION_FIELDS = {
    "course.dialogue.edit": {"from": _l("title before"), "to": _l("title after")},
}

#: what the importer counts, in the summary of a publication or an import
CONTENT_KINDS = {
    "courses": _l("courses"),
    "lessons": _l("lessons"),
    "dialogues": _l("dialogues"),
    "items": _l("items"),
    "exercises": _l("exercises"),
    "course visibility": _l("course visibility"),
}
_SUMMARY = re.compile(
    r"^created: (?P<created>.*); updated: (?P<updated>.*); retired: (?P<retired>.*)$"
)
_COUNT = re.compile(r"(\d+) ([a-z ]+)")


def action_label(action: str) -> str:
    """The event's action in words; an unknown one keeps its key (better than nothing)."""
    return str(ACTIONS.get(action, action))


def _field(key: str) -> str:
    return str(FIELDS.get(key, key.replace("_", " ")))


def _counts(text: str) -> str:
    parts = [f"{n} {CONTENT_KINDS.get(kind, kind)}" for n, kind in _COUNT.findall(text)]
    return ", ".join(parts) or "—"


def _summary(value: str) -> str:
    """«created: 2 lessons; updated: nothing; …» (the importer's words) in the reader's words."""
    match = _SUMMARY.match(value)
    if match is None:
        return value
    return "; ".join(f"{_field(part)}: {_counts(match.group(part))}" for part in match.groupdict())


def value_text(value: Any) -> str:
    """A detail's value: None as a dash, yes/no, lists joined, mappings as «key: value»."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, Mapping):
        return "; ".join(f"{_field(str(k))}: {value_text(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, str):
        return str(VALUES.get(value, value))
    return str(value)


def details(event_details: Mapping[str, Any] | None, action: str = "") -> list[tuple[str, str]]:
    """(label, text) pairs of an event's details, in the reader's words."""
    out = []
    special = ACTION_FIELDS.get(action, {})
    for key, value in (event_details or {}).items():
        label = str(special[key]) if key in special else _field(key)
        if key == "summary" and isinstance(value, str):
            out.append((label, _summary(value)))
        else:
            out.append((label, value_text(value)))
    return out


def details_markup(
    event_details: Mapping[str, Any] | None, action: str = "", limit: int = 300
) -> Markup:
    """The details as escaped lines for a table cell."""
    lines = []
    for label, text in details(event_details, action):
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        lines.append(
            Markup('<div><span class="muted">{l}:</span> {t}</div>').format(
                l=escape(label), t=escape(text)
            )
        )
    return Markup("").join(lines)
