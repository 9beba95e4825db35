"""The learner's side: catalogue, lessons, every exercise kind, progress, certificates."""

import re
import uuid
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import (
    Attempt,
    Card,
    Certificate,
    Enrollment,
    Exercise,
    Item,
    Lesson,
    LessonProgress,
)
from tests.audio_fixtures import make_clip
from tests.helpers import csrf_token, pass_listening_clips, sign_in

RIGHT = {
    "choose_meaning": "здравствуйте",
    "choose_hanzi": "谢谢",
    "type_pinyin": "xie4 xie5",
    "identify_tone": "3",
    "listening": "банк",
    "word_order": ["我", "是", "王", "经理"],
    "fill_blank": "是",
    "matching": ["здравствуйте", "спасибо", "банк"],
    "scenario": "Взять двумя руками",
}
WRONG = {
    "choose_meaning": "спасибо",
    "choose_hanzi": "你好",
    "type_pinyin": "xie4 xie4",
    "identify_tone": "2",
    "listening": "спасибо",
    "word_order": ["我", "王", "是", "经理"],
    "fill_blank": "在",
    "matching": ["спасибо", "здравствуйте", "банк"],
    "scenario": "Взять одной рукой",
}


def _form(answer, token):
    data = {"csrf_token": token, "submission_id": str(uuid.uuid4())}
    if isinstance(answer, list):
        data.update({f"part-{i}": value for i, value in enumerate(answer)})
    else:
        data["answer"] = answer
    return data


def _json(client, exercise, answer, submission_id=None, token=None):
    return client.post(
        f"/api/v1/exercises/{exercise.id}/answer",
        json={
            "answer": answer,
            "submission_id": submission_id or str(uuid.uuid4()),
            "duration_ms": 4000,
        },
        headers={"X-CSRFToken": token},
    )


@pytest.fixture
def learner(app, client, people, content, audio_dir):
    """A signed-in learner; the listening exercises' clips exist and passed verification."""
    pass_listening_clips(audio_dir, content.exercises)
    sign_in(client, "learner@alpha.example")
    return SimpleNamespace(**vars(people), content=content)


def test_catalogue_shows_only_courses_my_company_sees(client, learner):
    html = client.get("/courses").get_data(as_text=True)
    assert "Курс" in html and "Закрытый" not in html
    other = client.application.test_client()
    sign_in(other, "learner@beta.example")
    assert "Закрытый" in other.get("/courses").get_data(as_text=True)


def test_enrol_myself(client, learner):
    course = learner.content.course
    token = csrf_token(client, "/courses")
    for _ in range(2):
        assert (
            client.post(f"/courses/{course.id}/enroll", data={"csrf_token": token}).status_code
            == 302
        )
    count = db.session.scalar(
        select(func.count(Enrollment.id)).where(Enrollment.course_id == course.id)
    )
    assert count == 1
    private = learner.content.private_course
    assert (
        client.post(f"/courses/{private.id}/enroll", data={"csrf_token": token}).status_code == 404
    )


def test_lesson_page_shows_ruby_pinyin_with_tone_colours(client, learner):
    html = client.get(f"/lessons/{learner.content.lesson.id}").get_data(as_text=True)
    assert '<ruby class="tone3">你<rt>nǐ</rt></ruby>' in html
    assert '<ruby class="tone2">银<rt>yín</rt></ruby>' in html
    assert '<ruby class="tone5">谢<rt>xie</rt></ruby>' in html
    # the type-the-pinyin prompt carries neither pinyin nor tone colours
    exercise = re.search(
        r'id="ex-\d+".*?kind-type_pinyin|kind-type_pinyin.*?</section>', html, re.S
    )
    assert exercise and "<rt>" not in exercise.group(0)
    # opening the lesson enrols and records progress
    assert db.session.scalar(select(func.count(LessonProgress.id))) == 1
    assert db.session.scalar(select(Enrollment.status)) == "in_progress"


