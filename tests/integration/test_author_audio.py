"""Saving in the editor makes the audio for real, as a background job (espeak-ng, no network)."""

from sqlalchemy import select

from app.audio.clips import clip_keys
from app.author.clips import start_audio_build
from app.extensions import db
from app.models import Job, Role, User


def test_background_build_makes_both_speeds_with_espeak(
    app, app_ctx, make_company, make_user, monkeypatch, audio_dir
):
    monkeypatch.setitem(app.config, "TTS_ENGINE", "espeak")
    zone = make_company("zone", "Администрация", kind="zone")
    trainer = make_user("trainer@zone.example", zone, {Role.TRAINER})
    trainer_id = trainer.id
    job = start_audio_build(trainer, ["您好", "您好", " "])
    assert job is not None and job.payload == {"texts": ["您好"]}
    db.session.commit()  # the job runs once the save is committed
    db.session.remove()
    done = db.session.scalar(select(Job).where(Job.kind == "audio.texts"))
    assert done.status == "done" and done.progress == 100, done.error
    assert done.result["made"] == 2 and done.created_by_id == trainer_id
    keys = clip_keys(["您好"])["您好"]
    assert keys.normal is not None and keys.slow is not None
    assert keys.normal.engine == "espeak"
    assert keys.normal.verdict == keys.slow.verdict == "passed"  # checked as it was made
    assert start_audio_build(db.session.get(User, trainer_id), [" ", ""]) is None
