"""Say it aloud over HTTP: the recording's limits, CSRF, who may send one, the verdicts, and
that nothing of the sound is kept."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audio import processing
from app.extensions import db
from app.models import Attempt, Exercise, Item
from tests.audio_fixtures import make_clip
from tests.helpers import csrf_token, sign_in
from tests.speech_fixtures import silent_wav, spoken_wav


def say_exercise(content, prompt: str = "妈", pinyin: str = "mā") -> Exercise:
    """A say exercise in the open first lesson of the demo course."""
    exercise = Exercise(
        lesson=content.lesson,
        key=f"say-{uuid.uuid4().hex[:8]}",
        kind="say",
        position=50,
        data={"prompt": prompt, "answer": pinyin, "ru": "мама"},
    )
    db.session.add(exercise)
    db.session.commit()
    return exercise


def first_item(content, hanzi: str = "你好") -> Item:
    return db.session.scalar(
        select(Item).where(Item.lesson_id == content.lesson.id, Item.hanzi == hanzi)
    )


@pytest.fixture
def learner(client, content):
    sign_in(client, "learner@alpha.example")
    client.token = csrf_token(client, f"/lessons/{content.lesson.id}")
    return content


def post_recording(client, url: str, data: bytes, *, token: str | None, **fields):
    body = {"recording": (io.BytesIO(data), "take.wav"), **fields}
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(url, data=body, headers=headers, content_type="multipart/form-data")


def _attempts() -> int:
    return db.session.scalar(select(func.count(Attempt.id)))


# --------------------------------------------------------------------------- words and lines


def test_a_word_said_gets_both_contours_and_a_verdict_per_syllable(client, learner, app):
    item = first_item(learner, "银行")
    make_clip(app.config["AUDIO_DIR"], "银行", data=spoken_wav("yin2hang2", "normal"))
    response = post_recording(
        client, f"/api/v1/items/{item.id}/say", spoken_wav("yin2hang2"), token=client.token
    )
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert html.count('class="say-you"') == 2  # my contour, one line per syllable
    assert 'class="say-ref"' in html  # over the model's
    assert "yín" in html and "háng" in html
    assert html.count("тон 2, верно") == 2
    assert "Запись проанализирована и не сохранена" in html


def test_a_wrong_tone_says_which_tone_it_sounded_like(client, learner):
    item = first_item(learner, "银行")
    response = post_recording(
        client, f"/api/v1/items/{item.id}/say", spoken_wav("yin4hang4"), token=client.token
    )
    html = response.get_json()["html"]
    assert response.get_json()["right"] is False
    assert "прозвучал как тон 4; нужен тон 2" in html
    assert "Образца для этого пока нет" in html


def test_third_tone_sandhi_is_what_is_expected(client, learner):
    item = first_item(learner, "你好")
    response = post_recording(
        client, f"/api/v1/items/{item.id}/say", spoken_wav("ni2hao3"), token=client.token
    )
    html = response.get_json()["html"]
    assert "nǐ</span> —\n    ✓ тон 2, верно" in html


# --------------------------------------------------------------------------- limits


def test_a_recording_longer_than_15_s_is_refused_before_it_is_decoded(client, learner, monkeypatch):
    decoded = []
    monkeypatch.setattr(processing, "decode", lambda data: decoded.append(1))
    item = first_item(learner)
    response = post_recording(
        client, f"/api/v1/items/{item.id}/say", silent_wav(20), token=client.token
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "Запись длиннее 15 секунд."
    assert decoded == []


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, learner):
    item = first_item(learner)
    response = post_recording(
        client, f"/api/v1/items/{item.id}/say", b"RIFF" + b"\0" * 1_200_000, token=client.token
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Ничего не записалось. Попробуйте ещё раз, чуть ближе к микрофону."),
        (b"not a sound at all" * 10, "Запись не удалось прочитать. Попробуйте ещё раз."),
    ],
)
def test_empty_or_garbled_recordings_get_a_clear_message(client, learner, data, message):
    item = first_item(learner)
    response = post_recording(client, f"/api/v1/items/{item.id}/say", data, token=client.token)
    assert response.status_code == 400
    assert response.get_json()["error"] == message


def test_without_the_csrf_token_nothing_is_read(client, learner):
    item = first_item(learner)
    response = post_recording(
        client, f"/api/v1/items/{item.id}/say", spoken_wav("ni3hao3"), token=None
    )
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("Страница была открыта")  # the CSRF message
    assert b"say-you" not in response.data


# --------------------------------------------------------------------------- who may


def test_a_guest_and_another_companys_course_get_nothing(client, content):
    from app.models import Item as ItemModel

    hidden = ItemModel(
        lesson=content.private_lesson, key="h", hanzi="你好", pinyin="nǐ hǎo", ru="x"
    )
    db.session.add(hidden)
    db.session.commit()
    item = first_item(content)
    token = csrf_token(client)
    guest = post_recording(client, f"/api/v1/items/{item.id}/say", b"x", token=token)
    assert guest.status_code in (302, 401)
    sign_in(client, "learner@alpha.example")
    token = csrf_token(client, f"/lessons/{content.lesson.id}")
    other = post_recording(
        client, f"/api/v1/items/{hidden.id}/say", spoken_wav("ni2hao3"), token=token
    )
    assert other.status_code == 404


# --------------------------------------------------------------------------- the exercise


def test_the_right_tone_answers_a_say_exercise(client, learner):
    exercise = say_exercise(learner)
    response = post_recording(
        client,
        f"/api/v1/exercises/{exercise.id}/say",
        spoken_wav("ma1"),
        token=client.token,
        submission_id=str(uuid.uuid4()),
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["correct"] is True
    assert "тон 1, верно" in data["html"] and 'class="say-you"' in data["say_html"]
    attempt = db.session.scalar(select(Attempt))
    assert (attempt.answer, attempt.correct) == ("1", True)


def test_another_tone_gets_the_other_verdict(client, learner):
    exercise = say_exercise(learner)
    response = post_recording(
        client,
        f"/api/v1/exercises/{exercise.id}/say",
        spoken_wav("ma4"),
        token=client.token,
        submission_id=str(uuid.uuid4()),
    )
    data = response.get_json()
    assert data["correct"] is False
    assert "прозвучал как тон 4; нужен тон 1" in data["html"]


def test_typed_tones_are_not_an_answer_but_skip_is(client, learner):
    exercise = say_exercise(learner)
    url = f"/api/v1/exercises/{exercise.id}/answer"
    headers = {"X-CSRFToken": client.token}
    typed = client.post(
        url, json={"answer": "1", "submission_id": str(uuid.uuid4())}, headers=headers
    )
    assert typed.status_code == 400
    assert _attempts() == 0
    skipped = client.post(
        url, json={"answer": "skip", "submission_id": str(uuid.uuid4())}, headers=headers
    )
    assert skipped.status_code == 200
    assert skipped.get_json()["correct"] is True
    assert "засчитывается без проверки" in skipped.get_json()["html"]


def test_the_plain_form_skips_without_javascript(client, learner):
    exercise = say_exercise(learner)
    page = client.get(f"/lessons/{learner.lesson.id}").get_data(as_text=True)
    assert "Микрофон недоступен" in page and 'value="skip"' in page
    response = client.post(
        f"/exercises/{exercise.id}/answer",
        data={"answer": "skip", "submission_id": str(uuid.uuid4()), "csrf_token": client.token},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Attempt.answer)) == "skip"


def test_a_say_exercise_without_a_submission_id_or_of_another_kind_is_refused(client, learner):
    exercise = say_exercise(learner)
    no_id = post_recording(
        client, f"/api/v1/exercises/{exercise.id}/say", spoken_wav("ma1"), token=client.token
    )
    assert no_id.status_code == 400
    other = learner.exercises["identify_tone"]
    wrong_kind = post_recording(
        client,
        f"/api/v1/exercises/{other.id}/say",
        spoken_wav("ma1"),
        token=client.token,
        submission_id=str(uuid.uuid4()),
    )
    assert wrong_kind.status_code == 404
    assert _attempts() == 0


# --------------------------------------------------------------------------- privacy


def test_nothing_of_the_recording_is_kept_unless_asked(client, learner, app):
    before = sorted(Path(app.config["AUDIO_DIR"]).rglob("*"))
    instance = sorted(Path(app.instance_path).rglob("*"))
    exercise = say_exercise(learner)
    post_recording(
        client,
        f"/api/v1/exercises/{exercise.id}/say",
        spoken_wav("ma1"),
        token=client.token,
        submission_id=str(uuid.uuid4()),
    )
    assert sorted(Path(app.config["AUDIO_DIR"]).rglob("*")) == before
    assert sorted(Path(app.instance_path).rglob("*")) == instance
    assert db.session.scalar(select(Attempt.answer)) == "1"  # the tone heard, not the sound


# --------------------------------------------------------------------------- kept takes


def _keep(client, content, numbered: str = "ma1") -> int:
    from app.models import SpeechTake

    exercise = say_exercise(content)
    response = post_recording(
        client,
        f"/api/v1/exercises/{exercise.id}/say",
        spoken_wav(numbered),
        token=client.token,
        submission_id=str(uuid.uuid4()),
        keep="1",
    )
    assert response.status_code == 200
    assert "Мои записи" in response.get_json()["say_html"]
    return db.session.scalar(select(SpeechTake.id).order_by(SpeechTake.id.desc()))


def test_a_kept_take_is_mine_to_hear_and_delete(client, learner):
    take_id = _keep(client, learner)
    page = client.get("/me/recordings").get_data(as_text=True)
    assert "妈" in page and f"/me/recordings/{take_id}.mp3" in page
    sound = client.get(f"/me/recordings/{take_id}.mp3")
    assert sound.status_code == 200 and sound.mimetype == "audio/mpeg"
    assert processing.probe(sound.data)[0] == "mp3"
    assert "no-store" in sound.headers["Cache-Control"]
    deleted = client.post(f"/me/recordings/{take_id}/delete", data={"csrf_token": client.token})
    assert deleted.status_code == 302
    assert client.get(f"/me/recordings/{take_id}.mp3").status_code == 404


@pytest.mark.parametrize(
    "email", ["hr@alpha.example", "trainer@zone.example", "admin@zone.example"]
)
def test_hr_trainers_and_admins_never_hear_a_learners_recording(app, client, learner, email):
    take_id = _keep(client, learner)
    other = app.test_client()
    sign_in(other, email)
    token = csrf_token(other, "/auth/password")
    assert other.get(f"/me/recordings/{take_id}.mp3").status_code == 404
    assert "妈" not in other.get("/me/recordings").get_data(as_text=True)
    refused = other.post(f"/me/recordings/{take_id}/delete", data={"csrf_token": token})
    assert refused.status_code == 404
    assert client.get(f"/me/recordings/{take_id}.mp3").status_code == 200


def test_unticked_nothing_is_kept_and_only_the_newest_are(client, learner, monkeypatch):
    from app.learn import say as say_service
    from app.models import SpeechTake

    post_recording(
        client,
        f"/api/v1/exercises/{say_exercise(learner).id}/say",
        spoken_wav("ma1"),
        token=client.token,
        submission_id=str(uuid.uuid4()),
    )
    assert db.session.scalar(select(func.count(SpeechTake.id))) == 0
    monkeypatch.setattr(say_service, "KEEP_MAX", 2)
    ids = [_keep(client, learner) for _ in range(3)]
    kept = db.session.scalars(select(SpeechTake.id).order_by(SpeechTake.id)).all()
    assert kept == ids[1:]


def test_after_a_reload_the_verdict_still_says_each_syllable(client, learner):
    exercise = say_exercise(learner)
    post_recording(
        client,
        f"/api/v1/exercises/{exercise.id}/say",
        spoken_wav("ma4"),
        token=client.token,
        submission_id=str(uuid.uuid4()),
    )
    page = client.get(f"/lessons/{learner.lesson.id}").get_data(as_text=True)
    assert "прозвучал как тон 4; нужен тон 1" in page


def test_a_line_without_written_pinyin_is_read_with_the_engines(client, learner):
    line = Item(lesson=learner.lesson, key="line-ma", hanzi="妈妈", pinyin="", ru="мама")
    db.session.add(line)
    db.session.commit()
    response = post_recording(
        client, f"/api/v1/items/{line.id}/say", spoken_wav("ma1ma5"), token=client.token
    )
    assert response.status_code == 200
    assert "нейтральный тон, не проверяется" in response.get_json()["html"]
