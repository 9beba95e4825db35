"""The review session through HTTP: the JSON API the page calls, and the same flow with forms."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Card, ReviewLog, utcnow
from app.review import deck, suspension
from tests.helpers import csrf_token, sign_in, sql_statements
from tests.integration.test_review_services import WORDS, make_lesson


@pytest.fixture
def learner(client, people):
    """learner@alpha signed in, with the cards of a three-word lesson."""
    _lesson, items = make_lesson(WORDS[:3])
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    assert sign_in(client, people.learner_a.email).status_code == 302
    return people.learner_a


def api_get(client, path="/api/v1/review/next"):
    return client.get(path, headers={"X-CSRFToken": csrf_token(client, "/")})


def api_post(client, path, body):
    return client.post(path, json=body, headers={"X-CSRFToken": csrf_token(client, "/")})


def logs() -> int:
    return db.session.scalar(select(func.count(ReviewLog.id)))


# --------------------------------------------------------------------------- JSON API


def test_next_then_answer_through_the_api(client, learner):
    card = api_get(client).get_json()
    assert card["card_id"] and card["direction"] == "recognition" and card["is_new"]
    assert set(card["intervals"]) == {"1", "2", "3", "4"}
    assert card["intervals"]["1"]["label"] == "1 мин"
    assert card["counts"]["new"] == 12 and f'data-card-id="{card["card_id"]}"' in card["html"]
    body = {"card_id": card["card_id"], "rating": 3, "review_id": str(uuid.uuid4()),
            "duration_ms": 2500}  # fmt: skip
    first = api_post(client, "/api/v1/review/answer", body)
    assert first.status_code == 200 and first.get_json()["status"] == "recorded"
    assert first.get_json()["interval"] == "10 мин"
    # a retry after a timeout, a double click: the same answer again changes nothing
    again = api_post(client, "/api/v1/review/answer", body)
    assert again.status_code == 200 and again.get_json()["status"] == "duplicate"
    assert again.get_json()["due"] == first.get_json()["due"]
    assert logs() == 1
    assert db.session.get(Card, card["card_id"]).reps == 1
    following = api_get(client).get_json()
    assert following["card_id"] != card["card_id"]


def test_an_answer_can_bring_the_next_card(client, learner):
    """`"next": true`: the session goes from card to card in one request, and the card it
    brings is the one GET next would give, with the stage offering to undo this answer."""
    card = api_get(client).get_json()
    body = {"card_id": card["card_id"], "rating": 3, "review_id": str(uuid.uuid4()),
            "duration_ms": 2500, "version": card["version"], "next": True}  # fmt: skip
    answered = api_post(client, "/api/v1/review/answer", body).get_json()
    assert answered["status"] == "recorded" and answered["interval"] == "10 мин"
    brought = answered["next"]
    assert brought["card_id"] not in (None, card["card_id"])
    assert brought["counts"]["new"] == card["counts"]["new"] - 1
    assert f'data-card-id="{brought["card_id"]}"' in brought["html"]
    assert "review-undo" in brought["html"]
    asked = api_get(client).get_json()
    assert {k: v for k, v in asked.items() if k != "html"} == {
        k: v for k, v in brought.items() if k != "html"
    }
    # the same answer again (a retry) is a duplicate, and still brings the next card
    again = api_post(client, "/api/v1/review/answer", body).get_json()
    assert again["status"] == "duplicate" and again["next"]["card_id"] == brought["card_id"]
    assert logs() == 1
    # without it, the answer is as before
    plain = {**body, "card_id": brought["card_id"], "version": brought["version"],
             "review_id": str(uuid.uuid4())}  # fmt: skip
    del plain["next"]
    assert "next" not in api_post(client, "/api/v1/review/answer", plain).get_json()


def _chained_answer_statements(client, headers) -> int:
    card = client.get("/api/v1/review/next", headers=headers).get_json()
    body = {"card_id": card["card_id"], "rating": 1, "review_id": str(uuid.uuid4()),
            "version": card["version"], "next": True}  # fmt: skip
    with sql_statements() as seen:
        answered = client.post("/api/v1/review/answer", json=body, headers=headers)
    assert answered.get_json()["next"]["card_id"]
    return len(seen)


def test_an_answer_bringing_the_next_card_costs_a_fixed_number_of_statements(
    client, learner, people
):
    """The signed-in user, the card, the answer's write (one statement on PostgreSQL, the log
    and the card elsewhere), the next card with the day's counts and, with only new cards
    left, their candidates: the same for a deck ten times larger."""
    headers = {"X-CSRFToken": csrf_token(client, "/")}
    small = _chained_answer_statements(client, headers)
    writes = 1 if db.engine.dialect.name == "postgresql" else 2
    assert small == 1 + 1 + writes + 2
    _lesson, items = make_lesson([(f"字{i}", "zì", f"слово {i}") for i in range(30)],
                                 lesson_slug="big")  # fmt: skip
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    assert _chained_answer_statements(client, headers) == small


def test_an_answer_bringing_the_last_card_brings_the_summary(client, people):
    _lesson, items = make_lesson(WORDS[:1])
    deck.ensure_cards(people.learner_a, items)
    for card in db.session.scalars(select(Card).where(Card.direction != "recognition")):
        card.suspended = True
    db.session.commit()
    sign_in(client, people.learner_a.email)
    card = api_get(client).get_json()
    body = {"card_id": card["card_id"], "rating": 4, "review_id": str(uuid.uuid4()),
            "version": card["version"], "next": True}  # fmt: skip
    brought = api_post(client, "/api/v1/review/answer", body).get_json()["next"]
    assert brought["card_id"] is None and brought["counts"]["total"] == 0
    assert "review-done" in brought["html"] and "review-card" not in brought["html"]


def test_a_refused_answer_brings_no_card_and_writes_nothing(client, learner):
    card = api_get(client).get_json()
    body = {"card_id": card["card_id"], "rating": 3, "review_id": str(uuid.uuid4()),
            "version": card["version"] + 1, "next": True}  # fmt: skip
    stale = api_post(client, "/api/v1/review/answer", body)
    assert stale.status_code == 409 and "next" not in stale.get_json()
    wrong = api_post(client, "/api/v1/review/answer", {**body, "next": "yes"})
    assert wrong.status_code == 400 and wrong.get_json()["error"] == "bad_request"
    assert logs() == 0


def test_the_stage_speaks_each_learners_language(client, learner, people):
    """The stage's labels are translated once per language, never one language for all."""
    assert "Хорошо" in api_get(client).get_json()["html"]
    people.learner_a.locale = "en"
    db.session.commit()
    html = api_get(client).get_json()["html"]
    assert "Good" in html and "Хорошо" not in html and "What does it mean?" in html
    people.learner_a.locale = "ru"
    db.session.commit()
    assert "Хорошо" in api_get(client).get_json()["html"]


