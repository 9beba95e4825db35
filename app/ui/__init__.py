"""Shared pieces of the interface: navigation, template globals and filters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, current_app, request
from flask_babel import get_locale, lazy_gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.local import LocalProxy

from app.exercises import REGISTRY
from app.models import Role, utcnow


@dataclass(frozen=True)
class NavLink:
    endpoint: str
    label: str
    roles: tuple[str, ...]


NAV_LINKS = (
    NavLink("learn.dashboard", _l("Home"), (Role.LEARNER, Role.TRAINER, Role.HR, Role.ADMIN)),
    NavLink("learn.catalogue", _l("Courses"), (Role.LEARNER,)),
    NavLink("review.session", _l("Review"), (Role.LEARNER,)),
    NavLink("learn.stats", _l("My progress"), (Role.LEARNER,)),
    NavLink("author.courses", _l("Course editor"), (Role.TRAINER, Role.ADMIN)),
    NavLink("review.leeches", _l("Leeches"), (Role.TRAINER, Role.ADMIN)),
    NavLink("hr.dashboard", _l("Training reports"), (Role.HR, Role.ADMIN)),
    NavLink("hr.people", _l("Employees"), (Role.HR, Role.ADMIN)),
    NavLink("admin.users", _l("Users"), (Role.ADMIN,)),
    NavLink("admin.companies", _l("Companies"), (Role.ADMIN,)),
)


def instructions() -> dict[str, str]:
    """The default instruction above each exercise kind, translated (a file may give its own
    `question`); it also names the kind in the trainer's lists."""
    return {name: lazy_gettext(kind.instruction) for name, kind in REGISTRY.items()}


TONE_NAMES = {
    1: _l("1st — high and level (ā)"),
    2: _l("2nd — rising (á)"),
    3: _l("3rd — low, dipping (ǎ)"),
    4: _l("4th — falling (à)"),
    5: _l("neutral — short and light (a)"),
}

#: a word's part of speech as the course files name it, for learners' eyes
PART_OF_SPEECH_NAMES = {
    "noun": _l("noun"),
    "verb": _l("verb"),
    "adjective": _l("adjective"),
    "adverb": _l("adverb"),
    "pronoun": _l("pronoun"),
    "numeral": _l("numeral"),
    "measure": _l("measure word"),
    "particle": _l("particle"),
    "preposition": _l("preposition"),
    "conjunction": _l("conjunction"),
    "interjection": _l("interjection"),
    "phrase": _l("phrase"),
    "name": _l("proper name"),
}


def navigation() -> list[NavLink]:
    """The links of the signed-in user's roles, in menu order."""
    if not current_user.is_authenticated:
        return []
    return [link for link in NAV_LINKS if current_user.has_role(*link.roles)]


def _once(make):
    """A proxy that builds its object with `make` on first use, then keeps it."""
    made: list = []

    def get():
        if not made:
            made.append(make())
        return made[0]

    return LocalProxy(get)


def init_app(app: Flask) -> None:
    # shared macros (app/ui/templates/ui/) and the exercise kinds' templates
    # (app/exercises/templates/exercises/): template folders only, no routes
    app.register_blueprint(Blueprint("ui", __name__, template_folder="templates"))
    app.register_blueprint(
        Blueprint("exercise_kinds", "app.exercises", template_folder="templates")
    )

    @app.context_processor
    def inject():
        from app.forms import EmptyForm, LanguageForm

        def make_language_form():
            form = LanguageForm(formdata=None)
            form.next.data = request.full_path.rstrip("?")
            return form

        # the forms and the menu are made when a template uses them: a fragment (the review
        # stage returned by the JSON API) never does, and building two forms cost more than
        # rendering it
        return {
            "now_utc": utcnow(),
            "instructions": instructions(),
            "tone_names": TONE_NAMES,
            "pos_names": PART_OF_SPEECH_NAMES,
            "nav_links": _once(navigation),
            "logout_form": _once(lambda: EmptyForm(formdata=None)),
            "language_form": _once(make_language_form),
            "role_names": {
                Role.LEARNER: _l("learner"),
                Role.TRAINER: _l("trainer"),
                Role.HR: _l("HR"),
                Role.ADMIN: _l("administrator"),
            },
        }

    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["exercise_kinds"] = REGISTRY
    app.jinja_env.globals["vendor_ready"] = vendor_ready
    from app.ui import fragments

    app.jinja_env.globals["cached_fragment"] = fragments.cached_fragment
    app.jinja_env.globals["CSRF_SLOT"] = fragments.CSRF_SLOT
    app.jinja_env.globals["SUBMISSION_SLOT"] = fragments.SUBMISSION_SLOT
    app.jinja_env.globals["card_slot"] = fragments.card_slot
    app.jinja_env.globals["keys_fingerprint"] = fragments.keys_fingerprint
    from app.ui import chinese as zh
    from app.ui import filters

    filters.register(app)
    app.jinja_env.globals["zh_ruby"] = zh.ruby
    app.jinja_env.globals["zh_palladius"] = zh.palladius
    app.jinja_env.globals["zh_pinyin"] = zh.coloured_pinyin


def vendor_ready(name: str) -> bool:
    """Whether `make frontend` put the front-end package file `name` in static/vendor/ (without
    npm it did not, and pages must not ask for it: they say what is missing instead)."""
    return (Path(current_app.static_folder or "") / "vendor" / name).is_file()
