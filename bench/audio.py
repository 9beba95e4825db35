"""Speed of `flask audio build` with the offline engine on the demo courses.

Usage: ``python bench/audio.py [--workers N]`` from the repository root (needs espeak-ng).

In a scratch instance (temporary SQLite database and audio folder) it imports the three demo
courses, then measures, in the same run:

* the baseline: bare ``espeak-ng`` synthesis of every clip, one process after another, with no
  decoding, trimming, normalising, encoding or writing;
* the build on 1 worker and on N workers (default: every core), each into an empty folder;
* a second, fully cached run: in-process (the planning queries and file checks) and as a
  whole ``flask audio build`` command (mostly interpreter and app start-up).

Figures are printed as clips per second and as ratios to the baseline and the 1-worker build.
The machine may be shared, so the three timed runs are interleaved: the texts are cut into
rounds and each round is timed with each method in turn (rotating the order), so that a change
in background load weighs on all three alike. The load average is printed too.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _load_courses(app) -> str:
    """Import the demo courses with the real importer; say how it went."""
    from app.content.importer import import_courses
    from app.content.validate import validate_tree
    from app.extensions import db

    try:
        import_courses(validate_tree(ROOT / "courses"))
    except Exception as exc:  # the importer is someone else's moving target
        db.session.rollback()
        _load_texts_directly()
        return f"importer failed ({exc.__class__.__name__}: {exc}); texts loaded directly"
    db.session.commit()
    return "imported with flask courses import's importer"


def _load_texts_directly() -> None:
    """Fallback: only what audio needs (items, spoken prompts) from the course files."""
    import yaml

    from app.extensions import db
    from app.models import Course, Exercise, Item, Lesson

    for course_file in sorted((ROOT / "courses").glob("*/course.yaml")):
        data = yaml.safe_load(course_file.read_text(encoding="utf-8"))
        course = Course(slug=data["slug"], title=data["title"], published=True)
        db.session.add(course)
        for position, slug in enumerate(data["lessons"]):
            lesson_data = yaml.safe_load((course_file.parent / f"{slug}.yaml").read_text("utf-8"))
            lesson = Lesson(course=course, slug=slug, title=lesson_data["title"], position=position)
            texts = [v["hanzi"] for v in lesson_data.get("vocabulary") or []]
            for dialogue in lesson_data.get("dialogues") or []:
                texts += [line["hanzi"] for line in dialogue["lines"]]
            for note in lesson_data.get("grammar") or []:
                texts += [e["hanzi"] for e in note.get("examples") or []]
            for n, hanzi in enumerate(texts):
                db.session.add(Item(lesson=lesson, key=f"i{n}", hanzi=hanzi, position=n))
            for n, exercise in enumerate(lesson_data.get("exercises") or []):
                db.session.add(
                    Exercise(lesson=lesson, key=exercise["key"], kind=exercise["kind"],
                             data=exercise, position=n)
                )  # fmt: skip
    db.session.commit()


def _baseline(texts: list[str]) -> float:
    """Seconds for bare espeak-ng synthesis of every (text, speed), serially, given the
    numbered pinyin the build gives it."""
    from app.audio.build import spoken_forms
    from app.audio.engines import SPEEDS, EspeakEngine

    engine = EspeakEngine()
    forms = spoken_forms(texts)
    start = time.perf_counter()
    for text in texts:
        for speed in SPEEDS:
            engine.synthesize(forms.get(text.strip()) or "ma5", speed)
    return time.perf_counter() - start


def _build(texts: list[str], audio_dir: str, workers: int):
    from app.audio.build import build
    from app.extensions import db

    start = time.perf_counter()
    report = build(texts, mode="espeak", audio_dir=audio_dir, workers=workers)
    db.session.commit()
    return report, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=6, help="interleaved rounds (default 6)")
    parser.add_argument(
        "--texts", type=int, default=0, help="a spread sample of this many texts (short mode; "
        "the whole `flask audio build` run is then left out)",
    )  # fmt: skip
    args = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is not installed (make sysdeps)")

    scratch = Path(tempfile.mkdtemp(prefix="qiao-bench-audio-"))
    os.environ["QIAO_INSTANCE"] = str(scratch / "instance")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.db'}"
    from flask_migrate import upgrade

    from app import create_app
    from app.audio.texts import needed_texts

    app = create_app({"AUDIO_DIR": str(scratch / "audio-cached")})
    try:
        with app.app_context():
            upgrade()
            how = _load_courses(app)
            texts = needed_texts()
            if args.texts and args.texts < len(texts):
                texts = texts[:: len(texts) // args.texts][: args.texts]
            clips = 2 * len(texts)
            print(f"demo courses: {len(texts)} texts, {clips} clips (normal and slow); {how}")
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"cores: {os.cpu_count()}; load average before: {load}\n")

            base = t1 = tn = 0.0
            made_one = made_many = 0
            for n in range(args.rounds):
                part = texts[n :: args.rounds]
                methods = [
                    ("base", lambda part=part: (None, _baseline(part))),
                    ("one", lambda part=part: _build(part, str(scratch / "audio-1"), 1)),
                    (
                        "many",
                        lambda part=part: _build(part, str(scratch / "audio-cached"), args.workers),
                    ),
                ]
                for name, method in methods[n % 3 :] + methods[: n % 3]:
                    report, seconds = method()
                    if name == "base":
                        base += seconds
                    elif name == "one":
                        t1 += seconds
                        made_one += report.total_made
                    else:
                        tn += seconds
                        made_many += report.total_made
            assert made_one == made_many == clips, (made_one, made_many)
            cached, tc = _build(texts, str(scratch / "audio-cached"), args.workers)
            assert cached.total_made == 0 and cached.cached == clips
        env = {**os.environ, "FLASK_APP": "wsgi.py", "AUDIO_DIR": str(scratch / "audio-cached")}
        tcli = tstart = None
        if not args.texts:
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "flask", "audio", "build", "--engine", "espeak"],
                cwd=ROOT, env=env, capture_output=True, text=True, check=True,
            )  # fmt: skip
            tcli = time.perf_counter() - start
            assert re.search(r"made 0, cached \d+", done.stdout), done.stdout
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "flask", "--help"],
                cwd=ROOT, env=env, capture_output=True, check=True,
            )  # fmt: skip
            tstart = time.perf_counter() - start
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average after: {load}")
    rows = [
        ("baseline: bare espeak-ng, serial", base, 1),
        ("flask audio build, 1 worker", t1, 1),
        (f"flask audio build, {args.workers} workers", tn, args.workers),
    ]
    print(f"{'':40} {'seconds':>8} {'clips/s':>8} {'× baseline':>11} {'× 1 worker':>11}")
    for name, seconds, _ in rows:
        print(
            f"{name:40} {seconds:8.2f} {clips / seconds:8.1f} "
            f"{base / seconds:11.2f} {t1 / seconds:11.2f}"
        )
    print(
        f"\nsecond run, fully cached (in-process):  {tc:.3f} s = {tc / t1:.4f} × the 1-worker build"
    )
    if tcli is not None:
        print(
            f"second run, whole `flask audio build`:  {tcli:.2f} s "
            f"(of which `flask --help` start-up alone: {tstart:.2f} s)"
        )


if __name__ == "__main__":
    main()
