"""Checks shared by everything with options and one right answer (choice exercises, placement
questions): the options are distinct and the answer is one of them."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError

from app.content import homoglyphs


def answer_not_among_options(answer: str, options: list[str]) -> PydanticCustomError:
    """The error for an answer that matches no option, naming a look-alike letter if one is
    the cause (a Latin «a» among Cyrillic letters, in the answer or in its option): its type
    and context let the editor say it in Russian."""
    context: dict[str, str | int] = {"answer": answer, "hint": "", "where": ""}
    twins = [i for i, o in enumerate(options, 1) if homoglyphs.fold(o) == homoglyphs.fold(answer)]
    if twins:
        number = twins[0]
        odd, where = homoglyphs.strangers(answer), "answer"
        if not odd:
            odd, where = homoglyphs.strangers(options[number - 1]), f"option {number}"
        if odd:
            first = odd[0]
            other = "Cyrillic" if first.script == "latin" else "Latin"
            context.update(
                char=first.char,
                position=first.position,
                script=first.script,
                where=where,
                option=number,
                hint=f": the {where} has a {first.script.capitalize()} '{first.char}'"
                f" (character {first.position}) among {other} letters",
            )
    return PydanticCustomError(
        "answer_not_among_options", "answer '{answer}' is not among the options{hint}", context
    )


def check_one_of(answer: str, options: list[str]) -> None:
    """Raise (for a pydantic validator) when options repeat or the answer is none of them."""
    if len(set(options)) != len(options):
        raise ValueError("options repeat")
    if answer not in options:
        raise answer_not_among_options(answer, options)


class OneOfOptions(BaseModel):
    """A model with `options` and an `answer` that must be one of them (the subclass declares
    both fields, with its own limits)."""

    @model_validator(mode="after")
    def _answer_among_options(self) -> Self:
        check_one_of(self.answer, self.options)  # type: ignore[attr-defined]
        return self