def test_a_stale_tab_gets_a_clear_message(client, learner):
    card = api_get(client).get_json()
    common = {"card_id": card["card_id"], "duration_ms": 1000, "version": card["version"]}
    api_post(client, "/api/v1/review/answer", {**common, "rating": 4,
                                               "review_id": str(uuid.uuid4())})  # fmt: skip
    other_tab = api_post(
        client, "/api/v1/review/answer", {**common, "rating": 1, "review_id": str(uuid.uuid4())}
    )
    assert other_tab.status_code == 409
    assert other_tab.get_json()["error"] == "stale"
    assert "другой вкладке" in other_tab.get_json()["message"]
    assert logs() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"rating": 3},
        {"card_id": "1", "rating": 3},
        {"card_id": 1, "rating": 7},
        {"card_id": 1, "rating": True},
        {"card_id": 1, "rating": 3, "review_id": "x"},
    ],
)
def test_malformed_answers_are_refused(client, learner, body):
    body.setdefault("review_id", str(uuid.uuid4()))
    response = api_post(client, "/api/v1/review/answer", body)
    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"


def test_api_needs_the_csrf_header_and_the_learners_own_card(client, learner, people):
    assert client.get("/api/v1/review/next").status_code == 400
    body = {"card_id": 1, "rating": 3, "review_id": str(uuid.uuid4()), "duration_ms": 1}
    assert client.post("/api/v1/review/answer", json=body).status_code == 400
    _lesson, items = make_lesson(WORDS[3:4], lesson_slug="b")
    deck.ensure_cards(people.learner_b, items)
    db.session.commit()
    foreign = db.session.scalar(select(Card.id).where(Card.user_id == people.learner_b.id))
    refused = api_post(client, "/api/v1/review/answer", {**body, "card_id": foreign})
    assert refused.status_code == 404
    assert api_get(client, f"/api/v1/review/next?card_id={foreign}").status_code == 404


