"""Does fitting FSRS pay? Simulated learners with known memory, fitted, judged on held-out reviews.

    .venv/bin/python bench/fsrs_fit.py                 # 3 profiles × 4 learners × 150 days
    .venv/bin/python bench/fsrs_fit.py --learners 2 --days 90      # quicker

Each simulated learner's memory follows FSRS-6 with *true* parameters that differ from the
published defaults: the whole population finds this content harder than Anki's (higher initial
difficulty, a steeper forgetting curve), and each profile differs further (fast forgetters,
slow consolidators, strong memorisers), with a little per-learner noise. Learners review through the
app's own scheduler, `app.srs.review` (the pure function `app.review.answers.answer` calls, with
the default parameters, learning steps, fuzz and desired retention 0.9): every simulated day
they learn up to 15 new cards and answer every card due, learning steps included. Whether they
recall a card is drawn from the true model's retrievability at that moment; a recalled card is
rated Hard/Good/Easy (15/75/10 %), a forgotten one Again. (The services on a database would run
the same function ~100× slower per answer; the pure scheduler keeps the default run short.)

Then, as the `review.fit_fsrs` job does (app/srs/fitting.py): the zone's set is fitted on every
learner's older 80 % of reviews, each learner's own set on their own older 80 %, starting from
the zone's. Printed per profile, on the held-out newest 20 % of each learner's reviews: log loss
and RMSE (bins) of the defaults, the zone set and the learners' own sets (log loss is the mean
over all held-out reviews; RMSE is the mean of the learners' RMSE weighted by their reviews).
"""

from __future__ import annotations

import argparse
import heapq
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import fsrs  # noqa: E402

from app import srs  # noqa: E402
from app.srs import fitting  # noqa: E402

D = list(fitting.DEFAULT_PARAMETERS)
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
ANSWER_SECONDS = 12
#: (name, multiplier of initial stabilities w0–w3, of the stability increase w8, the decay w20,
#: first-answer probabilities Again/Hard/Good/Easy)
PROFILES = (
    ("fast forgetters", 0.4, 0.8, 0.7, (0.40, 0.15, 0.40, 0.05)),
    ("slow consolidators", 1.0, 0.6, 0.6, (0.25, 0.10, 0.55, 0.10)),
    ("strong memorisers", 2.0, 1.25, 0.55, (0.10, 0.05, 0.60, 0.25)),
)


def true_parameters(stab: float, growth: float, decay: float, rng: random.Random) -> list[float]:
    """Parameters of one simulated learner (shared shift + profile + noise)."""
    w = list(D)
    for i in range(4):
        w[i] = D[i] * stab * rng.uniform(0.85, 1.15)
    w[4] = D[4] + 1.5  # harder content for everybody: higher initial difficulty
    w[8] = D[8] * 0.6 * growth * rng.uniform(0.9, 1.1)  # slower growth for everybody
    w[20] = decay  # steeper than the defaults' 0.154 for everybody
    return w


def simulate(w_true, first_probs, days: int, new_per_day: int, cards: int, seed: int):
    """A learner's reviews: (card id, study day, rating, order) through the app's scheduler."""
    rng = random.Random(seed)
    truth = fsrs.Scheduler(parameters=w_true, enable_fuzzing=False)
    app_state: dict[int, srs.CardState] = {}
    true_state: dict[int, fsrs.Card] = {}
    queue: list[tuple[datetime, int]] = []  # (due, card id), a heap
    reviews: list[fitting.Review] = []
    next_new = 0
    for day in range(days):
        now = START + timedelta(days=day)
        end = now + timedelta(hours=12)
        learned = 0
        while now < end:
            if queue and queue[0][0] <= now:
                _due, card_id = heapq.heappop(queue)
            elif learned < new_per_day and next_new < cards:
                card_id = seed * 100_000 + next_new
                next_new += 1
                learned += 1
                app_state[card_id] = srs.CardState(card_id=card_id, due=now)
                true_state[card_id] = fsrs.Card(card_id=card_id, due=now)
            else:
                soonest = queue[0][0] if queue else end
                now = max(now + timedelta(seconds=ANSWER_SECONDS), min(soonest, end))
                continue
            card = app_state[card_id]
            rating = _rate(rng, truth, true_state[card_id], card, now, first_probs)
            outcome = srs.review(card, rating, now)
            app_state[card_id] = outcome.card
            heapq.heappush(queue, (outcome.card.due, card_id))
            true_state[card_id], _log = truth.review_card(
                true_state[card_id], fsrs.Rating(rating), review_datetime=now
            )
            reviews.append(fitting.Review(card_id, now.date(), rating, now.timestamp()))
            now += timedelta(seconds=ANSWER_SECONDS)
    return reviews


