"""`flask audio verify`: check the clip each text plays, and store each clip's verdict."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import select

from app.audio import cache, processing, spoken, verification
from app.audio.build import spoken_forms
from app.audio.clips import RECORDING, chunks, rank
from app.audio.engines import SPEEDS, EspeakEngine, retired
from app.extensions import db
from app.models import AudioClip, ClipVerdict
from app.models.base import utcnow


@dataclass(frozen=True)
class Problem:
    text: str
    speed: str
    message: str
    #: "missing" (no clip, no file, does not decode), "language", or "tone"
    kind: str = "missing"


@dataclass
class VerifyReport:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: one-syllable clips whose tone was read, and how many had their written tone
    tone_checked: int = 0
    tone_right: int = 0
    #: per engine: [tone checked, tone right]
    by_engine: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    @property
    def tone_share(self) -> float | None:
        return self.tone_right / self.tone_checked if self.tone_checked else None

    def hard_problems(self) -> list[Problem]:
        """Problems that fail verification whatever the tone share."""
        return [p for p in self.problems if p.kind != "tone"]


VERIFY_THREADS = 2
#: `flask audio verify` fails when fewer one-syllable clips than this are heard right
TONE_SHARE_TARGET = 0.95


def _verify_one(row: AudioClip, path, form: str | None, espeak: EspeakEngine) -> tuple:
    """(verdict or None if the file is missing/bad, problem message)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, f"file missing: {path}"
    expected = spoken.single_tone(form) if form and row.engine != RECORDING else None
    try:
        verdict = verification.verify_clip(
            data,
            engine_name=row.engine,
            spoken=row.spoken,
            expected_tone=expected,
            espeak=espeak,
        )
    except processing.AudioError as exc:
        return None, f"{path} does not decode: {exc}"
    return verdict, verdict.note


def verify(texts: Iterable[str], audio_dir: str) -> VerifyReport:
    """Check the clip each text plays at both speeds (failed clips too: they are checked
    again): it exists and decodes, an espeak-ng clip never switches language, and a
    one-syllable clip is heard in its written tone. Stores each clip's verdict.

    Recordings are checked for decoding only: a trainer's recording always wins.
    """
    texts = sorted({t.strip() for t in texts if t and t.strip()})
    rows: list[AudioClip] = []
    for chunk in chunks(texts):
        rows += db.session.scalars(
            select(AudioClip).where(AudioClip.text.in_(chunk)).order_by(AudioClip.id.desc())
        ).all()
    best: dict[tuple[str, str], AudioClip] = {}
    for row in rows:
        if retired(row.engine, row.voice):
            continue
        current = best.get((row.text, row.speed))
        if current is None or rank(row.engine) < rank(current.engine):
            best[(row.text, row.speed)] = row
    forms = spoken_forms(texts)
    espeak = EspeakEngine()
    verification.forget()
    report = VerifyReport()
    now = utcnow()
    todo = [(text, speed, best.get((text, speed))) for text in texts for speed in SPEEDS]

    def check(entry):
        text, speed, row = entry
        if row is None:
            return None
        return _verify_one(row, cache.clip_path(audio_dir, row.key), forms.get(text), espeak)

    # The checks wait on espeak-ng and on decoding (both release the GIL): two at a time.
    with ThreadPoolExecutor(max_workers=VERIFY_THREADS) as pool:
        results = list(pool.map(check, todo))
    for (text, speed, row), result in zip(todo, results, strict=True):
        if row is None:
            report.problems.append(Problem(text, speed, "no clip (run flask audio build)"))
            continue
        report.checked += 1
        verdict, message = result
        row.checked_at = now
        if verdict is None:
            row.verdict, row.verdict_note = ClipVerdict.FAILED, message[:200]
            report.problems.append(Problem(text, speed, message))
            continue
        if row.engine == RECORDING:
            row.verdict, row.verdict_note = ClipVerdict.PASSED, None
            continue
        row.verdict = verdict.status
        row.heard_tone = verdict.heard_tone
        row.verdict_note = verdict.note[:200] or None
        if verdict.tone_checked:
            report.tone_checked += 1
            report.by_engine[row.engine][0] += 1
            if verdict.passed:
                report.tone_right += 1
                report.by_engine[row.engine][1] += 1
        if not verdict.passed:
            kind = "language" if verdict.language_switch else "tone"
            report.problems.append(Problem(text, speed, f"{row.engine}: {message}", kind))
    db.session.flush()
    return report