def test_typed_answers_are_checked_and_mapped_to_a_rating(client, learner):
    pinyin = db.session.scalar(
        select(Card).where(Card.user_id == learner.id, Card.direction == "pinyin").limit(1)
    )
    hanzi = pinyin.item.hanzi
    wanted = {"你好": "ni3 hao3", "谢谢": "xie4xie5", "再见": "zai4jian4"}[hanzi]
    right = api_post(client, "/api/v1/review/check", {"card_id": pinyin.id, "answer": wanted})
    assert right.get_json()["verdict"] == "correct" and right.get_json()["rating"] == 3
    toneless = re.sub(r"\d", "", wanted)
    tone = api_post(client, "/api/v1/review/check", {"card_id": pinyin.id, "answer": toneless})
    assert tone.get_json()["verdict"] == "wrong_tone" and tone.get_json()["rating"] == 2
    recall = db.session.scalar(
        select(Card).where(Card.user_id == learner.id, Card.direction == "recall").limit(1)
    )
    ok = api_post(client, "/api/v1/review/check", {"card_id": recall.id,
                                                   "answer": recall.item.hanzi})  # fmt: skip
    assert ok.get_json()["verdict"] == "correct"


def test_undo_suspend_and_bury_through_the_api(client, learner):
    card = api_get(client).get_json()
    review_id = str(uuid.uuid4())
    body = {"card_id": card["card_id"], "rating": 1, "review_id": review_id, "duration_ms": 10}
    api_post(client, "/api/v1/review/answer", body)
    undone = api_post(client, "/api/v1/review/undo", {"review_id": review_id})
    assert undone.status_code == 200 and undone.get_json()["card_id"] == card["card_id"]
    assert db.session.get(Card, card["card_id"]).is_new
    shown = api_get(client, f"/api/v1/review/next?card_id={card['card_id']}").get_json()
    assert shown["card_id"] == card["card_id"]
    assert api_post(client, f"/api/v1/review/cards/{card['card_id']}/bury", {}).status_code == 200
    nxt = api_get(client).get_json()
    assert nxt["card_id"] != card["card_id"]
    assert api_post(client, f"/api/v1/review/cards/{nxt['card_id']}/suspend", {}).status_code == 200
    assert db.session.get(Card, nxt["card_id"]).suspended


def test_nothing_due_gives_an_empty_result_and_the_summary(client, people):
    sign_in(client, people.learner_a.email)
    data = api_get(client).get_json()
    assert data["card_id"] is None and data["counts"]["total"] == 0
    assert "Нечего повторять" in data["html"]


# --------------------------------------------------------------------------- without JavaScript


def _form(html: str, action: str) -> dict:
    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', html, re.S)
    assert form, action
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))


