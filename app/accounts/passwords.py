"""The password policy: long enough, and not among the passwords guessed first.

Pure (no Flask, no database), so that every place that sets a password (the password change,
invitations, the admin's form, a future reset flow) calls the same `password_problem()`.
Guessers try common passwords, keyboard rows, repeated or sequential characters and the
person's own name first; a password built from those is refused whatever its length.
"""

from __future__ import annotations

import re

MIN_LENGTH = 10
MAX_LENGTH = 256

#: words and passwords guessers try first (compared after lower-casing and with digits and
#: punctuation around them removed)
COMMON = frozenset(
    [
        "password",
        "passw0rd",
        "pass",
        "parol",
        "пароль",
        "qwerty",
        "qwertz",
        "azerty",
        "йцукен",
        "admin",
        "administrator",
        "root",
        "welcome",
        "letmein",
        "iloveyou",
        "love",
        "monkey",
        "dragon",
        "master",
        "sunshine",
        "princess",
        "football",
        "baseball",
        "superman",
        "batman",
        "trustno1",
        "shadow",
        "michael",
        "jennifer",
        "secret",
        "access",
        "login",
        "hello",
        "freedom",
        "whatever",
        "computer",
        "internet",
        "qiao",
        "china",
        "chinese",
        "beijing",
        "moscow",
        "москва",
        "россия",
        "russia",
        "привет",
        "любовь",
        "компания",
        "company",
        "changeme",
        "default",
        "guest",
        "user",
        "test",
        "testing",
        "demo",
        "qazwsx",
        "zaqxsw",
        "asdfgh",
        "zxcvbn",
        "qweasd",
        "qweasdzxc",
        "1q2w3e4r",
        "1q2w3e4r5t",
        "1q2w3e",
        "1qaz2wsx",
        "1qaz2wsx3edc",
        "zaq12wsx",
        "q1w2e3r4",
        "q1w2e3r4t5",
        "a1b2c3d4",
        "abc123",
        "abcd1234",
        "qwerty123",
        "password1",
        "iloveyou1",
    ]
)

#: sequences whose runs (forwards or backwards) are guessed: digits, alphabets, keyboard rows
_SEQUENCES = (
    "01234567890",
    "abcdefghijklmnopqrstuvwxyz",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "йцукенгшщзхъ",
    "фывапролджэ",
    "ячсмитьбю",
    "1qaz2wsx3edc4rfv5tgb",
    "qazwsxedcrfvtgb",
)
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def _is_sequence_run(text: str) -> bool:
    """True if `text` (4+ characters) is a run of one of the known sequences."""
    if len(text) < 4:
        return False
    for sequence in _SEQUENCES:
        for candidate in (sequence, sequence[::-1]):
            if text in candidate * 3:
                return True
    return False


def _is_repetition(text: str) -> bool:
    """True for few distinct characters or a short unit repeated (`abab…`, `passpass`)."""
    if len(set(text)) <= 3:
        return True
    for size in range(1, len(text) // 2 + 1):
        unit = text[:size]
        if (unit * (len(text) // size + 1))[: len(text)] == text:
            return True
    return False


def _personal_words(email: str, name: str) -> set[str]:
    local = email.split("@", 1)[0].lower()
    words = set(re.split(r"[\W_]+", local)) | set(re.split(r"[\W_]+", name.lower()))
    words.add(local)
    return {w for w in words if len(w) >= 4}


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """What is wrong with `password`, or None if it is acceptable.

    Codes: "too short", "too long", "guessable" (common, repetitive, a sequence, a keyboard
    row, or made of the person's e-mail or name with digits and symbols around them).
    """
    if len(password) < MIN_LENGTH:
        return "too short"
    if len(password) > MAX_LENGTH:
        return "too long"
    text = password.lower()
    core = _EDGES.sub("", text)
    parts = [p for p in re.split(r"[\W_]+", text) if p]
    if text in COMMON or core in COMMON or len(core) < 4 and len(set(text)) < 6:
        return "guessable"
    if _is_repetition(text) or _is_sequence_run(text) or _is_sequence_run(core):
        return "guessable"
    personal = _personal_words(email, name)
    if core in personal or (parts and all(p in personal or p.isdigit() for p in parts)):
        return "guessable"
    if parts and all(p in COMMON or p.isdigit() or _is_sequence_run(p) for p in parts):
        return "guessable"
    return None
