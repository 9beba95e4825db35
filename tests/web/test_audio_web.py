"""Serving clips (ranges, caching, traversal, who may hear what), trainers' recordings and
the audio pages."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app.audio import cache
from app.extensions import db
from app.models import AudioClip, AuditEvent, Item
from tests.audio_fixtures import make_clip, make_course, mp3_bytes, wav_bytes
from tests.helpers import csrf_token, sign_in


@pytest.fixture
def clip(people, audio_dir):
    make_course()
    return make_clip(audio_dir, "你好", data=mp3_bytes(2.0))


def test_a_clip_is_served_with_type_etag_and_immutable_caching(client, clip, audio_dir):
    sign_in(client, "learner@alpha.example")
    response = client.get(f"/audio/{clip.key}")
    body = cache.clip_path(audio_dir, clip.key).read_bytes()
    assert response.status_code == 200
    assert response.mimetype == "audio/mpeg"
    assert response.data == body
    assert response.headers["ETag"] == f'"{clip.key}"'  # strong: no W/
    cache_control = response.headers["Cache-Control"]
    assert "immutable" in cache_control and "max-age=31536000" in cache_control
    assert "private" in cache_control and "public" not in cache_control
    assert "no-cache" not in cache_control
    assert response.headers["Accept-Ranges"] == "bytes"
    again = client.get(f"/audio/{clip.key}", headers={"If-None-Match": f'"{clip.key}"'})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),  # the first bytes
        ("bytes=1000-1999", 1000, 1999),  # the middle
        ("bytes=-500", None, None),  # the last 500 bytes (suffix)
        ("bytes=2000-", 2000, None),  # from an offset to the end
    ],
)
def test_range_requests_return_the_asked_bytes(client, clip, audio_dir, header, start, end):
    body = cache.clip_path(audio_dir, clip.key).read_bytes()
    size = len(body)
    if start is None:
        start, end = size - 500, size - 1
    elif end is None:
        end = size - 1
    sign_in(client, "learner@alpha.example")
    response = client.get(f"/audio/{clip.key}", headers={"Range": header})
    assert response.status_code == 206
    assert response.data == body[start : end + 1]
    assert response.headers["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response.headers["Content-Length"] == str(end - start + 1)
    assert response.mimetype == "audio/mpeg"


def test_an_unsatisfiable_range_is_416(client, clip, audio_dir):
    size = cache.clip_path(audio_dir, clip.key).stat().st_size
    sign_in(client, "learner@alpha.example")
    response = client.get(f"/audio/{clip.key}", headers={"Range": f"bytes={size + 10}-"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{size}"


TRAVERSALS = [
    "/audio/..%2F..%2Fetc%2Fpasswd",
    "/audio/../../etc/passwd",
    "/audio/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/audio/..%5C..%5Csecret.txt",
    "/audio/..",
    "/audio/" + "0" * 63 + "%2F",
    "/audio/" + "A" * 64,
    "/audio/" + "0" * 64 + ".mp3",
    "/audio/%00" + "0" * 63,
    "/audio/" + "0" * 64,  # well-formed but unknown
]


def test_nothing_outside_the_audio_folder_is_reachable(client, people, audio_dir):
    (audio_dir.parent / "secret.txt").write_text("the-secret-content")
    sign_in(client, "admin@zone.example")
    for path in TRAVERSALS:
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 404, path
        assert b"the-secret-content" not in response.data, path
        assert b"root:" not in response.data, path


def test_clips_of_unpublished_content_are_not_served_to_learners(client, people, audio_dir):
    make_course("draft", published=False, words=("草稿",), lines=(), prompt=None)
    draft = make_clip(audio_dir, "草稿")
    sign_in(client, "learner@alpha.example")
    assert client.get(f"/audio/{draft.key}").status_code == 404
    trainer = client.application.test_client()
    sign_in(trainer, "trainer@zone.example")
    assert trainer.get(f"/audio/{draft.key}").status_code == 200  # trainers preview drafts


def test_a_spoken_exercise_prompt_is_served_to_learners(client, people, audio_dir):
    make_course(words=(), lines=(), prompt="买")
    prompt = make_clip(audio_dir, "买")
    sign_in(client, "learner@alpha.example")
    assert client.get(f"/audio/{prompt.key}").status_code == 200


def test_a_course_for_other_companies_is_not_heard(client, people, audio_dir):
    from app.models import CourseCompany

    course = make_course("beta-only", words=("贝塔",), lines=(), prompt=None)
    course.visible_to_all = False
    db.session.add(CourseCompany(course_id=course.id, company_id=people.b.id))
    db.session.commit()
    only_b = make_clip(audio_dir, "贝塔")
    sign_in(client, "learner@alpha.example")
    assert client.get(f"/audio/{only_b.key}").status_code == 404
    other = client.application.test_client()
    sign_in(other, "learner@beta.example")
    assert other.get(f"/audio/{only_b.key}").status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, clip):
    response = client.get(f"/audio/{clip.key}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# --- recordings --------------------------------------------------------------------------------


def _item(hanzi: str = "你好") -> Item:
    """The item of the test course (another course may have a 你好 too)."""
    from app.models import Course, Lesson

    return db.session.scalar(
        select(Item)
        .join(Lesson, Item.lesson_id == Lesson.id)
        .join(Course, Lesson.course_id == Course.id)
        .where(Item.hanzi == hanzi, Course.slug == "audio-course")
    )


def _upload(client, item_id: int, data: bytes, name: str, speed: str = "normal", token=True):
    form = {"file": (io.BytesIO(data), name), "speed": speed}
    if token:
        form["csrf_token"] = csrf_token(client, "/audio/course/audio-course")
    return client.post(
        f"/audio/items/{item_id}/recording",
        data=form,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_a_trainer_recording_takes_precedence(client, people, audio_dir):
    from app.audio.clips import clip_keys

    make_course()
    synth = make_clip(audio_dir, "你好", engine="gtts")
    item = _item()
    sign_in(client, "trainer@zone.example")
    response = _upload(client, item.id, wav_bytes(1.0), "hello.wav")
    assert response.status_code == 200
    assert "Запись «你好» сохранена." in response.get_data(as_text=True)
    db.session.rollback()
    recording = db.session.scalar(select(AudioClip).where(AudioClip.engine == "recording"))
    assert recording.item_id == item.id and recording.text == "你好"
    assert recording.mime_type == "audio/mpeg" and recording.duration_ms >= 900
    assert cache.clip_path(audio_dir, recording.key).exists()
    assert clip_keys(["你好"])["你好"].normal.key == recording.key != synth.key
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "audio.recording.upload")
    )

    # a second upload replaces the first; removing it brings synthesis back
    _upload(client, item.id, wav_bytes(1.5), "hello2.wav")
    db.session.rollback()
    recordings = db.session.scalars(select(AudioClip).where(AudioClip.engine == "recording"))
    assert [r.key for r in recordings] != [recording.key]
    token = csrf_token(client, "/audio/course/audio-course")
    client.post(
        f"/audio/items/{item.id}/recording/delete", data={"speed": "normal", "csrf_token": token}
    )
    db.session.rollback()
    assert clip_keys(["你好"])["你好"].normal.key == synth.key


def test_a_renamed_text_file_is_refused(client, people, audio_dir):
    make_course()
    sign_in(client, "trainer@zone.example")
    response = _upload(client, _item().id, "Привет, это текст.\n".encode() * 100, "voice.mp3")
    assert "Это не аудиофайл или его не удаётся прочитать." in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(AudioClip)) is None
    assert list(cache.iter_files(audio_dir)) == []


def test_an_oversized_file_is_refused(client, app, people, audio_dir, monkeypatch):
    make_course()
    monkeypatch.setitem(app.config, "AUDIO_UPLOAD_MAX_BYTES", 50_000)
    sign_in(client, "trainer@zone.example")
    response = _upload(client, _item().id, wav_bytes(3.0), "long.wav")  # ~96 KB
    assert "Файл больше 0,05 МБ." in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(AudioClip)) is None


def test_uploads_need_csrf_and_a_trainer(client, people, audio_dir):
    make_course()
    item = _item()
    sign_in(client, "trainer@zone.example")
    assert _upload(client, item.id, wav_bytes(), "a.wav", token=False).status_code == 400
    learner = client.application.test_client()
    sign_in(learner, "learner@alpha.example")
    token = csrf_token(learner, "/")
    response = learner.post(
        f"/audio/items/{item.id}/recording",
        data={"file": (io.BytesIO(wav_bytes()), "a.wav"), "speed": "normal", "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    db.session.rollback()
    assert db.session.scalar(select(AudioClip)) is None


# --- pages --------------------------------------------------------------------------------------


def test_the_course_page_shows_buttons_and_the_missing_state(client, people, audio_dir):
    make_course()
    normal = make_clip(audio_dir, "你好", speed="normal")
    sign_in(client, "trainer@zone.example")
    html = client.get("/audio/course/audio-course").get_data(as_text=True)
    assert f'href="/audio/{normal.key}"' in html and 'data-audio-src="/audio/' in html
    assert 'aria-label="Слушать: 你好"' in html
    assert "Нет аудио" in html  # 谢谢 has no clip: said plainly, not a silent button
    assert 'class="audio-btn audio-slow is-missing"' in html  # 你好 has no slow clip
    assert "/static/js/audio.js" in html
    assert "1 из 8" in html  # 4 texts × 2 speeds, one clip made
    index = client.get("/audio/").get_data(as_text=True)
    assert "/audio/course/audio-course" in index and "1 / 8" in index
