"""Course certificates: issued once on completion, a PDF in Russian, verifiable by code."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date
from fpdf import FPDF
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.models import Certificate, Course, User

#: Debian's fonts-noto-cjk: Cyrillic and Chinese in one family. Index 2 of the collection is SC.
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"))
FONT_FILES = {"": "NotoSansCJK-Regular.ttc", "B": "NotoSansCJK-Bold.ttc"}
SIMPLIFIED_CHINESE = 2
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed


class FontsMissing(RuntimeError):
    """The CJK fonts are not installed (Debian package fonts-noto-cjk)."""


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def issue_certificate(user: User, course: Course) -> Certificate:
    """The learner's certificate for a course, created on first completion (idempotent)."""
    certificate = db.session.scalar(
        select(Certificate).where(
            Certificate.user_id == user.id, Certificate.course_id == course.id
        )
    )
    if certificate is None:
        certificate = Certificate(
            code=new_code(),
            user_id=user.id,
            course_id=course.id,
            learner_name=user.full_name,
            course_title=course.title,
        )
        db.session.add(certificate)
        db.session.flush()
    return certificate


def my_certificate(user: User, certificate_id: int) -> Certificate:
    """One of my certificates; 404 for anyone else's."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.user_id != user.id:
        raise NotFound()
    return certificate


def my_certificates(user: User) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc())
        )
    )


def verify(code: str) -> Certificate | None:
    """The certificate with this code (case and spacing forgiven), or None."""
    cleaned = "".join(ch for ch in code.upper() if ch in CODE_ALPHABET)
    if len(cleaned) != 12:
        return None
    formatted = "-".join(cleaned[i : i + 4] for i in range(0, 12, 4))
    return db.session.scalar(select(Certificate).where(Certificate.code == formatted))


@lru_cache(maxsize=1)
def _font_paths() -> dict[str, Path]:
    for folder in FONT_DIRS:
        paths = {style: folder / name for style, name in FONT_FILES.items()}
        if all(p.exists() for p in paths.values()):
            return paths
    raise FontsMissing("install the Debian package fonts-noto-cjk")


def russian_date(moment: datetime, timezone: str = "Europe/Moscow") -> str:
    """«26 ноября 2026 г.» in the learner's time zone."""
    text = format_date(moment.astimezone(ZoneInfo(timezone)).date(), "long", locale="ru")
    return text.replace("\u202f", " ").replace("\xa0", " ")


def render_pdf(certificate: Certificate, verify_url: str, timezone: str = "Europe/Moscow") -> bytes:
    """An A4 landscape certificate in Russian."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    for style, path in _font_paths().items():
        pdf.add_font("Noto", style, str(path), collection_font_number=SIMPLIFIED_CHINESE)
    pdf.add_page()
    pdf.set_title(f"Сертификат — {certificate.course_title}")
    pdf.set_author("Qiao")
    red = (179, 38, 30)
    pdf.set_draw_color(*red)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, 269, 182)

    pdf.set_text_color(*red)
    pdf.set_font("Noto", "B", 40)
    pdf.set_xy(14, 24)
    pdf.cell(269, 18, "桥", align="C")
    pdf.set_font("Noto", "B", 30)
    pdf.set_xy(14, 46)
    pdf.cell(269, 14, "СЕРТИФИКАТ", align="C")

    pdf.set_text_color(40, 40, 40)
    pdf.set_font("Noto", "", 14)
    pdf.set_xy(14, 70)
    pdf.cell(269, 8, "подтверждает, что", align="C")
    pdf.set_font("Noto", "B", 26)
    pdf.set_xy(24, 82)
    pdf.multi_cell(249, 12, certificate.learner_name, align="C")
    pdf.set_font("Noto", "", 14)
    pdf.set_x(14)
    pdf.cell(269, 10, "успешно завершил(а) курс", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Noto", "B", 20)
    pdf.set_x(24)
    pdf.multi_cell(249, 10, f"«{certificate.course_title}»", align="C")

    pdf.set_font("Noto", "", 12)
    pdf.set_xy(24, 160)
    pdf.cell(120, 7, f"Дата: {russian_date(certificate.issued_at, timezone)}")
    pdf.set_xy(24, 168)
    pdf.cell(120, 7, f"Код проверки: {certificate.code}")
    pdf.set_font("Noto", "", 10)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(24, 176)
    pdf.cell(240, 6, f"Проверить подлинность: {verify_url}")
    pdf.set_xy(160, 160)
    pdf.set_font("Noto", "", 12)
    pdf.set_text_color(40, 40, 40)
    pdf.cell(103, 7, "Цяо · платформа обучения ОЭЗ", align="R")
    return bytes(pdf.output())
