"""`flask audio build | verify | prune`: the same services as the pages, from the shell."""

from __future__ import annotations

import os
import time

import click
from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audio import audio_dir
from app.audio.build import BuildReport, plan_build, run_build
from app.audio.engines import CHAINS, ENGINES, SPEEDS, EngineUnavailable, EspeakEngine
from app.audio.prune import prune
from app.audio.texts import needed_texts
from app.audio.verify import TONE_SHARE_TARGET, verify
from app.extensions import db
from app.jobs.dispatch import backend
from app.models import Course, Job, JobStatus

ENGINE_NAMES = {
    "espeak": "espeak-ng",
    "gtts": "gTTS",
    "piper": "Piper",
    "sherpa": "sherpa-onnx",
    "recording": "recording",
}


def _texts(course_slug: str | None) -> list[str]:
    if course_slug is not None:
        if db.session.scalar(select(Course.id).where(Course.slug == course_slug)) is None:
            raise click.ClickException(f"no course with the slug '{course_slug}'")
        # One course: drafts too, so that trainers hear a course before publishing it.
        return needed_texts(course_slug=course_slug, include_drafts=True)
    return needed_texts()


def _commit() -> bool:
    """Commit the rows made so far; False (rolled back) when a concurrent build recorded one
    of them first, so that the build records the others again."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _usable_mode(mode: str) -> str:
    """The engine chain `mode`, refused (ClickException) when its engines cannot run here."""
    if mode not in CHAINS:
        raise click.ClickException(f"TTS_ENGINE must be one of {', '.join(sorted(CHAINS))}")
    if "espeak" in CHAINS[mode] and not EspeakEngine().available():
        if mode == "espeak":
            raise click.ClickException(
                "espeak-ng is not installed: apt-get install espeak-ng (or make sysdeps)"
            )
        click.echo("WARNING: espeak-ng is not installed: no offline fallback.", err=True)
    operator_voice = ENGINES[CHAINS[mode][0]]()
    if hasattr(operator_voice, "check"):
        try:
            operator_voice.check()
        except EngineUnavailable as exc:
            raise click.ClickException(str(exc)) from None
    return mode


def _echo_build(report: BuildReport, elapsed: float) -> None:
    """What a build made, kept and failed, one line each."""
    made = ", ".join(f"{ENGINE_NAMES[e]} {n}" for e, n in sorted(report.made.items()))
    rate = f", {report.total_made / elapsed:.1f} clips/s" if report.total_made else ""
    click.echo(
        f"made {report.total_made}{f' ({made})' if made else ''}, cached {report.cached}, "
        f"failed {len(report.failed)} in {elapsed:.1f} s{rate}"
    )
    for engine_name, count in report.fallbacks.items():
        click.echo(
            f"note: {ENGINE_NAMES.get(engine_name, engine_name)} failed for {count} clip(s); "
            "espeak-ng was used instead. A later run with the network upgrades them."
        )
    if report.kept_offline:
        click.echo(f"note: {report.kept_offline} offline clip(s) kept (gTTS unreachable).")
    for text, speed, reason in report.failed:
        click.echo(f"failed: {text} [{speed}]: {reason}", err=True)
    if report.rejected:
        click.echo(
            f"note: {report.rejected} clip(s) failed their check (language or tone) and will "
            "not be played; `flask audio verify` lists them."
        )


def _enqueue_build(course_slug: str | None, mode: str, workers: int, retries: int) -> None:
    """Hand the build to a job runner (a worker with RQ; this process otherwise)."""
    from app.jobs import enqueue

    payload = {"course": course_slug, "engine": mode, "workers": workers, "retries": retries}
    job = enqueue("audio.build", payload, user=None, key=f"audio.build:{course_slug or '*'}")
    job_id = job.id
    db.session.commit()
    click.echo(f"audio build queued as job {job_id} ({backend(current_app)}); "
               "`flask jobs list` shows its progress")  # fmt: skip
    db.session.expire_all()
    finished = db.session.get(Job, job_id)
    if finished is not None and finished.status in (JobStatus.DONE, JobStatus.FAILED):
        result = finished.result or {}
        click.echo(
            f"job {finished.status}: made {result.get('made', 0)}, cached "
            f"{result.get('cached', 0)}, failed {result.get('failed', 0)}"
            + (f" ({finished.error})" if finished.error else "")
        )
        if finished.status == JobStatus.FAILED or result.get("failed"):
            raise SystemExit(1)


def register(app: Flask) -> None:
    audio = click.Group("audio", help="Audio clips: build the missing ones, verify, prune.")
    app.cli.add_command(audio)

    @audio.command("build")
    @click.option("--course", "course_slug", default=None, help="Only this course (drafts too).")
    @click.option(
        "--engine",
        type=click.Choice(sorted(CHAINS)),
        default=None,
        help="auto: gTTS, falling back to espeak-ng; piper/sherpa: the operator's voice, "
        "falling back to espeak-ng; default: TTS_ENGINE.",
    )
    @click.option(
        "--workers", type=click.IntRange(min=1), default=None, help="Default: one per CPU core."
    )
    @click.option("--retries", type=click.IntRange(min=0), default=2, show_default=True)
    @click.option(
        "--background/--foreground",
        default=None,
        help="Enqueue the build as a background job (the default when JOBS_BACKEND is rq) "
        "or make the clips in this process (the default otherwise).",
    )
    def build_command(
        course_slug: str | None,
        engine: str | None,
        workers: int | None,
        retries: int,
        background: bool | None,
    ) -> None:
        """Make every missing clip of the published content (or of one course)."""
        mode = _usable_mode(engine or current_app.config["TTS_ENGINE"])
        workers = workers or os.cpu_count() or 1
        texts = _texts(course_slug)
        if background is None:
            background = backend(current_app) == "rq"
        if background:
            _enqueue_build(course_slug, mode, workers, retries)
            return
        plan = plan_build(texts, mode, audio_dir(), retries=retries)
        click.echo(
            f"{len(texts)} text(s) at {len(SPEEDS)} speeds: {plan.cached} clip(s) cached, "
            f"{len(plan.tasks)} to make with {mode} on {workers} worker(s)"
        )
        started = time.perf_counter()
        try:
            with click.progressbar(length=len(plan.tasks), label="Making clips") as bar:
                report = run_build(
                    plan,
                    workers=workers,
                    checkpoint=_commit,
                    on_progress=lambda outcome: bar.update(1),
                )
        except KeyboardInterrupt:
            _commit()
            click.echo("\nInterrupted: the clips made so far are kept; run again to resume.")
            raise SystemExit(130) from None
        _echo_build(report, time.perf_counter() - started)
        if report.failed:
            raise SystemExit(1)

    @audio.command("verify")
    @click.option("--course", "course_slug", default=None, help="Only this course (drafts too).")
    def verify_command(course_slug: str | None) -> None:
        """Check every clip the content needs: it exists and decodes, it is Mandarin throughout
        (no language switch), and each one-syllable clip is heard in its written tone.

        Exits non-zero on a missing or undecodable clip, a language switch, or when fewer than
        95 % of one-syllable clips are heard with their written tone. Stores each clip's
        verdict: listening exercises play only clips that passed.
        """
        texts = _texts(course_slug)
        started = time.perf_counter()
        report = verify(texts, audio_dir())
        db.session.commit()
        for problem in report.problems:
            click.echo(f"{problem.text} [{problem.speed}]: {problem.message}", err=True)
        elapsed = time.perf_counter() - started
        click.echo(
            f"{len(texts)} text(s): {report.checked} clip(s) checked, "
            f"{len(report.problems)} problem(s) in {elapsed:.1f} s"
        )
        languages = sum(1 for p in report.problems if p.kind == "language")
        click.echo(f"language switches: {languages}")
        share = report.tone_share
        target = TONE_SHARE_TARGET
        if share is None:
            click.echo("tone share: no one-syllable clip to check")
        else:
            click.echo(
                f"tone share: {report.tone_right}/{report.tone_checked} one-syllable clips "
                f"heard with their written tone = {share:.1%} (target {target:.0%})"
            )
            for engine, (checked, right) in sorted(report.by_engine.items()):
                name = ENGINE_NAMES.get(engine, engine)
                click.echo(f"  {name}: {right}/{checked} = {right / checked:.1%}")
        if report.hard_problems() or (share is not None and share < target):
            raise SystemExit(1)

    @audio.command("prune")
    @click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
    def prune_command(dry_run: bool) -> None:
        """Remove clips nothing refers to (rows and files)."""
        report = prune(audio_dir(), dry_run=dry_run)
        if not dry_run:
            db.session.commit()
        verb = "would remove" if dry_run else "removed"
        click.echo(
            f"{verb} {report.rows} row(s) and {report.files} file(s) "
            f"({report.bytes / 1024 / 1024:.1f} MiB)"
        )
