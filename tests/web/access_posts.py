"""The POST half of the access matrix: every route that accepts POST, sent by every role.

One declarative table: endpoint -> list of (url builder, expected status per role, body).
Each POST carries a valid CSRF token (a form field, or the X-CSRFToken header for JSON), so
the status shows the authorisation and validation of the route itself: 302 to the sign-in
page (or 401 for the JSON API) for a guest, 403 for a role that may not act, 404 for
another company's or a missing object, and the route's own answer to an empty or minimal body
for the roles that may act (422 where an editor refuses an empty form, 400 where a request
cannot be understood). Rows run in order, so destructive actions come last.
"""

from __future__ import annotations

import uuid

from tests.web.test_hr_access import _assignment, _enrollment

ROLES = ("anonymous", "learner", "trainer", "hr", "admin")
L = "/author/c/demo/l/one"


def roles(anonymous=302, learner=403, trainer=403, hr=403, admin=403) -> dict[str, int]:
    return {
        "anonymous": anonymous,
        "learner": learner,
        "trainer": trainer,
        "hr": hr,
        "admin": admin,
    }


def signed_in(status: int, anonymous: int = 302) -> dict[str, int]:
    return dict.fromkeys(ROLES, status) | {"anonymous": anonymous}


def trainers(status: int) -> dict[str, int]:
    return roles(trainer=status, admin=status)


def hr_roles(status: int, admin: int | None = None) -> dict[str, int]:
    return roles(hr=status, admin=status if admin is None else admin)


def admin_only(status: int) -> dict[str, int]:
    return roles(admin=status)


def learners(status: int, anonymous: int = 302) -> dict[str, int]:
    """The review: people who hold the learner role (the HR officer of A studies too)."""
    return roles(anonymous=anonymous, learner=status, hr=status)


def form(**fields):
    return lambda p, c: {"data": fields}


def answer(kind: str, value):
    return lambda p, c: {"json": {"answer": value, "submission_id": str(uuid.uuid4())}}


JSON = lambda p, c: {"json": {}}  # noqa: E731
GUEST_401 = {"anonymous": 401}


def _say_item(p, c, lesson) -> int:
    """A word of `lesson` to say (a new one each time: rows run once per role)."""
    from app.extensions import db
    from app.models import Item

    item = Item(
        lesson=lesson, key=f"say-{uuid.uuid4().hex[:8]}", hanzi="妈", pinyin="mā", ru="мама"
    )
    db.session.add(item)
    db.session.commit()
    return item.id


def _kept_take(p, c) -> int:
    """A recording learner@alpha kept (the learner of the access matrix)."""
    from app.extensions import db
    from app.models import SpeechTake

    take = SpeechTake(
        user_id=p.learner_a.id, text="妈", pinyin="mā", heard="1", duration_ms=500, data=b"ID3"
    )
    db.session.add(take)
    db.session.commit()
    return take.id


def _say_exercise(p, c) -> int:
    """A say exercise in the demo course's open first lesson."""
    from app.extensions import db
    from app.models import Exercise

    exercise = Exercise(
        lesson=c.lesson,
        key=f"say-{uuid.uuid4().hex[:8]}",
        kind="say",
        data={"prompt": "妈", "answer": "mā"},
    )
    db.session.add(exercise)
    db.session.commit()
    return exercise.id


#: deactivation asks first; the confirmed form is what acts
CONFIRM = form(confirm="1")


