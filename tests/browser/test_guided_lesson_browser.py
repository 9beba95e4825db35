"""A learner walks a whole guided lesson, step by step, on a desktop and on a phone; a trainer
generates exercises, keeps them and previews the draft as the learner will see it."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from app.author import clips as author_clips
from app.author import drafts as author_drafts
from app.extensions import db
from app.models import Attempt, Card, Dialogue, Item, ItemKind
from tests.browser.pagecheck import check_page
from tests.helpers import browser_sign_in

LONG_THANKS = "спасибо (вежливый ответ на любезность)"
WRONG_THEN_RIGHT = {
    "choose_meaning": ("спасибо", "здравствуйте"),
    "choose_hanzi": ("你好", "谢谢"),
    "type_pinyin": ("xie4 xie4", "xie4xie"),
    "identify_tone": ("2", "3"),
    "listening": ("спасибо", "банк"),
    "word_order": (["我", "王", "是", "经理"], ["我", "是", "王", "经理"]),
    "fill_blank": ("在", "是"),
    "matching": (
        {"你好": LONG_THANKS, "谢谢": "здравствуйте", "工程师": "инженер"},
        {"你好": "здравствуйте", "谢谢": LONG_THANKS, "工程师": "инженер"},
    ),
    "scenario": ("Взять одной рукой", "Взять двумя руками"),
}


def _sign_in(browser, live_server, email):
    browser_sign_in(browser, live_server, email)
    browser.get_log("browser")  # what earlier tests left in the log is not this page's


@pytest.fixture
def full_lesson(content):
    """The fixture lesson with a dialogue (long lines, two audio buttons each), a grammar note,
    and a matching exercise whose hanzi must never break («工程师»)."""
    lesson = content.lesson
    dialogue = Dialogue(lesson_id=lesson.id, key="d1", title="Знакомство в банке", position=0)
    db.session.add(dialogue)
    db.session.flush()
    lines = [
        (
            "王经理",
            "你好！我是银行的王经理，很高兴认识你。",
            "Здравствуйте! Я менеджер банка Ван, рад знакомству.",
        ),
        (
            "李工程师",
            "你好，王经理！谢谢你的名片。",
            "Здравствуйте, менеджер Ван! Спасибо за визитку.",
        ),
    ]
    for i, (speaker, hanzi, ru) in enumerate(lines):
        db.session.add(
            Item(
                lesson_id=lesson.id,
                key=f"d1-{i}",
                kind=ItemKind.LINE,
                dialogue_id=dialogue.id,
                speaker=speaker,
                hanzi=hanzi,
                pinyin=None,
                ru=ru,
                position=10 + i,
            )
        )
    lesson.grammar = [
        {
            "title": "Связка 是",
            "body": "**是** связывает подлежащее и именную часть.",
            "examples": [],
        }
    ]
    matching = content.exercises["matching"]
    matching.data = {
        "pairs": [["你好", "здравствуйте"], ["谢谢", LONG_THANKS], ["工程师", "инженер"]]
    }
    db.session.commit()
    # listening and tone exercises are offered only with a clip that passed its check
    from app.audio import audio_dir, build
    from app.exercises import get_kind

    texts = {t for e in lesson.exercises for t in get_kind(e.kind).speech(e.data)}
    build.build(sorted(texts), mode="espeak", audio_dir=audio_dir(), checkpoint=db.session.commit)
    db.session.commit()
    return content


def _current_step(browser):
    steps = [s for s in browser.find_elements(By.CSS_SELECTOR, "[data-step]") if s.is_displayed()]
    assert len(steps) == 1, "the guided lesson shows one step at a time"
    return steps[0]


def _in_view(browser, element) -> bool:
    return browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;",
        element,
    )


def _next(browser):
    step = _current_step(browser)
    step.find_element(By.CSS_SELECTOR, "[data-step-next]").click()
    WebDriverWait(browser, 5).until(lambda d: _current_step(d) != step)
    return _current_step(browser)


def _answer(browser, card, kind, answer):
    if kind == "type_pinyin":
        field = card.find_element(By.CSS_SELECTOR, 'input[name="answer"]')
        field.clear()
        field.send_keys(answer)
    elif kind == "word_order":
        # tap the placed words to take them back, then tap the tiles in order
        while card.find_elements(By.CSS_SELECTOR, ".answer-line .placed"):
            card.find_element(By.CSS_SELECTOR, ".answer-line .placed").click()
        assert not card.find_elements(By.CSS_SELECTOR, ".tiles .tile:disabled")
        for word in answer:
            tile = next(
                t
                for t in card.find_elements(By.CSS_SELECTOR, ".tiles .tile")
                if t.text == word and t.is_enabled()
            )
            tile.click()
        placed = [t.text for t in card.find_elements(By.CSS_SELECTOR, ".answer-line .placed")]
        assert placed == answer
    elif kind == "matching":
        lefts = {
            b.find_element(By.CSS_SELECTOR, ".han").text: b
            for b in card.find_elements(By.CSS_SELECTOR, ".pair-left")
        }
        for button in lefts.values():  # tapping a paired word undoes its pair
            if "paired" in button.get_attribute("class"):
                button.click()
                if "active" in button.get_attribute("class"):
                    continue
        for left, right in answer.items():
            button = lefts[left]
            if "active" not in button.get_attribute("class"):
                button.click()
            card.find_element(By.CSS_SELECTOR, f'.pair-option[data-value="{right}"]').click()
            assert right in button.text
    else:
        card.find_element(By.CSS_SELECTOR, f'input[name="answer"][value="{answer}"]').click()
    card.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()


def _hanzi_on_one_line(browser, element) -> bool:
    return browser.execute_script(
        "const range = document.createRange(); range.selectNodeContents(arguments[0]);"
        "const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));"
        "return tops.size === 1;",
        element,
    )


def test_a_guided_lesson_step_by_step(browser, live_server, people, full_lesson):
    content = full_lesson
    learner = people.learner_a
    wait = WebDriverWait(browser, 10)
    _sign_in(browser, live_server, "learner@alpha.example")
    browser.get(f"{live_server}/lessons/{content.lesson.id}")

    # step 1: the goals; a progress bar and «step 1 of 14»
    step = _current_step(browser)
    assert step.get_attribute("data-step") == "intro"
    assert "Шаг 1 из 14" in browser.find_element(By.CSS_SELECTOR, ".guide-step").text
    progress = browser.find_element(By.CSS_SELECTOR, ".guide-progress")
    assert progress.get_attribute("aria-valuenow") == "7"
    check_page(browser, "guided-intro")

    # the words, and «review these words» in one click, without leaving the page
    step = _next(browser)
    assert step.get_attribute("data-step") == "words"
    check_page(browser, "guided-words")
    step.find_element(By.CSS_SELECTOR, "form.study-form button").click()
    wait.until(lambda d: step.find_elements(By.CSS_SELECTOR, ".studied"))
    assert "Эти слова в повторении" in step.text
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Card.id)).where(Card.user_id == learner.id)) > 0

    # the dialogue: on a phone its audio buttons stay on the screen (check_page: no overflow)
    step = _next(browser)
    assert step.get_attribute("data-step") == "dialogue"
    assert "王经理" in step.text
    check_page(browser, "guided-dialogue")

    step = _next(browser)
    assert step.get_attribute("data-step") == "grammar" and "Связка" in step.text
    check_page(browser, "guided-grammar")

    # every exercise: wrong, then right; the feedback and the score are where the learner is
    score = browser.find_element(By.ID, "lesson-score")
    assert "0 из 9" in score.text
    for right_so_far, (kind, (wrong, right)) in enumerate(WRONG_THEN_RIGHT.items(), start=1):
        card = _next(browser)
        assert f"kind-{kind}" in card.get_attribute("class"), kind
        if kind in ("word_order", "matching"):
            check_page(browser, f"guided-{kind}")
        if kind == "matching":
            browser.set_window_size(390, 844)
            for han in card.find_elements(By.CSS_SELECTOR, ".pair-left .han"):
                assert _hanzi_on_one_line(browser, han), han.text
            # and in the table of selects a learner without JavaScript uses
            table = card.find_element(By.CSS_SELECTOR, "table.matching")
            browser.execute_script("arguments[0].hidden = false", table)
            for han in table.find_elements(By.CSS_SELECTOR, "th .han"):
                assert _hanzi_on_one_line(browser, han), han.text
            browser.execute_script("arguments[0].hidden = true", table)
            browser.set_window_size(1280, 900)
        _answer(browser, card, kind, wrong)
        wait.until(
            lambda d, c=card: c.find_elements(By.CSS_SELECTOR, ".verdict.bad, .verdict.partial"),
            message=f"{kind}: no feedback on a wrong answer",
        )
        assert _in_view(browser, card.find_element(By.CSS_SELECTOR, ".verdict")), kind
        if kind not in ("word_order", "matching"):
            check_page(browser, f"guided-{kind}")
        _answer(browser, card, kind, right)
        wait.until(
            lambda d, c=card: c.find_elements(By.CSS_SELECTOR, ".verdict.ok"),
            message=f"{kind}: no feedback on the right answer",
        )
        wait.until(lambda d, n=right_so_far: f"{n} из 9" in score.text, message=kind)
        if right_so_far == 8:  # 8 of 9 ≥ 80 %: the lesson is complete, said right here
            note = card.find_element(By.CSS_SELECTOR, ".lesson-done")
            assert "Урок пройден!" in note.text
            assert _in_view(browser, note)
        assert _in_view(browser, card.find_element(By.CSS_SELECTOR, ".feedback"))

    # the results: first-try score (every first answer was wrong), new words, what next
    summary = _next(browser)
    assert summary.get_attribute("id") == "lesson-summary"
    assert "С первой попытки: 0 из 9" in summary.text
    assert "Урок пройден!" in summary.text
    assert "谢谢" in summary.text and "спасибо" in summary.text
    assert "Следующий урок" in summary.text
    assert "Шаг 14 из 14" in browser.find_element(By.CSS_SELECTOR, ".guide-step").text
    check_page(browser, "guided-summary")

    # the whole lesson on one page, at a tap
    browser.find_element(By.CSS_SELECTOR, ".guide-toggle").click()
    assert (
        len([s for s in browser.find_elements(By.CSS_SELECTOR, "[data-step]") if s.is_displayed()])
        == 14
    )
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count(Attempt.id)).where(Attempt.user_id == learner.id)) == 18
    )


def test_word_order_slots_without_javascript_do_not_overlap(browser, live_server, full_lesson):
    """The numbered selects are what a learner without JavaScript uses: numbers beside, never on."""
    _sign_in(browser, live_server, "learner@alpha.example")
    browser.set_window_size(390, 844)
    exercise = full_lesson.exercises["word_order"]
    browser.get(f"{live_server}/lessons/{full_lesson.lesson.id}#ex-{exercise.id}")
    gaps = browser.execute_script(
        "const slots = document.querySelector('#ex-' + arguments[0] + ' .order-slots');"
        "slots.hidden = false;"
        "return Array.from(slots.querySelectorAll('li')).map(li => "
        " li.querySelector('select').getBoundingClientRect().left - li.getBoundingClientRect().left);",
        exercise.id,
    )
    assert gaps and all(gap >= 10 for gap in gaps), gaps


def test_trainer_generates_keeps_and_previews_as_the_learner(
    browser, live_server, content, monkeypatch
):
    monkeypatch.setattr(author_clips, "start_audio_build", lambda app, texts: None)
    course = content.course
    course.audience = "Сотрудники"
    course.description = "Курс."
    db.session.commit()
    wait = WebDriverWait(browser, 10)
    _sign_in(browser, live_server, "trainer@zone.example")
    browser.get(f"{live_server}/author/c/demo/l/one/generate")
    assert "EmptyForm" not in browser.page_source
    check_page(browser, "author-generate")
    save = browser.find_element(By.CSS_SELECTOR, "ol.generated ~ button[type=submit]")
    assert browser.execute_script("return arguments[0].form !== null", save)
    boxes = browser.find_elements(By.CSS_SELECTOR, 'input[name="keep"]')
    for box in boxes[2:]:
        box.click()  # keep only the first two
    save.click()
    wait.until(ec.url_contains("/author/c/demo/l/one"))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".flash-success")))
    assert (
        len(
            author_drafts.draft_of(db.session.get(type(course), course.id))["lessons"][0][
                "exercises"
            ]
        )
        == 11
    )

    browser.get(f"{live_server}/author/c/demo/l/one/preview")
    assert "EmptyForm" not in browser.page_source
    step = _current_step(browser)
    assert step.get_attribute("data-step") == "intro"
    assert "Шаг 1 из 13" in browser.find_element(By.CSS_SELECTOR, ".guide-step").text
    check_page(browser, "author-preview")
    card = _next(browser)
    card = _next(browser)  # past the words: the first exercise, live
    assert "kind-choose_meaning" in card.get_attribute("class")
    _answer(browser, card, "choose_meaning", "здравствуйте")
    wait.until(lambda d: card.find_elements(By.CSS_SELECTOR, ".verdict.ok"))
    check_page(browser, "author-preview-answered")
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Attempt.id))) == 0


def test_the_lesson_without_javascript_is_one_page_of_forms(browser, live_server, full_lesson):
    content = full_lesson
    _sign_in(browser, live_server, "learner@alpha.example")
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(f"{live_server}/lessons/{content.lesson.id}")
        assert not browser.find_element(By.CSS_SELECTOR, ".guide-bar").is_displayed()
        shown = [
            s for s in browser.find_elements(By.CSS_SELECTOR, "[data-step]") if s.is_displayed()
        ]
        assert len(shown) == 13  # everything but the results, which wait for every answer
        exercise = content.exercises["choose_meaning"]
        card = browser.find_element(By.ID, f"ex-{exercise.id}")
        card.find_element(By.CSS_SELECTOR, 'input[value="здравствуйте"]').click()
        card.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
        WebDriverWait(browser, 10).until(ec.url_contains(f"#ex-{exercise.id}"))
        card = browser.find_element(By.ID, f"ex-{exercise.id}")
        assert card.find_elements(By.CSS_SELECTOR, ".verdict.ok")
        assert "1 из 9" in browser.find_element(By.ID, "lesson-score").text
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
