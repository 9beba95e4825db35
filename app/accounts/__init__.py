"""Accounts: one service for their whole life, called by admin, HR, the import, auth and the demo.

- `lifecycle`: create, move, activate/deactivate (with re-enrolment), bulk building for imports
- `credentials`: password hashing, sign-in checks, password changes
- `invitations`: one-time links with which a new person sets their own password
- `reset`: «forgot password» links
- `passwords`: the password policy (pure)
"""

from app.accounts.credentials import (
    MIN_PASSWORD_LENGTH,
    find_user_by_email,
    hash_password,
    normalize_email,
    set_password,
    verify_password,
)
from app.accounts.invitations import create_invitation as invite
from app.accounts.lifecycle import (
    AccountError,
    PersonFields,
    active_counts,
    create_account,
    create_accounts,
    department_named,
    enrol,
    errors_as,
    move,
    new_account,
    set_active,
    update_account,
)

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "AccountError",
    "PersonFields",
    "active_counts",
    "create_account",
    "create_accounts",
    "department_named",
    "enrol",
    "errors_as",
    "find_user_by_email",
    "hash_password",
    "invite",
    "move",
    "new_account",
    "normalize_email",
    "set_active",
    "set_password",
    "update_account",
    "verify_password",
]
