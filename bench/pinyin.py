"""Polyphone accuracy and speed: plain pypinyin, pypinyin + phrase data, g2pM and Qiao's engine.

Usage: ``python bench/pinyin.py [--errors N]`` from the repository root.

Two gold sets, one marked polyphone per sentence (``▁行▁``):

* CPP dev split (Wikipedia; g2pM's training domain), read from ``QIAO_CPP_DIR`` or
  ``../shared/data/cpp`` beside the repository;
* ``bench/data/business.tsv``: our business and daily-life sentences.

A third column compares every syllable with the human-checked pinyin of the course files
(``courses/``: items, dialogue lines, grammar examples; neutral tones included, sandhi aside,
see ``bench/courses.py``), and for Qiao the words as GB/T 16159 writes them.

Speed is Han-text characters per second over both sets, one call per sentence, for every
system in the same run. Start-up is the engine's first load (dictionaries, jieba, model).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARK = "\u2581"

import courses  # noqa: E402 - bench/ is on the path when run as a script


def load_cpp() -> list[tuple[str, int, str]]:
    """(sentence, index of the polyphone, numbered reading) from the CPP dev split."""
    folder = Path(os.environ.get("QIAO_CPP_DIR", ROOT.parent / "shared" / "data" / "cpp"))
    sents = (folder / "dev.sent").read_text(encoding="utf-8").splitlines()
    labels = (folder / "dev.lb").read_text(encoding="utf-8").splitlines()
    return [_item(s, lb.strip()) for s, lb in zip(sents, labels, strict=True)]


def load_business() -> list[tuple[str, int, str]]:
    """(sentence, index, reading) from our own gold set."""
    path = ROOT / "bench" / "data" / "business.tsv"
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            sentence, reading, _ = line.split("\t")
            items.append(_item(sentence, reading))
    return items


def _item(marked: str, reading: str) -> tuple[str, int, str]:
    before, char, after = marked.split(MARK)
    return before + char + after, len(before), reading.replace("u:", "v")


def score(results: list, items: list[tuple[str, int, str]]) -> tuple[float, list]:
    """Accuracy and errors of one system's results on one set."""
    errors = [
        (sentence, index, gold, result[index])
        for (sentence, index, gold), result in zip(items, results, strict=True)
        if result[index] != gold
    ]
    return 1 - len(errors) / len(items), errors


def timed_run(read: Callable[[str], list], sentences: list[str]) -> tuple[list, float]:
    """Results of ``read`` on every sentence and the seconds it took."""
    start = time.perf_counter()
    results = [read(s) for s in sentences]
    return results, time.perf_counter() - start


def interleaved(
    systems: dict[str, Callable[[str], list]], sentences: list[str], block: int = 250
) -> dict[str, tuple[list, float]]:
    """Run the systems block by block in turn, so a noisy machine slows them alike."""
    out: dict[str, tuple[list, float]] = {name: ([], 0.0) for name in systems}
    for b in range(0, len(sentences), block):
        chunk = sentences[b : b + block]
        for name, read in systems.items():
            results, seconds = timed_run(read, chunk)
            done, spent = out[name]
            out[name] = (done + results, spent + seconds)
    return out


