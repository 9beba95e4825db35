"""Images for Markdown: uploaded by trainers, checked by decoding, stripped, served by name."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from app.uploads import services as uploads
from tests.conftest import csrf_token, sign_in


def png(size=(8, 8), colour=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG", **save)
    return out.getvalue()


def upload(client, data: bytes, filename="picture.png", json=False):
    headers = {"Accept": "application/json"} if json else {}
    return client.post(
        "/author/uploads",
        data={"csrf_token": csrf_token(client, "/"), "image": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
        headers=headers,
    )


def test_a_png_is_uploaded_stripped_and_served(app, client, people):
    sign_in(client, "trainer@zone.example")
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "secret-gps-52.1")
    response = upload(client, png(pnginfo=info), json=True)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    name = body["url"].removeprefix("/uploads/")
    assert body["markdown"] == f"![](/uploads/{name})"
    stored = Path(app.instance_path) / "uploads" / name
    data = stored.read_bytes()
    assert name == f"{hashlib.sha256(data).hexdigest()}.png"
    assert b"secret-gps" not in data and Image.open(io.BytesIO(data)).size == (8, 8)

    served = client.get(f"/uploads/{name}")
    assert served.status_code == 200 and served.data == data
    assert served.mimetype == "image/png"
    assert "immutable" in served.headers["Cache-Control"]
    assert "max-age=31536000" in served.headers["Cache-Control"]

    # the form without the script gets a page with the line to paste
    page = upload(client, png()).get_data(as_text=True)
    assert f"![](/uploads/{name})" in page

    # any signed-in user sees it (it is in lessons); nobody signed out does
    assert app.test_client().get(f"/uploads/{name}").status_code == 302
    learner = app.test_client()
    sign_in(learner, "learner@alpha.example")
    assert learner.get(f"/uploads/{name}").status_code == 200


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"just some text, not a picture", "notes.png", "Это не изображение PNG, JPEG или WebP"),
        (png() + b"\0" * uploads.MAX_BYTES, "big.png", "больше 2 МБ"),
    ],
)
def test_a_bad_upload_is_refused_in_russian(app, client, people, data, filename, message):
    sign_in(client, "trainer@zone.example")
    folder = Path(app.instance_path) / "uploads"
    before = set(folder.iterdir()) if folder.exists() else set()
    response = upload(client, data, filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    response = upload(client, data, filename, json=True)
    assert response.status_code == 422 and message in response.get_json()["error"]
    after = set(folder.iterdir()) if folder.exists() else set()
    assert after == before


def test_a_gif_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    with pytest.raises(uploads.UploadRefused):
        uploads.clean_image(out.getvalue())


@pytest.mark.parametrize(
    "path",
    [
        "/uploads/..%2F..%2Fconfig.py",
        "/uploads/../app/__init__.py",
        "/uploads/%2e%2e%2fsecret",
        "/uploads/" + "a" * 64 + ".exe",
        "/uploads/" + "A" * 64 + ".png",
        "/uploads/" + "a" * 64 + ".png",  # well-formed, but there is no such file
    ],
)
def test_names_other_than_ours_are_not_found(client, people, path):
    sign_in(client, "learner@alpha.example")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("email", [None, "learner@alpha.example", "hr@alpha.example"])
def test_only_trainers_upload(app, client, people, email):
    folder = Path(app.instance_path) / "uploads"
    before = set(folder.iterdir()) if folder.exists() else set()
    if email:
        sign_in(client, email)
    token = csrf_token(client, "/" if email else "/auth/login")
    response = client.post(
        "/author/uploads",
        data={"csrf_token": token, "image": (io.BytesIO(png(colour=(1, 2, 3))), "p.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == (403 if email else 302)
    assert (set(folder.iterdir()) if folder.exists() else set()) == before