def _rate(rng, truth, true_card, card, now, first_probs) -> int:
    if card.is_new:
        return rng.choices((1, 2, 3, 4), weights=first_probs)[0]
    recall = truth.get_card_retrievability(true_card, current_datetime=now)
    if rng.random() >= recall:
        return 1
    return rng.choices((2, 3, 4), weights=(0.15, 0.75, 0.10))[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=4, help="learners per profile")
    parser.add_argument("--days", type=int, default=150)
    parser.add_argument("--cards", type=int, default=600, help="words per learner")
    parser.add_argument("--new-per-day", type=int, default=15)
    args = parser.parse_args()
    started = time.perf_counter()
    rng = random.Random(21)
    learners = []  # (profile, dataset)
    for p, (name, stab, growth, decay, first) in enumerate(PROFILES):
        for n in range(args.learners):
            w = true_parameters(stab, growth, decay, rng)
            reviews = simulate(w, first, args.days, args.new_per_day, args.cards, 1 + p * 100 + n)
            learners.append((name, fitting.dataset(reviews)))
    simulated = time.perf_counter() - started
    zone_train = [item for _n, data in learners for item in data.train]
    zone = fitting.train(zone_train)
    own = [fitting.fit(data, zone) for _n, data in learners]
    fitted = time.perf_counter() - started - simulated
    print(
        f"{len(learners)} learners, {sum(d.reviews for _n, d in learners)} reviews over "
        f"{args.days} days; simulated in {simulated:.0f} s, fitted in {fitted:.0f} s"
    )
    print(f"{'profile':18} {'held-out':>8} {'':4} {'defaults':>9} {'zone':>9} {'own':>9}  used")
    ok = True
    for name, *_rest in PROFILES:
        rows = [(d, f) for (n, d), f in zip(learners, own, strict=True) if n == name]
        held = sum(len(d.test) for d, _f in rows)
        used = sum(f.accepted for _d, f in rows)
        scores = {
            "defaults": [fitting.score(D, d.test) for d, _f in rows],
            "zone": [fitting.score(zone, d.test) for d, _f in rows],
            "own": [fitting.score(f.parameters, d.test) for d, f in rows],
        }
        weights = [len(d.test) for d, _f in rows]

        def mean(key, attr, scores=scores, weights=weights):
            pairs = zip(scores[key], weights, strict=True)
            return sum(getattr(s, attr) * n for s, n in pairs) / sum(weights)

        ll = {k: mean(k, "log_loss") for k in scores}
        rmse = {k: mean(k, "rmse_bins") for k in scores}
        ok &= ll["own"] < ll["zone"] < ll["defaults"]
        print(f"{name:18} {held:8} {'LL':4} {ll['defaults']:9.4f} {ll['zone']:9.4f} "
              f"{ll['own']:9.4f}  {used}/{len(rows)}")  # fmt: skip
        print(f"{'':18} {'':8} {'RMSE':4} {rmse['defaults']:9.4f} {rmse['zone']:9.4f} "
              f"{rmse['own']:9.4f}")  # fmt: skip
    print("own < zone < defaults in log loss on every profile:", "yes" if ok else "NO")
    print(f"total {time.perf_counter() - started:.0f} s")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
