"""The walk over every page of a demo role, at desktop and phone widths: no JS errors, nothing
wider than the screen (1280, 390 and 360 px), no axe-core violations at 1280 and 390 px
(`pagecheck.check_page`). The roles are walked by two test modules, so that parallel test
workers share the walk.

The pages are the app's GET routes without arguments plus representative pages with ids (a
course, lessons of each course, the HR person page, the author's course, lesson, item and
exercise pages, the admin's user page). Which of them a role can reach is asked of the app
itself (a test client signed in as the same person): a page is walked when it answers 200 with
HTML. Every problem of every page is collected before the test fails, so one run lists them all.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import Course, Department, Lesson, User
from tests.browser.pagecheck import DESKTOP, PHONE, check_page, horizontal_overflow
from tests.helpers import browser_sign_in, sign_in

PASSWORD = "browser-demo-pass"
COURSES = Path(__file__).resolve().parents[2] / "courses"
SMALL_PHONE = (360, 780)
#: courses whose editor pages are walked: one language course and the etiquette course
AUTHORED = ("business-chinese-1", "business-etiquette")
ROLES = {
    "learner": "learner@lassard.demo",
    "hr": "hr@lassard.demo",
    "trainer": "trainer@zone.demo",
    "admin": "admin@zone.demo",
}
#: pages a role reaches that another role walks with the same content: the zone admin may open
#: the trainer's editor and recordings, which the trainer's walk covers
WALKED_BY_OTHERS = {"admin": ("/author/", "/audio/")}
#: GET routes that are not pages for a person (files, JSON, redirects to files)
NOT_PAGES = ("static", "audio.clip", "uploads.file")


def _plain_pages(app) -> list[str]:
    """The GET routes that take no argument (the menus' pages)."""
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments or rule.endpoint in NOT_PAGES:
            continue
        if rule.rule.startswith("/api/") or "/api/" in rule.rule:
            continue
        pages.append(rule.rule)
    return sorted(pages)


def _pages_with_ids(app) -> list[str]:
    """A course, a lesson of each course, the people, departments and authoring pages."""
    with app.app_context():
        courses = db.session.scalars(select(Course).order_by(Course.id)).all()
        pages = []
        for course in courses:
            pages.append(f"/courses/{course.id}")
            lesson = db.session.scalars(
                select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
            ).first()
            if lesson is not None:
                pages.append(f"/lessons/{lesson.id}")
            if course.slug not in AUTHORED:
                continue  # the editor's pages are the same templates for every course
            author = f"/author/c/{course.slug}/l/{lesson.slug}"
            pages += [author, author + "/preview", author + "/generate"]
            pages += [author + "/exercises/new/choose_meaning"]
            pages += [f"/author/c/{course.slug}", f"/author/c/{course.slug}/history"]
            pages += [f"/author/c/{course.slug}/analytics", f"/audio/course/{course.slug}"]
        learner = db.session.scalar(select(User).where(User.email == ROLES["learner"]))
        pages += [f"/hr/people/{learner.id}", f"/hr/people/{learner.id}/edit"]
        pages += [f"/admin/users/{learner.id}"]
        department = db.session.scalar(
            select(Department).where(Department.company_id == learner.company_id)
        )
        pages.append(f"/hr/departments/{department.id}")
    return pages


def _reachable(app, email: str, pages: list[str]) -> list[str]:
    """The pages that answer this person with an HTML page (200), plus the links to an item
    and an exercise found on the author's lesson pages."""
    client = app.test_client()
    assert sign_in(client, email, PASSWORD).status_code == 302
    found: list[str] = []
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        found.append(page)
        if re.fullmatch(r"/author/c/[^/]+/l/[^/]+", page):
            html = response.get_data(as_text=True)
            for pattern in (
                r'href="(/author/c/[^"]+/items/[^"/]+)"',
                r'href="(/author/c/[^"]+/exercises/[a-z0-9_-]+)"',
            ):
                match = re.search(pattern, html)
                if match and match.group(1) not in pages:
                    found.append(match.group(1))
    return found


def _too_wide(browser) -> str:
    """At 360 px, the outermost elements that reach past the window's right edge (a lead)."""
    browser.set_window_size(*SMALL_PHONE)
    culprits = browser.execute_script(
        "const w = document.documentElement.clientWidth, out = [];"
        "for (const el of document.querySelectorAll('body *')) {"
        "  const r = el.getBoundingClientRect();"
        "  if (r.right > w + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > w + 1))"
        "    out.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' right=' + Math.round(r.right));"
        "} return out.slice(0, 8);"
    )
    browser.set_window_size(*DESKTOP)
    return f"too wide at 360 px: {culprits}" if culprits else ""


def _contrast(browser) -> str:
    """axe's own account of the colour-contrast failures (colours and ratio), if any."""
    details = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: ['color-contrast']}).then(r => done(r.violations.flatMap("
        "v => v.nodes.slice(0, 4).map(n => n.target.join(' ') + ': ' + n.any[0].message))))"
        ".catch(e => done([String(e)]));"
    )
    return "\ncontrast: " + "\n  ".join(details) if details else ""


def walk_every_page(role, app, runner, browser, live_server, monkeypatch) -> None:
    monkeypatch.setenv("QIAO_DEMO_PASSWORD", PASSWORD)
    with app.app_context():
        imported = runner.invoke(args=["courses", "import", str(COURSES)])
    assert imported.exit_code == 0, imported.output
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    pages = _reachable(app, ROLES[role], _plain_pages(app) + _pages_with_ids(app))
    assert len(pages) >= 5, pages
    pages = [page for page in pages if not page.startswith(WALKED_BY_OTHERS.get(role, ()))]

    only = os.environ.get("QIAO_WALK_ONLY")  # a regular expression, to look again at a few pages
    if only:
        pages = [page for page in pages if re.search(only, page)]
    browser_sign_in(browser, live_server, ROLES[role], PASSWORD)
    problems = []
    for page in pages:
        browser.get(live_server + page)
        name = f"walk-{role}-" + (re.sub(r"[^a-z0-9]+", "-", page).strip("-") or "home")
        try:
            check_page(browser, name, sizes=(DESKTOP, PHONE))
        except AssertionError as problem:
            problems.append(f"{problem}\n{_too_wide(browser)}{_contrast(browser)}")
            continue
        # a smaller phone: the layout must still fit (axe's findings do not depend on width)
        browser.set_window_size(*SMALL_PHONE)
        overflow = horizontal_overflow(browser)
        browser.set_window_size(*DESKTOP)
        if overflow > 0:
            problems.append(f"{name} ({browser.current_url}): {_too_wide(browser)}")
    assert not problems, f"{len(problems)} of {len(pages)} pages:\n\n" + "\n\n".join(problems)