def g2pm_read(model, text: str) -> list:
    """g2pM's reading of each character (None where it is not Han)."""
    from app.chinese.segment import is_han

    out = [s.replace("u:", "v") for s in model(text, char_split=True)]
    if len(out) != len(text):
        return [None] * len(text)
    return [r if is_han(ch) else None for ch, r in zip(text, out, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="print N errors of each set")
    args = parser.parse_args()
    sets = {"CPP dev": load_cpp(), "business": load_business()}
    course_cases = courses.load(ROOT / "courses")
    sentences = [s for items in sets.values() for s, _, _ in items]
    chars = sum(map(len, sentences))
    print(f"sets: CPP dev {len(sets['CPP dev'])} sentences, business {len(sets['business'])}")
    print(f"speed: {chars} characters, one call per sentence\n")

    import app  # noqa: F401 - the web application's own imports are not the engine's start-up

    start = time.perf_counter()
    from app.chinese import reading, syllables

    reading.load()
    syllables("银行行长出差了。")
    qiao_startup = time.perf_counter() - start

    from pypinyin import Style, lazy_pinyin

    def pypinyin_read(text: str) -> list:
        return lazy_pinyin(
            text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: [None] * len(s)
        )

    rows: dict[str, tuple[list, float, float]] = {}
    # Plain pypinyin and Qiao run interleaved: their speed ratio is the one the goal is about.
    for name, (results, seconds) in interleaved(
        {"pypinyin": pypinyin_read, "Qiao": syllables}, sentences
    ).items():
        rows[name] = (results, seconds, qiao_startup if name == "Qiao" else 0.0)

    course_scores = {"pypinyin": courses.score_syllables(course_cases, pypinyin_read)[0]}

    start = time.perf_counter()
    from pypinyin_dict.phrase_pinyin_data import large_pinyin

    large_pinyin.load()
    startup = time.perf_counter() - start
    results, seconds = timed_run(pypinyin_read, sentences)
    rows["pypinyin + phrase data"] = (results, seconds, startup)

    start = time.perf_counter()
    from g2pM import G2pM

    model = G2pM()
    startup = time.perf_counter() - start
    results, seconds = timed_run(
        lambda text: [s.replace("u:", "v") for s in model(text, char_split=True)], sentences
    )
    rows["g2pM"] = (results, seconds, startup)

    course_scores["g2pM"] = courses.score_syllables(
        course_cases, lambda text: g2pm_read(model, text)
    )[0]
    course_scores["pypinyin + phrase data"] = courses.score_syllables(course_cases, pypinyin_read)[
        0
    ]
    qiao_course, course_misses = courses.score_qiao(course_cases)
    course_scores["Qiao"] = qiao_course
    print(
        f"courses: {qiao_course.cases} texts with human pinyin, {qiao_course.syllables} "
        f"syllables, {qiao_course.words} words\n"
    )
    header = f"{'system':24} {'CPP dev':>8} {'business':>9} {'courses':>8} {'words':>7}"
    print(f"{header} {'chars/s':>9} {'start-up':>9}")
    errors: dict[str, list] = {}
    for name in ("pypinyin", "pypinyin + phrase data", "g2pM", "Qiao"):
        results, seconds, startup = rows[name]
        accuracies, offset = [], 0
        for set_name, items in sets.items():
            accuracy, errors[f"{name}/{set_name}"] = score(
                results[offset : offset + len(items)], items
            )
            accuracies.append(accuracy)
            offset += len(items)
        course = course_scores[name]
        words = f"{course.word_rate:7.2%}" if name == "Qiao" else f"{'-':>7}"
        print(
            f"{name:24} {accuracies[0]:8.2%} {accuracies[1]:9.2%} "
            f"{course.syllable_rate:8.2%} {words} {chars / seconds:9.0f} {startup:8.2f}s"
        )
    cpp_errors = errors["Qiao/CPP dev"]
    neutral = sum(
        1 for _, _, gold, got in cpp_errors if got and got[:-1] == gold[:-1] and got[-1] == "5"
    )
    print(
        f"\nOf Qiao's {len(cpp_errors)} CPP dev errors, {neutral} are the neutral tone a "
        "dictionary writes where CPP writes the full tone (认识 rènshi, 名片上 shang); "
        f"without them: {1 - (len(cpp_errors) - neutral) / len(sets['CPP dev']):.2%}."
    )
    gold_rate, gold_misses = courses.score_gold(
        courses.load_gold(ROOT / "bench" / "data" / "neutral-names.tsv")
    )
    print(
        f"\nQiao on the neutral-tone and names gold set ({len(gold_misses)} misses): "
        f"{gold_rate:.2%}"
    )
    ratio = rows["pypinyin"][1] / rows["Qiao"][1]
    print(f"\nQiao runs at {ratio:.2f} x plain pypinyin's speed (measured interleaved).")
    print(
        "Qiao start-up: importing app.chinese, loading the dictionaries (jieba's too) "
        "and the model, reading a first sentence."
    )
    if args.errors:
        print("\nQiao misses on the neutral-tone and names gold set:")
        for sentence, gold, got in gold_misses[: args.errors]:
            print(f"  {sentence}  gold {gold}  got {got}")
        print("\nQiao disagreements with the course files:")
        for miss in course_misses[: args.errors]:
            print(f"  {miss.case.where}: {miss.case.hanzi}")
            print(f"    file:   {miss.case.pinyin}\n    engine: {miss.engine}")
        for set_name in sets:
            print(f"\nQiao errors on {set_name}:")
            for sentence, index, gold, got in errors[f"Qiao/{set_name}"][: args.errors]:
                left = sentence[max(0, index - 12) : index]
                right = sentence[index + 1 : index + 12]
                print(f"  {left}[{sentence[index]}]{right}  gold {gold}  got {got}")


if __name__ == "__main__":
    main()
