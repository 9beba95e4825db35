"""Trainer uploads (L-4 zip entries, L-7), absolute links (L-6) and the Info findings:
HSTS, no-store on HR/admin pages, zip messages without server paths, formula neutralisation."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from app.author import clips as author_clips
from app.extensions import db
from tests.helpers import csrf_token, sign_in
from tests.web.test_security_import import _patch_central


@pytest.fixture
def trainer(client, people, monkeypatch):
    monkeypatch.setattr(author_clips, "start_audio_build", lambda actor, texts: None)
    sign_in(client, "trainer@zone.example")
    return client


def _course_zip(extra: dict[str, bytes] | None = None, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr(
            "good/course.yaml",
            "slug: good\ntitle: T\nkind: language\nlevel: x\naudience: a\n"
            "description: d\nlessons: [one]\n",
        )
        archive.writestr("good/one.yaml", "slug: one\ntitle: T\ngoals: [g]\ntittle: typo\n")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _import(client, data: bytes):
    return client.post(
        "/author/import",
        data={
            "csrf_token": csrf_token(client, "/author/import"),
            "archive": (io.BytesIO(data), "c.zip"),
        },
        content_type="multipart/form-data",
    )


# --------------------------------------------------------------------------- L-4 zip entries


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: _patch_central(b, "good/one.yaml", 8, b"\x01\x00"), "зашифрован"),
        (lambda b: _patch_central(b, "good/one.yaml", 16, b"\x00\x00\x00\x00"), "повреждён"),
        (lambda b: _patch_central(b, "good/one.yaml", 10, b"\x63\x00"), "сжат способом"),
        (lambda b: b.replace(b"good/one.yaml", b"good/two.yaml", 1), "повреждён"),
    ],
    ids=["encrypted", "bad-crc", "unknown-compression", "mismatched-name"],
)
def test_crafted_zip_entries_are_refused_with_a_message(trainer, mutate, message):
    response = _import(trainer, mutate(_course_zip()))
    html = response.get_data(as_text=True)
    assert response.status_code == 422, html[:500]
    assert message in html


# --------------------------------------------------------------------------- L-7


def test_a_zip_that_unpacks_too_large_is_refused_before_reading(trainer):
    filler = {f"good/f{n}.yaml": b"# " + b"x" * 500_000 for n in range(20)}
    data = _course_zip(filler)
    assert len(data) < 200_000
    started = time.perf_counter()
    response = _import(trainer, data)
    assert time.perf_counter() - started < 2.0
    assert response.status_code == 422
    assert "после распаковки" in response.get_data(as_text=True)


def test_a_long_recording_is_refused_before_it_is_decoded(
    client, people, app, tmp_path, monkeypatch
):
    from app.audio import processing
    from tests.audio_fixtures import make_course, wav_bytes
    from tests.web.test_audio_web import _item, _upload

    monkeypatch.setitem(app.config, "AUDIO_DIR", str(tmp_path))
    make_course()
    db.session.commit()

    def no_decoding(data):
        raise AssertionError("decoded before the length was checked")

    monkeypatch.setattr(processing, "decode", no_decoding)
    sign_in(client, "trainer@zone.example")
    data = wav_bytes(130.0, rate=2_000)  # 130 s stated in the header
    response = _upload(client, _item().id, data, "long.wav")
    assert "Запись длиннее минуты." in response.get_data(as_text=True)
    assert 130_000 <= processing.probe_duration_ms(data) < 131_000


def test_the_markdown_preview_refuses_overlong_text(trainer):
    headers = {"X-CSRFToken": csrf_token(trainer, "/author/")}
    started = time.perf_counter()
    response = trainer.post(
        "/author/api/preview/markdown", json={"text": "[a" * 12_000}, headers=headers
    )
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 400
    assert "длиннее 20000 символов" in response.get_json()["error"].replace("\xa0", "")
    response = trainer.post(
        "/author/api/preview/markdown", json={"text": "**жирный**"}, headers=headers
    )
    assert response.status_code == 200 and "<strong>жирный</strong>" in response.get_json()["html"]


def test_many_unmatched_brackets_render_quickly():
    from app.content.markdown import render

    started = time.perf_counter()
    html = render("![" * 10_000)  # 10 s for twice as many before; now linear
    assert time.perf_counter() - started < 3.0
    assert html.count("[") == 10_000
    assert '<a href="http://x"' in render("[x](http://x)")


# --------------------------------------------------------------------------- L-6


def test_invitation_links_come_from_the_base_url_not_the_host_header(
    app, client, people, monkeypatch
):
    monkeypatch.setitem(app.config, "QIAO_BASE_URL", "https://qiao.example")
    people.learner_a.password_hash = None
    db.session.commit()
    client.environ_base["HTTP_HOST"] = "evil.example"
    sign_in(client, "hr@alpha.example")
    response = client.post(
        f"/hr/people/{people.learner_a.id}/invite",
        data={"csrf_token": csrf_token(client, "/hr/people"), "send": "show"},
    )
    html = response.get_data(as_text=True)
    link = re.search(r'id="invite-link" value="([^"]+)"', html).group(1)
    assert link.startswith("https://qiao.example/hr/invite/")
    assert "evil.example" not in html


def test_certificate_check_links_come_from_the_base_url(app, monkeypatch):
    from app.links import external_url

    monkeypatch.setitem(app.config, "QIAO_BASE_URL", "https://qiao.example/")
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        url = external_url("learn.verify_certificate", code="ABCD-EFGH-JKLM")
    assert url == "https://qiao.example/certificates/verify/ABCD-EFGH-JKLM"


def test_trusted_hosts_refuse_other_host_names(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["qiao.example"])
    assert client.get("/auth/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/auth/login", headers={"Host": "qiao.example"}).status_code == 200


# --------------------------------------------------------------------------- Info


def test_hr_and_admin_pages_are_not_cached(client, people):
    sign_in(client, "admin@zone.example")
    for url in ("/hr/people", "/hr/", "/admin/users", "/hr/export/completion.csv"):
        assert client.get(url).headers.get("Cache-Control") == "no-store", url
    assert client.get("/courses").headers.get("Cache-Control") != "no-store"


def test_hsts_is_sent_over_https_when_configured(app, client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers
    monkeypatch.setitem(app.config, "HSTS_SECONDS", 31_536_000)
    secure = client.get("/auth/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers


@pytest.mark.parametrize(
    "lesson",
    [
        b"slug: one\ntitle: T\ngoals: [g]\ntittle: typo\n",  # a schema error
        b"slug: one\ntitle: [unclosed\n",  # YAML syntax: the parser quotes the file's path
        b"\xff\xfe not text",  # not UTF-8
        None,  # the lesson file is missing
    ],
    ids=["schema", "yaml-syntax", "encoding", "missing-file"],
)
def test_zip_messages_name_paths_inside_the_archive_only(trainer, lesson):
    data = _course_zip()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            if name != "good/one.yaml":
                archive.writestr(name, source.read(name))
            elif lesson is not None:
                archive.writestr(name, lesson)
    response = _import(trainer, out.getvalue())
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "good/" in html
    assert "qiao-author-" not in html and "/tmp" not in html


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "  =1+1",
        "\u3000=1",
        "＝HYPERLINK(1)",
        "＋7",
        "－1",
        "＠SUM(A1)",
        "\u200b=1",
        "\ufeff+1",
        "\u2060@x",
    ],
)
def test_formulas_are_neutralised_after_normalising(value):
    from app.hr.training.exporting import neutralise

    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Анна", "x=1", " Иван", "e-mail", ""])
def test_plain_text_is_left_alone(value):
    from app.hr.training.exporting import neutralise

    assert neutralise(value) == value


def test_defusedxml_is_a_declared_dependency():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert re.search(r'^\s*"defusedxml[>=<]', text, re.MULTILINE)