def test_the_session_works_with_forms_alone(client, learner):
    page = client.get("/review/").get_data(as_text=True)
    card_id = int(re.search(r'data-card-id="(\d+)"', page).group(1))
    assert "Показать ответ" in page and 'class="review-back" hidden' in page
    revealed = client.get(f"/review/?card={card_id}&reveal=1").get_data(as_text=True)
    assert 'class="review-back" hidden' not in revealed
    fields = _form(revealed, "/review/answer")
    assert int(fields["card_id"]) == card_id
    response = client.post("/review/answer", data={**fields, "rating": "3"})
    assert response.status_code == 302 and logs() == 1
    # the form submitted twice (a double click) is still one answer
    client.post("/review/answer", data={**fields, "rating": "3"})
    assert logs() == 1
    after = client.get("/review/").get_data(as_text=True)
    assert f'data-card-id="{card_id}"' not in after
    undo = _form(after, "/review/undo")
    assert client.post("/review/undo", data=undo).headers["Location"].endswith(f"card={card_id}")
    assert db.session.get(Card, card_id).is_new


def test_typed_check_without_javascript_suggests_a_rating(client, learner):
    card = db.session.scalar(
        select(Card).where(Card.user_id == learner.id, Card.direction == "pinyin").limit(1)
    )
    token = csrf_token(client, "/review/")
    html = client.post(
        "/review/check",
        data={"csrf_token": token, "card_id": card.id, "version": card.version, "answer": "ma"},
    ).get_data(as_text=True)
    assert "Не совсем." in html and "ma" in html
    suggested = re.search(r'value="(\d)" class="rate [^"]*is-suggested"', html)
    assert suggested and suggested.group(1) == "1"


def test_stale_form_answer_is_refused_with_a_message(client, learner):
    page = client.get("/review/").get_data(as_text=True)
    card_id = int(re.search(r'data-card-id="(\d+)"', page).group(1))
    fields = _form(client.get(f"/review/?card={card_id}&reveal=1").get_data(as_text=True),
                   "/review/answer")  # fmt: skip
    client.post("/review/answer", data={**fields, "rating": "4"})
    other_tab = client.post(
        "/review/answer", data={**fields, "rating": "1", "review_id": str(uuid.uuid4())},
        follow_redirects=True,
    )  # fmt: skip
    assert "другой вкладке" in other_tab.get_data(as_text=True) and logs() == 1


def test_suspended_cards_are_listed_and_can_be_resumed(client, learner):
    card = db.session.scalar(select(Card).where(Card.user_id == learner.id).limit(1))
    token = csrf_token(client, "/review/")
    client.post(f"/review/cards/{card.id}/suspend", data={"csrf_token": token})
    html = client.get("/review/cards").get_data(as_text=True)
    assert card.item.hanzi in html and f"/review/cards/{card.id}/resume" in html
    client.post(f"/review/cards/{card.id}/resume", data={"csrf_token": token})
    assert not db.session.get(Card, card.id).suspended


def test_statistics_page_draws_the_charts(client, learner):
    card = api_get(client).get_json()
    api_post(client, "/api/v1/review/answer", {"card_id": card["card_id"], "rating": 3,
                                               "review_id": str(uuid.uuid4()),
                                               "duration_ms": 60000})  # fmt: skip
    html = client.get("/review/stats").get_data(as_text=True)
    assert html.count('class="hm hm-l') >= 365 and "hm hm-l4" in html
    assert '<svg class="barchart"' in html and "1 повторение" in html
    assert "Серия" in html


def test_settings_are_validated_and_saved(client, learner):
    token = csrf_token(client, "/review/settings")
    bad = client.post("/review/settings", data={"csrf_token": token, "desired_retention": "99",
                                                "daily_new_limit": "15"})  # fmt: skip
    assert bad.status_code == 200 and "has-error" in bad.get_data(as_text=True)
    good = client.post("/review/settings", data={"csrf_token": token, "desired_retention": "85",
                                                 "daily_new_limit": "5"})  # fmt: skip
    assert good.status_code == 302
    db.session.refresh(learner)
    assert learner.desired_retention == 0.85 and learner.daily_new_limit == 5