def test_page_never_carries_the_answer_key(client, learner):
    html = client.get(f"/lessons/{learner.content.lesson.id}").get_data(as_text=True)
    assert "我是王经理" not in html  # word order: only shuffled tiles
    section = html[html.index("kind-matching") :]
    section = section[: section.index("</section>")]
    rights = re.findall(r'<option value="([^"]+)">', section)[:3]
    assert rights and rights != ["здравствуйте", "спасибо", "банк"]


@pytest.mark.parametrize("kind", list(RIGHT))
def test_every_kind_right_and_wrong_with_forms(client, learner, kind):
    exercise = learner.content.exercises[kind]
    token = csrf_token(client, f"/lessons/{exercise.lesson_id}")
    response = client.post(f"/exercises/{exercise.id}/answer", data=_form(WRONG[kind], token))
    assert response.status_code == 302
    html = client.get(f"/lessons/{exercise.lesson_id}").get_data(as_text=True)
    card = html[html.index(f'id="ex-{exercise.id}"') :]
    card = card[: card.index("</section>")]
    assert "verdict bad" in card or "verdict partial" in card
    assert "Правильный ответ" in card
    client.post(f"/exercises/{exercise.id}/answer", data=_form(RIGHT[kind], token))
    html = client.get(f"/lessons/{exercise.lesson_id}").get_data(as_text=True)
    card = html[html.index(f'id="ex-{exercise.id}"') :]
    assert "verdict ok" in card[: card.index("</section>")]
    assert db.session.scalar(select(func.count(Attempt.id))) == 2


@pytest.mark.parametrize("kind", list(RIGHT))
def test_every_kind_right_and_wrong_as_json(client, learner, kind):
    exercise = learner.content.exercises[kind]
    token = csrf_token(client, f"/lessons/{exercise.lesson_id}")
    wrong = _json(client, exercise, WRONG[kind], token=token).get_json()
    right = _json(client, exercise, RIGHT[kind], token=token).get_json()
    assert wrong["correct"] is False and right["correct"] is True


def test_pinyin_feedback_tells_a_wrong_tone_from_a_wrong_syllable(client, learner):
    exercise = learner.content.exercises["type_pinyin"]
    token = csrf_token(client, f"/lessons/{exercise.lesson_id}")
    tone = _json(client, exercise, "xiè xiè", token=token).get_json()
    syllable = _json(client, exercise, "shièshie", token=token).get_json()
    marks = _json(client, exercise, "xièxie", token=token).get_json()
    assert tone["feedback"] == "wrong_tone" and "тон неверный" in tone["html"]
    assert syllable["feedback"] in ("wrong_syllable", "unparseable")
    assert marks["correct"]


def test_scenario_explains_why(client, learner):
    exercise = learner.content.exercises["scenario"]
    token = csrf_token(client, f"/lessons/{exercise.lesson_id}")
    data = _json(client, exercise, "Взять одной рукой", token=token).get_json()
    assert "Так проявляют уважение." in data["html"] and "Взять двумя руками" in data["html"]


def test_double_submit_records_one_attempt(client, learner):
    exercise = learner.content.exercises["choose_meaning"]
    token = csrf_token(client, f"/lessons/{exercise.lesson_id}")
    submission = str(uuid.uuid4())
    first = _json(client, exercise, "здравствуйте", submission, token).get_json()
    again = _json(client, exercise, "спасибо", submission, token).get_json()  # a replay
    assert first["correct"] and again["correct"]
    form = {"csrf_token": token, "submission_id": submission, "answer": "здравствуйте"}
    client.post(f"/exercises/{exercise.id}/answer", data=form)
    assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_answer_without_csrf_is_refused(client, learner):
    exercise = learner.content.exercises["choose_meaning"]
    response = client.post(
        f"/api/v1/exercises/{exercise.id}/answer",
        json={"answer": "здравствуйте", "submission_id": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Attempt.id))) == 0


def test_cannot_answer_another_companys_private_exercise(client, learner):
    private = learner.content.private_lesson
    exercise = Exercise(
        lesson_id=private.id,
        key="x",
        kind="scenario",
        data=dict(learner.content.exercises["scenario"].data),
    )
    db.session.add(exercise)
    db.session.commit()
    token = csrf_token(client, "/courses")
    assert _json(client, exercise, "Взять двумя руками", token=token).status_code == 404


