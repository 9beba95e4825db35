"""Image uploads: decoded with Pillow (a renamed file is refused), re-encoded so that no
metadata (EXIF, GPS, text chunks) survives, stored under their content's SHA-256."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
#: larger images are refused before they are decoded (decompression bombs)
MAX_PIXELS = 40_000_000
#: Pillow's format -> the stored file's extension
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
MIME_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
NAME = re.compile(r"[0-9a-f]{64}\.(?:png|jpg|webp)")


class UploadRefused(Exception):
    """The file is not an image we keep; `reason` is `too_large`, `not_image` or `empty`."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def uploads_dir(instance_path: str) -> Path:
    return Path(instance_path) / "uploads"


def clean_image(data: bytes) -> tuple[bytes, str]:
    """The image re-encoded without metadata, and its extension; UploadRefused otherwise."""
    if not data:
        raise UploadRefused("empty")
    if len(data) > MAX_BYTES:
        raise UploadRefused("too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in FORMATS or probe.width * probe.height > MAX_PIXELS:
                raise UploadRefused("not_image")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadRefused("not_image") from None
    if image.mode == "P" or (image.mode not in ("RGB", "RGBA", "L", "LA") and fmt != "JPEG"):
        image = image.convert("RGBA")
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    options = {"PNG": {"optimize": True}, "JPEG": {"quality": 90}, "WEBP": {"quality": 90}}
    clean.save(out, format=fmt, **options[fmt])
    return out.getvalue(), FORMATS[fmt]


def store(instance_path: str, data: bytes) -> str:
    """Clean and keep an uploaded image; returns its name (`<sha256>.<ext>`)."""
    clean, ext = clean_image(data)
    name = f"{hashlib.sha256(clean).hexdigest()}.{ext}"
    folder = uploads_dir(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if not target.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(clean)
        os.replace(tmp, target)
    return name
