"""Scenario options: the right one is not given away by its length or its place."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from app.exercises import get_kind

COURSES = Path(__file__).resolve().parents[2] / "courses"


def _scenarios():
    for path in sorted(COURSES.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for exercise in (data or {}).get("exercises") or []:
            if exercise.get("kind") == "scenario":
                yield path.name, exercise


def test_the_right_answer_is_the_longest_in_at_most_a_third_of_scenarios():
    scenarios = list(_scenarios())
    assert len(scenarios) >= 70
    longest = [
        (name, e["key"])
        for name, e in scenarios
        if len(e["answer"]) >= max(len(o) for o in e["options"] if o != e["answer"])
    ]
    assert len(longest) * 3 <= len(scenarios), longest


def test_scenario_options_are_shuffled_stably_per_learner_without_the_key():
    kind = get_kind("scenario")
    _name, data = next(iter(_scenarios()))
    seen = Counter()
    for user_id in range(1, 201):
        seed = user_id * 7919 + 42  # app.learn.pages._seed for exercise 42
        view = kind.render(data, seed=seed)
        assert sorted(view["options"]) == sorted(data["options"])
        assert view == kind.render(data, seed=seed)  # the same order on every reload
        assert set(view) == {"prompt", "options"}  # neither the answer nor its explanation
        seen[view["options"].index(data["answer"])] += 1
    # the right option lands in every place, none of them much more often than the others
    assert len(seen) == len(data["options"])
    assert max(seen.values()) < 2 * 200 / len(data["options"])
