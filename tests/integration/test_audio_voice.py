"""The voice speaks Mandarin: espeak-ng's pinyin voice reads the stored pinyin, never English;
`flask audio verify` hears the tones; stale and failed clips are never served."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from app.audio import builder, cache, clips, processing, spoken, texts
from app.audio.engines import EspeakEngine, language_switches
from app.extensions import db
from app.models import AudioClip, Item
from tests.audio_fixtures import make_clip, make_course

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="NOTICE: espeak-ng is not installed (make sysdeps installs it)",
)
COURSES = Path(__file__).resolve().parents[2] / "courses"


def _course_texts() -> list[tuple[str, str]]:
    """(hanzi, pinyin) of every item and spoken prompt in the course files (prompts get the
    Chinese engine's pinyin, as the build gives them)."""
    found = []
    for path in sorted(COURSES.glob("*/*.yaml")):
        if path.name == "course.yaml":
            continue
        lesson = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = list(lesson.get("vocabulary") or [])
        for dialogue in lesson.get("dialogues") or []:
            entries += dialogue["lines"]
        for note in lesson.get("grammar") or []:
            entries += note.get("examples") or []
        for entry in entries:
            pinyin = entry.get("pinyin") or spoken.generated_pinyin(entry["hanzi"])
            found.append((entry["hanzi"], pinyin))
        for exercise in lesson.get("exercises") or []:
            if exercise["kind"] in texts.SPOKEN_EXERCISES:
                found.append((exercise["prompt"], spoken.generated_pinyin(exercise["prompt"])))
    return found


def test_the_offline_voice_is_the_pinyin_voice():
    """The `cmn` voice read pinyin "as English" (你好 → "ni three hao three"): never again."""
    engine = EspeakEngine()
    assert engine.voice == "cmn-latn-pinyin" and engine.reads == "pinyin"


@needs_espeak
def test_the_language_check_catches_the_english_reading_voice():
    old = EspeakEngine()
    old.voice = "cmn"
    assert language_switches(old.phonemes("你好")) == ["en"]
    assert language_switches(EspeakEngine().phonemes("ni3 hao3")) == []


@needs_espeak
def test_no_course_text_is_read_with_digits_or_another_language():
    """Every word, line and prompt of the course files, as the build gives it to espeak-ng:
    only numbered pinyin syllables and punctuation, and no language switch in the voice's
    phoneme output (one espeak-ng run over all of them, then the culprits one by one)."""
    forms = {}
    for hanzi, pinyin in _course_texts():
        form = spoken.spoken_pinyin(hanzi, pinyin)
        leftover = spoken._SYLLABLE.sub("", form).replace("r", "")
        assert not any(ch.isalnum() for ch in leftover), f"{hanzi}: {form!r}"
        forms[hanzi] = form
    assert len(forms) > 500
    engine = EspeakEngine()
    if language_switches(engine.phonemes("\n".join(forms.values()))):
        culprits = [h for h, f in forms.items() if language_switches(engine.phonemes(f))]
        pytest.fail(f"espeak-ng switches language for: {culprits}")


@needs_espeak
def test_build_reads_the_stored_pinyin_not_the_voices_dictionary(
    app_ctx, runner, audio_dir, monkeypatch
):
    make_course(words=("银行",), lines=(), prompt=None)
    item = db.session.scalar(select(Item).where(Item.hanzi == "银行"))
    item.pinyin = "yínháng"
    db.session.commit()
    heard = []
    original = EspeakEngine.synthesize

    def spy(self, text, speed):
        heard.append(text)
        return original(self, text, speed)

    monkeypatch.setattr(EspeakEngine, "synthesize", spy)
    result = runner.invoke(args=["audio", "build", "--engine", "espeak", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert heard == ["yin2hang2", "yin2hang2"]
    db.session.rollback()
    rows = db.session.scalars(select(AudioClip)).all()
    assert {(r.voice, r.spoken, r.verdict) for r in rows} == {
        ("cmn-latn-pinyin", "yin2hang2", "passed")
    }


def test_the_key_holds_the_voice_and_what_was_read():
    engine = EspeakEngine()
    key = builder.key_for(engine, "银行", "normal", "yin2hang2")
    assert key != builder.key_for(engine, "银行", "normal", "yin2xing2")
    assert key != cache.clip_key("espeak", "cmn", "normal", "银行")
    assert key != builder.key_for(engine, "银行", "slow", "yin2hang2")


@needs_espeak
def test_stale_cmn_clips_are_never_served_and_are_made_again(app_ctx, runner, audio_dir):
    make_course(words=("你好",), lines=(), prompt=None)
    for speed in ("normal", "slow"):
        clip = make_clip(audio_dir, "你好", speed=speed)
        clip.voice = "cmn"
    db.session.commit()
    assert clips.clip_keys(["你好"])["你好"].normal is None  # «нет аудио», not English
    result = runner.invoke(args=["audio", "build", "--engine", "espeak", "--workers", "1"])
    assert "made 2 (espeak-ng 2)" in result.output, result.output
    db.session.rollback()
    keys = clips.clip_keys(["你好"])["你好"]
    voices = {
        db.session.scalar(select(AudioClip.voice).where(AudioClip.key == c.key))
        for c in (keys.normal, keys.slow)
    }
    assert voices == {"cmn-latn-pinyin"}
    pruned = runner.invoke(args=["audio", "prune"])
    assert "removed 2 row(s)" in pruned.output


@needs_espeak
def test_a_corrected_pinyin_makes_a_new_clip(app_ctx, runner, audio_dir):
    make_course(words=("行",), lines=(), prompt=None)
    item = db.session.scalar(select(Item).where(Item.hanzi == "行"))
    item.pinyin = "xíng"
    db.session.commit()
    runner.invoke(args=["audio", "build", "--engine", "espeak", "--workers", "1"])
    item.pinyin = "háng"
    db.session.commit()
    again = runner.invoke(args=["audio", "build", "--engine", "espeak", "--workers", "1"])
    assert "made 2" in again.output, again.output
    db.session.rollback()
    key = clips.clip_keys(["行"])["行"].normal.key
    assert db.session.scalar(select(AudioClip.spoken).where(AudioClip.key == key)) == "hang2"


@needs_espeak
def test_build_and_verify_hear_the_tones_of_ma_ma_ma_ma(app_ctx, runner, audio_dir):
    make_course(words=("妈", "麻", "马", "骂"), lines=(), prompt=None)
    for hanzi, pinyin in zip("妈麻马骂", ("mā", "má", "mǎ", "mà"), strict=True):
        db.session.scalar(select(Item).where(Item.hanzi == hanzi)).pinyin = pinyin
    db.session.commit()
    built = runner.invoke(args=["audio", "build", "--engine", "espeak", "--workers", "1"])
    assert built.exit_code == 0 and "failed their check" not in built.output, built.output
    result = runner.invoke(args=["audio", "verify"])
    assert result.exit_code == 0, result.output
    assert "tone share: 8/8" in result.output and "100.0%" in result.output
    assert "language switches: 0" in result.output
    db.session.rollback()
    heard = {row.text: row.heard_tone for row in db.session.execute(select(AudioClip)).scalars()}
    assert heard == {"妈": 1, "麻": 2, "马": 3, "骂": 4}


@needs_espeak
def test_verify_fails_on_a_clip_in_the_wrong_tone(app_ctx, runner, audio_dir):
    """马 (mǎ) whose file says mā: verify lists it, the share drops under 95 %, it exits 1,
    and the clip is marked failed so that no listening exercise plays it."""
    make_course(words=("马",), lines=(), prompt=None)
    db.session.scalar(select(Item).where(Item.hanzi == "马")).pinyin = "mǎ"
    db.session.commit()
    engine = EspeakEngine()
    for speed in ("normal", "slow"):
        wrong = processing.finish(engine.synthesize("ma1", speed)).data
        make_clip(audio_dir, "马", speed=speed, data=wrong, verdict="passed")
    result = runner.invoke(args=["audio", "verify"])
    assert result.exit_code == 1
    assert "马 [normal]: espeak: heard tone 1, written tone 3" in result.output
    assert "tone share: 0/2" in result.output
    db.session.rollback()
    assert clips.clip_keys(["马"])["马"].normal is None


@needs_espeak
def test_a_clip_that_switches_language_is_recorded_as_failed_and_not_served(
    app_ctx, runner, audio_dir, monkeypatch
):
    make_course(words=("你好",), lines=(), prompt=None)
    monkeypatch.setattr(EspeakEngine, "phonemes", lambda self, text: "(en)nI55Tr'i:55(cmn)_|")
    result = runner.invoke(args=["audio", "build", "--engine", "espeak", "--workers", "1"])
    assert "2 clip(s) failed their check" in result.output, result.output
    db.session.rollback()
    notes = set(db.session.scalars(select(AudioClip.verdict_note)))
    assert notes == {"language switch to en"}
    assert clips.clip_keys(["你好"])["你好"].normal is None
    verify = runner.invoke(args=["audio", "verify"])
    assert verify.exit_code == 1 and "language switches: 2" in verify.output


def test_listening_review_cards_get_only_a_verified_clip(app_ctx, audio_dir):
    from app.review.daily_queue import audio_key_for

    make_course(words=("你好",), lines=(), prompt=None)
    clip = make_clip(audio_dir, "你好")  # made, not yet checked
    assert audio_key_for("你好") == clip.key  # the «Слушать» button may play it
    assert audio_key_for("你好", verified_only=True) is None  # a listening card may not
    clip.verdict = "passed"
    db.session.commit()
    assert audio_key_for("你好", verified_only=True) == clip.key
    clip.verdict = "failed"
    db.session.commit()
    assert audio_key_for("你好") is None  # a failed clip is never played


def test_the_review_querys_clip_is_the_one_clip_keys_chooses(app_ctx, audio_dir):
    """`best_normal_clip` (read with the next-card candidates) chooses as `clip_keys` does:
    the best engine, the newest among equals, never a failed or retired clip."""
    from sqlalchemy import literal

    def both(text: str):
        key, verdict = clips.best_normal_clip(literal(text))
        in_sql = db.session.execute(select(key, verdict)).one()
        choice = clips.clip_keys([text]).get(text)
        normal = choice.normal if choice else None
        return tuple(in_sql), (normal.key, normal.verdict) if normal else (None, None)

    make_course(words=("你好", "谢谢", "再见"), lines=(), prompt=None)
    make_clip(audio_dir, "你好", engine="espeak")
    make_clip(audio_dir, "你好", engine="gtts", verdict="passed")
    make_clip(audio_dir, "你好", engine="gtts", speed="slow")
    make_clip(audio_dir, "谢谢", engine="piper", verdict="failed")
    make_clip(audio_dir, "谢谢", engine="espeak")
    retired = make_clip(audio_dir, "再见", engine="espeak")
    retired.voice = "cmn"
    db.session.commit()
    for text in ("你好", "谢谢", "再见", "没有"):
        in_sql, in_python = both(text)
        assert in_sql == in_python, text
    assert both("你好")[0][1] == "passed" and both("再见")[0] == (None, None)