def test_finishing_the_course_gives_a_certificate(app, client, learner):
    content = learner.content
    token = csrf_token(client, f"/lessons/{content.lesson.id}")
    # 8 of 9 right is 89% ≥ 80%: the lesson is complete
    for kind, exercise in content.exercises.items():
        answer = WRONG[kind] if kind == "matching" else RIGHT[kind]
        _json(client, exercise, answer, token=token)
    progress = db.session.scalar(
        select(LessonProgress).where(LessonProgress.lesson_id == content.lesson.id)
    )
    assert progress.completed_at is not None and round(progress.score) == 89
    course_html = client.get(f"/courses/{content.course.id}").get_data(as_text=True)
    assert "89%" in course_html
    # the second lesson (no exercises) is now open; reading it completes the course
    assert client.get(f"/lessons/{content.lesson2.id}").status_code == 200
    client.post(f"/lessons/{content.lesson2.id}/read", data={"csrf_token": token})
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.course_id == content.course.id)
    )
    assert enrollment.status == "completed" and enrollment.completed_at is not None
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.course_id == content.course.id)
    )
    assert certificate.learner_name == learner.learner_a.full_name
    pdf = client.get(f"/certificates/{certificate.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    public = app.test_client().get(f"/certificates/verify/{certificate.code.lower()}")
    text = public.get_data(as_text=True)
    assert public.status_code == 200
    assert learner.learner_a.full_name in text and "Курс" in text
    assert learner.learner_a.email not in text and "Альфа" not in text


def test_lesson_below_threshold_is_not_complete(client, learner):
    content = learner.content
    token = csrf_token(client, f"/lessons/{content.lesson.id}")
    for kind, exercise in content.exercises.items():
        _json(
            client,
            exercise,
            WRONG[kind] if kind in ("matching", "scenario") else RIGHT[kind],
            token=token,
        )
    progress = db.session.scalar(select(LessonProgress))
    assert progress.completed_at is None and round(progress.score) == 78
    assert client.get(f"/lessons/{content.lesson2.id}").status_code == 302  # still locked


def test_i_never_see_another_learners_attempts(app, client, learner):
    exercise = learner.content.exercises["choose_meaning"]
    db.session.add(
        Attempt(
            submission_id="other",
            user_id=learner.hr_a.id,
            exercise_id=exercise.id,
            answer="спасибо",
            correct=False,
            score=0,
        )
    )
    db.session.commit()
    html = client.get(f"/lessons/{exercise.lesson_id}").get_data(as_text=True)
    card = html[html.index(f'id="ex-{exercise.id}"') :]
    assert "verdict" not in card[: card.index("</section>")]


def test_display_preferences_are_remembered(client, learner):
    token = csrf_token(client, f"/lessons/{learner.content.lesson.id}")
    client.post(
        "/settings/display",
        data={"csrf_token": token, "pinyin_mode": "above", "hsk_level": "1", "show_palladius": "y"},
    )
    html = client.get(f"/lessons/{learner.content.lesson.id}").get_data(as_text=True)
    assert "zh-mode-above show-palladius" in html
    assert '<span class="w known" lang="zh-Hans"><ruby class="tone3">你' in html  # 你好 is HSK 1


@contextmanager
def count_queries():
    counter = {"n": 0}

    def count(*args, **kwargs):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _grow(content, n):
    """Add n words, n exercises, n lessons and n attempts."""
    lesson = content.lesson
    for i in range(n):
        db.session.add(
            Item(
                lesson_id=lesson.id,
                key=f"w{i}-{n}",
                hanzi="朋友",
                pinyin="péngyou",
                ru="друг",
                pos="noun",
                position=100 + i,
            )
        )
        db.session.add(
            Exercise(
                lesson_id=lesson.id,
                key=f"e{i}-{n}",
                kind="choose_meaning",
                position=100 + i,
                data=dict(content.exercises["choose_meaning"].data),
            )
        )
        db.session.add(
            Lesson(
                course_id=content.course.id,
                slug=f"l{i}-{n}",
                title="Ещё",
                goals=["Ц"],
                position=10 + i,
            )
        )
    db.session.commit()


@pytest.mark.parametrize("path", ["/", "/courses", "course", "lesson", "/me/stats"])
def test_pages_issue_a_bounded_number_of_queries(client, learner, path):
    content = learner.content
    url = {
        "course": f"/courses/{content.course.id}",
        "lesson": f"/lessons/{content.lesson.id}",
    }.get(path, path)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(content, 30)
    client.get(url)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large["n"] == small["n"], (small["n"], large["n"])
    assert small["n"] <= 25


def test_studying_the_words_creates_my_review_cards(client, learner):
    lesson = learner.content.lesson
    token = csrf_token(client, f"/lessons/{lesson.id}")
    client.post(f"/lessons/{lesson.id}/study", data={"csrf_token": token})
    cards = db.session.scalars(select(Card).where(Card.user_id == learner.learner_a.id)).all()
    assert {c.item.hanzi for c in cards} == {"你好", "谢谢", "银行"}
    assert {"recognition", "recall"} <= {c.direction for c in cards}
    again = client.post(
        f"/lessons/{lesson.id}/study", data={"csrf_token": token}, follow_redirects=True
    )
    assert "уже в повторении" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Card.id))) == len(cards)
    assert (
        db.session.scalar(select(func.count(Card.id)).where(Card.user_id == learner.learner_b.id))
        == 0
    )


