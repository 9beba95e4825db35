"""Reading Mandarin tones from sound: a pitch contour and the tone (1-4) it shows.

Pure: no Flask, no database. The pitch comes from Praat's autocorrelation tracker through
`praat-parselmouth`. The same reader checks synthesised clips (`flask audio verify`) and will
check learners' speech, so it assumes nothing about the voice:

* **Per-clip normalisation.** Pitch is measured in semitones from the clip's own median, so a
  man's 90 Hz and a woman's 220 Hz voice give the same shapes. Only the shape of one syllable
  decides, unless the caller knows the speaker's usual pitch (`reference_hz`), which then tells
  a high level tone 1 from a low level (half) tone 3.
* **The onset counts little.** The first voiced frames follow the consonant, not the tone:
  the first 5 % are skipped (after a median filter that removes octave jumps), and a level
  tone is recognised by its second half, so that a rise into a tone 1 is not read as tone 2.
* **Tone 3 dips, or creaks.** Said alone it falls and rises again (2-1-4); often the low part
  turns creaky and the tracker loses the pitch there. So a contour whose lowest point lies
  inside the syllable with a rise after it is a 3, and so is a contour broken by unvoiced gaps
  in the middle of a loud syllable, or one that only rises late from a low start.
* **A low syllable in a word is a 3.** Before another syllable a tone 3 is only its low part
  (the "half third"), which may fall like a 4 or rise a little like a 2: given the speaker's
  usual pitch (for a word, `read_syllables` takes its median), a syllable whose top stays
  well below it is a 3, whatever its shape.
* **Short clips** with fewer than `MIN_VOICED_FRAMES` voiced frames give no tone (None)
  rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: 10 ms frames
TIME_STEP = 0.01
PITCH_FLOOR_HZ = 60.0
PITCH_CEILING_HZ = 600.0
#: fewer voiced frames than this (80 ms) is too short to read a tone from
MIN_VOICED_FRAMES = 8
#: the part of the voiced stretch that follows the consonant and is skipped
ONSET_SHARE = 0.05
#: frames further than this from the clip's median pitch are tracking errors
MAX_DEVIATION_ST = 9.0
#: a level contour's second half moves less than this (semitones); a rising one more
SECOND_HALF_ST = 1.0
#: beyond the onset's movement, a level contour stays within this many semitones
LEVEL_RANGE_ST = 1.5
#: a fall of at least this many semitones from an early peak is tone 4
FALL_ST = 1.6
#: a rise of at least this many semitones (from the start, or from a dip) is tone 2 or 3
RISE_ST = 1.3
#: a dip: the contour falls at least this far to a trough inside the syllable, then rises
DIP_ST = 0.8
#: …and rises at least this far again after it
DIP_RISE_ST = 1.0
#: this share of a loud syllable without pitch is creak (tone 3)
CREAK_GAP = 0.25
#: with a speaker's reference pitch: a level contour this far below it is a low tone 3
LOW_LEVEL_ST = 2.0
#: …and a syllable whose top (90th percentile) stays this far below it is a low tone 3 of any
#: shape: the "half third" before another syllable, low and without its rise
LOW_TOP_ST = 1.5


@dataclass(frozen=True)
class Contour:
    """The voiced pitch of a clip: times (s) and frequencies (Hz) of voiced frames, and the
    share of the loud part of the clip in which no pitch was found (creak, whisper)."""

    times: np.ndarray
    hz: np.ndarray
    unvoiced_gap_share: float = 0.0

    @property
    def voiced_frames(self) -> int:
        return int(self.hz.size)

    def semitones(self) -> np.ndarray:
        """Semitones from the contour's median (0 at the median)."""
        if self.hz.size == 0:
            return self.hz
        return 12 * np.log2(self.hz / np.median(self.hz))


@dataclass(frozen=True)
class ToneReading:
    """The tone heard (1-4), or None with `reason` when none can be read."""

    tone: int | None
    reason: str = ""
    features: dict[str, float] = field(default_factory=dict)


