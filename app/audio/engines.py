"""Speech engines behind one small interface: `synthesize(text, speed) -> audio bytes`.

Pure: no Flask, no database. gTTS is Google's online voice (natural, needs the network);
espeak-ng's `cmn-latn-pinyin` voice is the offline engine that always works once the Debian
package is installed (robotic, but it says every tone); Piper and sherpa-onnx run a neural
voice whose model files an operator placed on the machine (paths from the environment).
An engine `reads` either the Chinese text (`hanzi`) or the item's numbered pinyin (`pinyin`,
see `app.audio.spoken`). Engines return encoded audio in whatever format they produce (MP3,
WAV); `processing.finish` turns it into a clip.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import wave
from typing import ClassVar, Protocol

import numpy as np

SPEEDS = ("normal", "slow")


class EngineError(Exception):
    """Synthesis failed; `transient` says whether trying again may help."""

    transient = False


class TransientError(EngineError):
    """The service is busy or unreachable: worth retrying, or falling back to another engine."""

    transient = True


class NetworkError(TransientError):
    """The service could not be reached at all (no route, DNS, refused, timed out)."""


class EngineUnavailable(EngineError):
    """The engine cannot run on this machine (espeak-ng not installed, model files missing)."""


class Engine(Protocol):
    name: str
    voice: str
    #: "hanzi": given the Chinese text; "pinyin": given the numbered pinyin (app.audio.spoken)
    reads: str

    def synthesize(self, text: str, speed: str) -> bytes: ...


#: a language switch in espeak-ng's phoneme output: `(en)nI55Tr'i:55(cmn)` is "ni three"
LANGUAGE_SWITCH = re.compile(r"\(([a-z]{2,3}(?:-[a-z0-9]+)*)\)", re.IGNORECASE)


class EspeakEngine:
    """espeak-ng through its command line (no shell), given numbered pinyin, WAV on stdout.

    The voice `cmn-latn-pinyin` reads `ni3 hao3` as Mandarin with its tones. (The voice `cmn`
    reads Latin "as English": 你好 came out as "ni three hao three"; tests keep it out.) The
    text goes in SSML with a wide pitch range: the voice's own range is narrow (80-118 Hz),
    and a wider one makes each tone's contour clearer, most of all at the slow speed.
    """

    name = "espeak"
    voice = "cmn-latn-pinyin"
    reads = "pinyin"
    #: words per minute for each speed (espeak-ng's default is 175)
    RATES: ClassVar[dict[str, int]] = {"normal": 140, "slow": 100}
    #: SSML prosody range: x-high doubles the voice's pitch excursions
    PITCH_RANGE = "x-high"
    TIMEOUT_S = 30

    def __init__(self, binary: str | None = None):
        self.binary = binary or shutil.which("espeak-ng")

    def available(self) -> bool:
        return self.binary is not None

    def _ssml(self, text: str) -> bytes:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return (f'<speak><prosody range="{self.PITCH_RANGE}">{escaped}</prosody></speak>').encode()

    def _run(self, arguments: list[str], text: str) -> subprocess.CompletedProcess:
        if self.binary is None:
            raise EngineUnavailable("espeak-ng is not installed (apt-get install espeak-ng)")
        try:
            return subprocess.run(  # noqa: S603 (fixed arguments, text on stdin)
                [self.binary, "-m", "-v", self.voice, *arguments],
                input=self._ssml(text),
                capture_output=True,
                timeout=self.TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise TransientError("espeak-ng took too long") from exc

    def synthesize(self, text: str, speed: str) -> bytes:
        done = self._run(["-s", str(self.RATES[speed]), "-b", "1", "--stdout"], text)
        if done.returncode != 0 or not done.stdout:
            message = done.stderr.decode("utf-8", "replace").strip() or "no output"
            raise EngineError(f"espeak-ng exited with {done.returncode}: {message}")
        return done.stdout

    def phonemes(self, text: str) -> str:
        """What the voice makes of `text`, as espeak-ng's phoneme mnemonics (`-x`)."""
        done = self._run(["-q", "-x", "-b", "1"], text)
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip() or "no output"
            raise EngineError(f"espeak-ng exited with {done.returncode}: {message}")
        return done.stdout.decode("utf-8", "replace")