def test_trainers_see_leeches_counted_over_learners(client, learner, people):
    card = db.session.scalar(select(Card).where(Card.user_id == learner.id).limit(1))
    card.leech = True
    db.session.commit()
    client.delete_cookie("session")
    sign_in(client, people.trainer.email)
    html = client.get("/review/leeches").get_data(as_text=True)
    assert card.item.hanzi in html and "1 ученик" in html


# --------------------------------------------------------------------------- what a card shows


def _card_of(learner, direction: str, hanzi: str = "你好") -> Card:
    return db.session.scalar(
        select(Card)
        .join(Card.item)
        .where(Card.user_id == learner.id, Card.direction == direction)
        .where(Card.item.has(hanzi=hanzi))
    )


def _article(html: str) -> str:
    return html[html.index('<article class="card review-card') : html.index("</article>")]


def test_part_of_speech_is_named_in_russian(client, learner):
    card = _card_of(learner, "recall")
    card.item.pos = "phrase"
    db.session.commit()
    html = _article(client.get(f"/review/?card={card.id}").get_data(as_text=True))
    assert ">выражение<" in html and "phrase" not in html


def test_the_back_shows_the_hanzi_once_and_tone_coloured_pinyin(client, learner):
    card = _card_of(learner, "recognition")
    html = _article(client.get(f"/review/?card={card.id}&reveal=1").get_data(as_text=True))
    assert html.count(">你好<") == 1
    back = html[html.index('class="review-pinyin"') :]
    assert '<span class="tone3">nǐ</span> <span class="tone3">hǎo</span>' in back
    recall = _card_of(learner, "recall")
    html = _article(client.get(f"/review/?card={recall.id}&reveal=1").get_data(as_text=True))
    assert html.count(">你好<") == 1  # the front shows the meaning: the back names the word


def test_the_space_key_hint_is_not_offered_while_typing(client, learner):
    typed = _article(
        client.get(f"/review/?card={_card_of(learner, 'pinyin').id}").get_data(as_text=True)
    )
    assert 'id="review-answer"' in typed and "Пробел" not in typed
    shown = _article(
        client.get(f"/review/?card={_card_of(learner, 'recognition').id}").get_data(as_text=True)
    )
    assert "<kbd>Пробел</kbd>" in shown


def test_a_learning_card_shown_ahead_is_counted_as_learning(client, learner):
    learner.daily_new_limit = 1
    db.session.commit()
    card = api_get(client).get_json()
    body = {"card_id": card["card_id"], "rating": 1, "review_id": str(uuid.uuid4()),
            "duration_ms": 900}  # fmt: skip
    assert api_post(client, "/api/v1/review/answer", body).status_code == 200
    again = api_get(client).get_json()  # due in a minute, nothing else left: learned ahead
    assert again["card_id"] == card["card_id"]
    assert again["counts"]["learning"] == 1 and again["counts"]["new"] == 0
    assert re.search(r"Изучаются: <strong>1</strong>", again["html"])


# --------------------------------------------------------------------------- offline


def test_todays_queue_goes_offline_with_each_cards_html_and_version(client, learner):
    learner.daily_new_limit = 4
    db.session.commit()
    queue = api_get(client, "/api/v1/review/queue").get_json()
    cards = queue["cards"]
    assert len(cards) == 4 == queue["counts"]["new"]
    assert len({c["card_id"] for c in cards}) == 4
    assert {c["bucket"] for c in cards} == {"new"}
    first = cards[0]
    assert f'data-card-id="{first["card_id"]}"' in first["html"]
    assert f'data-version="{first["version"]}"' in first["html"] and first["hanzi"] in first["html"]
    # a card answered online leaves the next queue
    body = {"card_id": first["card_id"], "rating": 4, "review_id": str(uuid.uuid4()),
            "version": first["version"], "duration_ms": 800}  # fmt: skip
    assert api_post(client, "/api/v1/review/answer", body).status_code == 200
    again = api_get(client, "/api/v1/review/queue").get_json()["cards"]
    assert first["card_id"] not in {c["card_id"] for c in again}


