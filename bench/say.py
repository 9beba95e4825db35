"""Time to read a learner's 3 s recording (say it aloud), against decoding it alone.

Usage: ``python bench/say.py [--rounds N]`` from the repository root (needs espeak-ng).

The recording is made as the page makes it: espeak-ng's `cmn-latn-pinyin` voice says a
six-syllable phrase at the slow speed, padded with silence to 3.0 s and written as the 16 kHz
mono 16-bit WAV that js/kinds/say.js uploads. In the same run, interleaved round by round (the
machine is shared), it times:

* **decode**: the upload's checks and decoding alone (`read_recording`: size, headers, decode
  to 24 kHz float samples), the baseline;
* **pitch**: one pass of the pitch tracker over the decoded samples (`tones.contour`), the
  least any reading costs;
* **read**: the tone reading of the decoded samples (`say.read_take`: pitch, syllables, a
  tone per syllable, the drawn contour);
* **whole**: both, plus reading the reference clip (a 24 kHz MP3, the one the page plays)
  uncached, which is the first learner's cost; later ones find it in the cache.

Prints the median and 90th percentile of each in ms and the ratios to decode and to pitch.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PHRASE = ("wo3 shi4 wang2 jing1 li3 a5", "我是王经理啊")
SECONDS = 3.0
RATE = 16_000


def _recording() -> bytes:
    """A 3 s, 16 kHz mono WAV of the phrase, as the page uploads it."""
    from app.audio import processing
    from app.audio.engines import EspeakEngine

    samples = processing.decode(EspeakEngine().synthesize(PHRASE[0], "slow"))
    step = processing.SAMPLE_RATE / RATE  # 24 kHz → 16 kHz, linear (as good as the page's)
    resampled = np.interp(np.arange(0, samples.size, step), np.arange(samples.size), samples)
    take = np.zeros(int(SECONDS * RATE), dtype=np.float32)
    start = int(0.4 * RATE)
    body = resampled[: take.size - start]
    take[start : start + body.size] = body
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(RATE)
        target.writeframes((np.clip(take, -1, 1) * 32767).astype("<i2").tobytes())
    return out.getvalue()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    from app.audio import processing
    from app.audio.engines import EspeakEngine
    from app.learn.say import read_recording
    from app.speech import say, tones

    data = _recording()
    reference = processing.finish(EspeakEngine().synthesize(PHRASE[0], "normal")).data
    syllables = say.syllables_of(PHRASE[1], PHRASE[0])
    expected = [tone for _s, tone in syllables]
    samples = read_recording(data)
    take = say.read_take(samples, processing.SAMPLE_RATE, expected)  # warm: imports, first call
    print(f"recording: {len(data) / 1000:.0f} kB, {samples.size / processing.SAMPLE_RATE:.2f} s")
    print(f"expected tones {expected}, heard {take.heard}")

    def decode():
        read_recording(data)

    def pitch():
        tones.contour(samples, processing.SAMPLE_RATE)

    def read():
        say.read_take(samples, processing.SAMPLE_RATE, expected)

    def whole():
        said = read_recording(data)
        say.read_take(said, processing.SAMPLE_RATE, expected)
        model = processing.decode(reference)
        say.read_take(model, processing.SAMPLE_RATE, expected)

    runs = {"decode": decode, "pitch": pitch, "read": read, "whole": whole}
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for n in range(args.rounds):
        for name in names[n % len(names) :] + names[: n % len(names)]:
            started = time.perf_counter()
            runs[name]()
            times[name].append((time.perf_counter() - started) * 1000)
    base = statistics.median(times["decode"])
    tracker = statistics.median(times["pitch"])
    print(f"load average: {os.getloadavg()[0]:.2f}, rounds: {args.rounds}")
    for name in names:
        median = statistics.median(times[name])
        p90 = _percentile(times[name], 0.9)
        print(
            f"{name:>7}: median {median:7.1f} ms  p90 {p90:7.1f} ms"
            f"  ×{median / base:6.1f} decode  ×{median / tracker:5.1f} pitch"
        )


if __name__ == "__main__":
    main()
