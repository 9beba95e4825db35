"""`flask audio build | verify | prune` and the clip lookup the pages use."""

from __future__ import annotations

import os
import shutil
import time

import pytest
import requests
import responses
from sqlalchemy import event, func, select

from app.audio import builder, cache, clips, prune, texts
from app.audio.engines import EspeakEngine
from app.extensions import db
from app.models import AudioClip, Item
from tests.audio_fixtures import make_clip, make_course, mp3_bytes

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="NOTICE: espeak-ng is not installed (make sysdeps installs it)",
)
GTTS_URL = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"


def _rows() -> list[tuple[str, str, str]]:
    db.session.rollback()  # see what the command committed
    return sorted(
        db.session.execute(select(AudioClip.text, AudioClip.speed, AudioClip.engine)).tuples()
    )


def test_needed_texts_are_live_items_lines_and_spoken_prompts(app_ctx):
    make_course("pub", words=("你好", "谢谢"), lines=("您好！我是李明。",), prompt="买")
    make_course("draft", published=False, words=("草稿",), lines=(), prompt=None)
    retired = db.session.scalar(select(Item).where(Item.hanzi == "谢谢"))
    retired.retired_at = retired.created_at
    db.session.commit()
    assert texts.needed_texts() == sorted(["你好", "您好！我是李明。", "买"])
    assert texts.needed_texts(course_slug="draft", include_drafts=True) == ["草稿"]
    # the choose_meaning prompt (不听) is shown, not spoken: no clip for it
    assert "不听" not in texts.needed_texts(include_drafts=True)


@needs_espeak
def test_build_makes_every_clip_then_nothing_the_second_time(app_ctx, runner, audio_dir):
    make_course()
    first = runner.invoke(args=["audio", "build", "--engine", "espeak", "--workers", "1"])
    assert first.exit_code == 0, first.output
    assert "made 8 (espeak-ng 8), cached 0, failed 0" in first.output
    rows = _rows()
    assert len(rows) == 8 and {r[2] for r in rows} == {"espeak"}
    assert {(r[0], r[1]) for r in rows} == {
        (t, s) for t in ("你好", "谢谢", "您好！我是李明。", "买") for s in ("normal", "slow")
    }
    assert len(list(cache.iter_files(audio_dir))) == 8

    second = runner.invoke(args=["audio", "build", "--engine", "espeak"])
    assert second.exit_code == 0
    assert "made 0, cached 8, failed 0" in second.output
    assert len(_rows()) == 8

    verified = runner.invoke(args=["audio", "verify"])
    assert verified.exit_code == 0 and "8 clip(s) checked, 0 problem(s)" in verified.output


