"""How I like Chinese shown: pinyin, Palladius, tone sandhi, my HSK level."""

from __future__ import annotations

from app.models import User

PINYIN_MODES = ("on", "off", "above")


def set_display(
    user: User, *, pinyin_mode: str, show_palladius: bool, tone_sandhi: bool, hsk_level: int | None
) -> None:
    """Remember how I like Chinese shown."""
    if pinyin_mode not in PINYIN_MODES:
        raise ValueError(pinyin_mode)
    user.pinyin_mode = pinyin_mode
    user.show_palladius = show_palladius
    user.tone_sandhi = tone_sandhi
    user.hsk_level = hsk_level if hsk_level and 1 <= hsk_level <= 7 else None
