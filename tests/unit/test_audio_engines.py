"""The engines: espeak-ng for real, gTTS against a fake Google at the HTTP level, and the
builder's fallback from one to the other."""

from __future__ import annotations

import base64
import json
import shutil
import urllib.parse

import pytest
import requests
import responses

from app.audio import builder, cache, processing
from app.audio.engines import EspeakEngine, GttsEngine, NetworkError, TransientError
from tests.audio_fixtures import mp3_bytes

GTTS_URL = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"
needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="NOTICE: espeak-ng is not installed (make sysdeps installs it)",
)


def _google_answer(audio: bytes) -> str:
    """What Google's batchexecute endpoint sends back: the MP3 in base64 inside JSON."""
    payload = base64.b64encode(audio).decode("ascii")
    answer = [["wrb.fr", "jQ1olc", f'["{payload}"]', None, None, "generic"]]
    return ")]}'\n\n" + json.dumps(answer, separators=(",", ":"))


def _sent_rpc(request) -> list:
    body = urllib.parse.unquote(
        request.body.decode() if isinstance(request.body, bytes) else request.body
    )
    rpc = json.loads(body.removeprefix("f.req=").rstrip("&"))
    return json.loads(rpc[0][0][1])


@needs_espeak
def test_espeak_speaks_mandarin_at_two_speeds():
    engine = EspeakEngine()
    normal = processing.decode(engine.synthesize("ni3 hao3, xie4xie5.", "normal"))
    slow = processing.decode(engine.synthesize("ni3 hao3, xie4xie5.", "slow"))
    assert normal.size > processing.SAMPLE_RATE * 0.5
    assert slow.size > normal.size * 1.2  # the slow clip is clearly slower


def test_missing_espeak_says_how_to_install_it():
    engine = EspeakEngine()
    engine.binary = None
    with pytest.raises(Exception, match="apt-get install espeak-ng"):
        engine.synthesize("你好", "normal")


@responses.activate
def test_gtts_sends_mandarin_text_and_speed_and_returns_audio():
    audio = mp3_bytes(0.5)
    responses.post(GTTS_URL, body=_google_answer(audio))
    engine = GttsEngine()
    assert engine.synthesize("您好！我是李明。", "normal") == audio
    assert engine.synthesize("谢谢", "slow") == audio
    first, second = (_sent_rpc(call.request) for call in responses.calls)
    # gTTS's pre-processing may add a space after punctuation; the words are ours
    assert [first[0].replace(" ", ""), *first[1:3]] == ["您好！我是李明。", "zh-CN", None]
    assert second[:3] == ["谢谢", "zh-CN", True]
    assert responses.calls[0].request.method == "POST"
    assert len(responses.calls) == 2  # no extra request for the language list


@responses.activate
def test_gtts_connection_failure_is_a_network_error():
    responses.post(GTTS_URL, body=requests.ConnectionError("no route to host"))
    with pytest.raises(NetworkError):
        GttsEngine().synthesize("你好", "normal")


@responses.activate
def test_gtts_server_error_is_transient():
    responses.post(GTTS_URL, status=503)
    with pytest.raises(TransientError):
        GttsEngine().synthesize("你好", "normal")


SPOKEN = {"你好": "ni3 hao3", "谢谢": "xie4xie5"}


def _task(tmp_path, text="你好", chain=("gtts", "espeak"), **kw) -> builder.Task:
    return builder.Task(text, "normal", chain, str(tmp_path), spoken=SPOKEN[text], **kw)


@needs_espeak
@responses.activate
def test_auto_falls_back_to_espeak_when_the_network_fails(tmp_path):
    responses.post(GTTS_URL, body=requests.ConnectionError("offline"))
    builder.init_worker(backoff=0)
    first = builder.make_clip(_task(tmp_path, "你好"))
    assert first.status == "made" and first.clip.engine == "espeak"
    assert first.clip.voice == "cmn-latn-pinyin" and first.clip.spoken == "ni3 hao3"
    assert "gtts" in first.fallback
    assert cache.clip_path(tmp_path, first.clip.key).exists()
    # gTTS is not asked again in the same run once it was unreachable
    second = builder.make_clip(_task(tmp_path, "谢谢"))
    assert second.clip.engine == "espeak"
    assert len(responses.calls) == 1


@responses.activate
def test_auto_upgrades_an_offline_clip_when_the_network_is_back(tmp_path):
    responses.post(GTTS_URL, body=_google_answer(mp3_bytes(0.5)))
    builder.init_worker(backoff=0)
    outcome = builder.make_clip(_task(tmp_path, has_offline=True))
    assert outcome.status == "made" and outcome.clip.engine == "gtts"
    assert outcome.clip.key == cache.clip_key("gtts", "zh-CN", "normal", "你好")


@responses.activate
def test_auto_keeps_the_offline_clip_while_the_network_is_down(tmp_path):
    responses.post(GTTS_URL, body=requests.ConnectionError("offline"))
    builder.init_worker(backoff=0)
    outcome = builder.make_clip(_task(tmp_path, has_offline=True))
    assert outcome.status == "kept" and outcome.clip is None


@responses.activate
def test_gtts_alone_retries_transient_failures_then_succeeds(tmp_path):
    responses.post(GTTS_URL, status=503)
    responses.post(GTTS_URL, status=429)
    responses.post(GTTS_URL, body=_google_answer(mp3_bytes(0.5)))
    builder.init_worker(backoff=0)
    outcome = builder.make_clip(_task(tmp_path, chain=("gtts",), retries=2))
    assert outcome.status == "made" and outcome.clip.engine == "gtts"
    assert len(responses.calls) == 3


@responses.activate
def test_gtts_alone_reports_the_reason_when_retries_run_out(tmp_path):
    responses.post(GTTS_URL, status=503)
    builder.init_worker(backoff=0)
    outcome = builder.make_clip(_task(tmp_path, chain=("gtts",), retries=1))
    assert outcome.status == "failed" and "503" in outcome.reason
    assert len(responses.calls) == 2


def test_a_complete_file_from_an_interrupted_run_is_adopted(tmp_path, monkeypatch):
    key = builder.key_for(EspeakEngine(), "你好", "normal", "ni3 hao3")
    cache.write_atomic(cache.clip_path(tmp_path, key), mp3_bytes(0.5))
    monkeypatch.setattr(EspeakEngine, "synthesize", lambda *a: pytest.fail("synthesised again"))
    builder.init_worker()
    outcome = builder.make_clip(_task(tmp_path, chain=("espeak",)))
    assert outcome.status == "adopted" and outcome.clip.key == key
    assert outcome.clip.spoken == "ni3 hao3"
