"""The lesson page keeps rendered rows in the process (app.ui.fragments): an edit of a word, an
exercise or a gloss shows on the next visit, never a stale row."""

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from app.extensions import db
from app.learn.pages import lesson_page
from app.models import Dialogue, Exercise, Item, ItemKind
from tests.factories import make_course, make_item, make_lesson
from tests.web.test_learn import learner  # noqa: F401  (the fixture)


def test_edited_words_and_exercises_show_at_once(client, learner):  # noqa: F811
    lesson = learner.content.lesson
    url = f"/lessons/{lesson.id}"
    assert client.get(url).status_code == 200
    word = db.session.scalars(
        select(Item).where(Item.lesson_id == lesson.id, Item.kind == ItemKind.WORD)
    ).first()
    word.ru = "новое значение слова"
    exercise = db.session.scalars(
        select(Exercise).where(Exercise.lesson_id == lesson.id, Exercise.kind == "type_pinyin")
    ).first()
    exercise.data = {**exercise.data, "prompt": "银行"}
    flag_modified(exercise, "data")
    db.session.commit()

    html = client.get(url).get_data(as_text=True)
    assert "новое значение слова" in html
    section = html[html.index(f'id="ex-{exercise.id}"') :]
    assert "银行" in section[: section.index("</section>")]


def test_the_same_page_twice_is_the_same_html(client, learner):  # noqa: F811
    url = f"/lessons/{learner.content.lesson.id}"
    first = client.get(url).get_data(as_text=True)
    second = client.get(url).get_data(as_text=True)

    def stable(html: str) -> str:
        import re

        html = re.sub(r'value="[0-9a-f-]{36}"', 'value="ID"', html)
        return re.sub(r'(csrf_token" type="hidden" value=")[^"]+', r"\1T", html)

    assert stable(first) == stable(second)


def test_dialogue_glosses_come_from_every_course_and_follow_edits(client, learner):  # noqa: F811
    """Tap-a-word reads the words of all live courses (the lesson's own first); the page asks
    only for those its lines contain, and an edited meaning shows on the next visit."""
    lesson = learner.content.lesson
    other = make_lesson(make_course("other", "Другой курс"), slug="coffee")
    coffee = make_item(other, "咖啡", "kāfēi", "кофе из другого курса")
    make_item(other, "茶叶", "cháyè", "чайный лист, которого нет в диалоге")
    dialogue = Dialogue(lesson_id=lesson.id, key="cafe", title="В кафе")
    db.session.add(dialogue)
    db.session.flush()
    make_item(
        lesson,
        "我喝咖啡。",
        "Wǒ hē kāfēi.",
        "Я пью кофе.",
        position=50,
        kind=ItemKind.LINE,
        dialogue_id=dialogue.id,
        speaker="Ли",
    )
    db.session.commit()
    url = f"/lessons/{lesson.id}"

    html = client.get(url).get_data(as_text=True)
    assert "кофе из другого курса" in html
    glossary = lesson_page(learner.learner_a, lesson).glossary
    assert "咖啡" in glossary and "茶叶" not in glossary

    coffee.ru = "кофе, исправленный автором"
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "кофе, исправленный автором" in html and "кофе из другого курса" not in html
