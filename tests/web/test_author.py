"""The course editor: drafts, items with pinyin, exercises, publishing, files, safety."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from app.author import clips, drafts
from app.author.paste import examples_text, parse_examples
from app.extensions import db
from app.models import AuditEvent, Card, Course, Item, Lesson
from tests.conftest import csrf_token, sign_in

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture(autouse=True)
def no_audio_build(monkeypatch):
    """Audio is made by a background job in production; tests record what was asked."""
    asked: list[list[str]] = []
    monkeypatch.setattr(clips, "start_audio_build", lambda actor, texts: asked.append(list(texts)))
    return asked


@pytest.fixture
def trainer(client, content):
    # the fixture course lacks what a course file requires
    content.course.audience = "Сотрудники"
    content.course.description = "Курс."
    db.session.commit()
    sign_in(client, "trainer@zone.example")
    return client


def token(client, path="/author/") -> str:
    return csrf_token(client, "/")


def new_course(client, slug="biz", **extra):
    data = {
        "csrf_token": token(client),
        "slug": slug,
        "title": "Деловой китайский",
        "kind": "language",
        "level": "HSK 1",
        "audience": "Сотрудники",
        "description": "Курс **для** сотрудников.",
        "pass_threshold": "80",
        "visibility": "all",
        **extra,
    }
    return client.post("/author/new", data=data)


def add_lesson(client, course="biz", slug="lesson-1", title="Первый урок"):
    version = db.session.scalar(select(Course.version).where(Course.slug == course))
    db.session.expire_all()
    return client.post(
        f"/author/c/{course}/lessons",
        data={
            "csrf_token": token(client),
            "version": version,
            "slug": slug,
            "title": title,
            "goals": "Поздороваться\nПредставиться",
        },
    )


def lesson_version(course="biz", lesson="lesson-1") -> int:
    db.session.expire_all()
    c = db.session.scalar(select(Course).where(Course.slug == course))
    return drafts.lesson_version(drafts.draft_of(c), lesson)


def paste(client, block, course="biz", lesson="lesson-1", mode="words", title=""):
    return client.post(
        f"/author/c/{course}/l/{lesson}/paste",
        data={
            "csrf_token": token(client),
            "version": lesson_version(course, lesson),
            "mode": mode,
            "dialogue_title": title,
            "block": block,
        },
    )


def post_word(client, ref="v0", **fields):
    """Save the editor's form of word `ref` of lesson-1 as 银行 «банк», with `fields` added."""
    data = {"csrf_token": token(client), "version": lesson_version(), "hanzi": "银行"}
    data |= {"ru": "банк", "pos": "noun", **fields}
    return client.post(f"/author/c/biz/l/lesson-1/items/{ref}", data=data)


def publish(client, course="biz"):
    return client.post(f"/author/c/{course}/publish", data={"csrf_token": token(client)})


def draft_lesson(course="biz", lesson="lesson-1") -> dict:
    db.session.expire_all()
    c = db.session.scalar(select(Course).where(Course.slug == course))
    return drafts.lesson_of(drafts.draft_of(c), lesson)


