"""A word in detail: stroke order and character breakdown, reached from the lesson's word list."""

from sqlalchemy import select

from app.chinese import strokes
from app.extensions import db
from app.models import Item
from tests.helpers import sign_in, sql_statements


def _word(lesson, hanzi):
    return db.session.scalar(select(Item).where(Item.lesson_id == lesson.id, Item.hanzi == hanzi))


def _add_word(lesson, hanzi, pinyin, ru, position=10):
    item = Item(lesson=lesson, key=hanzi, hanzi=hanzi, pinyin=pinyin, ru=ru, position=position)
    db.session.add(item)
    db.session.commit()
    return item


def test_lesson_word_list_links_to_the_word_page(client, content):
    sign_in(client, "learner@alpha.example")
    word = _word(content.lesson, "你好")
    html = client.get(f"/lessons/{content.lesson.id}").get_data(as_text=True)
    assert f'href="/words/{word.id}"' in html
    assert "Черты" in html


def test_word_page_shows_each_character_taken_apart(client, content):
    _add_word(content.lesson2, "好", "hǎo", "хороший", position=1)
    _add_word(content.lesson2, "女", "nǚ", "женщина", position=2)
    sign_in(client, "learner@alpha.example")
    word = _word(content.lesson, "你好")
    response = client.get(f"/words/{word.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # one section per character, with the animation's data address and the stroke count
    assert html.count('class="card character"') == 2
    assert 'data-src="/strokes/%E5%A5%BD.json"' in html
    assert "Число черт" in html and "<dd>6</dd>" in html  # 好 has six strokes
    # 好 = 女 + 子, 你 = 亻 + 尔: radicals' meanings in Russian from our own table
    assert "женщина" in html and "ребёнок" in html and "человек" in html
    # 尔 is no radical nor a course word here: an honest note, never the dataset's English
    assert "в наших курсах перевода пока нет" in html
    # other course words with the character, linked to their own pages
    other = _word(content.lesson2, "好")
    assert f'href="/words/{other.id}"' in html
    assert "vendor/hanzi-writer.min.js" in html and "js/strokes.js" in html


def test_word_of_a_course_my_company_does_not_see_is_not_found(client, content):
    private = _add_word(content.private_lesson, "谢谢", "xièxie", "спасибо")
    sign_in(client, "learner@alpha.example")
    assert client.get(f"/words/{private.id}").status_code == 404
    # nor is it offered as another word using a character
    word = _word(content.lesson, "谢谢")
    html = client.get(f"/words/{word.id}").get_data(as_text=True)
    assert f"/words/{private.id}" not in html


def test_a_character_without_data_is_shown_as_such(client, content):
    # 𠀀 (U+20000) is a Han character that the stroke data does not draw
    item = _add_word(content.lesson, "𠀀", "", "редкий знак")
    sign_in(client, "learner@alpha.example")
    response = client.get(f"/words/{item.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Для этого иероглифа нет анимации черт" in html
    assert "data-strokes " not in html


def test_stroke_data_is_served_by_the_app(client, people):
    response = client.get("/strokes/好.json")
    assert response.status_code == 200
    data = response.get_json()
    assert len(data["strokes"]) == len(data["medians"]) == 6
    assert "max-age" in response.headers["Cache-Control"]
    assert client.get("/strokes/𠀀.json").status_code == 404
    assert client.get("/strokes/ab.json").status_code == 404


def test_word_page_queries_are_bounded(client, content):
    """Taking a longer word apart costs no more queries than a shorter one."""

    short = _add_word(content.lesson, "好", "hǎo", "хороший", position=11)
    long = _add_word(content.lesson, "中华人民共和国", "", "КНР", position=12)
    sign_in(client, "learner@alpha.example")
    client.get(f"/words/{short.id}")  # first request of the session: its own one-off queries
    counts = []
    for item in (short.id, long.id):
        db.session.expunge_all()  # nothing served from this test's own session
        with sql_statements() as seen:
            assert client.get(f"/words/{item}").status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1]


def test_strokes_data_is_packed():
    assert strokes.available(), "run `make frontend` to pack the stroke data"
