"""The lesson page keeps rendered rows in the process (app.ui.fragments): an edit of a word, an
exercise or a gloss shows on the next visit, never a stale row."""

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from app.extensions import db
from app.models import Exercise, Item, ItemKind
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
