"""Course certificates: issued once on completion, a PDF in Russian, verifiable by code."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import segno
from babel.dates import format_date
from fpdf import FPDF
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app import first_try
from app.extensions import db
from app.learn import study_time
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
        answered, right = course_first_try(user.id, course.id)
        certificate = Certificate(
            code=new_code(),
            user_id=user.id,
            course_id=course.id,
            learner_name=user.full_name,
            course_title=course.title,
            company_name=user.company.name if user.company is not None else None,
            study_seconds=study_time.total_seconds(user.id, course.id),
            first_try_score=round(100 * right / answered, 1) if answered else None,
        )
        db.session.add(certificate)
        db.session.flush()
    return certificate


def course_first_try(user_id: int, course_id: int) -> tuple[int, int]:
    """(exercises answered, answered right at the first attempt) of a learner in a course."""
    figures = first_try.first_try_by_course()
    row = db.session.execute(
        select(figures.c.answered, figures.c.right).where(
            figures.c.user_id == user_id, figures.c.course_id == course_id
        )
    ).first()
    return (int(row[0] or 0), int(row[1] or 0)) if row else (0, 0)


def hours(seconds: int | None) -> str:
    """Study time as Russian hours with one decimal: «12,5 ч»; «менее 0,1 ч» for a little."""
    value = round((seconds or 0) / 3600, 1)
    if seconds and value == 0:
        return "менее 0,1 ч"
    return f"{value:.1f}".replace(".", ",") + " ч"


def facts(certificate: Certificate) -> list[tuple[str, str]]:
    """The printed facts beside the name and the course (skipped when not recorded)."""
    out = []
    if certificate.company_name:
        out.append(("Компания", certificate.company_name))
    if certificate.study_seconds is not None:
        out.append(("Время занятий", hours(certificate.study_seconds)))
    if certificate.first_try_score is not None:
        score = f"{certificate.first_try_score:.0f} %"
        out.append(("Верно с первой попытки", score))
    return out


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

    lines = [("Дата", russian_date(certificate.issued_at, timezone)), *facts(certificate)]
    lines.append(("Код проверки", certificate.code))
    pdf.set_font("Noto", "", 12)
    top = 186 - 7 * len(lines)
    for i, (label, value) in enumerate(lines):
        pdf.set_xy(24, top + 7 * i)
        pdf.cell(190, 7, f"{label}: {value}")
    pdf.set_font("Noto", "", 9)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(24, 187)
    pdf.cell(200, 5, f"Проверить подлинность: {verify_url}")
    _draw_qr(pdf, verify_url, x=240, y=150, size=34)
    pdf.set_xy(200, 186)
    pdf.cell(74, 5, "Цяо · платформа обучения ОЭЗ", align="R")
    return bytes(pdf.output())


def _draw_qr(pdf: FPDF, url: str, *, x: float, y: float, size: float) -> None:
    """The check URL as a QR code drawn in vector squares (segno), with its quiet zone."""
    qr = segno.make(url, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    border = 2
    module = size / (len(matrix) + 2 * border)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(
                x + (border + start) * module,
                y + (border + r) * module,
                (c - start) * module,
                module,
                style="F",
            )
