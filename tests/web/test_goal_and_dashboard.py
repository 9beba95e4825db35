"""The learner's daily goal and reminder settings, the recommended path, and the dashboard
of a new hire (no false praise, «Start» rather than «Continue», no emoji-only icons)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import (
    Attempt,
    Card,
    Course,
    Enrollment,
    Item,
    Lesson,
    LessonProgress,
    User,
    utcnow,
)
from tests.helpers import csrf_token, sign_in


def _phonetics() -> Course:
    course = Course(slug="phonetics", title="Фонетика: пиньинь и тоны", level="С нуля",
                    published=True)  # fmt: skip
    db.session.add_all([course, Lesson(course=course, slug="tones", title="Четыре тона")])
    db.session.commit()
    return course


def test_a_new_hire_is_not_praised_for_work_not_done(client, people, small_course):
    sign_in(client, "learner@alpha.example")
    html = client.get("/").get_data(as_text=True)
    assert "Отличная работа" not in html
    assert "Слова для повторения появятся здесь после первого урока." in html
    # with a card and nothing due, the praise is deserved
    item = db.session.scalars(select(Item)).first()
    db.session.add(Card(user_id=people.learner_a.id, item_id=item.id, direction="recognition",
                        due=utcnow() + timedelta(days=3), state=2, is_new=False))  # fmt: skip
    db.session.commit()
    assert "Отличная работа" in client.get("/").get_data(as_text=True)


def test_a_course_never_started_says_start_not_continue(client, people, small_course):
    db.session.add(Enrollment(user_id=people.learner_a.id, course_id=small_course.course.id))
    db.session.commit()
    sign_in(client, "learner@alpha.example")
    html = client.get("/").get_data(as_text=True)
    assert "Продолжить" not in html
    assert "Начать: Урок 1" in html
    db.session.add(LessonProgress(user_id=people.learner_a.id, lesson_id=small_course.lesson.id))
    db.session.commit()
    assert "Продолжить: Урок 1" in client.get("/").get_data(as_text=True)


def test_beginners_are_sent_to_phonetics_first(client, people, small_course):
    phonetics = _phonetics()
    db.session.add(Enrollment(user_id=people.learner_a.id, course_id=small_course.course.id,
                              assignment_id=None))  # fmt: skip
    db.session.commit()
    sign_in(client, "learner@alpha.example")
    html = client.get("/").get_data(as_text=True)
    path = re.search(r'<ol class="path-list">(.*?)</ol>', html, re.S).group(1)
    titles = re.findall(r'class="course-title"[^>]*>([^<]+)<', path)
    assert titles[0] == "Фонетика: пиньинь и тоны"
    assert "Начните с произношения" in path
    # the main action follows the path
    assert f'href="/courses/{phonetics.id}">Начать с курса «Фонетика: пиньинь и тоны»' in html
    # someone at HSK 3 is not sent back to the tones
    user = db.session.get(User, people.learner_a.id)
    user.hsk_level = 3
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Начните с произношения" not in html
    assert "Начать: Урок 1" in html


def test_locked_lessons_use_an_icon_not_an_emoji(client, people, small_course):
    sign_in(client, "learner@alpha.example")
    html = client.get(f"/courses/{small_course.course.id}").get_data(as_text=True)
    assert "🔒" not in html
    assert '<svg class="icon" aria-hidden="true"' in html


def test_the_daily_goal_is_shown_and_counts_todays_minutes(client, people, small_course):
    db.session.add(Attempt(submission_id=str(uuid.uuid4()), user_id=people.learner_a.id,
                           exercise_id=small_course.scenario.id, answer="x",
                           correct=True, duration_ms=4 * 60000))  # fmt: skip
    db.session.commit()
    sign_in(client, "learner@alpha.example")
    html = client.get("/").get_data(as_text=True)
    assert "Цель на сегодня" in html
    assert 'max="10" value="4"' in html
    assert "осталось 6 минут" in html


def test_goal_and_reminder_settings_are_saved(client, people):
    sign_in(client, "learner@alpha.example")
    page = client.get("/settings/goal").get_data(as_text=True)
    assert "Цель на день и напоминание" in page and "Москва (UTC+3)" in page
    token = csrf_token(client, "/settings/goal")
    response = client.post(
        "/settings/goal",
        data={
            "csrf_token": token,
            "goal": "20",
            "reminder": "y",
            "hour": "19",
            "timezone": "Asia/Vladivostok",
        },  # fmt: skip
        follow_redirects=True,
    )
    assert "напомним по почте в 19:00" in response.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(User, people.learner_a.id)
    assert (user.daily_goal_minutes, user.review_reminder, user.reminder_hour, user.timezone) == (
        20, True, 19, "Asia/Vladivostok")  # fmt: skip
    # values not offered are refused and change nothing
    for bad in ({"goal": "7"}, {"hour": "24"}, {"timezone": "Europe/London"}):
        data = {"csrf_token": token, "goal": "10", "hour": "8", "timezone": "Europe/Moscow", **bad}
        assert client.post("/settings/goal", data=data).status_code == 200
    db.session.expire_all()
    assert db.session.get(User, people.learner_a.id).daily_goal_minutes == 20
    # switching the reminder off
    client.post("/settings/goal", data={"csrf_token": token, "goal": "20", "hour": "19",
                                         "timezone": "Europe/Moscow"})  # fmt: skip
    db.session.expire_all()
    assert not db.session.get(User, people.learner_a.id).review_reminder


def test_goal_settings_need_csrf(client, people):
    sign_in(client, "learner@alpha.example")
    client.post("/settings/goal", data={"goal": "30", "hour": "5", "timezone": "Europe/Moscow"})
    db.session.expire_all()
    assert db.session.get(User, people.learner_a.id).daily_goal_minutes == 10
