"""A learner's take of a word, read syllable by syllable against the tones it should have.

Pure: no Flask, no database. The pitch and each syllable's tone come from the tone reader
(`app.speech.tones`, through its public functions); here the take is cut into syllables, the
speaker's range is normalised (semitones around their own mean, so a low man's voice and a
high woman's voice draw the same shapes) and each syllable gets a verdict. The same reading of
the item's reference clip gives the contour drawn under the learner's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from app.speech import tones

#: a syllable boundary is looked for this far (share of a syllable's expected length) around
#: where equal syllables would meet
BOUNDARY_WINDOW = 0.45
#: an unvoiced frame (a consonant, a pause) counts as this many dB quieter at a boundary
UNVOICED_BONUS_DB = 20.0
#: a drawn contour has at most this many points per syllable
POINTS_PER_SYLLABLE = 24
#: semitones shown above and below the speaker's mean
DRAWN_RANGE_ST = 8.0

#: what separates pinyin words: spaces and punctuation, Latin or Chinese
_BREAK = re.compile(r"[\s,.!?;:\u3000-\u303f\uff00-\uff0f\uff1a-\uff1f\u2014\u2026«»\"“”()]+")


def syllables_of(hanzi: str, pinyin: str) -> list[tuple[str, int]]:
    """Each syllable of `hanzi` written `pinyin`: its written form with the tone mark, and the
    tone a speaker says (一/不 and third-tone sandhi: 你好 → ní, 3 → 2). An erhua `r` joins its
    syllable (哪儿 nǎr is one). ValueError if `pinyin` is not pinyin."""
    from app.chinese import numbered_to_marked, split_pinyin
    from app.chinese.spoken import per_character, spoken_from_written
    from app.chinese.tones import tone_of

    written = [s for word in _BREAK.split(pinyin) if word for s in split_pinyin(word)]
    try:
        spoken = [s for s in spoken_from_written(hanzi, per_character(hanzi, written)) if s]
    except ValueError:  # the pinyin does not line up with the characters: no sandhi
        spoken = list(written)
    out: list[tuple[str, int]] = []
    for was, said in zip(written, spoken, strict=True):
        if was == "r5" and out:
            out[-1] = (out[-1][0] + "r", out[-1][1])
        else:
            out.append((numbered_to_marked(was), tone_of(said)))
    return out


@dataclass(frozen=True)
class Syllable:
    """One syllable of a take: the tone it should have (5: neutral, not checked), the tone
    heard (None: none could be read) and where it lies in the take (seconds)."""

    expected: int
    heard: int | None
    start: float
    end: float

    @property
    def checked(self) -> bool:
        return self.expected in (1, 2, 3, 4)

    @property
    def right(self) -> bool:
        return not self.checked or self.heard == self.expected


@dataclass(frozen=True)
class Take:
    """A reading of one take: its syllables and its contour, each point (x, semitones) with x
    in syllable units (syllable k spans k..k+1) so that two takes of different speed line up."""

    syllables: list[Syllable]
    points: list[tuple[float, float]]
    mean_hz: float | None

    @property
    def heard(self) -> list[int | None]:
        return [s.heard for s in self.syllables]

    @property
    def right(self) -> bool:
        return bool(self.syllables) and all(s.right for s in self.syllables)

    @property
    def voiced(self) -> bool:
        return self.mean_hz is not None


def _frames(samples: np.ndarray, rate: int, found: tones.Contour) -> tuple[np.ndarray, ...]:
    """A 10 ms grid from the first to the last voiced frame: times, voiced, loudness (dB)."""
    start, stop = float(found.times[0]), float(found.times[-1])
    grid = np.arange(start, stop + tones.TIME_STEP / 2, tones.TIME_STEP)
    voiced_at = set(np.round(found.times / tones.TIME_STEP).astype(int).tolist())
    voiced = np.array([int(round(t / tones.TIME_STEP)) in voiced_at for t in grid])
    half = int(rate * 0.0125)
    centres = (grid * rate).astype(int)
    db = np.array(
        [10 * np.log10(np.mean(samples[max(c - half, 0) : c + half] ** 2) + 1e-12) for c in centres]
    )
    return grid, voiced, np.convolve(db, np.ones(3) / 3, mode="same")


def syllable_bounds(
    samples: np.ndarray, rate: int, found: tones.Contour, count: int
) -> list[tuple[float, float]]:
    """Where each of `count` syllables lies (seconds): the speech runs from the first to the
    last frame with pitch; each boundary is the best frame near where equal syllables would
    meet, an unvoiced one (a consonant, a pause) if any, else the quietest (between vowels)."""
    grid, voiced, db = _frames(samples, rate, found)
    if count <= 1:
        return [(float(grid[0]), float(grid[-1]))]
    if grid.size < 2 * count:
        return []
    length = grid.size / count
    score = db - UNVOICED_BONUS_DB * ~voiced
    cuts = [0]
    for k in range(1, count):
        centre = k * length
        low = max(int(centre - BOUNDARY_WINDOW * length), cuts[-1] + 1)
        high = min(int(centre + BOUNDARY_WINDOW * length) + 1, grid.size - 1)
        cuts.append(low + int(np.argmin(score[low:high])) if high > low else int(centre))
    cuts.append(grid.size - 1)
    return [(float(grid[a]), float(grid[b])) for a, b in zip(cuts[:-1], cuts[1:], strict=True)]


def _points(
    found: tones.Contour, bounds: list[tuple[float, float]], mean_hz: float
) -> list[tuple[float, float]]:
    """The voiced contour in semitones around `mean_hz`, time warped syllable by syllable."""
    st = 12 * np.log2(found.hz / mean_hz)
    points: list[tuple[float, float]] = []
    for k, (start, end) in enumerate(bounds):
        inside = (found.times >= start) & (found.times <= end)
        times, values = found.times[inside], st[inside]
        if times.size == 0:
            continue
        step = max(1, int(np.ceil(times.size / POINTS_PER_SYLLABLE)))
        span = max(end - start, tones.TIME_STEP)
        for t, v in zip(times[::step], values[::step], strict=True):
            clipped = float(np.clip(v, -DRAWN_RANGE_ST, DRAWN_RANGE_ST))
            points.append((round(k + (t - start) / span, 3), round(clipped, 2)))
    return points


def read_take(samples: np.ndarray, rate: int, expected: list[int]) -> Take:
    """Read a take of a text whose syllables should have the tones `expected`."""
    samples = np.asarray(samples, dtype=np.float64).ravel()
    found = tones.contour(samples, rate)
    if found.voiced_frames < tones.MIN_VOICED_FRAMES or not expected:
        empty = [Syllable(tone, None, 0.0, 0.0) for tone in expected]
        return Take(empty, [], None)
    mean_hz = float(2 ** np.mean(np.log2(found.hz)))
    usual_hz = float(np.median(found.hz))
    bounds = syllable_bounds(samples, rate, found, len(expected))
    if len(bounds) != len(expected):  # too short to hold that many syllables
        empty = [Syllable(tone, None, 0.0, 0.0) for tone in expected]
        return Take(empty, _points(found, [(found.times[0], found.times[-1])], mean_hz), mean_hz)
    pad = int(0.03 * rate)
    syllables = []
    for tone, (start, end) in zip(expected, bounds, strict=True):
        part = samples[max(int(start * rate) - pad, 0) : int(end * rate) + pad]
        reading = tones.classify(part, rate, usual_hz if len(expected) > 1 else None)
        syllables.append(Syllable(tone, reading.tone, start, end))
    return Take(syllables, _points(found, bounds, mean_hz), mean_hz)


def polylines(points: list[tuple[float, float]], count: int, width: int, height: int) -> list[str]:
    """SVG polyline points, one line per syllable, for a contour drawn `width` × `height`
    (high pitch at the top)."""
    if count < 1:
        return []
    scale_x, mid = width / count, height / 2
    scale_y = (height / 2) / DRAWN_RANGE_ST
    lines: dict[int, list[str]] = {}
    for x, y in points:
        lines.setdefault(min(int(x), count - 1), []).append(
            f"{x * scale_x:.1f},{mid - y * scale_y:.1f}"
        )
    return [" ".join(line) for _, line in sorted(lines.items()) if len(line) > 1]