@needs_espeak
def test_build_in_worker_processes(app_ctx, runner, audio_dir):
    make_course(words=("一", "二", "三"), lines=(), prompt=None)
    result = runner.invoke(args=["audio", "build", "--engine", "espeak", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "made 6 (espeak-ng 6)" in result.output
    assert len(_rows()) == 6


def test_failures_are_listed_with_reasons_and_exit_non_zero(
    app_ctx, runner, audio_dir, monkeypatch
):
    make_course(words=("你好", "坏"), lines=(), prompt=None)

    def synthesize(self, text, speed):
        if text == "huai4":  # the engine reads 坏 in numbered pinyin
            from app.audio.engines import EngineError

            raise EngineError("espeak-ng exited with 1: voice broken")
        return (audio_dir.parent / "ok.mp3").read_bytes()

    (audio_dir.parent / "ok.mp3").write_bytes(mp3_bytes(0.4))
    monkeypatch.setattr(EspeakEngine, "synthesize", synthesize)
    monkeypatch.setattr(EspeakEngine, "available", lambda self: True)
    result = runner.invoke(args=["audio", "build", "--engine", "espeak", "--workers", "1"])
    assert result.exit_code == 1
    assert "made 2 (espeak-ng 2), cached 0, failed 2" in result.output
    assert "failed: 坏 [normal]: espeak: espeak-ng exited with 1: voice broken" in result.output
    assert "failed: 坏 [slow]:" in result.output
    assert len(_rows()) == 2  # what was made is kept


@responses.activate
def test_gtts_only_build_fails_cleanly_offline(app_ctx, runner, audio_dir):
    make_course(words=("你好",), lines=(), prompt=None)
    responses.post(GTTS_URL, body=requests.ConnectionError("offline"))
    result = runner.invoke(
        args=["audio", "build", "--engine", "gtts", "--workers", "1", "--retries", "0"]
    )
    assert result.exit_code == 1
    assert "failed 2" in result.output and "gTTS unreachable" in result.output
    assert _rows() == []


@needs_espeak
@responses.activate
def test_auto_falls_back_offline_then_upgrades_when_online(app_ctx, runner, audio_dir):
    make_course(words=("你好",), lines=(), prompt=None)
    responses.post(GTTS_URL, body=requests.ConnectionError("offline"))
    offline = runner.invoke(args=["audio", "build", "--engine", "auto", "--workers", "1"])
    assert offline.exit_code == 0, offline.output
    assert (
        "made 2 (espeak-ng 2)" in offline.output and "espeak-ng was used instead" in offline.output
    )
    assert {r[2] for r in _rows()} == {"espeak"}

    again = runner.invoke(args=["audio", "build", "--engine", "auto", "--workers", "1"])
    assert "made 0" in again.output and "2 offline clip(s) kept" in again.output
    assert "espeak-ng was used instead" not in again.output

    from tests.unit.test_audio_engines import _google_answer

    responses.replace(responses.POST, GTTS_URL, body=_google_answer(mp3_bytes(0.5)))
    online = runner.invoke(args=["audio", "build", "--engine", "auto", "--workers", "1"])
    assert online.exit_code == 0, online.output
    assert "made 2 (gTTS 2)" in online.output
    db.session.rollback()
    keys = clips.clip_keys(["你好"])["你好"]
    assert keys.normal.engine == keys.slow.engine == "gtts"  # the page now plays gTTS


def test_an_interrupted_build_resumes_from_its_files(app_ctx, runner, audio_dir, monkeypatch):
    """Files written before a crash (no rows yet) are adopted, not synthesised again."""
    make_course(words=("你好",), lines=(), prompt=None)
    for speed in ("normal", "slow"):
        key = builder.key_for(EspeakEngine(), "你好", speed, "ni3 hao3")
        cache.write_atomic(cache.clip_path(audio_dir, key), mp3_bytes(0.5))
    monkeypatch.setattr(EspeakEngine, "available", lambda self: True)
    monkeypatch.setattr(EspeakEngine, "synthesize", lambda *a: pytest.fail("synthesised"))
    result = runner.invoke(args=["audio", "build", "--engine", "espeak", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "made 0, cached 2" in result.output
    assert len(_rows()) == 2


def test_verify_reports_missing_and_broken_clips(app_ctx, runner, audio_dir):
    make_course(words=("你好", "谢谢"), lines=(), prompt=None)
    make_clip(audio_dir, "你好", speed="normal")
    make_clip(audio_dir, "你好", speed="slow", data=b"not audio at all" * 100)
    gone = make_clip(audio_dir, "谢谢", speed="normal")
    cache.clip_path(audio_dir, gone.key).unlink()
    result = runner.invoke(args=["audio", "verify"])
    assert result.exit_code == 1
    assert "你好 [slow]:" in result.output and "does not decode" in result.output
    assert "谢谢 [normal]: file missing" in result.output
    assert "谢谢 [slow]: no clip" in result.output
    assert "3 problem(s)" in result.output


def test_prune_removes_what_nothing_refers_to(app_ctx, runner, audio_dir):
    make_course(words=("你好",), lines=(), prompt=None)
    keep = make_clip(audio_dir, "你好", engine="gtts").key
    outdone = make_clip(audio_dir, "你好", engine="espeak").key
    orphan_text = make_clip(audio_dir, "旧词").key  # no live content says 旧词 any more
    stray = cache.clip_path(audio_dir, "f" * 64)
    cache.write_atomic(stray, b"stray")
    old = time.time() - 2 * prune.PRUNE_GRACE_S
    os.utime(stray, (old, old))
    fresh = cache.clip_path(audio_dir, "e" * 64)  # a build may be about to record it
    cache.write_atomic(fresh, b"fresh")

    dry = runner.invoke(args=["audio", "prune", "--dry-run"])
    assert "would remove 2 row(s) and 3 file(s)" in dry.output
    assert len(_rows()) == 3

    result = runner.invoke(args=["audio", "prune"])
    assert result.exit_code == 0 and "removed 2 row(s) and 3 file(s)" in result.output
    db.session.rollback()
    assert set(db.session.scalars(select(AudioClip.key))) == {keep}
    assert cache.clip_path(audio_dir, keep).exists()
    for gone in (outdone, orphan_text):
        assert not cache.clip_path(audio_dir, gone).exists()
    assert not stray.exists() and fresh.exists()


def test_clip_keys_prefers_recording_then_gtts_then_espeak_in_one_query(app_ctx, audio_dir):
    course = make_course(words=("你好", "谢谢", "再见"), lines=(), prompt=None)
    item = db.session.scalar(select(Item).where(Item.hanzi == "你好"))
    make_clip(audio_dir, "你好", engine="espeak")
    gtts = make_clip(audio_dir, "你好", engine="gtts")
    recording = make_clip(audio_dir, "你好", engine="recording", item_id=item.id)
    espeak_slow = make_clip(audio_dir, "你好", engine="espeak", speed="slow")
    thanks = make_clip(audio_dir, "谢谢", engine="espeak")
    assert course.id

    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        keys = clips.clip_keys(["你好", "谢谢", "再见", " 你好 "])
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert keys["你好"].normal.key == recording.key
    assert keys["你好"].slow.key == espeak_slow.key
    assert keys[" 你好 "] == keys["你好"]
    assert keys["谢谢"].normal.key == thanks.key and keys["谢谢"].slow is None
    assert keys["再见"].normal is None and keys["再见"].slow is None
    assert gtts.key != recording.key
    assert db.session.scalar(select(func.count(AudioClip.id))) == 5


def test_build_in_the_background_runs_as_a_job_with_progress(
    app_ctx, runner, audio_dir, monkeypatch
):
    """`--background` enqueues `audio.build`; the sync backend runs it at once, and a second
    run of the same job makes nothing more (the clips are content-addressed)."""
    from app.jobs.runner import run
    from app.models import Job

    make_course(words=("你好", "谢谢"), lines=(), prompt=None)
    (audio_dir.parent / "ok.mp3").write_bytes(mp3_bytes(0.4))
    clip = (audio_dir.parent / "ok.mp3").read_bytes()
    monkeypatch.setattr(EspeakEngine, "synthesize", lambda self, text, speed: clip)
    monkeypatch.setattr(EspeakEngine, "available", lambda self: True)
    result = runner.invoke(args=["audio", "build", "--engine", "espeak", "--background"])
    assert result.exit_code == 0, result.output
    assert "queued as job" in result.output
    wanted = len(texts.needed_texts())
    assert f"job done: made {2 * wanted}, cached 0, failed 0" in result.output
    job = db.session.scalars(select(Job).where(Job.kind == "audio.build")).one()
    assert (job.status, job.progress, job.created_by_id) == ("done", 100, None)
    assert job.result == {"texts": wanted, "made": 2 * wanted, "cached": 0, "failed": 0}
    assert len(_rows()) == 2 * wanted

    job.status = "queued"  # run the same job again, as after a lost worker
    db.session.commit()
    assert run(job.id) == "done"
    db.session.expire_all()
    assert db.session.get(Job, job.id).result["made"] == 0 and len(_rows()) == 2 * wanted


def test_build_stays_in_the_foreground_by_default(app_ctx, runner, audio_dir, monkeypatch):
    from app.models import Job

    monkeypatch.setattr(EspeakEngine, "available", lambda self: True)
    result = runner.invoke(args=["audio", "build", "--engine", "espeak"])
    assert result.exit_code == 0, result.output
    assert "queued as job" not in result.output
    assert db.session.scalar(select(func.count(Job.id))) == 0
