"""Operator-provided neural voices (Piper, sherpa-onnx) behind TTS_ENGINE, tested with fake
runtimes at the module boundary: no model file and no runtime is needed, and nothing here
says how good a real voice sounds (README gives only measured figures)."""

from __future__ import annotations

import sys
import types
import wave

import numpy as np
import pytest

from app.audio import builder, processing
from app.audio.engines import EngineUnavailable, PiperEngine, SherpaOnnxEngine

RATE = 22_050


def _waveform(seconds: float = 0.6) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (0.3 * np.sin(2 * np.pi * 180 * t)).astype(np.float32)


@pytest.fixture
def fake_piper(monkeypatch, tmp_path):
    """A `piper` module whose voice writes a sine wave, and model files where the operator
    would put them."""
    calls = []

    class SynthesisConfig:
        def __init__(self, length_scale=1.0):
            self.length_scale = length_scale

    class PiperVoice:
        @staticmethod
        def load(model, config_path=None):
            calls.append(("load", model, config_path))
            return PiperVoice()

        def synthesize_wav(self, text, out: wave.Wave_write, syn_config=None):
            calls.append(("say", text, syn_config.length_scale))
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes((_waveform() * 32767).astype("<i2").tobytes())

    module = types.SimpleNamespace(PiperVoice=PiperVoice, SynthesisConfig=SynthesisConfig)
    monkeypatch.setitem(sys.modules, "piper", module)
    model = tmp_path / "zh_CN-test-medium.onnx"
    model.write_bytes(b"model")
    (tmp_path / "zh_CN-test-medium.onnx.json").write_text("{}")
    monkeypatch.setenv("PIPER_MODEL", str(model))
    return calls


def test_piper_voice_reads_the_chinese_text_and_slows_down(fake_piper):
    engine = PiperEngine()
    assert engine.reads == "hanzi" and engine.voice == "zh_CN-test-medium"
    normal = engine.synthesize("你好", "normal")
    engine.synthesize("你好", "slow")
    assert processing.decode(normal).size > processing.SAMPLE_RATE * 0.5
    loads = [c for c in fake_piper if c[0] == "load"]
    assert len(loads) == 1 and loads[0][2].endswith(".onnx.json")  # loaded once
    assert [c[1:] for c in fake_piper if c[0] == "say"] == [("你好", 1.0), ("你好", 1.4)]


def test_piper_without_its_model_says_what_to_set(monkeypatch):
    monkeypatch.delenv("PIPER_MODEL", raising=False)
    with pytest.raises(EngineUnavailable, match="PIPER_MODEL is not set"):
        PiperEngine().synthesize("你好", "normal")
    monkeypatch.setenv("PIPER_MODEL", "/nowhere/voice.onnx")
    with pytest.raises(EngineUnavailable, match="no such file"):
        PiperEngine().synthesize("你好", "normal")


def test_sherpa_onnx_voice_through_a_fake_runtime(monkeypatch, tmp_path):
    made = {}

    class OfflineTts:
        def __init__(self, config):
            made["config"] = config

        def generate(self, text, sid=0, speed=1.0):
            made.setdefault("said", []).append((text, speed))
            return types.SimpleNamespace(samples=_waveform().tolist(), sample_rate=RATE)

    def record(**kw):
        return types.SimpleNamespace(**kw)

    module = types.SimpleNamespace(
        OfflineTts=OfflineTts,
        OfflineTtsConfig=record,
        OfflineTtsModelConfig=record,
        OfflineTtsVitsModelConfig=record,
    )
    monkeypatch.setitem(sys.modules, "sherpa_onnx", module)
    for name, var in (("vits-zh.onnx", "SHERPA_ONNX_MODEL"), ("tokens.txt", "SHERPA_ONNX_TOKENS")):
        (tmp_path / name).write_text("x")
        monkeypatch.setenv(var, str(tmp_path / name))
    engine = SherpaOnnxEngine()
    clip = processing.finish(engine.synthesize("谢谢", "slow"))
    assert clip.duration_ms > 400
    assert made["said"] == [("谢谢", 0.7)]
    assert made["config"].model.vits.tokens.endswith("tokens.txt")


def test_a_missing_operator_voice_falls_back_to_espeak_in_the_build(monkeypatch, tmp_path):
    monkeypatch.delenv("PIPER_MODEL", raising=False)
    monkeypatch.setattr(
        "app.audio.engines.EspeakEngine.synthesize",
        lambda self, text, speed: (
            processing.finish((_waveform() * 1).tobytes() and _wav_bytes()).data
        ),
    )
    builder.init_worker(backoff=0)
    task = builder.Task("你好", "normal", ("piper", "espeak"), str(tmp_path), spoken="ni3 hao3")
    outcome = builder.make_clip(task)
    assert outcome.status == "made" and outcome.clip.engine == "espeak"
    assert "PIPER_MODEL" in outcome.fallback


def _wav_bytes() -> bytes:
    from app.audio.engines import wav_from_samples

    return wav_from_samples(_waveform(), RATE)


def test_build_with_the_operator_voice_missing_stops_with_a_clear_message(app, monkeypatch):
    monkeypatch.delenv("SHERPA_ONNX_MODEL", raising=False)
    result = app.test_cli_runner().invoke(args=["audio", "build", "--engine", "sherpa"])
    assert result.exit_code != 0
    assert "SHERPA_ONNX_MODEL is not set" in result.output
