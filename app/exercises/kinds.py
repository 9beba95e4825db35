"""The built-in exercise kinds (the fields of each are defined in app/content/schema.py)."""

from __future__ import annotations

from typing import Any

from app import chinese
from app.content.schema import strip_punctuation
from app.exercises.base import ExerciseKind, Verdict, register


def _text(answer: Any) -> str:
    return answer.strip() if isinstance(answer, str) else ""


def _parts(answer: Any) -> list[str]:
    """A list answer's parts; anything that is not a list of strings counts as no answer."""
    if not isinstance(answer, list):
        return []
    return [part.strip() if isinstance(part, str) else "" for part in answer]


class _Choice(ExerciseKind):
    """Pick one option; the prompt is shown (or, for listening, played)."""

    def render(self, data: dict[str, Any], *, seed: int) -> dict[str, Any]:
        return {
            "prompt": data["prompt"],
            "options": self.shuffled(data["options"], seed),
        }

    def max_chars(self, data: dict[str, Any]) -> int:
        return max(len(option) for option in data["options"]) + 16

    def check(self, data: dict[str, Any], answer: Any) -> Verdict:
        correct = _text(answer) == data["answer"]
        return Verdict(
            correct=correct,
            score=1.0 if correct else 0.0,
            feedback="correct" if correct else "wrong",
            right_answer=data["answer"],
            explanation=data.get("explanation"),
        )


@register
class ChooseMeaning(_Choice):
    name = "choose_meaning"
    instruction = "choose_meaning"

    def speech(self, data):
        return [data["prompt"]]


@register
class ChooseHanzi(_Choice):
    name = "choose_hanzi"
    instruction = "choose_hanzi"


@register
class Listening(_Choice):
    name = "listening"
    instruction = "listening"

    def render(self, data, *, seed):
        view = super().render(data, seed=seed)
        view["audio_text"] = view.pop("prompt")  # heard, not read
        return view

    def speech(self, data):
        return [data["prompt"]]


@register
class Scenario(_Choice):
    name = "scenario"
    instruction = "scenario"


@register
class FillBlank(_Choice):
    name = "fill_blank"
    instruction = "fill_blank"

    def render(self, data, *, seed):
        before, _, after = data["prompt"].partition("___")
        return {
            "before": before,
            "after": after,
            "ru": data["ru"],
            "options": self.shuffled(data["options"], seed),
        }

    def check(self, data, answer):
        verdict = super().check(data, answer)
        full = data["prompt"].replace("___", data["answer"])
        return Verdict(
            verdict.correct, verdict.score, verdict.feedback, full, data.get("explanation")
        )


@register
class TypePinyin(ExerciseKind):
    name = "type_pinyin"
    instruction = "type_pinyin"

    def render(self, data, *, seed):
        return {"prompt": data["prompt"]}

    def speech(self, data):
        return [data["prompt"]]

    def max_chars(self, data):
        # room for spaces, tone numbers and apostrophes; a longer text cannot be right
        return 4 * len(data["answer"]) + 32

    def check(self, data, answer):
        result = chinese.check_pinyin_answer(data["answer"], _text(answer))
        return Verdict(
            correct=result.correct,
            score=1.0 if result.correct else 0.0,
            feedback=result.kind,
            right_answer=data["answer"],
            explanation=data.get("explanation"),
            details={"positions": list(result.positions)},
        )


TONE_NAMES = {1: "1", 2: "2", 3: "3", 4: "4", 5: "5"}


@register
class IdentifyTone(ExerciseKind):
    name = "identify_tone"
    instruction = "identify_tone"

    def render(self, data, *, seed):
        return {"audio_text": data["prompt"], "prompt": data["prompt"], "tones": [1, 2, 3, 4, 5]}

    def speech(self, data):
        return [data["prompt"]]

    def max_chars(self, data):
        return 8

    def check(self, data, answer):
        given = 0
        if isinstance(answer, str | int) and not isinstance(answer, bool):
            try:
                given = int(_text(answer) if isinstance(answer, str) else answer)
            except ValueError:
                given = 0
        correct = given == int(data["answer"])
        syllable = "".join(w.pinyin for w in chinese.annotate(data["prompt"]))
        return Verdict(
            correct=correct,
            score=1.0 if correct else 0.0,
            feedback="correct" if correct else "wrong",
            right_answer=f"{data['prompt']} {syllable} — {data['answer']}",
            explanation=data.get("explanation"),
            details={"tone": int(data["answer"])},
        )


def word_tiles(data: dict[str, Any]) -> list[str]:
    """The tiles of a word-order exercise: the file's, or the answer cut into words."""
    if data.get("tiles"):
        return list(data["tiles"])
    return [word.text for word in chinese.annotate(strip_punctuation(data["answer"]))]


@register
class WordOrder(ExerciseKind):
    name = "word_order"
    instruction = "word_order"
    multi = True

    def render(self, data, *, seed):
        return {"ru": data["ru"], "tiles": self.derange(word_tiles(data), seed)}

    def max_parts(self, data):
        return len(word_tiles(data))

    def max_chars(self, data):
        return max(len(tile) for tile in word_tiles(data)) + 16

    def check(self, data, answer):
        given = _parts(answer)
        correct = "".join(given) == strip_punctuation(data["answer"])
        return Verdict(
            correct=correct,
            score=1.0 if correct else 0.0,
            feedback="correct" if correct else "wrong",
            right_answer=data["answer"],
            explanation=data.get("explanation"),
        )


@register
class Matching(ExerciseKind):
    name = "matching"
    instruction = "matching"
    multi = True

    def render(self, data, *, seed):
        lefts = [left for left, _ in data["pairs"]]
        rights = [right for _, right in data["pairs"]]
        return {"lefts": lefts, "rights": self.derange(rights, seed)}

    def max_parts(self, data):
        return len(data["pairs"])

    def max_chars(self, data):
        return max(len(right) for _, right in data["pairs"]) + 16

    def check(self, data, answer):
        given = _parts(answer)
        rights = [right for _, right in data["pairs"]]
        hits = sum(1 for g, r in zip(given, rights, strict=False) if g == r)
        correct = hits == len(rights) and len(given) == len(rights)
        return Verdict(
            correct=correct,
            score=hits / len(rights),
            feedback="correct" if correct else ("partial" if hits else "wrong"),
            right_answer="; ".join(f"{left} — {right}" for left, right in data["pairs"]),
            explanation=data.get("explanation"),
            details={"hits": hits, "total": len(rights)},
        )
