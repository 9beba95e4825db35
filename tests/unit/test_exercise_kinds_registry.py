"""Every exercise kind is one plugin: the registry gives its schema, editor fields, template,
translations and answer handling, and a course file round-trips through import and export.

The last tests register a trivial kind ("echo": type the prompt back) in the test only and
show that it works through the registry alone, without touching any other module.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal

import pytest
import yaml
from flask import render_template_string
from flask_babel import force_locale, get_translations, gettext
from jinja2 import ChoiceLoader, DictLoader
from pydantic import TypeAdapter, ValidationError
from werkzeug.datastructures import MultiDict

from app.content.exporter import export_course
from app.content.importer import import_courses
from app.content.schema import EXERCISE_KINDS, LessonFile
from app.content.types import Text
from app.content.validate import validate_tree
from app.exercises import REGISTRY, AnswerError, ExerciseKind, Verdict, exercise_schema, register
from app.exercises.base import N_, ExerciseBase, answer_text
from tests.content_fixtures import COURSE_YAML

KINDS = list(REGISTRY)
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "exercises" / "templates"
CARD = (
    '{% from "ui/_exercise.html" import exercise_card with context %}'
    '{{ exercise_card(item, 1, "", {}) }}'
)


def _exercise(name: str) -> dict[str, Any]:
    return {"key": f"ex-{name.replace('_', '-')}", "kind": name, **REGISTRY[name].example}


def _card(name: str, data: dict[str, Any]) -> str:
    kind = REGISTRY[name]
    item = {
        "exercise": SimpleNamespace(id=7, kind=name, data=data),
        "view": kind.render(data, seed=1),
        "submission_id": "",
        "verdict": None,
    }
    return render_template_string(CARD, item=item)


def test_the_file_format_lists_the_registered_kinds_in_order():
    assert tuple(REGISTRY) == EXERCISE_KINDS
    assert EXERCISE_KINDS[:9] == (  # the built-in kinds; a new one comes after them
        "choose_meaning",
        "choose_hanzi",
        "type_pinyin",
        "identify_tone",
        "listening",
        "word_order",
        "fill_blank",
        "matching",
        "scenario",
    )


@pytest.mark.parametrize("name", KINDS)
def test_kind_has_its_schema_and_editor_fields(name):
    from app.author.forms import ExerciseForm

    kind = REGISTRY[name]
    assert kind.name == name
    model = kind.schema.model_validate(_exercise(name))
    assert model.kind == name
    # the lesson file's schema picks this kind's model by its `kind`
    chosen = TypeAdapter(exercise_schema()).validate_python(_exercise(name))
    assert type(chosen) is kind.schema
    assert set(kind.fields) <= set(vars(ExerciseForm)), "every field is one of the editor's"
    assert set(kind.helps) <= set(kind.fields) | {"options", "explanation"}
    # the editor shows the example's fields as text and reads the same exercise back
    assert set(kind.example) <= set(kind.fields)
    text = {name: kind.field_text(name, value) for name, value in kind.example.items()}
    assert kind.form_data(text) == kind.example


@pytest.mark.parametrize("name", KINDS)
def test_kind_template_exists_and_renders(app, name):
    kind = REGISTRY[name]
    assert (TEMPLATES / kind.template).is_file()
    with app.test_request_context("/"), force_locale("ru"):
        html = _card(name, _exercise(name))
    assert f'class="card exercise kind-{name}' in html
    assert ("data-multi" in html) is kind.multi
    assert 'name="part-0"' in html if kind.multi else 'name="answer"' in html


@pytest.mark.parametrize("name", KINDS)
def test_kind_label_instruction_and_helps_are_translated(app, name):
    kind = REGISTRY[name]
    with app.test_request_context("/"), force_locale("ru"):
        for msgid in (kind.instruction, kind.label):
            russian = gettext(msgid)
            assert russian != msgid and CYRILLIC.search(russian), msgid
        catalogue = get_translations()._catalog  # helps like «Markdown.» stay as they are
        assert all(msgid in catalogue for msgid in kind.helps.values())


@pytest.mark.parametrize("name", KINDS)
def test_kind_parses_answers_within_limits(name):
    kind = REGISTRY[name]
    data = kind.schema.model_validate(_exercise(name)).model_dump(mode="json", exclude_none=True)
    form = MultiDict({"part-1": "b", "part-0": "a"} if kind.multi else {"answer": " x "})
    answer = kind.form_answer(form)
    assert answer == (["a", "b"] if kind.multi else " x ")
    with pytest.raises(AnswerError):
        kind.parse_answer(data, ["x" * 5000] if kind.multi else "x" * 5000)
    assert kind.check(data, None).correct is False


def test_every_kind_round_trips_through_the_course_files(app_ctx, tmp_path):
    """A lesson with one exercise of every kind: import, export, the same exercises again."""
    exercises = [_exercise(name) for name in KINDS]
    lesson = {"slug": "hello", "title": "Урок", "goals": ["Цель"], "exercises": exercises}
    source = tmp_path / "src" / "tiny"
    source.mkdir(parents=True)
    (source / "course.yaml").write_text(COURSE_YAML, encoding="utf-8")
    (source / "hello.yaml").write_text(yaml.safe_dump(lesson, allow_unicode=True), "utf-8")
    result = validate_tree(tmp_path / "src")
    assert result.errors == []
    import_courses(result)
    export_course("tiny", tmp_path / "out" / "tiny")
    exported = yaml.safe_load((tmp_path / "out" / "tiny" / "hello.yaml").read_text("utf-8"))
    assert exported["exercises"] == exercises
    again = validate_tree(tmp_path / "out")
    assert again.errors == []
    report = import_courses(again)
    assert not report.created and not report.updated and not report.retired


# --------------------------------------------------------------------------- a kind of a test's own


class EchoSchema(ExerciseBase):
    kind: Literal["echo"]
    prompt: Text


class Echo(ExerciseKind):
    """Type the prompt back."""

    name = "echo"
    schema = EchoSchema
    instruction = N_("Type the pinyin with tones")  # any translated msgid will do in a test
    template = "exercises/echo.html"
    fields = ("question", "prompt", "explanation")
    example = {"prompt": "nǐ hǎo"}

    def render(self, data, *, seed):
        return {"prompt": data["prompt"]}

    def check(self, data, answer):
        correct = answer_text(answer) == data["prompt"]
        return Verdict(correct, float(correct), "correct" if correct else "wrong", data["prompt"])


ECHO_TEMPLATE = """\
<p class="prompt">{{ view.prompt }}</p>
<label for="ans-{{ ex.id }}">{{ _("Answer") }}</label>
<input type="text" id="ans-{{ ex.id }}" name="answer" required>
"""


@pytest.fixture
def echo(app, monkeypatch):
    """The echo kind registered, and its template findable, for one test."""
    register(Echo)
    loader = ChoiceLoader([DictLoader({Echo.template: ECHO_TEMPLATE}), app.jinja_env.loader])
    monkeypatch.setattr(app.jinja_env, "loader", loader)
    app.jinja_env.cache.clear()
    yield REGISTRY["echo"]
    del REGISTRY["echo"]
    app.jinja_env.cache.clear()


def test_a_new_kind_works_through_the_registry_alone(app, echo):
    # schema: a lesson's exercises validate with the new kind among the built-in ones
    adapter = TypeAdapter(list[exercise_schema()])
    exercises = [_exercise("choose_meaning"), {"key": "e", "kind": "echo", "prompt": "nǐ hǎo"}]
    assert [e.kind for e in adapter.validate_python(exercises)] == ["choose_meaning", "echo"]
    with pytest.raises(ValidationError):
        adapter.validate_python([{"key": "e", "kind": "echo"}])
    # the editor's fields become the file's entry
    assert echo.form_data({"question": "", "prompt": "nǐ hǎo", "explanation": ""}) == {
        "prompt": "nǐ hǎo"
    }
    # the card renders the kind's template, with the instruction the registry gives
    with app.test_request_context("/"), force_locale("ru"):
        html = _card("echo", {"prompt": "nǐ hǎo"})
        instruction = gettext(Echo.instruction)
    assert 'class="card exercise kind-echo' in html and "nǐ hǎo" in html
    assert instruction in html and "data-multi" not in html
    # answers: parsed from the form within the limits, then checked
    answer = echo.parse_answer({"prompt": "nǐ hǎo"}, echo.form_answer({"answer": " nǐ hǎo "}))
    assert echo.check({"prompt": "nǐ hǎo"}, answer).correct
    assert not echo.check({"prompt": "nǐ hǎo"}, "ni hao").correct
    with pytest.raises(AnswerError):
        echo.parse_answer({"prompt": "nǐ hǎo"}, "x" * 5000)


def test_the_test_kind_is_gone_afterwards():
    assert "echo" not in REGISTRY
    with pytest.raises(ValidationError):
        TypeAdapter(exercise_schema()).validate_python({"key": "e", "kind": "echo", "prompt": "x"})
    with pytest.raises(ValidationError):
        LessonFile.model_validate(
            {"slug": "s", "title": "T", "goals": ["G"], "exercises": [{"key": "e", "kind": "echo"}]}
        )
