"""A trainer uploads a lesson's recordings at once: a zip of files named by key or hanzi."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from app.audio import clips, recordings
from app.extensions import db
from app.models import AudioClip, Item, Lesson, Role
from tests.audio_fixtures import make_clip, make_course, mp3_bytes, wav_bytes
from tests.helpers import csrf_token, sign_in


@pytest.fixture
def lesson(make_company, make_user, audio_dir):
    """The trainer's lesson of three words; a learner of Alpha who may not upload."""
    zone = make_company("zone", "Администрация", kind="zone")
    make_user("trainer@zone.example", zone, {Role.TRAINER})
    make_user("learner@alpha.example", make_company("alpha", "Альфа"))
    make_course(words=("你好", "谢谢", "再见"), lines=(), prompt=None)
    return db.session.scalar(select(Lesson).where(Lesson.slug == "hello"))


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _gbk_zip(name: str, data: bytes) -> bytes:
    """A zip as Windows tools write Chinese names: GBK bytes, no UTF-8 flag."""
    raw = name.encode("gbk")
    placeholder = b"A" * (len(raw) - 4) + b".mp3"
    archive = _zip({placeholder.decode(): data})
    return archive.replace(placeholder, raw)


def _post(client, lesson, data: bytes, name="recordings.zip"):
    url = f"/audio/lessons/{lesson.id}/recordings"
    return client.post(
        url,
        data={"archive": (io.BytesIO(data), name), "csrf_token": csrf_token(client, url)},
        content_type="multipart/form-data",
    )


def _recordings() -> dict[tuple[str, str], str]:
    db.session.rollback()
    rows = db.session.execute(
        select(AudioClip.text, AudioClip.speed, AudioClip.verdict).where(
            AudioClip.engine == "recording"
        )
    ).all()
    return {(r.text, r.speed): r.verdict for r in rows}


def test_a_zip_of_recordings_matched_by_hanzi_and_key(client, lesson, audio_dir):
    make_clip(audio_dir, "你好", engine="espeak", verdict="passed")
    sign_in(client, "trainer@zone.example")
    archive = _zip(
        {
            "你好.mp3": mp3_bytes(1.0),
            "你好.slow.wav": wav_bytes(1.5),
            "w1.wav": wav_bytes(0.8),  # 谢谢 by its key
            "lesson/再见.ogg": b"not audio at all" * 20,
            "朋友.mp3": mp3_bytes(0.5),
            "notes.txt": b"hello",
            "__MACOSX/._你好.mp3": b"junk",
        }
    )
    response = _post(client, lesson, archive)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Сохранено: 3. Не загружено: 3." in html
    assert "朋友.mp3</span>: В уроке нет слова или реплики" in html
    assert "lesson/再见.ogg</span>: Это не аудиофайл" in html
    assert "notes.txt" in html and "__MACOSX" not in html
    assert _recordings() == {
        ("你好", "normal"): "passed",
        ("你好", "slow"): "passed",
        ("谢谢", "normal"): "passed",
    }
    # a recording always wins over synthesis
    keys = clips.clip_keys(["你好"])["你好"]
    assert keys.normal.engine == "recording" and keys.slow.engine == "recording"


def test_names_written_in_gbk_by_windows_zip_tools_are_understood(client, lesson):
    sign_in(client, "trainer@zone.example")
    response = _post(client, lesson, _gbk_zip("谢谢.mp3", mp3_bytes(0.6)))
    assert "Сохранено: 1." in response.get_data(as_text=True)
    assert _recordings() == {("谢谢", "normal"): "passed"}


def test_traversal_names_are_refused_and_nothing_is_written_for_them(client, lesson, audio_dir):
    sign_in(client, "trainer@zone.example")
    archive = _zip({"../你好.mp3": mp3_bytes(0.6), "/abs/谢谢.mp3": mp3_bytes(0.6)})
    html = _post(client, lesson, archive).get_data(as_text=True)
    assert html.count("Имя файла указывает за пределы папки архива.") == 2
    assert _recordings() == {}
    assert not (audio_dir.parent / "你好.mp3").exists()


def test_each_file_gets_the_single_upload_checks(client, lesson, app, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIO_UPLOAD_MAX_BYTES", 50_000)
    sign_in(client, "trainer@zone.example")
    archive = _zip(
        {
            "你好.wav": wav_bytes(3.0),  # 96 kB of WAV: larger than the cap
            "谢谢.wav": wav_bytes(61.0, rate=400),  # small, but longer than a minute
            "再见.mp3": b"",
        }
    )
    html = _post(client, lesson, archive).get_data(as_text=True)
    assert "Файл больше" in html
    assert "Запись длиннее минуты." in html
    assert "Файл пустой." in html or "Это не аудиофайл" in html
    assert _recordings() == {}


def test_a_zip_bomb_is_refused_before_unpacking(client, lesson, monkeypatch):
    monkeypatch.setattr(recordings, "BATCH_MAX_UNPACKED_BYTES", 1_000_000)
    sign_in(client, "trainer@zone.example")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("你好.wav", b"\0" * 2_000_000)  # a few kB packed
    html = _post(client, lesson, buffer.getvalue()).get_data(as_text=True)
    assert "В распакованном виде архив занял бы больше 0 МБ." in html or "МБ" in html
    assert _recordings() == {}


def test_what_is_not_a_zip_is_refused_with_a_message(client, lesson):
    sign_in(client, "trainer@zone.example")
    html = _post(client, lesson, mp3_bytes(0.5), name="你好.mp3").get_data(as_text=True)
    assert "Это не ZIP-архив." in html
    assert _recordings() == {}


@pytest.mark.parametrize("email", ["learner@alpha.example", "trainer@zone.example"])
def test_no_upload_without_the_role_or_without_the_forms_token(client, lesson, email):
    sign_in(client, email)
    response = client.post(
        f"/audio/lessons/{lesson.id}/recordings",
        data={"archive": (io.BytesIO(_zip({"你好.mp3": mp3_bytes(0.5)})), "r.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400  # no token: refused before anything else
    if email == "learner@alpha.example":  # with the token, the role is what refuses
        token = csrf_token(client, "/")
        response = client.post(
            f"/audio/lessons/{lesson.id}/recordings",
            data={"archive": (io.BytesIO(_zip({"你好.mp3": mp3_bytes(0.5)})), "r.zip"),
                  "csrf_token": token},
            content_type="multipart/form-data",
        )  # fmt: skip
        assert response.status_code == 403
    assert db.session.scalar(select(func.count(AudioClip.id))) == 0


def test_the_course_audio_page_links_to_each_lessons_batch_upload(client, lesson):
    sign_in(client, "trainer@zone.example")
    html = client.get("/audio/course/audio-course").get_data(as_text=True)
    assert f"/audio/lessons/{lesson.id}/recordings" in html
    page = client.get(f"/audio/lessons/{lesson.id}/recordings").get_data(as_text=True)
    assert "Записи урока «Приветствие»" in page
    for item in db.session.scalars(select(Item).where(Item.lesson_id == lesson.id)):
        assert item.key in page
