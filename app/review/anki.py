"""Anki packages (.apkg, made with genanki): a learner's cards, or a course's words for trainers.

One note per word, of one note type, «Qiao: слово», with the fields Hanzi, Pinyin (each syllable
in its tone's colour, the colours of Qiao), Russian, HSK, Example (a sentence of the course that
uses the word), Audio, and one flag field per Qiao review direction. Its four card types are
Qiao's directions (recognition, listening, recall, pinyin); Anki makes a card of a type only when
its flag is filled, so a note has the cards the word has in Qiao (the learner's own directions,
or for a course the directions Qiao would give; listening only with a clip). Audio clips go into
the package's media. Ids are stable (from the word's id), so importing a newer export updates the
notes instead of duplicating them.
"""

from __future__ import annotations

import os
import tempfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import genanki
from flask import current_app
from sqlalchemy import select

from app import policy, visibility
from app.extensions import db
from app.models import Card, Course, Item, ItemKind, Lesson, Role, User
from app.review.deck import LIVE, with_content
from app.srs import directions as d
from app.ui.chinese import coloured_pinyin

MODEL_ID = 1_733_210_021
FLAGS = {d.RECOGNITION: "Recognition", d.LISTENING: "Listening", d.RECALL: "Recall",
         d.PINYIN: "PinyinCard"}  # fmt: skip
FIELDS = ["Hanzi", "Pinyin", "Russian", "HSK", "Example", "Audio", *FLAGS.values()]
CSS = """.card { font-family: sans-serif; font-size: 22px; text-align: center; }
.hanzi { font-size: 48px; }
.example { font-size: 18px; color: #444; margin-top: 1em; }
.hsk { font-size: 14px; color: #5f646b; }
.tone1 { color: #c62828; } .tone2 { color: #a85a00; } .tone3 { color: #1d7a1d; }
.tone4 { color: #1f5fbf; } .tone5 { color: #5f646b; }
"""
BACK = (
    '{{FrontSide}}<hr id="answer"><div class="hanzi">{{Hanzi}}</div><div>{{Pinyin}}</div>'
    '<div>{{Russian}}</div>{{#HSK}}<div class="hsk">HSK {{HSK}}</div>{{/HSK}}{{Audio}}'
    '{{#Example}}<div class="example">{{Example}}</div>{{/Example}}'
)
TEMPLATES = [
    {"name": "Узнавание", "qfmt": '{{#Recognition}}<div class="hanzi">{{Hanzi}}</div>'
     "{{/Recognition}}", "afmt": BACK},
    {"name": "Аудирование", "qfmt": "{{#Listening}}{{Audio}}{{/Listening}}", "afmt": BACK},
    {"name": "Вспоминание", "qfmt": "{{#Recall}}{{Russian}}{{/Recall}}", "afmt": BACK},
    {"name": "Пиньинь", "qfmt": '{{#PinyinCard}}<div class="hanzi">{{Hanzi}}</div>'
     "{{type:Pinyin}}{{/PinyinCard}}", "afmt": BACK},
]  # fmt: skip
MODEL = genanki.Model(
    MODEL_ID,
    "Qiao: слово",
    fields=[{"name": name} for name in FIELDS],
    templates=TEMPLATES,
    css=CSS,
    sort_field_index=0,
)


def _id(text: str) -> int:
    """A stable Anki id (decks need one in 2^31) from a name."""
    return 1 << 30 | zlib.crc32(text.encode("utf-8")) & ((1 << 30) - 1)


def _examples(course_ids: Iterable[int]) -> list[Item]:
    """The sentences of the courses (dialogue lines and examples), shortest first."""
    rows = db.session.scalars(
        select(Item)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .where(
            Lesson.course_id.in_(list(course_ids)),
            Item.kind.in_((ItemKind.LINE, ItemKind.EXAMPLE)),
            visibility.live(Item),
        )
    ).all()
    return sorted(rows, key=lambda i: (len(i.hanzi), i.id))


def _example(word: Item, sentences: list[Item]) -> str:
    for s in sentences:
        if word.hanzi and word.hanzi in s.hanzi and s.hanzi != word.hanzi:
            return f"{s.hanzi}<br>{coloured_pinyin(s.pinyin)}<br>{s.ru}"
    return ""


def _clips(texts: Iterable[str]) -> dict[str, Path]:
    """The audio file of each text, when there is a playable clip on disk."""
    from app.audio import cache
    from app.audio.clips import clip_keys

    audio_dir = current_app.config["AUDIO_DIR"]
    out = {}
    for text, keys in clip_keys(list(texts)).items():
        choice = keys.get("normal")
        if choice is not None and (path := cache.clip_path(audio_dir, choice.key)).is_file():
            out[text] = path
    return out


def _note(item: Item, directions: Iterable[str], example: str, clip: Path | None):
    wanted = set(directions)
    if clip is None:
        wanted.discard(d.LISTENING)
    fields = [
        item.hanzi,
        str(coloured_pinyin(item.pinyin)),
        item.ru,
        str(item.hsk or ""),
        example,
        f"[sound:{clip.name}]" if clip else "",
        *("y" if direction in wanted else "" for direction in FLAGS),
    ]
    return genanki.Note(model=MODEL, fields=fields, guid=genanki.guid_for("qiao", item.id))


def _package(name: str, words: list[tuple[Item, tuple[str, ...]]], course_ids: set[int]) -> bytes:
    deck = genanki.Deck(_id(name), name)
    sentences = _examples(course_ids)
    clips = _clips({item.hanzi for item, _d in words})
    for item, directions in words:
        if any(x in FLAGS for x in directions):
            deck.add_note(_note(item, directions, _example(item, sentences), clips.get(item.hanzi)))
    package = genanki.Package(deck, media_files=[str(p) for p in set(clips.values())])
    handle, path = tempfile.mkstemp(suffix=".apkg")
    os.close(handle)
    try:
        package.write_to_file(path)
        return Path(path).read_bytes()
    finally:
        os.unlink(path)


def learner_package(user: User) -> bytes:
    """The learner's own cards (words still live), one note per word with their directions."""
    policy.require_role(user, Role.LEARNER)
    rows = db.session.execute(
        with_content(select(Card.direction, Item, Lesson.course_id))
        .where(Card.user_id == user.id, LIVE)
        .order_by(Lesson.course_id, Lesson.position, Item.position, Item.id)
    ).all()
    by_item: dict[int, tuple[Item, list[str]]] = {}
    course_ids = set()
    for direction, item, course_id in rows:
        by_item.setdefault(item.id, (item, []))[1].append(direction)
        course_ids.add(course_id)
    words = [(item, tuple(dirs)) for item, dirs in by_item.values()]
    return _package(f"Qiao — {user.full_name}", words, course_ids)


def course_package(course: Course) -> bytes:
    """A course's live words with the directions Qiao gives them (the caller checks access)."""
    items = db.session.scalars(
        select(Item)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .where(
            Lesson.course_id == course.id,
            Item.kind == ItemKind.WORD,
            visibility.live(Item),
            visibility.live(Lesson),
        )
        .order_by(Lesson.position, Item.position, Item.id)
    ).all()
    words = [(i, d.directions_for(i.hanzi, i.pinyin, i.ru, passive=i.passive)) for i in items]
    return _package(f"Qiao — {course.title}", words, {course.id})