def test_passing_a_lesson_adds_its_words_to_review(client, learner):
    content = learner.content
    token = csrf_token(client, f"/lessons/{content.lesson.id}")
    for kind, exercise in content.exercises.items():
        _json(client, exercise, RIGHT[kind], token=token)
    assert (
        db.session.scalar(select(func.count(Card.id)).where(Card.user_id == learner.learner_a.id))
        > 0
    )


@pytest.mark.parametrize("verdict", ["failed", "unchecked"])
def test_a_listening_exercise_without_a_verified_clip_is_not_offered(
    app, client, people, content, audio_dir, verdict
):
    """A clip that failed (or was never checked) is never played in a listening exercise:
    the card shows «нет аудио», has no answer form, and does not count in the score."""
    exercise = content.exercises["listening"]
    tone = content.exercises["identify_tone"]
    for speed in ("normal", "slow"):
        make_clip(app.config["AUDIO_DIR"], exercise.data["prompt"], speed=speed, verdict=verdict)
        make_clip(app.config["AUDIO_DIR"], tone.data["prompt"], speed=speed, verdict="passed")
    sign_in(client, "learner@alpha.example")
    html = client.get(f"/lessons/{exercise.lesson_id}").get_data(as_text=True)
    card = html[html.index(f'id="ex-{exercise.id}"') :]
    card = card[: card.index("</section>")]
    assert "exercise-unavailable" in card and "Нет аудио" in card
    assert "<form" not in card and "/audio/" not in card
    tone_card = html[html.index(f'id="ex-{tone.id}"') :]
    assert "<form" in tone_card[: tone_card.index("</section>")]  # its clip passed
    total = len(content.exercises) - 1
    assert f"из {total}" in html
    # answering everything else right completes the lesson: 8 of 8 offered
    token = csrf_token(client, f"/lessons/{exercise.lesson_id}")
    for kind, other in content.exercises.items():
        if kind != "listening":
            _json(client, other, RIGHT[kind], token=token)
    progress = db.session.scalar(select(LessonProgress))
    assert progress.completed_at is not None and round(progress.score) == 100


def test_a_review_unit_is_marked_on_the_course_page(client, content):
    content.lesson2.review = True
    db.session.commit()
    sign_in(client, "learner@alpha.example")
    html = client.get(f"/courses/{content.course.id}").get_data(as_text=True)
    rows = html.split('class="lesson-row')
    assert '<span class="badge">повторение</span>' in rows[2]
    assert "повторение" not in rows[1]
