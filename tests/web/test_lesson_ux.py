"""The lesson as learners and trainers meet it: progress that is saved, a score that moves, the
results at the end with the first-try score, and a trainer's preview that is the learner's page."""

from __future__ import annotations

import uuid
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.author import clips as author_clips
from app.author import drafts as author_drafts
from app.extensions import db
from app.learn import scores
from app.models import Attempt, Card, Enrollment, LessonProgress
from tests.helpers import csrf_token, pass_listening_clips, sign_in
from tests.web.test_learn import RIGHT, WRONG


@pytest.fixture
def learner(app, client, people, content, audio_dir):
    """A signed-in learner; the listening exercises' clips passed verification (else those
    exercises are not offered and the score counts 7 of the 9)."""
    pass_listening_clips(audio_dir, content.exercises)
    sign_in(client, "learner@alpha.example")
    return SimpleNamespace(**vars(people), content=content)


@pytest.fixture
def trainer(client, people, content, monkeypatch):
    monkeypatch.setattr(author_clips, "start_audio_build", lambda app, texts: None)
    content.course.audience = "Сотрудники"
    content.course.description = "Курс."
    db.session.commit()
    sign_in(client, "trainer@zone.example")
    return SimpleNamespace(**vars(people), content=content)


def _answer(client, exercise, answer, token):
    return client.post(
        f"/api/v1/exercises/{exercise.id}/answer",
        json={"answer": answer, "submission_id": str(uuid.uuid4()), "duration_ms": 3000},
        headers={"X-CSRFToken": token},
    ).get_json()


