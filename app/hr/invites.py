"""HR's invitation links: the accounts service's (`app.accounts.invitations`), old name."""

from app.accounts.invitations import (  # noqa: F401
    MAX_AGE_DAYS,
    accept,
    create_invitation,
    invitation_mail,
    make_token,
    never_activated,
    user_for_token,
)
