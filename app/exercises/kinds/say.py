"""Say a syllable, a tone pair or a word aloud; the tone reader hears each syllable's tone.

The answer is not typed: the learner's recording goes to the say route (app/learn/say_routes.py),
which reads the tones heard and hands them here as "2 3" (0: no tone heard). A learner without
a microphone answers "skip": the exercise counts as done without a check (correct, score 0), so
that the lesson can still be finished. A typed list of tones is refused (`parse_answer`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from app.content.types import HanText, Text
from app.exercises.base import N_, AnswerError, ExerciseBase, ExerciseKind, Verdict, register
from app.speech.say import syllables_of

#: the answer of a learner who has no microphone
SKIP = "skip"
#: the longest prompt: a word or a short phrase, not a dialogue line
MAX_SYLLABLES = 8


class Say(ExerciseBase):
    kind: Literal["say"]
    prompt: Annotated[HanText, Field(max_length=MAX_SYLLABLES + 2)]
    #: the pinyin to say, with tone marks or numbers (the tones expected come from it)
    answer: Text
    ru: Text | None = None

    @model_validator(mode="after")
    def _pinyin_reads(self):
        try:
            syllables = syllables_of(self.prompt, self.answer)
        except ValueError as exc:
            raise ValueError(f"answer is not pinyin: {exc}") from None
        if not 1 <= len(syllables) <= MAX_SYLLABLES:
            raise ValueError(f"say: 1 to {MAX_SYLLABLES} syllables, not {len(syllables)}")
        return self


def heard_answer(heard: list[int | None]) -> str:
    """The answer the say route records for the tones heard ("2 0": a 2, then none)."""
    return " ".join(str(tone or 0) for tone in heard)


@register
class SayKind(ExerciseKind):
    name = "say"
    schema = Say
    instruction = N_("Say it aloud")
    template = "exercises/say.html"
    script = "js/kinds/say.js"
    script_texts = {
        "record": N_("Record"),
        "stop": N_("Stop"),
        "recording": N_("Recording… say it now (at most 15 s)."),
        "reading": N_("Listening to your recording…"),
        "denied": N_(
            "Microphone unavailable: access to it was refused. Allow it in the browser "
            "settings, or skip this exercise."
        ),
        "absent": N_("Microphone unavailable: none was found. Connect one, or skip this exercise."),
        "unsupported": N_("Microphone unavailable in this browser. You can skip this exercise."),
        "keep": N_("Keep this recording (only you will hear it)"),
        "failed": N_("The recording could not be sent. Try again."),
    }
    #: the kind's own buttons (record, skip) replace the card's «Check»
    own_buttons = True
    reference_audio = True
    fields = ("question", "prompt", "answer", "ru", "explanation")
    helps = {
        **ExerciseKind.helps,
        "answer": N_("The pinyin to say, with tone marks or numbers: the tones are checked."),
    }
    example = {"prompt": "你好", "answer": "nǐ hǎo", "ru": "здравствуйте"}

    def syllables(self, data: dict[str, Any]) -> list[tuple[str, int]]:
        """Each syllable as written and the tone to be said (sandhi applied)."""
        return syllables_of(data["prompt"], data["answer"])

    def render(self, data, *, seed):
        return {
            "prompt": data["prompt"],
            "pinyin": " ".join(s for s, _tone in self.syllables(data)),
            "ru": data.get("ru"),
            "audio_text": data["prompt"],
        }

    def speech(self, data):
        return [data["prompt"]]

    def max_chars(self, data):
        return 2 * MAX_SYLLABLES

    def parse_answer(self, data, answer):
        """Only "skip" comes from the learner; the tones heard come from the say route."""
        text = super().parse_answer(data, answer)
        if text != SKIP:
            raise AnswerError("shape")
        return text

    def stored_answer(self, data, answer):
        """A stored answer is "skip" or the tones the say route heard ("2 0")."""
        text = answer if isinstance(answer, str) else ""
        parts = text.split()
        if text == SKIP or (parts and all(p in "01234" and len(p) == 1 for p in parts)):
            return text
        raise AnswerError("shape")

    def check(self, data, answer):
        expected = self.syllables(data)
        right_answer = f"{data['prompt']} {' '.join(s for s, _t in expected)}"
        if answer == SKIP:
            return Verdict(True, 0.0, "skipped", right_answer, data.get("explanation"))
        heard = [int(t) if t.isdigit() else 0 for t in str(answer or "").split()]
        heard += [0] * (len(expected) - len(heard))
        rows = [
            {"syllable": s, "expected": tone, "heard": h or None, "right": tone == 5 or h == tone}
            for (s, tone), h in zip(expected, heard, strict=False)
        ]
        correct = bool(rows) and all(row["right"] for row in rows)
        hits = sum(1 for row in rows if row["right"])
        return Verdict(
            correct=correct,
            score=hits / len(rows) if rows else 0.0,
            feedback="correct" if correct else "say_tones",
            right_answer=right_answer,
            explanation=data.get("explanation"),
            details={"syllables": rows},
        )