class _Forms(HTMLParser):
    """Counts forms opened inside another form (browsers drop them: their buttons go astray)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.nested = 0
        self.submit_outside = 0

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.nested += self.depth > 0
            self.depth += 1
        if tag == "button" and dict(attrs).get("type") == "submit" and self.depth == 0:
            self.submit_outside += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


def _forms(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    return parser


# --------------------------------------------------------------------------- learner


def test_opening_a_lesson_is_saved(client, learner):
    lesson = learner.content.lesson
    assert client.get(f"/lessons/{lesson.id}").status_code == 200
    db.session.rollback()  # only what the request committed is left
    progress = db.session.scalar(
        select(LessonProgress).where(LessonProgress.lesson_id == lesson.id)
    )
    assert progress is not None and progress.status == "in_progress"
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == learner.learner_a.id)
    )
    assert enrollment is not None and enrollment.status == "in_progress"
    assert enrollment.started_at is not None


def test_the_score_moves_with_each_answer(client, learner):
    content = learner.content
    token = csrf_token(client, f"/lessons/{content.lesson.id}")
    first = _answer(client, content.exercises["choose_meaning"], RIGHT["choose_meaning"], token)
    assert "1 из 9" in first["score_html"]
    second = _answer(client, content.exercises["choose_hanzi"], RIGHT["choose_hanzi"], token)
    assert "2 из 9" in second["score_html"]
    assert not second["all_answered"]


def test_first_try_score_counts_the_earliest_attempt(client, learner):
    content = learner.content
    token = csrf_token(client, f"/lessons/{content.lesson.id}")
    # right, then wrong: the first try was right; wrong, then right: the first try was wrong
    _answer(client, content.exercises["choose_meaning"], RIGHT["choose_meaning"], token)
    _answer(client, content.exercises["choose_meaning"], WRONG["choose_meaning"], token)
    _answer(client, content.exercises["scenario"], WRONG["scenario"], token)
    _answer(client, content.exercises["scenario"], RIGHT["scenario"], token)
    result = scores.lesson_first_try(learner.learner_a.id, content.lesson.id)
    assert (result.right, result.answered, result.total) == (1, 2, 9)
    assert result.percent == 11
    # another learner's attempts never count
    assert scores.lesson_first_try(learner.learner_b.id, content.lesson.id).answered == 0


def test_results_at_the_end_with_first_try_score_and_new_words(client, learner):
    content = learner.content
    token = csrf_token(client, f"/lessons/{content.lesson.id}")
    kinds = list(RIGHT)
    _answer(client, content.exercises[kinds[0]], WRONG[kinds[0]], token)
    messages = []
    for kind in kinds:
        data = _answer(client, content.exercises[kind], RIGHT[kind], token)
        messages.append(data["message"])
    assert data["all_answered"] and data["lesson_completed"]
    assert messages.count("Урок пройден!") == 1  # 8 of 9 is 89 % ≥ 80 %: said once
    summary = data["summary_html"]
    assert "С первой попытки: 8 из 9" in summary and "(89%)" in summary
    assert "你好" in summary and "здравствуйте" in summary  # the new words
    assert "Урок пройден!" in summary
    assert "9 из 9" in data["score_html"]
    html = client.get(f"/lessons/{content.lesson.id}").get_data(as_text=True)
    assert 'id="lesson-summary"' in html and "С первой попытки: 8 из 9" in html


def test_completing_without_javascript_lands_on_the_results(client, learner):
    content = learner.content
    token = csrf_token(client, f"/lessons/{content.lesson.id}")
    kinds = list(RIGHT)
    for kind in kinds[:7]:
        _answer(client, content.exercises[kind], RIGHT[kind], token)
    eighth = content.exercises[kinds[7]]  # 8 of 9 right completes the lesson
    response = client.post(
        f"/exercises/{eighth.id}/answer",
        data={
            "csrf_token": token,
            "submission_id": str(uuid.uuid4()),
            **{f"part-{i}": v for i, v in enumerate(RIGHT[kinds[7]])},
        },
    )
    assert response.headers["Location"].endswith("#lesson-summary")


def test_review_these_words_in_one_click(client, learner):
    lesson = learner.content.lesson
    html = client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Повторять эти слова" in html
    token = csrf_token(client, f"/lessons/{lesson.id}")
    response = client.post(
        f"/lessons/{lesson.id}/study",
        data={"csrf_token": token},
        headers={"Accept": "application/json"},
    )
    assert response.get_json()["ok"] is True
    cards = db.session.scalar(
        select(func.count(Card.id)).where(Card.user_id == learner.learner_a.id)
    )
    assert cards == response.get_json()["created"] > 0
    html = client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Эти слова в повторении." in html


def test_lesson_steps_are_marked_for_the_guided_lesson(client, learner):
    html = client.get(f"/lessons/{learner.content.lesson.id}").get_data(as_text=True)
    for step in ("intro", "words", "exercise", "summary"):
        assert f'data-step="{step}"' in html, step
    assert html.count('data-step="exercise"') == 9
    assert _forms(html).nested == 0


# --------------------------------------------------------------------------- trainer


def test_previews_never_print_a_form_object(client, trainer):
    pages = [
        "/author/c/demo/l/one/generate",
        "/author/c/demo/l/one/exercises/scenario",
        "/author/c/demo/l/one/exercises/new/choose_meaning",
        "/author/c/demo/l/one/preview",
    ]
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        assert "EmptyForm object" not in html and "object at 0x" not in html, page


def test_generated_exercises_sit_in_one_form_with_its_button(client, trainer):
    html = client.get("/author/c/demo/l/one/generate").get_data(as_text=True)
    forms = _forms(html)
    assert forms.nested == 0
    assert forms.submit_outside == 0  # «keep the ticked exercises» belongs to the form
    assert html.count('id="ex-1"') == 1 and 'id="ex-2"' in html  # one id per candidate


def test_preview_is_the_learners_page(client, trainer):
    draft = author_drafts.draft_of(trainer.content.course)
    lesson = draft["lessons"][0]
    lesson["grammar"] = [
        {
            "title": "Связка 是",
            "body": "**是** связывает.",
            "examples": [{"hanzi": "我是经理", "ru": "Я менеджер."}],
        }
    ]
    lesson["dialogues"] = [
        {
            "title": "Встреча",
            "lines": [{"speaker": "Ли", "hanzi": "你好！", "ru": "Здравствуйте!"}],
        }
    ]
    trainer.content.course.draft = draft
    db.session.commit()
    html = client.get("/author/c/demo/l/one/preview").get_data(as_text=True)
    assert "Связка 是" in html and "<strong>是</strong>" in html  # grammar notes
    assert "Я менеджер." in html
    assert 'class="w tap"' in html and "здравствуйте" in html  # tap-a-word glosses
    assert html.count('data-step="exercise"') == 9
    assert '/author/c/demo/l/one/preview/exercises/1"' in html  # live, checked by the preview
    assert _forms(html).nested == 0


@pytest.mark.parametrize("right", [True, False])
def test_preview_checks_answers_without_recording_them(client, trainer, right):
    token = csrf_token(client, "/author/c/demo/l/one/preview")
    kinds = [
        e["kind"] for e in author_drafts.draft_of(trainer.content.course)["lessons"][0]["exercises"]
    ]
    number = kinds.index("matching") + 1
    answer = RIGHT["matching"] if right else WRONG["matching"]
    data = client.post(
        f"/author/c/demo/l/one/preview/exercises/{number}",
        json={"answer": answer},
        headers={"X-CSRFToken": token},
    ).get_json()
    assert data["correct"] is right
    assert ("verdict ok" in data["html"]) is right
    assert db.session.scalar(select(func.count(Attempt.id))) == 0


def test_preview_answers_are_checked_for_shape_and_size(client, trainer):
    token = csrf_token(client, "/author/c/demo/l/one/preview")
    url = "/author/c/demo/l/one/preview/exercises/1"
    headers = {"X-CSRFToken": token}
    assert client.post(url, json={"answer": "x" * 501}, headers=headers).status_code == 400
    assert client.post(url, json={"answer": ["a"]}, headers=headers).status_code == 400
    assert client.post(url, json={"answer": "a"}).status_code == 400  # no CSRF token
    missing = "/author/c/demo/l/one/preview/exercises/99"
    assert client.post(missing, json={"answer": "a"}, headers=headers).status_code == 404
    form = client.post(url, data={"csrf_token": token, "answer": RIGHT["choose_meaning"]})
    assert form.status_code == 302 and form.headers["Location"].endswith("/preview#ex-1")
