"""A tiny valid course, written to a temporary folder, for content tests to break on purpose."""

from __future__ import annotations

from pathlib import Path

COURSE_YAML = """\
slug: tiny
title: "Крошечный курс"
kind: language
level: "HSK 1"
audience: Все сотрудники.
description: |
  Курс для тестов.
lessons:
  - hello
"""

LESSON_YAML = """\
slug: hello
title: Приветствие
goals:
  - Поздороваться
body: |
  Текст урока.
vocabulary:
  - hanzi: 你好
    pinyin: nǐ hǎo
    ru: здравствуйте
    pos: phrase
  - hanzi: 谢谢
    ru: спасибо
    pos: verb
  - hanzi: 银行
    ru: банк
    pos: noun
dialogues:
  - key: meet
    title: Встреча
    lines:
      - speaker: Ли
        hanzi: 你好！
        ru: Здравствуйте!
      - speaker: Анна
        hanzi: 谢谢。
        ru: Спасибо.
grammar:
  - title: Вопрос с 吗
    body: Добавьте 吗 в конце.
    examples:
      - hanzi: 你好吗？
        ru: Как дела?
exercises:
  - key: meaning
    kind: choose_meaning
    prompt: 你好
    options: [здравствуйте, спасибо]
    answer: здравствуйте
  - key: scenario
    kind: scenario
    prompt: Партнёр подаёт визитку. Что делать?
    options: [Взять двумя руками, Взять одной рукой]
    answer: Взять двумя руками
    explanation: Так проявляют уважение.
"""


def write_course(root: Path, lesson: str = LESSON_YAML, course: str = COURSE_YAML) -> Path:
    folder = root / "tiny"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.yaml").write_text(course, encoding="utf-8")
    (folder / "hello.yaml").write_text(lesson, encoding="utf-8")
    return folder