def test_an_offline_answer_counts_when_it_was_given_and_only_once(client, learner):
    queue = api_get(client, "/api/v1/review/queue").get_json()["cards"]
    card = queue[0]
    given = utcnow() - timedelta(hours=2)
    body = {"card_id": card["card_id"], "rating": 3, "review_id": str(uuid.uuid4()),
            "version": card["version"], "duration_ms": 1500,
            "answered_at": int(given.timestamp() * 1000)}  # fmt: skip
    for _ in range(3):  # sent again after a lost response: still one review
        assert api_post(client, "/api/v1/review/answer", body).status_code == 200
    log = db.session.scalar(select(ReviewLog))
    assert logs() == 1
    assert abs((log.reviewed_at.replace(tzinfo=UTC) - given).total_seconds()) < 1
    # a time in the future (or far in the past) is not believed: the server's clock counts
    other = queue[1]
    future = {**body, "card_id": other["card_id"], "version": other["version"],
              "review_id": str(uuid.uuid4()), "answered_at": 4_102_444_800_000}  # fmt: skip
    assert api_post(client, "/api/v1/review/answer", future).status_code == 200
    newest = db.session.scalar(select(ReviewLog).where(ReviewLog.card_id == other["card_id"]))
    assert abs((newest.reviewed_at.replace(tzinfo=UTC) - utcnow()).total_seconds()) < 60
    bad = {**body, "review_id": str(uuid.uuid4()), "answered_at": "yesterday"}
    assert api_post(client, "/api/v1/review/answer", bad).status_code == 400


def test_an_offline_answer_for_a_changed_card_is_a_conflict(client, learner):
    card = api_get(client, "/api/v1/review/queue").get_json()["cards"][0]
    suspension.suspend(learner, card["card_id"])
    suspension.resume(learner, card["card_id"])  # changed on another device meanwhile
    db.session.commit()
    body = {"card_id": card["card_id"], "rating": 3, "review_id": str(uuid.uuid4()),
            "version": card["version"], "duration_ms": 1500,
            "answered_at": int(utcnow().timestamp() * 1000)}  # fmt: skip
    response = api_post(client, "/api/v1/review/answer", body)
    assert response.status_code == 409 and response.get_json()["error"] == "stale"
    assert logs() == 0


def test_the_site_is_an_installable_app(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.get_json()
    assert data["start_url"] == "/review/" and data["display"] == "standalone"
    assert data["lang"] == "ru" and data["short_name"] == "Цяо"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200
    worker = client.get("/sw.js")
    assert worker.mimetype == "text/javascript" and worker.headers["Cache-Control"] == "no-cache"
    source = worker.get_data(as_text=True)
    assert (
        "__VERSION__" not in source
        and '"/offline", "/manifest.webmanifest", "/static/css/qiao.css"' in source
    )
    assert "script-src 'self'" in worker.headers["Content-Security-Policy"]
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in page and 'data-sw="/sw.js"' in page
    assert "<script>" not in page  # the strict CSP allows no inline script
    assert "Нет связи" in client.get("/offline").get_data(as_text=True)


def test_the_stage_fragment_has_no_menu_and_the_page_has_the_learners(client, learner):
    """The menu is made only when a template shows it (the fragment never does)."""
    menu = re.search(r'<nav class="mainnav".*?</nav>', client.get("/review/").get_data(True), re.S)
    assert menu is not None
    links = re.findall(r'<li><a href="([^"]+)"', menu.group(0))
    assert "/review/" in links and not any(link.startswith("/author") for link in links)
    assert "mainnav" not in api_get(client).get_json()["html"]