# endpoint -> [(url builder, expected per role, body builder or None)]
POST_MATRIX: dict[str, list] = {
    "auth.login": [(lambda p, c: "/auth/login", signed_in(302, anonymous=400), None)],
    "auth.language": [
        (lambda p, c: "/auth/language", signed_in(302, anonymous=302), form(locale="ru"))
    ],
    "auth.change_password": [(lambda p, c: "/auth/password", signed_in(200), None)],
    "learn.enroll": [(lambda p, c: f"/courses/{c.course.id}/enroll", signed_in(302), None)],
    "learn.answer": [
        (
            lambda p, c: f"/exercises/{c.exercises['scenario'].id}/answer",
            signed_in(302),
            lambda p, c: {
                "data": {"answer": "Взять двумя руками", "submission_id": str(uuid.uuid4())}
            },
        )
    ],
    "learn.answer_json": [
        (
            lambda p, c: f"/api/v1/exercises/{c.exercises['scenario'].id}/answer",
            signed_in(200, anonymous=401),
            answer("scenario", "Взять двумя руками"),
        ),
        (
            lambda p, c: f"/api/v1/exercises/{c.exercises['word_order'].id}/answer",
            signed_in(400, anonymous=401),
            answer("word_order", [1, 2]),
        ),
    ],
    # no recording in the body: 400 where one may say it, 404 where the word is not one's to see
    "learn.say_item": [
        (
            lambda p, c: f"/api/v1/items/{_say_item(p, c, c.lesson)}/say",
            signed_in(400, anonymous=401),
            None,
        ),
        (
            lambda p, c: f"/api/v1/items/{_say_item(p, c, c.private_lesson)}/say",
            roles(anonymous=401, learner=404, trainer=404, hr=404, admin=404),
            None,
        ),
    ],
    "learn.say_exercise": [
        (
            lambda p, c: f"/api/v1/exercises/{_say_exercise(p, c)}/say",
            signed_in(400, anonymous=401),
            None,
        ),
        (
            lambda p, c: f"/api/v1/exercises/{c.exercises['scenario'].id}/say",
            signed_in(404, anonymous=401),
            None,
        ),
    ],
    # a learner's kept recording: everyone else, whatever their roles, gets 404
    "learn.delete_recording": [
        (
            lambda p, c: f"/me/recordings/{_kept_take(p, c)}/delete",
            roles(anonymous=302, learner=302, trainer=404, hr=404, admin=404),
            None,
        ),
        (lambda p, c: "/me/recordings/999999/delete", signed_in(404), None),
    ],
    "learn.mark_read": [(lambda p, c: f"/lessons/{c.lesson2.id}/read", signed_in(302), None)],
    "learn.study": [(lambda p, c: f"/lessons/{c.lesson.id}/study", signed_in(302), None)],
    "learn.display": [
        (lambda p, c: "/settings/display", signed_in(302), form(pinyin_mode="on", next="/"))
    ],
    "review.settings": [(lambda p, c: "/review/settings", learners(200), None)],
    "review.check": [(lambda p, c: "/review/check", learners(400), None)],
    "review.answer": [(lambda p, c: "/review/answer", learners(400), None)],
    "review.undo": [(lambda p, c: "/review/undo", learners(400), None)],
    "review.suspend": [(lambda p, c: "/review/cards/999999/suspend", learners(404), None)],
    "review.bury": [(lambda p, c: "/review/cards/999999/bury", learners(404), None)],
    "review.resume": [(lambda p, c: "/review/cards/999999/resume", learners(404), None)],
    "review_api.check": [(lambda p, c: "/api/v1/review/check", learners(400, 401), JSON)],
    "review_api.answer": [(lambda p, c: "/api/v1/review/answer", learners(400, 401), JSON)],
    "review_api.undo": [(lambda p, c: "/api/v1/review/undo", learners(400, 401), JSON)],
    "review_api.suspend": [
        (lambda p, c: "/api/v1/review/cards/999999/suspend", learners(404, 401), JSON)
    ],
    "review_api.bury": [
        (lambda p, c: "/api/v1/review/cards/999999/bury", learners(404, 401), JSON)
    ],
    "audio.upload_recording": [(lambda p, c: "/audio/items/999999/recording", trainers(404), None)],
    "audio.delete_recording": [
        (lambda p, c: "/audio/items/999999/recording/delete", trainers(404), None)
    ],
    "author.new_course": [(lambda p, c: "/author/new", trainers(200), None)],
    "author.course": [
        (lambda p, c: "/author/c/demo", trainers(422), None),
        (lambda p, c: "/author/c/nope", trainers(404), None),
    ],
    "author.add_lesson": [(lambda p, c: "/author/c/demo/lessons", trainers(302), None)],
    "author.lesson": [(lambda p, c: L, trainers(422), None)],
    "author.add_item": [(lambda p, c: f"{L}/items", trainers(422), None)],
    "author.item": [(lambda p, c: f"{L}/items/v0", trainers(422), None)],
    "author.move_item": [(lambda p, c: f"{L}/items/v0/move", trainers(302), None)],
    "author.paste": [(lambda p, c: f"{L}/paste", trainers(422), None)],
    "author.dialogue": [(lambda p, c: f"{L}/dialogues/0", trainers(422), None)],
    "author.add_line": [(lambda p, c: f"{L}/dialogues/0/lines", trainers(422), None)],
    "author.add_grammar": [(lambda p, c: f"{L}/grammar", trainers(422), None)],
    "author.grammar": [(lambda p, c: f"{L}/grammar/0", trainers(422), None)],
    "author.remove_grammar": [(lambda p, c: f"{L}/grammar/0/remove", trainers(404), None)],
    "author.new_exercise": [(lambda p, c: f"{L}/exercises/new/scenario", trainers(422), None)],
    "author.exercise": [(lambda p, c: f"{L}/exercises/scenario", trainers(422), None)],
    "author.move_exercise": [(lambda p, c: f"{L}/exercises/scenario/move", trainers(302), None)],
    "author.generate": [(lambda p, c: f"{L}/generate", trainers(302), None)],
    # the editor's JSON helpers, like the whole API: 401 for a guest, not the sign-in page
    "author.api_pinyin": [(lambda p, c: "/author/api/pinyin", trainers(200) | GUEST_401, JSON)],
    "author.api_markdown": [
        (lambda p, c: "/author/api/preview/markdown", trainers(200) | GUEST_401, JSON)
    ],
    "author.api_exercise_preview": [
        (lambda p, c: "/author/api/preview/exercise", trainers(400) | GUEST_401, JSON)
    ],
    "author.upload": [(lambda p, c: "/author/uploads", trainers(422), None)],
    "author.import_courses": [(lambda p, c: "/author/import", trainers(422), None)],
    "author.remove_exercise": [
        (lambda p, c: f"{L}/exercises/scenario/remove", trainers(302), None)
    ],
    "author.remove_item": [(lambda p, c: f"{L}/items/v0/remove", trainers(302), None)],
    "author.move_lesson": [(lambda p, c: "/author/c/demo/lessons/one/move", trainers(302), None)],
    "author.publish": [(lambda p, c: "/author/c/demo/publish", trainers(422), None)],
    "author.retire_lesson": [
        (lambda p, c: "/author/c/demo/lessons/two/retire", trainers(302), None)
    ],
    "author.retire_course": [(lambda p, c: "/author/c/demo/retire", trainers(302), None)],
    "hr.new_person": [
        (lambda p, c: "/hr/people/new", hr_roles(200), None),
        (lambda p, c: f"/hr/people/new?company={p.b.id}", hr_roles(404, admin=200), None),
    ],
    "hr.edit_person": [
        (lambda p, c: f"/hr/people/{p.learner_a.id}/edit", hr_roles(200), None),
        (lambda p, c: f"/hr/people/{p.learner_b.id}/edit", hr_roles(404, admin=200), None),
        (lambda p, c: f"/hr/people/{p.trainer.id}/edit", hr_roles(404, admin=200), None),
    ],
    "hr.invite": [
        (lambda p, c: f"/hr/people/{p.learner_a.id}/invite", hr_roles(302), None),
        (lambda p, c: f"/hr/people/{p.admin.id}/invite", hr_roles(404, admin=302), None),
    ],
    "hr.override": [
        (
            lambda p, c: f"/hr/enrollments/{_enrollment(p, c, p.learner_a)}/override",
            hr_roles(302),
            None,
        ),
        (
            lambda p, c: f"/hr/enrollments/{_enrollment(p, c, p.learner_b)}/override",
            hr_roles(404, admin=302),
            None,
        ),
    ],
    "hr.departments": [(lambda p, c: "/hr/departments", hr_roles(200), None)],
    "hr.edit_department": [
        (lambda p, c: f"/hr/departments/{p.a_sales.id}", hr_roles(302), None),
        (lambda p, c: f"/hr/departments/{p.b_logistics.id}", hr_roles(404, admin=302), None),
    ],
    "hr.import_people": [(lambda p, c: "/hr/import", hr_roles(200), None)],
    "hr.import_confirm": [(lambda p, c: "/hr/import/confirm", hr_roles(400), None)],
    "hr.new_assignment": [(lambda p, c: "/hr/assignments/new", hr_roles(200), None)],
    "hr.cancel_assignment": [
        (
            lambda p, c: f"/hr/assignments/{_assignment(p, c, p.b)}/cancel",
            hr_roles(404, admin=302),
            None,
        ),
        (lambda p, c: f"/hr/assignments/{_assignment(p, c, p.a)}/cancel", hr_roles(302), None),
    ],
    "hr.accept_invitation": [
        (lambda p, c: "/hr/invite/not-a-token", dict.fromkeys(ROLES, 404), None),
    ],
    "hr.toggle_active": [
        (lambda p, c: f"/hr/people/{p.learner_b.id}/active", hr_roles(404, admin=302), CONFIRM),
        (lambda p, c: f"/hr/people/{p.learner_a.id}/active", hr_roles(302), CONFIRM),
    ],
    "admin.new_user": [(lambda p, c: "/admin/users/new", admin_only(200), None)],
    "admin.edit_user": [(lambda p, c: f"/admin/users/{p.learner_b.id}", admin_only(200), None)],
    "admin.toggle_active": [
        (lambda p, c: f"/admin/users/{p.learner_b.id}/active", admin_only(302), CONFIRM)
    ],
    "admin.new_company": [(lambda p, c: "/admin/companies/new", admin_only(200), None)],
    "admin.edit_company": [(lambda p, c: f"/admin/companies/{p.a.id}", admin_only(200), None)],
    "admin.company_sign_in": [
        (lambda p, c: f"/admin/companies/{p.a.id}/sign-in", admin_only(200), None)
    ],
    "audio.batch_recordings": [
        (lambda p, c: f"/audio/lessons/{c.lesson.id}/recordings", trainers(200), None)
    ],
    "auth.forgot_password": [(lambda p, c: "/auth/forgot", dict.fromkeys(ROLES, 200), None)],
    "auth.reset_password": [
        (lambda p, c: "/auth/reset/not-a-token", dict.fromkeys(ROLES, 404), None)
    ],
    "author.dialogue_gloss": [(lambda p, c: f"{L}/dialogues/0/glosses", trainers(422), None)],
    "author.preview_answer": [(lambda p, c: f"{L}/preview/exercises/1", trainers(302), None)],
    "hr.invite_pending": [(lambda p, c: "/hr/invitations", hr_roles(302, admin=200), None)],
    "learn.goal_settings": [(lambda p, c: "/settings/goal", learners(200), None)],
    # the placement test: a sitting starts (302 to it), an empty answer sheet is refused (400),
    # marking lessons known without a result sends back to the test (302)
    "placement.start": [(lambda p, c: "/placement/start", learners(302), None)],
    "placement.submit": [(lambda p, c: "/placement/submit", learners(400), None)],
    "placement.known": [(lambda p, c: "/placement/known", learners(302), None)],
    "learn.heartbeat": [(lambda p, c: "/api/v1/study/heartbeat", signed_in(400, 401), JSON)],
    # last: signing out ends the run's session
    "auth.logout": [(lambda p, c: "/auth/logout", signed_in(302, anonymous=302), None)],
}
