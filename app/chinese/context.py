"""The context model for polyphones: g2pM's BiLSTM, re-implemented for batched inference.

g2pM (Park and Lee, Interspeech 2020; Apache-2.0) ships a one-layer bidirectional LSTM trained on
the CPP data. Its own ``G2pM.__call__`` runs the whole sentence for every call; here the same
weights run on a window around each polyphone, for all polyphones of a text at once, with the
input projections precomputed per character, so a text costs one small matrix product per
window step. The prediction is restricted to the readings the character actually has.
"""

from __future__ import annotations

import contextlib
import marshal
import math
import pickle
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from app.chinese.lazy import Lazy

#: Characters either side of the polyphone that the model sees (a sentence end stops it).
WINDOW = 6


@dataclass(frozen=True)
class Guess:
    """The model's reading for one position, with its probability among the character's readings."""

    reading: str
    probability: float


#: Bump when the arrays ``ContextModel`` derives from g2pM's weights change.
CONTEXT_VERSION = 1
#: The arrays a model is made of, as saved in the cache.
_ARRAYS = ("proj", "w_hh", "fc0_w", "fc0_b", "fc1_w", "fc1_b")


class ContextModel:
    """g2pM's weights with a batched, windowed forward pass."""

    @classmethod
    def cached(cls, path: Path) -> ContextModel:
        """The model as ``save`` wrote it: no pickles to read, no projections to compute."""
        model = cls.__new__(cls)
        with np.load(path.with_suffix(".npz")) as arrays:
            for name in _ARRAYS:
                setattr(model, name, arrays[name])
        with open(path.with_suffix(".marshal"), "rb") as fh:
            tables = marshal.load(fh)  # noqa: S302 - our own cache file
        model.char2idx = tables["char2idx"]
        model.classes = tables["classes"]
        model.option_list = tables["options"]
        model.options = model.option_list
        model.unk, model.bos, model.eos = tables["unk"], tables["bos"], tables["eos"]
        model.pad, model.hidden = tables["pad"], tables["hidden"]
        model.backward_offset = tables["backward_offset"]
        return model

    def save(self, path: Path) -> None:
        """Write the model's arrays and tables for ``cached``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path.with_suffix(".npz"), **{name: getattr(self, name) for name in _ARRAYS})
        tables = {
            "char2idx": self.char2idx,
            "classes": self.classes,
            "options": self.option_list,
            "unk": self.unk,
            "bos": self.bos,
            "eos": self.eos,
            "pad": self.pad,
            "hidden": self.hidden,
            "backward_offset": self.backward_offset,
        }
        with open(path.with_suffix(".marshal"), "wb") as fh:
            marshal.dump(tables, fh)

    def __init__(self, directory: Path) -> None:
        def load(name: str):
            with open(directory / name, "rb") as fh:
                return pickle.load(fh)  # noqa: S301 - data files shipped inside the g2pM package

        state = load("np_ckpt.pkl")
        self.char2idx: dict[str, int] = load("char2idx.pkl")
        class2idx: dict[str, int] = load("class2idx.pkl")
        cedict: dict[str, list[str]] = load("digest_cedict.pkl")
        self.classes = [""] * len(class2idx)
        for reading, idx in class2idx.items():
            self.classes[idx] = reading.replace("u:", "v")
        self.unk = self.char2idx["<UNK>"]
        self.bos = self.char2idx["시"]
        self.eos = self.char2idx["끝"]
        #: character -> indices of the classes it may take
        self.options: dict[str, np.ndarray] = {}
        for ch, readings in cedict.items():
            idx = [class2idx[r] for r in readings if r in class2idx]
            if len(idx) > 1:
                self.options[ch] = np.array(idx)
        self.option_list = {ch: idx.tolist() for ch, idx in self.options.items()}
        emb = state["embedding.weight"].astype(np.float32)
        bias_f = state["lstm.bias_ih_l0"] + state["lstm.bias_hh_l0"]
        bias_b = state["lstm.bias_ih_l0_reverse"] + state["lstm.bias_hh_l0_reverse"]
        hidden = state["lstm.weight_hh_l0"].shape[1]
        self.hidden = hidden
        # A padding row whose input gate is shut keeps the state at zero before a window starts.
        pad = np.zeros((1, 4 * hidden), dtype=np.float32)
        pad[0, :hidden] = -1e4
        self.pad = emb.shape[0]
        proj_f = np.vstack([emb @ state["lstm.weight_ih_l0"].T + bias_f, pad])
        proj_b = np.vstack([emb @ state["lstm.weight_ih_l0_reverse"].T + bias_b, pad])
        #: input projections of both directions in one table, backward rows after forward ones
        # sigmoid(x) = 0.5 + 0.5 * tanh(x / 2): the gates i, f, o are pre-scaled by 1/2, so one
        # tanh over all four gates does the work of three sigmoids and a tanh.
        scale = np.repeat(np.array([0.5, 0.5, 1.0, 0.5], dtype=np.float32), hidden)
        self.proj = (np.vstack([proj_f, proj_b]) * scale).astype(np.float32)
        self.backward_offset = proj_f.shape[0]
        w_hh = np.zeros((2 * hidden, 8 * hidden), dtype=np.float32)
        w_hh[:hidden, : 4 * hidden] = state["lstm.weight_hh_l0"].T
        w_hh[hidden:, 4 * hidden :] = state["lstm.weight_hh_l0_reverse"].T
        self.w_hh = w_hh * np.concatenate([scale, scale])
        self.fc0_w = state["logit_layer.0.weight"].T.astype(np.float32)
        self.fc0_b = state["logit_layer.0.bias"].astype(np.float32)
        self.fc1_w = state["logit_layer.2.weight"].T.astype(np.float32)
        self.fc1_b = state["logit_layer.2.bias"].astype(np.float32)

    def covers(self, ch: str) -> bool:
        """Whether the model was trained to choose between readings of ``ch``."""
        return ch in self.options

    def _ids(self, text: str) -> list[int]:
        get = self.char2idx.get
        return [get(ch, self.unk) for ch in text]

    def predict(self, text: str, positions: list[int]) -> list[Guess]:
        """Return the model's reading for each position of ``text`` (all must be covered)."""
        if not positions:
            return []
        n = len(positions)
        steps = WINDOW + 1
        ids = np.full((steps, n, 2), self.pad, dtype=np.int64)
        fw, bw = ids[:, :, 0], ids[:, :, 1]
        last = len(text) - 1
        for row, pos in enumerate(positions):
            lo, hi = max(0, pos - WINDOW), min(last, pos + WINDOW)
            window = self._ids(text[lo : hi + 1])
            left = window[: pos - lo + 1]
            right = window[pos - lo :][::-1]
            if lo == 0 and len(left) <= WINDOW:
                left.insert(0, self.bos)
            if hi == last and len(right) <= WINDOW:
                right.insert(0, self.eos)
            fw[steps - len(left) :, row] = left
            bw[steps - len(right) :, row] = right
        ids[:, :, 1] += self.backward_offset
        inputs = self.proj[ids].reshape(steps, n, -1)
        hid = self.hidden
        h = np.zeros((n, 2 * hid), dtype=np.float32)
        c = np.zeros((n, 2, hid), dtype=np.float32)
        for t in range(steps):
            gates = np.tanh((inputs[t] + h @ self.w_hh).reshape(n, 2, 4, hid))
            sig = 0.5 + 0.5 * gates
            c = sig[:, :, 1] * c + sig[:, :, 0] * gates[:, :, 2]
            h = (sig[:, :, 3] * np.tanh(c)).reshape(n, 2 * hid)
        hidden = np.maximum(h @ self.fc0_w + self.fc0_b, 0.0)
        logits = hidden @ self.fc1_w + self.fc1_b
        guesses = []
        for row, pos in enumerate(positions):
            options = self.option_list[text[pos]]
            scores = logits[row].take(options).tolist()
            top = max(scores)
            weights = [math.exp(s - top) for s in scores]
            best = scores.index(top)
            guesses.append(Guess(self.classes[options[best]], 1.0 / sum(weights)))
        return guesses


def _load() -> ContextModel:
    """The model from the cache (beside the lexicon's), built from g2pM's files if missing."""
    from app.chinese.lexicon import cache_dir

    path = cache_dir() / f"context-v{CONTEXT_VERSION}-g2pM-{metadata.version('g2pM')}"
    try:
        return ContextModel.cached(path)
    except (OSError, ValueError, EOFError, KeyError, TypeError, zipfile.BadZipFile):
        pass
    import g2pM

    model = ContextModel(Path(g2pM.__file__).parent)
    with contextlib.suppress(OSError):
        model.save(path)
    return model


_MODEL: Lazy[ContextModel] = Lazy(_load)


def model() -> ContextModel:
    """Return the process-wide context model, loading the weights on first use."""
    return _MODEL.get()