def contour(samples: np.ndarray, sample_rate: int) -> Contour:
    """The pitch contour of mono float samples."""
    import parselmouth

    samples = np.asarray(samples, dtype=np.float64).ravel()
    if samples.size < sample_rate * 0.05:
        return Contour(np.zeros(0), np.zeros(0))
    sound = parselmouth.Sound(samples, sampling_frequency=sample_rate)
    pitch = sound.to_pitch_ac(
        time_step=TIME_STEP, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ
    )
    hz = pitch.selected_array["frequency"]
    times = pitch.xs()
    voiced = hz > 0
    gap = _unvoiced_gap_share(samples, sample_rate, times, voiced)
    return Contour(times[voiced], _despike(hz[voiced]), gap)


def _despike(hz: np.ndarray) -> np.ndarray:
    """A 5-frame median filter: octave jumps of single frames go, the shape stays."""
    if hz.size < 5:
        return hz
    padded = np.pad(hz, 2, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 5)
    return np.median(windows, axis=1)


def _unvoiced_gap_share(
    samples: np.ndarray, rate: int, times: np.ndarray, voiced: np.ndarray
) -> float:
    """Of the frames between the first and last voiced frame that are loud (within 25 dB of
    the loudest), the share without pitch: a creaky tone 3 leaves such a gap."""
    if not voiced.any():
        return 0.0
    first, last = np.flatnonzero(voiced)[[0, -1]]
    half = int(rate * TIME_STEP)
    energy = []
    for t in times[first : last + 1]:
        centre = int(t * rate)
        chunk = samples[max(centre - half, 0) : centre + half]
        energy.append(float(np.sqrt(np.mean(chunk**2))) if chunk.size else 0.0)
    energy_arr = np.array(energy)
    if energy_arr.size == 0 or energy_arr.max() <= 0:
        return 0.0
    loud = energy_arr > energy_arr.max() * 10 ** (-25 / 20)
    inside = voiced[first : last + 1]
    return float(np.mean(~inside[loud])) if loud.any() else 0.0


def _mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if values.size else 0.0


