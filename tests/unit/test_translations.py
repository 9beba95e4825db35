"""Every interface string has a Russian translation (Russian is the first language)."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_russian_catalogue_is_complete(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-o", str(pot), "."],
        cwd=ROOT, check=True,
    )  # fmt: skip
    # keyed by (context, id): pgettext("spreadsheet column", "Full name") is its own entry
    with pot.open("rb") as fh:
        wanted = {(m.context, m.id) for m in read_po(fh) if m.id}
    with (ROOT / "app/translations/ru/LC_MESSAGES/messages.po").open("rb") as fh:
        catalogue = {(m.context, m.id): m for m in read_po(fh, locale="ru") if m.id}
    missing = sorted(str(i) for i in wanted if i not in catalogue)
    untranslated = sorted(
        str(i)
        for i in wanted
        if i in catalogue
        and (not catalogue[i].string or (isinstance(catalogue[i].string, tuple)
                                         and not all(catalogue[i].string)))
    )  # fmt: skip
    fuzzy = sorted(str(i) for i in wanted if i in catalogue and catalogue[i].fuzzy)
    assert not missing, f"run `make messages`; not in messages.po: {missing}"
    assert not untranslated, f"translate into Russian: {untranslated}"
    assert not fuzzy, f"check and un-fuzzy: {fuzzy}"
