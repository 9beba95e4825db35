"""Locust journeys against a running Qiao seeded with `flask seed-demo` (see bench/load.py).

QIAO_HOSTS (comma-separated base URLs) spreads users over several instances, as a proxy would;
QIAO_DEMO_PASSWORD is the demo accounts' password."""

from __future__ import annotations

import itertools
import os
import random
import re
import uuid

from locust import HttpUser, between, task

HOSTS = [h for h in os.environ.get("QIAO_HOSTS", "http://127.0.0.1:5000").split(",") if h]
PASSWORD = os.environ.get("QIAO_DEMO_PASSWORD", "")
_host_cycle = itertools.cycle(HOSTS)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LESSON = "/author/c/business-chinese-1/l/greetings"


class QiaoUser(HttpUser):
    abstract = True
    emails: tuple[str, ...] = ()

    def on_start(self) -> None:
        self.client.base_url = next(_host_cycle)
        page = self.client.get("/auth/login", name="sign-in page")
        token = CSRF.search(page.text)[1]
        form = {"csrf_token": token, "email": random.choice(self.emails), "password": PASSWORD}
        self.client.post("/auth/login", name="sign in", data=form)
        self.token = CSRF.search(self.client.get("/", name="dashboard").text)[1]


class Learner(QiaoUser):
    weight = 8
    wait_time = between(1, 3)
    emails = ("learner@lassard.demo", "learner@hirana.demo", "learner@raytibor.demo")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")

    @task(2)
    def lesson(self) -> None:
        course = self.client.get("/courses", name="catalogue").text
        lessons = re.findall(r'href="(/lessons/\d+)"', course) or ["/lessons/1"]
        self.client.get(lessons[0], name="lesson")

    @task(6)
    def review(self) -> None:
        headers = {"X-CSRFToken": self.token}
        card = self.client.get("/api/v1/review/next", headers=headers, name="review next").json()
        if card.get("card_id"):
            answer = {
                "card_id": card["card_id"],
                "rating": random.choice((2, 3, 3, 4)),
                "review_id": str(uuid.uuid4()),
                "version": card.get("version"),
            }
            # demo learners are shared by several simulated users: a card answered by another
            # one in between is refused as stale (409), which is the right answer
            with self.client.post(
                "/api/v1/review/answer", headers=headers, name="review answer", json=answer,
                catch_response=True,
            ) as reply:  # fmt: skip
                if reply.status_code == 409:
                    reply.success()


class HR(QiaoUser):
    weight = 1
    wait_time = between(3, 8)
    emails = ("hr@lassard.demo", "hr@hirana.demo", "hr@raytibor.demo")

    @task(4)
    def dashboard(self) -> None:
        self.client.get("/hr/", name="hr dashboard")

    @task(1)
    def export(self) -> None:
        self.client.get("/hr/export/completion.csv", name="hr export csv")


class Trainer(QiaoUser):
    weight = 1
    wait_time = between(5, 10)
    emails = ("trainer@zone.demo",)

    @task
    def edit_and_publish(self) -> None:
        html = self.client.get(LESSON, name="editor lesson").text
        version = re.search(r'name="version" value="(\d+)"', html)
        if not version:
            return
        word = random.choice(("样品", "合同", "报价", "工厂", "质量"))
        form = {"csrf_token": self.token, "version": version[1], "mode": "words",
                "block": f"{word} — слово"}  # fmt: skip
        # a word already in the lesson (422) or a concurrent edit (409) is an answer, not a fault
        with self.client.post(LESSON + "/paste", name="editor paste", data=form,
                              catch_response=True) as reply:  # fmt: skip
            if reply.status_code in (409, 422):
                reply.success()
        self.client.post("/author/c/business-chinese-1/publish", name="editor publish",
                         data={"csrf_token": self.token})  # fmt: skip