def language_switches(phonemes: str, own: str = "cmn") -> list[str]:
    """The languages espeak-ng switched to while reading (`(en)` …), empty when none."""
    found = {m.group(1).lower() for m in LANGUAGE_SWITCH.finditer(phonemes)}
    return sorted(found - {own})


def wav_from_samples(samples, sample_rate: int) -> bytes:
    """Float samples in [-1, 1] (a neural runtime's output) as 16-bit mono WAV bytes."""
    data = np.clip(np.asarray(samples, dtype=np.float32).ravel(), -1.0, 1.0)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(int(sample_rate))
        out.writeframes((data * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def _model_file(variable: str, what: str) -> str:
    """The path an operator gave in `variable`; EngineUnavailable, in plain words, if the file
    is not there (the CLI and the logs show the message)."""
    path = os.environ.get(variable, "").strip()
    if not path:
        raise EngineUnavailable(
            f"{variable} is not set: put the {what} on this machine and set {variable} "
            "to its path (see README, «Голос»)"
        )
    if not os.path.isfile(path):
        raise EngineUnavailable(f"{variable}={path}: no such file (the {what})")
    return path


def _model_voice(variable: str, default: str) -> str:
    """The voice name of the ONNX model the environment `variable` names (its file name)."""
    model = os.environ.get(variable, "").strip()
    return os.path.basename(model).removesuffix(".onnx")[:32] or default


class _OperatorModelEngine:
    """An engine reading the Chinese text with an ONNX model an operator placed (the environment
    variable `MODEL` names its file, which names the voice).

    The runtime is imported and the model loaded when the first clip is made (`_open`), so that
    deployments without it never load it; no model is ever downloaded.
    """

    name: ClassVar[str]
    reads = "hanzi"
    MODEL: ClassVar[str]

    def __init__(self):
        self._runtime = None
        self.voice = _model_voice(self.MODEL, self.name)

    def _open(self):
        raise NotImplementedError

    def _load(self):
        if self._runtime is None:
            self._runtime = self._open()
        return self._runtime


class PiperEngine(_OperatorModelEngine):
    """A Piper voice (`piper-tts`): PIPER_MODEL is the `.onnx` file, its `.onnx.json` config
    beside it (or PIPER_CONFIG)."""

    name = "piper"
    MODEL = "PIPER_MODEL"
    #: Piper's length_scale per speed (above 1 is slower)
    LENGTH: ClassVar[dict[str, float]] = {"normal": 1.0, "slow": 1.4}

    def check(self) -> tuple[str, str]:
        """The model and config paths; EngineUnavailable, saying what to set, if missing."""
        model = _model_file(self.MODEL, "Piper voice model (.onnx)")
        config = os.environ.get("PIPER_CONFIG", "").strip() or f"{model}.json"
        if not os.path.isfile(config):
            raise EngineUnavailable(f"{config}: no such file (the Piper voice's config)")
        return model, config

    def _open(self):
        model, config = self.check()
        try:
            from piper import PiperVoice
        except ImportError as exc:
            raise EngineUnavailable("piper-tts is not installed (pip install piper-tts)") from exc
        return PiperVoice.load(model, config_path=config)

    def synthesize(self, text: str, speed: str) -> bytes:
        voice = self._load()
        try:
            from piper import SynthesisConfig

            config = SynthesisConfig(length_scale=self.LENGTH[speed])
        except ImportError:  # an older piper-tts: no per-call settings
            config = None
        buffer = io.BytesIO()
        try:
            with wave.open(buffer, "wb") as out:
                voice.synthesize_wav(text, out, syn_config=config)
        except Exception as exc:  # the runtime's own errors: report, do not crash the build
            raise EngineError(f"piper failed: {exc}") from exc
        return buffer.getvalue()


class SherpaOnnxEngine(_OperatorModelEngine):
    """A VITS voice run by `sherpa-onnx`, files placed by an operator: SHERPA_ONNX_MODEL (the
    `.onnx`), SHERPA_ONNX_TOKENS (`tokens.txt`), and for Chinese models SHERPA_ONNX_LEXICON
    (`lexicon.txt`) and SHERPA_ONNX_DICT_DIR (jieba's dictionary)."""

    name = "sherpa"
    MODEL = "SHERPA_ONNX_MODEL"
    SPEED: ClassVar[dict[str, float]] = {"normal": 1.0, "slow": 0.7}

    def check(self) -> tuple[str, str, str, str]:
        """The model's files; EngineUnavailable, saying what to set, if one is missing."""
        model = _model_file(self.MODEL, "sherpa-onnx VITS model (.onnx)")
        tokens = _model_file("SHERPA_ONNX_TOKENS", "model's tokens.txt")
        lexicon = os.environ.get("SHERPA_ONNX_LEXICON", "").strip()
        dict_dir = os.environ.get("SHERPA_ONNX_DICT_DIR", "").strip()
        if lexicon and not os.path.isfile(lexicon):
            raise EngineUnavailable(f"SHERPA_ONNX_LEXICON={lexicon}: no such file")
        if dict_dir and not os.path.isdir(dict_dir):
            raise EngineUnavailable(f"SHERPA_ONNX_DICT_DIR={dict_dir}: no such folder")
        return model, tokens, lexicon, dict_dir

    def _open(self):
        model, tokens, lexicon, dict_dir = self.check()
        try:
            import sherpa_onnx
        except ImportError as exc:
            raise EngineUnavailable(
                "sherpa-onnx is not installed (pip install sherpa-onnx)"
            ) from exc
        config = sherpa_onnx.OfflineTtsConfig(
            model=sherpa_onnx.OfflineTtsModelConfig(
                vits=sherpa_onnx.OfflineTtsVitsModelConfig(
                    model=model, lexicon=lexicon, tokens=tokens, dict_dir=dict_dir
                ),
                num_threads=1,
            ),
        )
        return sherpa_onnx.OfflineTts(config)

    def synthesize(self, text: str, speed: str) -> bytes:
        tts = self._load()
        try:
            audio = tts.generate(text, sid=0, speed=self.SPEED[speed])
        except Exception as exc:  # the runtime's own errors: report, do not crash the build
            raise EngineError(f"sherpa-onnx failed: {exc}") from exc
        if len(audio.samples) == 0:
            raise EngineError("sherpa-onnx made no sound")
        return wav_from_samples(audio.samples, audio.sample_rate)


class GttsEngine:
    """Google Translate's voice through the gTTS package, Mandarin (zh-CN)."""

    name = "gtts"
    voice = "zh-CN"
    reads = "hanzi"
    #: seconds to connect and to read
    TIMEOUT = (5, 20)

    def synthesize(self, text: str, speed: str) -> bytes:
        import requests
        from gtts import gTTS, gTTSError

        tts = gTTS(
            text,
            lang=self.voice,
            slow=speed == "slow",
            lang_check=False,  # the language list would cost another request
            timeout=self.TIMEOUT,
        )
        try:
            return b"".join(tts.stream())
        except gTTSError as exc:
            response = getattr(exc, "rsp", None)
            if response is None:
                cause = exc.__context__
                if isinstance(cause, requests.ConnectionError | requests.Timeout):
                    raise NetworkError(f"gTTS unreachable: {cause.__class__.__name__}") from exc
                raise TransientError(f"gTTS failed: {exc}") from exc
            status = response.status_code
            if status == 429 or status >= 500:
                raise TransientError(f"gTTS answered {status}") from exc
            raise EngineError(f"gTTS answered {status}: {exc}") from exc
        except requests.RequestException as exc:
            raise NetworkError(f"gTTS unreachable: {exc.__class__.__name__}") from exc


ENGINES: dict[str, type] = {
    "espeak": EspeakEngine,
    "gtts": GttsEngine,
    "piper": PiperEngine,
    "sherpa": SherpaOnnxEngine,
}
#: the order engines are tried in for each TTS_ENGINE setting
CHAINS: dict[str, tuple[str, ...]] = {
    "auto": ("gtts", "espeak"),
    "gtts": ("gtts",),
    "espeak": ("espeak",),
    "piper": ("piper", "espeak"),
    "sherpa": ("sherpa", "espeak"),
}
#: which clip a page plays when several exist for a text: best first
PREFERENCE = ("recording", "piper", "sherpa", "gtts", "espeak")
#: voices that must never be played again: espeak-ng's `cmn` read the pinyin in English
RETIRED_VOICES: dict[str, frozenset[str]] = {"espeak": frozenset({"cmn"})}


def retired(engine: str, voice: str) -> bool:
    return voice in RETIRED_VOICES.get(engine, frozenset())
