"""Content and clips for the audio tests, made directly through the models (no course files)."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np

from app.audio import cache, processing
from app.extensions import db
from app.models import AudioClip, Course, Dialogue, Exercise, Item, ItemKind, Lesson


def tone(seconds: float = 1.0, rate: int = 16_000, freq: float = 220.0) -> np.ndarray:
    """A tone with a little silence before and after, as float32 samples."""
    t = np.arange(int(seconds * rate)) / rate
    body = (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    pad = np.zeros(int(0.3 * rate), dtype=np.float32)
    return np.concatenate([pad, body, pad])


def wav_bytes(seconds: float = 1.0, rate: int = 16_000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((tone(seconds, rate) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def mp3_bytes(seconds: float = 1.0) -> bytes:
    """A valid clip as the pipeline would store it."""
    return processing.finish(wav_bytes(seconds)).data


def make_course(
    slug: str = "audio-course",
    *,
    published: bool = True,
    words: tuple[str, ...] = ("你好", "谢谢"),
    lines: tuple[str, ...] = ("您好！我是李明。",),
    prompt: str | None = "买",
) -> Course:
    """A course with one lesson: words, a dialogue, and an identify_tone exercise."""
    course = Course(slug=slug, title=f"Курс {slug}", published=published)
    lesson = Lesson(course=course, slug="hello", title="Приветствие", position=0)
    db.session.add_all([course, lesson])
    for n, hanzi in enumerate(words):
        db.session.add(Item(lesson=lesson, key=f"w{n}", hanzi=hanzi, ru="слово", position=n))
    dialogue = Dialogue(lesson=lesson, key="meet", title="Встреча")
    db.session.add(dialogue)
    db.session.flush()
    for n, hanzi in enumerate(lines):
        db.session.add(
            Item(
                lesson=lesson,
                dialogue_id=dialogue.id,
                kind=ItemKind.LINE,
                key=f"l{n}",
                hanzi=hanzi,
                ru="реплика",
                speaker="Ли",
                position=100 + n,
            )
        )
    if prompt:
        db.session.add(
            Exercise(
                lesson=lesson,
                key="tone",
                kind="identify_tone",
                data={"prompt": prompt, "answer": 3},
            )
        )
        db.session.add(
            Exercise(
                lesson=lesson,
                key="meaning",
                kind="choose_meaning",
                data={"prompt": "不听", "options": ["a", "b"], "answer": "a"},
            )
        )
    db.session.commit()
    return course


def make_clip(
    audio_dir: str | Path,
    text: str,
    *,
    speed: str = "normal",
    engine: str = "espeak",
    data: bytes | None = None,
    item_id: int | None = None,
    verdict: str = "unchecked",
) -> AudioClip:
    """A clip row and its file, as a build would leave them."""
    data = data if data is not None else mp3_bytes()
    key = cache.clip_key(engine, "test", speed, text)
    cache.write_atomic(cache.clip_path(audio_dir, key), data)
    clip = AudioClip(
        key=key,
        text=text,
        engine=engine,
        voice="test",
        speed=speed,
        size_bytes=len(data),
        duration_ms=1000,
        item_id=item_id,
        verdict=verdict,
    )
    db.session.add(clip)
    db.session.commit()
    return clip


def clip_url(text: str) -> str:
    """The URL of a clip of `text` in the app's AUDIO_DIR (for the access matrix)."""
    from flask import current_app

    return f"/audio/{make_clip(current_app.config['AUDIO_DIR'], text).key}"
