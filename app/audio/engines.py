"""Speech engines behind one small interface: `synthesize(text, speed) -> audio bytes`.

Pure: no Flask, no database. gTTS is Google's online voice (better, needs the network);
espeak-ng is the offline engine that always works once the Debian package is installed.
Engines return encoded audio in whatever format they produce (MP3, WAV); `processing.finish`
turns it into a clip.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import ClassVar, Protocol

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
    """The engine cannot run on this machine (espeak-ng is not installed)."""


class Engine(Protocol):
    name: str
    voice: str

    def synthesize(self, text: str, speed: str) -> bytes: ...


class EspeakEngine:
    """espeak-ng through its command line (no shell), Mandarin voice, WAV on stdout."""

    name = "espeak"
    voice = "cmn"
    #: words per minute for each speed (espeak-ng's default is 175)
    RATES: ClassVar[dict[str, int]] = {"normal": 150, "slow": 95}
    TIMEOUT_S = 30

    def __init__(self, binary: str | None = None):
        self.binary = binary or shutil.which("espeak-ng")

    def available(self) -> bool:
        return self.binary is not None

    def synthesize(self, text: str, speed: str) -> bytes:
        if self.binary is None:
            raise EngineUnavailable("espeak-ng is not installed (apt-get install espeak-ng)")
        command = [self.binary, "-v", self.voice, "-s", str(self.RATES[speed]), "-b", "1"]
        try:
            done = subprocess.run(  # noqa: S603 (fixed arguments, text on stdin)
                [*command, "--stdout"],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=self.TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise TransientError("espeak-ng took too long") from exc
        if done.returncode != 0 or not done.stdout:
            message = done.stderr.decode("utf-8", "replace").strip() or "no output"
            raise EngineError(f"espeak-ng exited with {done.returncode}: {message}")
        return done.stdout


class GttsEngine:
    """Google Translate's voice through the gTTS package, Mandarin (zh-CN)."""

    name = "gtts"
    voice = "zh-CN"
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


ENGINES: dict[str, type] = {"espeak": EspeakEngine, "gtts": GttsEngine}
#: the order engines are tried in for each TTS_ENGINE setting
CHAINS: dict[str, tuple[str, ...]] = {
    "auto": ("gtts", "espeak"),
    "gtts": ("gtts",),
    "espeak": ("espeak",),
}
#: which clip a page plays when several exist for a text: best first
PREFERENCE = ("recording", "gtts", "espeak")
