"""The account e-mails' common frame: a mail to one person, written in Russian."""

from __future__ import annotations

from flask_babel import LazyString, force_locale

from app.mail import Mail
from app.models import User


def russian_mail(person: User, subject: LazyString, body: LazyString) -> Mail:
    """A mail to `person` with the subject and body (lazy strings) translated into Russian.

    Mails go out in Russian whatever the sender's interface language, so the lazy texts are
    only turned into text here, under the Russian locale.
    """
    with force_locale("ru"):
        return Mail(to=[person.email], subject=str(subject), body=str(body))
