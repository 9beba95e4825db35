"""The business gold set of bench/pinyin.py is checked against CC-CEDICT."""

from pathlib import Path

from app.chinese import lexicon
from app.chinese.glosses import entries

GOLD = Path(__file__).resolve().parents[2] / "bench" / "data" / "business.tsv"
MARK = "\u2581"


def rows():
    for number, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), 1):
        if line and not line.startswith("#"):
            sentence, reading, checked = line.split("\t")
            yield number, sentence, reading, checked


def test_gold_set_is_large_and_well_formed():
    items = list(rows())
    assert len(items) >= 200
    for number, sentence, reading, _ in items:
        assert sentence.count(MARK) == 2, number
        assert reading[:-1].isalpha() and reading[-1] in "12345", number


def test_gold_readings_agree_with_the_dictionary():
    lex = lexicon.lexicon()
    problems = []
    for number, sentence, reading, checked in rows():
        before, char, after = sentence.split(MARK)
        text = before + char + after
        lex.ensure(text)
        if reading not in lex.chars.get(char, ()):
            problems.append(f"line {number}: {char} has no reading {reading}")
            continue
        word = checked.split(" ")[0]
        if len(word) < 2 or word not in text or char not in word:
            continue
        found = entries(word)
        if not found:
            continue
        offset = word.index(char)
        options = {e.pinyin.lower().replace("u:", "v").split()[offset] for e in found}
        if reading not in options and reading[:-1] + "5" not in options:
            problems.append(
                f"line {number}: {word} is {sorted(options)} in CC-CEDICT, not {reading}"
            )
    assert not problems, "\n".join(problems)