def test_build_publish_and_study_a_lesson(trainer, client, people, no_audio_build):
    assert new_course(client).status_code == 302
    course = db.session.scalar(select(Course).where(Course.slug == "biz"))
    assert course is not None and not course.published
    assert add_lesson(client).status_code == 302
    assert (
        paste(client, "银行 — банк\n你好 — здравствуйте\n行长 — директор банка").status_code == 302
    )
    assert no_audio_build[-1] == ["银行", "你好", "行长"]
    page = client.get("/author/c/biz/l/lesson-1").get_data(as_text=True)
    assert "yínháng" in page and "Иньхан" in page  # generated pinyin and Palladius
    # learners do not see a course before it is published
    assert client.get("/author/c/biz").status_code == 200
    # fix the reading of 行长 (a chosen reading is locked)
    response = client.post(
        "/author/c/biz/l/lesson-1/items/v2",
        data={
            "csrf_token": token(client),
            "version": lesson_version(),
            "hanzi": "行长",
            "pinyin": "hángzhǎng",
            "pinyin_locked": "y",
            "ru": "президент банка",
            "pos": "noun",
        },
    )
    assert response.status_code == 302
    assert draft_lesson()["vocabulary"][2]["pinyin"] == "hángzhǎng"
    # an exercise, validated and previewed
    response = client.post(
        "/author/c/biz/l/lesson-1/exercises/new/choose_meaning",
        data={
            "csrf_token": token(client),
            "version": lesson_version(),
            "kind": "choose_meaning",
            "key": "meaning-bank",
            "prompt": "银行",
            "options": "банк\nздравствуйте",
            "answer": "банк",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert publish(client).status_code == 302
    db.session.expire_all()
    course = db.session.scalar(select(Course).where(Course.slug == "biz"))
    assert course.published and course.draft is None
    lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id))
    items = {
        i.hanzi: i for i in db.session.scalars(select(Item).where(Item.lesson_id == lesson.id))
    }
    assert items["行长"].pinyin == "hángzhǎng" and items["行长"].pinyin_locked
    assert items["银行"].pinyin == "yínháng" and not items["银行"].pinyin_locked
    # the learner studies it
    client.post("/auth/logout", data={"csrf_token": token(client)})
    sign_in(client, "learner@alpha.example")
    html = client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Первый урок" in html and "银行" in html and "банк" in html


def test_edits_stay_in_draft_until_published_and_cards_survive(trainer, client, people, content):
    item = db.session.scalar(select(Item).where(Item.hanzi == "谢谢"))
    db.session.add(Card(user_id=people.learner_a.id, item_id=item.id, direction="recognition"))
    db.session.commit()
    response = client.post(
        "/author/c/demo/l/one/items/v1",
        data={
            "csrf_token": token(client),
            "version": lesson_version("demo", "one"),
            "hanzi": "谢谢",
            "pinyin": "xièxie",
            "pinyin_locked": "y",
            "ru": "благодарю",
            "pos": "phrase",
        },
    )
    assert response.status_code == 302
    # remove 银行 from the draft
    response = client.post(
        "/author/c/demo/l/one/items/v2/remove",
        data={"csrf_token": token(client), "version": lesson_version("demo", "one")},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Item, item.id).ru == "спасибо"  # learners still see the old one
    assert publish(client, "demo").status_code == 302
    db.session.expire_all()
    assert db.session.get(Item, item.id).ru == "благодарю"  # same row: same card
    assert db.session.scalar(select(Card).where(Card.item_id == item.id)) is not None
    bank = db.session.scalar(select(Item).where(Item.hanzi == "银行"))
    assert bank.retired_at is not None
    actions = set(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.target_id == content.course.id)
        )
    )
    assert {"course.item.edit", "course.item.remove", "course.publish"} <= actions
    html = client.get("/author/c/demo/history").get_data(as_text=True)
    assert "Курс опубликован" in html and "Trainer" in html
    assert "course.publish" not in html and "summary:" not in html


