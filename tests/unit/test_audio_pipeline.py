"""The pure audio pieces: keys and paths, atomic writes, decoding, trimming and loudness."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import numpy as np
import pytest

from app.audio import cache, processing
from tests.audio_fixtures import tone, wav_bytes


def test_key_is_a_hash_of_engine_voice_speed_and_text():
    key = cache.clip_key("espeak", "cmn", "normal", "你好")
    assert cache.is_key(key) and len(key) == 64
    assert key == cache.clip_key("espeak", "cmn", "normal", "你好")
    others = {
        cache.clip_key("gtts", "cmn", "normal", "你好"),
        cache.clip_key("espeak", "zh", "normal", "你好"),
        cache.clip_key("espeak", "cmn", "slow", "你好"),
        cache.clip_key("espeak", "cmn", "normal", "您好"),
    }
    assert key not in others and len(others) == 4


@pytest.mark.parametrize(
    "bad",
    ["../etc/passwd", "..", "", "A" * 64, "0" * 63, "0" * 65, "0" * 63 + "/", "0" * 64 + ".mp3"],
)
def test_paths_are_made_from_keys_only(tmp_path, bad):
    with pytest.raises(ValueError):
        cache.clip_path(tmp_path, bad)


def test_clip_path_stays_under_the_audio_folder(tmp_path):
    key = cache.clip_key("espeak", "cmn", "normal", "你好")
    path = cache.clip_path(tmp_path, key)
    assert path.parent.parent == tmp_path and path.name == f"{key}.mp3"


def _write_many(path: str, payload: bytes, barrier) -> None:
    barrier.wait()
    cache.write_atomic(Path(path), payload)


def test_concurrent_writers_of_one_clip_leave_one_whole_file(tmp_path):
    """Processes and threads racing to write the same clip: the file is always complete."""
    path = cache.clip_path(tmp_path, cache.clip_key("espeak", "cmn", "normal", "并发"))
    payloads = [bytes([n]) * 200_000 for n in range(6)]
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(payloads))
    procs = [ctx.Process(target=_write_many, args=(str(path), p, barrier)) for p in payloads]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(10)
        assert proc.exitcode == 0
    data = path.read_bytes()
    assert data in payloads  # one writer's bytes, whole, never a mix or a truncation
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left

    # Threads: the first writer wins and later writers leave the file alone.
    seen: list[bytes] = []
    barrier = threading.Barrier(4)

    def reader_writer(n: int) -> None:
        barrier.wait()
        created = cache.write_atomic(path, bytes([n + 10]) * 1000)
        assert not created
        seen.append(path.read_bytes())

    threads = [threading.Thread(target=reader_writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [data] * 4


def test_a_crash_mid_write_leaves_no_clip(tmp_path, monkeypatch):
    path = cache.clip_path(tmp_path, cache.clip_key("espeak", "cmn", "normal", "崩溃"))

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(cache.os, "fsync", crash)
    with pytest.raises(OSError):
        cache.write_atomic(path, b"x" * 1000)
    assert not path.exists()
    assert list(path.parent.iterdir()) == []


def test_finish_trims_silence_normalises_and_encodes_mp3():
    quiet = (tone(1.0, 16_000) * 0.05 * 32767).astype("<i2")
    padded = np.concatenate([np.zeros(16_000 * 2, "<i2"), quiet, np.zeros(16_000 * 2, "<i2")])
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(padded.tobytes())
    encoded = processing.finish(buffer.getvalue())
    assert processing.probe_format(encoded.data) == "mp3"
    # 1 s of tone with 2.3 s of silence on each side: only short pads remain
    assert 1000 <= encoded.duration_ms <= 1300
    samples = processing.decode(encoded.data)
    middle = samples[samples.size // 4 : -samples.size // 4]
    rms_db = 20 * np.log10(np.sqrt(np.mean(middle**2)))
    assert abs(rms_db - processing.TARGET_DBFS) < 1.5  # a very quiet recording is brought up


def test_loud_peaks_are_never_clipped():
    rate = processing.SAMPLE_RATE
    click = np.zeros(rate, np.float32)
    click[rate // 2 : rate // 2 + 50] = 0.99  # one loud click over near-silence
    click[: rate // 2] = tone(0.5, rate)[int(0.3 * rate) : int(0.8 * rate)] * 0.01
    out = processing.normalise(click)
    assert np.abs(out).max() <= processing.PEAK_CEILING + 1e-6


def test_long_pauses_inside_are_shortened():
    rate = processing.SAMPLE_RATE
    beep = tone(0.3, rate)[int(0.3 * rate) : -int(0.3 * rate)]
    samples = np.concatenate([beep, np.zeros(3 * rate, np.float32), beep])
    trimmed = processing.trim_silence(samples)
    assert trimmed.size / rate < 0.6 + processing.PAUSE_KEEP_MS / 1000 + 0.05


@pytest.mark.parametrize(
    "data",
    [
        "Это не звук, а текст.\n".encode() * 300,
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
        b"",
    ],
)
def test_what_is_not_audio_is_refused(data):
    with pytest.raises(processing.AudioError):
        processing.probe_format(data)
    with pytest.raises(processing.AudioError):
        processing.finish(data)


def test_silence_alone_is_refused():
    with pytest.raises(processing.AudioError):
        processing.trim_silence(np.zeros(processing.SAMPLE_RATE, np.float32))


def test_wav_and_mp3_are_recognised():
    assert processing.probe_format(wav_bytes()) == "wav"
    assert processing.probe_format(processing.finish(wav_bytes()).data) == "mp3"