def classify_contour(found: Contour, reference_hz: float | None = None) -> ToneReading:
    """The tone a one-syllable contour shows (see the module's notes on how)."""
    if found.voiced_frames < MIN_VOICED_FRAMES:
        return ToneReading(None, f"too short: {found.voiced_frames} voiced frame(s)")
    st = found.semitones()
    st = st[np.abs(st) <= MAX_DEVIATION_ST]  # octave errors of the tracker
    if st.size < MIN_VOICED_FRAMES:
        return ToneReading(None, f"too short: {st.size} voiced frame(s)")
    skip = max(int(round(st.size * ONSET_SHARE)), 1)
    body = st[skip:] if st.size - skip >= MIN_VOICED_FRAMES else st
    n = body.size
    part = max(n // 5, 1)
    start, end = _mean(body[:part]), _mean(body[-part:])
    mid = _mean(body[int(0.4 * n) : int(0.6 * n) + 1])
    low_at, high_at = int(np.argmin(body)), int(np.argmax(body))
    low, high = float(body[low_at]), float(body[high_at])
    # The dip of a tone 3 is a trough inside the syllable (the onset may lie lower still).
    inner_from, inner_to = int(0.2 * n), max(int(0.85 * n), int(0.2 * n) + 1)
    dip_at = inner_from + int(np.argmin(body[inner_from:inner_to]))
    dip = float(body[dip_at])
    fall_before = float(body[: dip_at + 1].max()) - dip
    rise_after = float(body[dip_at:].max()) - dip
    features = {
        "start": round(start, 2),
        "mid": round(mid, 2),
        "end": round(end, 2),
        "dip_at": round(dip_at / max(n - 1, 1), 2),
        "high_at": round(high_at / max(n - 1, 1), 2),
        "fall_before": round(fall_before, 2),
        "rise_after": round(rise_after, 2),
        "gap": round(found.unvoiced_gap_share, 2),
        "median_hz": round(float(np.median(found.hz)), 1),
    }
    creaky = found.unvoiced_gap_share >= CREAK_GAP
    if reference_hz:
        top = 12 * np.log2(float(np.percentile(found.hz, 90)) / reference_hz)
        features["top"] = round(top, 2)
        if top <= -LOW_TOP_ST:
            return ToneReading(3, "low", features)
    if high_at <= 0.6 * n and high - end >= FALL_ST and end < mid:
        return ToneReading(4, "fall", features)
    if fall_before >= DIP_ST and rise_after >= DIP_RISE_ST:
        return ToneReading(3, "dip", features)
    if end - mid >= SECOND_HALF_ST and end - start >= RISE_ST:
        return ToneReading(3 if creaky else 2, "creaky rise" if creaky else "rise", features)
    if abs(end - mid) < SECOND_HALF_ST and high - low <= LEVEL_RANGE_ST + abs(start - mid):
        if creaky:
            return ToneReading(3, "creak", features)
        if reference_hz and np.median(found.hz) < reference_hz * 2 ** (-LOW_LEVEL_ST / 12):
            return ToneReading(3, "low level", features)
        return ToneReading(1, "level", features)
    if end < start:
        return ToneReading(4, "falling", features)
    return ToneReading(2, "rising", features)


def classify(
    samples: np.ndarray, sample_rate: int, reference_hz: float | None = None
) -> ToneReading:
    """The tone (1-4) of one spoken syllable, or None with the reason."""
    return classify_contour(contour(samples, sample_rate), reference_hz)


#: a syllable boundary is looked for this far (share of a syllable's expected length) around
#: where equal syllables would meet
BOUNDARY_WINDOW = 0.45
#: an unvoiced frame (a consonant, a pause) counts as this many dB quieter when choosing a boundary
UNVOICED_BONUS_DB = 20.0


def _frames(samples: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per 10 ms frame: its time, whether it has pitch, and its loudness (dB, 25 ms window)."""
    import parselmouth

    sound = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=rate)
    pitch = sound.to_pitch_ac(
        time_step=TIME_STEP, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ
    )
    times = pitch.xs()
    voiced = pitch.selected_array["frequency"] > 0
    half = int(rate * 0.0125)
    db = np.array(
        [
            10
            * np.log10(
                np.mean(samples[max(int(t * rate) - half, 0) : int(t * rate) + half] ** 2) + 1e-12
            )
            for t in times
        ]
    )
    return times, voiced, np.convolve(db, np.ones(3) / 3, mode="same")


def split_syllables(samples: np.ndarray, sample_rate: int, count: int) -> list[np.ndarray]:
    """Cut an utterance of `count` syllables into one stretch per syllable.

    The speech is the stretch from the first to the last frame with pitch (noise has none).
    Each boundary is the best frame near where equal syllables would meet: an unvoiced one (a
    consonant, a pause) if there is one, else the quietest (the dip between two vowels).
    """
    samples = np.asarray(samples, dtype=np.float32).ravel()
    if count <= 1 or samples.size < sample_rate * 0.05:
        return [samples] * max(count, 1)
    times, voiced, db = _frames(samples, sample_rate)
    if voiced.sum() < 2:
        return [samples] * count
    first, last = (int(i) for i in np.flatnonzero(voiced)[[0, -1]])
    length = (last + 1 - first) / count
    score = db - UNVOICED_BONUS_DB * ~voiced
    cuts = [first]
    for k in range(1, count):
        centre = first + k * length
        low = max(int(centre - BOUNDARY_WINDOW * length), cuts[-1] + 1)
        high = min(int(centre + BOUNDARY_WINDOW * length) + 1, last)
        cuts.append(low + int(np.argmin(score[low:high])) if high > low else int(centre))
    cuts.append(last + 1)
    bounds = [int(times[min(c, times.size - 1)] * sample_rate) for c in cuts]
    bounds[0] = max(bounds[0] - int(0.05 * sample_rate), 0)
    bounds[-1] = samples.size
    return [samples[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def read_syllables(
    samples: np.ndarray, sample_rate: int, count: int, reference_hz: float | None = None
) -> list[ToneReading]:
    """The tone of each of `count` syllables of an utterance. Without `reference_hz`, the
    speaker's usual pitch is taken to be the utterance's median."""
    if reference_hz is None:
        whole = contour(samples, sample_rate)
        reference_hz = float(np.median(whole.hz)) if whole.voiced_frames else None
    return [
        classify(part, sample_rate, reference_hz)
        for part in split_syllables(samples, sample_rate, count)
    ]