def test_stale_version_is_refused_with_a_message(trainer, client, people):
    version = lesson_version("demo", "one")
    data = {
        "csrf_token": token(client),
        "version": version,
        "title": "Урок 1 (первая правка)",
        "slug": "one",
        "goals": "Цель",
    }
    assert client.post("/author/c/demo/l/one", data=data).status_code == 302
    data["title"] = "Вторая правка поверх"
    response = client.post("/author/c/demo/l/one", data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "since you opened it" in html or "пока у вас была открыта" in html
    assert draft_lesson("demo", "one")["title"] == "Урок 1 (первая правка)"


def test_exercise_validation_messages(trainer, client, people):
    base = {"csrf_token": token(client), "version": lesson_version("demo", "one")}
    response = client.post(
        "/author/c/demo/l/one/exercises/new/choose_meaning",
        data={**base, "key": "bad", "prompt": "你好", "options": "a\nb", "answer": "c"},
    )
    assert response.status_code == 422
    assert "твета «c» нет среди вариантов" in response.get_data(as_text=True)
    # a Latin «a» among Cyrillic letters is found and named
    response = client.post(
        "/author/c/demo/l/one/exercises/new/choose_meaning",
        data={
            **base,
            "key": "homoglyph",
            "prompt": "你好",
            "options": "здравствуйте\nспасибо",
            "answer": "здрaвствуйте",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "в ответе латинская «a» среди кириллических букв (символ 4)" in html
    response = client.post(
        "/author/c/demo/l/one/exercises/new/scenario",
        data={**base, "key": "sc", "prompt": "Что делать?", "options": "a\nb", "answer": "a"},
    )
    assert response.status_code == 422
    assert "explanation" in response.get_data(as_text=True)


def test_exercise_preview_json_needs_csrf_and_renders(trainer, client, people):
    data = {
        "kind": "choose_hanzi",
        "key": "x",
        "prompt": "спасибо",
        "options": "谢谢\n你好",
        "answer": "谢谢",
    }
    assert client.post("/author/api/preview/exercise", data=data).status_code == 400
    response = client.post(
        "/author/api/preview/exercise", data=data, headers={"X-CSRFToken": token(client)}
    )
    body = response.get_json()
    assert body["ok"] and "谢谢" in body["html"] and "спасибо" in body["html"]


def test_live_pinyin_endpoint(trainer, client, people):
    headers = {"X-CSRFToken": token(client)}
    assert client.post("/author/api/pinyin", json={"hanzi": "银行"}).status_code == 400
    info = client.post("/author/api/pinyin", json={"hanzi": "银行"}, headers=headers).get_json()
    assert info["pinyin"] == "yínháng" and info["hsk"] and info["palladius"]
    poly = next(p for p in info["polyphones"] if p["char"] == "行")
    assert "xing2" in [o["value"] for o in poly["options"]]
    assert poly["why"] == "словарное слово 银行"
    ruled = client.post("/author/api/pinyin", json={"hanzi": "我得走了"}, headers=headers)
    why = next(p["why"] for p in ruled.get_json()["polyphones"] if p["char"] == "得")
    assert why.startswith("правило: ") and "děi" in why
    chosen = client.post(
        "/author/api/pinyin",
        json={"hanzi": "银行", "choices": {str(poly["index"]): "xing2"}},
        headers=headers,
    ).get_json()
    assert chosen["pinyin"] == "yínxíng"
    assert next(p for p in chosen["polyphones"] if p["char"] == "行")["why"] == "ваш выбор"


def test_export_then_import_changes_nothing(trainer, client, people):
    response = client.get("/author/c/demo/export.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert "demo/course.yaml" in archive.namelist() and "demo/one.yaml" in archive.namelist()
    before = {
        (i.id, i.key, i.hanzi, i.pinyin, i.ru, i.retired_at)
        for i in db.session.scalars(select(Item))
    }
    response = client.post(
        "/author/import",
        data={"csrf_token": token(client), "archive": (io.BytesIO(response.data), "demo.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    after = {
        (i.id, i.key, i.hanzi, i.pinyin, i.ru, i.retired_at)
        for i in db.session.scalars(select(Item))
    }
    assert before == after


def test_import_reports_file_and_line(trainer, client, people):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "bad/course.yaml",
            "slug: bad\ntitle: T\nkind: language\nlevel: x\naudience: a\n"
            "description: d\nlessons: [one]\n",
        )
        z.writestr("bad/one.yaml", "slug: one\ntitle: T\ngoals: [g]\ntittle: typo\n")
    response = client.post(
        "/author/import",
        data={"csrf_token": token(client), "archive": (io.BytesIO(buffer.getvalue()), "b.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "bad/one.yaml:4: tittle: unknown field" in response.get_data(as_text=True)
    assert db.session.scalar(select(Course).where(Course.slug == "bad")) is None


def test_import_refuses_paths_outside_a_course_folder(trainer, client, people):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("../evil.yaml", "x: 1")
    response = client.post(
        "/author/import",
        data={"csrf_token": token(client), "archive": (io.BytesIO(buffer.getvalue()), "e.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422


def test_generate_exercises_to_review_and_keep(trainer, client, people):
    html = client.get("/author/c/demo/l/one/generate").get_data(as_text=True)
    keep = re.findall(r'name="keep" value="([^"]+)"', html)
    assert len(keep) >= 4
    import html as html_lib

    response = client.post(
        "/author/c/demo/l/one/generate",
        data={
            "csrf_token": token(client),
            "version": lesson_version("demo", "one"),
            "keep": [html_lib.unescape(k) for k in keep[:3]],
        },
    )
    assert response.status_code == 302
    assert len(draft_lesson("demo", "one")["exercises"]) == 9 + 3


def test_reorder_lessons_with_buttons(trainer, client, content):
    version = content.course.version
    response = client.post(
        "/author/c/demo/lessons/two/move",
        data={"csrf_token": token(client), "version": version, "direction": "up"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    course = db.session.get(Course, content.course.id)
    assert [x["slug"] for x in drafts.draft_of(course)["lessons"]] == ["two", "one"]
    assert publish(client, "demo").status_code == 302
    db.session.expire_all()
    two = db.session.scalar(select(Lesson).where(Lesson.slug == "two"))
    assert two.position == 0


def test_analytics_lists_lapsed_items(trainer, client, people):
    item = db.session.scalar(select(Item).where(Item.hanzi == "银行"))
    db.session.add(
        Card(user_id=people.learner_a.id, item_id=item.id, direction="recognition", lapses=4)
    )
    db.session.commit()
    html = client.get("/author/c/demo/analytics").get_data(as_text=True)
    assert "银行" in html and ">4<" in html


@pytest.mark.parametrize("field", ["title", "ru", "notes", "body", "speaker", "option", "goal"])
def test_stored_xss_is_inert_everywhere(trainer, client, people, field):
    assert new_course(client, title=f"T{XSS}" if field == "title" else "Курс").status_code == 302
    client.post(
        "/author/c/biz/lessons",
        data={
            "csrf_token": token(client),
            "version": db.session.scalar(select(Course.version).where(Course.slug == "biz")),
            "slug": "lesson-1",
            "title": f"Урок{XSS}" if field == "title" else "Урок",
            "goals": f"Цель{XSS}" if field == "goal" else "Цель",
        },
    )
    if field == "body":
        client.post(
            "/author/c/biz/l/lesson-1",
            data={
                "csrf_token": token(client),
                "version": lesson_version(),
                "slug": "lesson-1",
                "title": "Урок",
                "goals": "Цель",
                "body": f"Текст {XSS} [ссылка](javascript:alert(3))",
            },
        )
    word = f"银行 — банк{XSS}" if field == "ru" else "银行 — банк"
    assert paste(client, word + "\n你好 — здравствуйте").status_code == 302
    if field == "notes":
        post_word(client, notes=XSS)
    if field == "speaker":
        assert (
            paste(client, f"Ли{XSS}: 您好 — Здравствуйте", mode="dialogue", title="Д").status_code
            == 302
        )
    if field == "option":
        client.post(
            "/author/c/biz/l/lesson-1/exercises/new/choose_hanzi",
            data={
                "csrf_token": token(client),
                "version": lesson_version(),
                "key": "o",
                "prompt": f"банк{XSS}",
                "options": f"银行\n你好{XSS}",
                "answer": "银行",
            },
        )
    assert publish(client).status_code == 302
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-1"))
    pages = [
        "/author/",
        "/author/c/biz",
        "/author/c/biz/l/lesson-1",
        "/author/c/biz/l/lesson-1/preview",
        "/author/c/biz/l/lesson-1/items/v0",
        "/author/c/biz/history",
    ]
    if field == "option":
        pages.append("/author/c/biz/l/lesson-1/exercises/o")
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, page
        assert "javascript:alert" not in html, page
    client.post("/auth/logout", data={"csrf_token": token(client)})
    sign_in(client, "learner@alpha.example")
    for page in ("/courses", f"/lessons/{lesson.id}"):
        html = client.get(page).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, page
        assert 'href="javascript:' not in html, page


def test_markdown_is_cleaned_on_save():
    text = drafts.clean_markdown("# T\n> a & b\n<script>x()</script>\n[l](javascript:alert(1))")
    assert "<script" not in text and "javascript:" not in text
    assert text.startswith("# T\n> a & b")


# --------------------------------------------------------------------------- grammar notes


def grammar_post(client, url, version=None, **fields):
    data = {
        "csrf_token": token(client),
        "version": lesson_version() if version is None else version,
        **fields,
    }
    return client.post(url, data=data)


def test_grammar_notes_are_added_edited_and_removed(trainer, client, no_audio_build):
    new_course(client)
    add_lesson(client)
    url = "/author/c/biz/l/lesson-1/grammar"
    response = grammar_post(
        client,
        url,
        title="Частица 吗",
        body=f"Вопрос **да/нет**. {XSS}",
        examples="你好吗？ — Как дела?\n你忙吗 | nǐ máng ma — Ты занят?",
    )
    assert response.status_code == 302
    note = draft_lesson()["grammar"][0]
    assert note["title"] == "Частица 吗"
    assert "<script" not in note["body"] and "onerror" not in note["body"]
    assert note["examples"] == [
        {"hanzi": "你好吗？", "ru": "Как дела?"},
        {"hanzi": "你忙吗", "pinyin": "nǐ máng ma", "ru": "Ты занят?"},
    ]
    assert no_audio_build[-1] == ["你好吗？", "你忙吗"]
    page = client.get("/author/c/biz/l/lesson-1").get_data(as_text=True)
    assert "Частица 吗" in page and "你忙吗 | nǐ máng ma — Ты занят?" in page

    # edit: an English meaning not shown in the editor is kept for the same hanzi
    db.session.expire_all()
    course = db.session.scalar(select(Course).where(Course.slug == "biz"))
    draft = drafts.draft_of(course)
    drafts.lesson_of(draft, "lesson-1")["grammar"][0]["examples"][0]["en"] = "How are you?"
    course.draft = draft
    db.session.commit()
    response = grammar_post(
        client,
        f"{url}/0",
        title="Вопрос с 吗",
        body="Ставится в конце.",
        examples="你好吗？ — Как ты?",
    )
    assert response.status_code == 302
    note = draft_lesson()["grammar"][0]
    assert note == {
        "title": "Вопрос с 吗",
        "body": "Ставится в конце.",
        "examples": [{"hanzi": "你好吗？", "ru": "Как ты?", "en": "How are you?"}],
    }
    assert grammar_post(client, f"{url}/5", title="x", body="y").status_code == 404

    # a stale version is refused and changes nothing
    stale = lesson_version() - 1
    response = grammar_post(client, f"{url}/0", version=stale, title="Другое", body="z")
    assert response.status_code == 409
    assert draft_lesson()["grammar"][0]["title"] == "Вопрос с 吗"

    assert grammar_post(client, f"{url}/0/remove").status_code == 302
    assert draft_lesson()["grammar"] == []
    events = db.session.scalars(select(AuditEvent.action)).all()
    assert {"course.grammar.add", "course.grammar.edit", "course.grammar.remove"} <= set(events)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": "", "body": "Текст"}, "Дайте"),
        ({"title": "Заметка", "body": "", "examples": "hello — привет"}, "нет китайских"),
        ({"title": "Заметка", "body": "", "examples": "你好 привет"}, "汉字 — перевод"),
        ({"title": "Заметка", "body": "", "examples": "你好 | nǐ — привет"}, "пиньинь"),
    ],
)
def test_a_bad_grammar_note_is_refused_in_russian(trainer, client, fields, message):
    new_course(client)
    add_lesson(client)
    before = lesson_version()
    response = grammar_post(client, "/author/c/biz/l/lesson-1/grammar", **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert draft_lesson().get("grammar", []) == [] and lesson_version() == before


def test_parse_examples():
    examples, errors = parse_examples("你好 — привет\n\nabc — x\n好 | hǎo hǎo — хорошо")
    assert examples == [{"hanzi": "你好", "ru": "привет"}]
    assert [(n, code) for n, code, _text in errors] == [(3, "no_han"), (4, "pinyin")]
    assert examples_text([{"hanzi": "好", "pinyin": "hǎo", "ru": "хорошо"}]) == (
        "好 | hǎo — хорошо"
    )


# --------------------------------------------------------------------------- dialogues


def test_dialogue_title_edited_and_a_line_added(trainer, client, no_audio_build):
    new_course(client)
    add_lesson(client)
    assert (
        paste(client, "Ли: 你好！ — Привет!", mode="dialogue", title="Встреча").status_code == 302
    )
    key = draft_lesson()["dialogues"][0]["key"]
    base = "/author/c/biz/l/lesson-1/dialogues/0"
    response = client.post(
        base, data={"csrf_token": token(client), "version": lesson_version(), "title": "В офисе"}
    )
    assert response.status_code == 302
    dialogue = draft_lesson()["dialogues"][0]
    assert dialogue["title"] == "В офисе" and dialogue["key"] == key

    line = {"speaker": "Ван", "hanzi": "您好！", "ru": "Здравствуйте!"}
    response = client.post(
        f"{base}/lines", data={"csrf_token": token(client), "version": lesson_version(), **line}
    )
    assert response.status_code == 302
    assert draft_lesson()["dialogues"][0]["lines"][-1] == line
    assert no_audio_build[-1] == ["您好！"]
    page = client.get("/author/c/biz/l/lesson-1").get_data(as_text=True)
    assert "В офисе" in page and "您好！" in page

    before = lesson_version()
    for url, data, message in [
        (base, {"title": ""}, "Дайте диалогу название"),
        (f"{base}/lines", {**line, "speaker": ""}, "Укажите, кто говорит"),
        (f"{base}/lines", {**line, "hanzi": "hello"}, "нет китайских"),
    ]:
        response = client.post(url, data={"csrf_token": token(client), "version": before, **data})
        assert response.status_code == 422, url
        assert message in response.get_data(as_text=True)
    response = client.post(
        f"{base}/lines", data={"csrf_token": token(client), "version": before - 1, **line}
    )
    assert response.status_code == 409
    response = client.post(
        "/author/c/biz/l/lesson-1/dialogues/3/lines",
        data={"csrf_token": token(client), "version": before, **line},
    )
    assert response.status_code == 404
    assert lesson_version() == before and len(draft_lesson()["dialogues"][0]["lines"]) == 2


def test_a_trainer_marks_a_word_passive_and_learners_see_it(trainer, client):
    """The editor's «Пассивное слово» box reaches the published word: the lesson page marks it
    «узнавать» and the learner's review never asks to produce it."""
    new_course(client)
    add_lesson(client)
    assert paste(client, "银行 — банк\n你好 — здравствуйте").status_code == 302
    form = client.get("/author/c/biz/l/lesson-1/items/v0").get_data(as_text=True)
    assert "Пассивное слово" in form
    assert post_word(client, passive="y").status_code == 302
    page = client.get("/author/c/biz/l/lesson-1/items/v0").get_data(as_text=True)
    assert '<input checked id="passive" name="passive" type="checkbox" value="y">' in page
    assert publish(client).status_code == 302
    words = {i.hanzi: i for i in db.session.scalars(select(Item).where(Item.kind == "word"))}
    assert words["银行"].passive and not words["你好"].passive
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-1"))
    client.post("/auth/logout", data={"csrf_token": token(client)})
    sign_in(client, "learner@alpha.example")
    html = client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    row = html[html.index("банк") : html.index("</tr>", html.index("банк"))]
    assert "узнавать" in row
    assert "узнавать" not in html[html.index("здравствуйте") :][:200]
