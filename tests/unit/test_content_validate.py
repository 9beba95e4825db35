"""Validation of course files: every error at once, as file:line: field: message."""

from pathlib import Path

import pytest

from app.content.validate import validate_tree
from tests.content_fixtures import COURSE_YAML, LESSON_YAML, write_course


def _errors(root: Path) -> list[str]:
    return [str(issue) for issue in validate_tree(root).errors]


def _line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def test_tiny_course_is_valid(tmp_path):
    write_course(tmp_path)
    result = validate_tree(tmp_path)
    assert result.errors == []
    assert [c.course.slug for c in result.courses] == ["tiny"]
    assert result.courses[0].lessons[0].lesson.vocabulary[0].pinyin == "nǐ hǎo"


def test_missing_and_unknown_fields(tmp_path):
    lesson = LESSON_YAML.replace("    pos: verb\n", "    pos: verb\n    tittle: x\n").replace(
        "title: Приветствие\n", ""
    )
    folder = write_course(tmp_path, lesson)
    path = folder / "hello.yaml"
    errors = _errors(tmp_path)
    assert f"{path}:1: title: required field is missing" in errors
    assert (
        f"{path}:{_line_of(lesson, '    tittle: x')}: vocabulary[1].tittle: unknown field" in errors
    )


def test_item_without_hanzi_and_latin_hanzi(tmp_path):
    lesson = LESSON_YAML.replace("  - hanzi: 谢谢\n", "  - hanzi: xiexie\n")
    folder = write_course(tmp_path, lesson)
    errors = _errors(tmp_path)
    line = _line_of(lesson, "  - hanzi: xiexie")
    assert (
        f"{folder / 'hello.yaml'}:{line}: vocabulary[1].hanzi: must contain Chinese characters (hanzi)"
        in errors
    )


def test_pinyin_syllable_count(tmp_path):
    lesson = LESSON_YAML.replace("    pinyin: nǐ hǎo\n", "    pinyin: nǐ\n")
    folder = write_course(tmp_path, lesson)
    errors = _errors(tmp_path)
    assert any(
        e.startswith(f"{folder / 'hello.yaml'}:9: vocabulary[0].pinyin: ")
        and "pinyin has 1 syllables but the hanzi has 2 characters" in e
        for e in errors
    ), errors


def test_four_character_idioms_may_be_hyphenated_in_halves(tmp_path):
    """GB/T 16159-2012 writes a four-character idiom as two linked halves: lǐshàng-wǎnglái."""
    lesson = LESSON_YAML.replace(
        "  - hanzi: 银行\n",
        "  - hanzi: 礼尚往来\n    pinyin: lǐshàng-wǎnglái\n    ru: учтивость требует взаимности\n"
        "    pos: phrase\n  - hanzi: 银行\n",
    )
    write_course(tmp_path, lesson)
    assert _errors(tmp_path) == []
    lesson = lesson.replace("lǐshàng-wǎnglái", "lǐshàng-wǎng")
    write_course(tmp_path, lesson)
    assert any("pinyin has 3 syllables but the hanzi has 4" in e for e in _errors(tmp_path))


def test_answer_not_among_options(tmp_path):
    lesson = LESSON_YAML.replace("    answer: здравствуйте\n", "    answer: привет\n")
    folder = write_course(tmp_path, lesson)
    errors = _errors(tmp_path)
    assert any(
        f"{folder / 'hello.yaml'}:" in e
        and "exercises[0]" in e
        and "'привет' is not among the options" in e
        for e in errors
    ), errors


def test_scenario_needs_an_explanation(tmp_path):
    lesson = LESSON_YAML.replace("    explanation: Так проявляют уважение.\n", "")
    write_course(tmp_path, lesson)
    assert any(
        "exercises[1].explanation: required field is missing" in e for e in _errors(tmp_path)
    )


def test_raw_html_in_markdown(tmp_path):
    lesson = LESSON_YAML.replace(
        "  Текст урока.\n", "  Текст урока.\n\n  <script>alert(1)</script>\n"
    )
    folder = write_course(tmp_path, lesson)
    line = _line_of(lesson, "  <script>alert(1)</script>")
    assert (
        f"{folder / 'hello.yaml'}:{line}: body: raw HTML is not allowed in Markdown (it would be stripped)"
        in _errors(tmp_path)
    )


def test_duplicate_slugs_and_keys(tmp_path):
    course = COURSE_YAML + "  - hello\n"
    lesson = LESSON_YAML.replace("  - key: scenario\n", "  - key: meaning\n")
    folder = write_course(tmp_path, lesson, course)
    errors = _errors(tmp_path)
    assert f"{folder / 'course.yaml'}:10: lessons: duplicate 'hello' (first at line 9)" in errors
    assert any("exercises.key: duplicate 'meaning'" in e for e in errors)


def test_not_utf8(tmp_path):
    folder = write_course(tmp_path)
    (folder / "hello.yaml").write_bytes(
        LESSON_YAML.encode("utf-8") + "\nbody2: 'ой'".encode("cp1251")
    )
    errors = _errors(tmp_path)
    line = LESSON_YAML.count("\n") + 2
    assert f"{folder / 'hello.yaml'}:{line}: file is not valid UTF-8" in errors


def test_yaml_bomb_is_refused(tmp_path):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    folder = write_course(tmp_path, "slug: hello\n" + bomb)
    assert (
        f"{folder / 'hello.yaml'}:2: YAML anchors and aliases (& and *) are not allowed in course files"
        in _errors(tmp_path)
    )


def test_oversized_file(tmp_path):
    folder = write_course(tmp_path, LESSON_YAML + "#" * (600 * 1024))
    assert f"{folder / 'hello.yaml'}:1: file is larger than 512 KiB" in _errors(tmp_path)


def test_unlisted_lesson_and_missing_file(tmp_path):
    folder = write_course(tmp_path, course=COURSE_YAML + "  - goodbye\n")
    (folder / "extra.yaml").write_text("slug: extra\n", encoding="utf-8")
    errors = _errors(tmp_path)
    assert (
        f"{folder / 'course.yaml'}:10: lessons[1]: no lesson file goodbye.yaml in {folder}"
        in errors
    )
    assert f"{folder / 'extra.yaml'}:1: lesson file is not listed in course.yaml" in errors


def test_duplicate_yaml_keys(tmp_path):
    folder = write_course(
        tmp_path, LESSON_YAML.replace("title: Приветствие\n", "title: А\ntitle: Б\n")
    )
    assert f"{folder / 'hello.yaml'}:3: duplicate key 'title'" in _errors(tmp_path)


def test_all_errors_are_reported_at_once(tmp_path):
    lesson = LESSON_YAML.replace("    pinyin: nǐ hǎo\n", "    pinyin: nǐ\n").replace(
        "    answer: здравствуйте\n", "    answer: привет\n"
    )
    write_course(tmp_path, lesson, COURSE_YAML.replace("kind: language", "kind: poetry"))
    errors = _errors(tmp_path)
    assert len(errors) >= 3
    assert any("course.yaml:3: kind:" in e for e in errors)


EXTRA_EXERCISES = """\
  - key: tone
    kind: identify_tone
    prompt: 买
    answer: 3
  - key: order
    kind: word_order
    answer: 我是王经理。
    ru: Я менеджер Ван.
    tiles: [我, 是, 王, 经理]
  - key: gap
    kind: fill_blank
    prompt: 我___中国人。
    ru: Я китаец.
    options: [是, 在]
    answer: 是
  - key: typing
    kind: type_pinyin
    prompt: 谢谢
    answer: xièxie
  - key: pairs
    kind: matching
    pairs:
      - [你好, здравствуйте]
      - [谢谢, спасибо]
      - [再见, до свидания]
"""


def test_every_exercise_kind_validates(tmp_path):
    write_course(tmp_path, LESSON_YAML + EXTRA_EXERCISES)
    assert _errors(tmp_path) == []


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "    answer: 3\n",
            "    answer: 6\n",
            "exercises[2].answer: Input should be less than or equal to 5",
        ),
        (
            "tiles: [我, 是, 王, 经理]",
            "tiles: [我, 是, 经理]",
            "the tiles joined together must equal the answer",
        ),
        (
            "    prompt: 我___中国人。",
            "    prompt: 我中国人。",
            "must contain exactly one gap written as ___",
        ),
        (
            "    answer: xièxie",
            "    answer: xiè",
            "pinyin has 1 syllables but the hanzi has 2 characters",
        ),
        (
            "      - [再见, до свидания]\n",
            "",
            "exercises[6].pairs: List should have at least 3 items",
        ),
        ("    kind: matching", "    kind: crossword", "exercises[6]"),
    ],
)
def test_exercise_errors(tmp_path, old, new, message):
    lesson = LESSON_YAML + EXTRA_EXERCISES
    assert old in lesson
    write_course(tmp_path, lesson.replace(old, new))
    errors = _errors(tmp_path)
    assert any(message in e for e in errors), errors


def test_answer_not_among_options_names_a_look_alike_letter():
    from pydantic import ValidationError

    from app.content.homoglyphs import strangers
    from app.exercises.kinds.choose_meaning import ChooseMeaning

    assert [(s.position, s.char, s.script) for s in strangers("здрaвствуйте")] == [
        (4, "a", "latin")
    ]
    assert strangers("WeChat и QR-код") == []  # whole words in Latin are not strangers
    with pytest.raises(ValidationError) as caught:
        ChooseMeaning.model_validate(
            {
                "kind": "choose_meaning",
                "key": "k",
                "prompt": "你好",
                "options": ["здравствуйте", "спасибо"],
                "answer": "здрaвствуйте",
            }
        )
    (error,) = caught.value.errors()
    assert error["type"] == "answer_not_among_options"
    assert "Latin 'a' (character 4) among Cyrillic letters" in error["msg"]


def test_a_review_unit_teaches_no_words(tmp_path):
    from tests.content_fixtures import COURSE_YAML, LESSON_YAML, write_course

    write_course(tmp_path, LESSON_YAML.replace("goals:", "review: true\ngoals:"), COURSE_YAML)
    errors = [str(e) for e in validate_tree(tmp_path).errors]
    assert len(errors) == 1
    assert "vocabulary: a review unit teaches no new words" in errors[0]


def test_one_example_in_two_grammar_notes_is_refused(tmp_path):
    """An example sentence is one item of its lesson: a second note giving it again (with its
    own translation) is an error with both lines, not a crash of the import."""
    note = "  - title: Вопрос с 吗\n    body: Добавьте 吗 в конце.\n    examples:\n"
    again = "      - hanzi: 你好吗？\n        ru: Как дела?\n"
    repeated = note + again + again  # the same sentence twice in one note is kept once
    second = "  - title: Ещё раз\n    body: То же.\n    examples:\n" + again
    lesson = LESSON_YAML.replace(note + again, repeated + second)
    folder = write_course(tmp_path, lesson)
    errors = _errors(tmp_path)
    first = _line_of(lesson, "      - hanzi: 你好吗？")
    assert [e for e in errors if "grammar.examples" in e] == [
        f"{folder / 'hello.yaml'}:{first + 7}: grammar.examples: duplicate '你好吗？' "
        f"(first at line {first})"
    ]


def test_a_lesson_slug_unlike_its_file_name_is_reported_not_a_crash(tmp_path):
    folder = write_course(tmp_path, LESSON_YAML.replace("slug: hello", "slug: hullo", 1))
    errors = _errors(tmp_path)
    assert errors == [f"{folder / 'hello.yaml'}:1: slug: must equal the file name 'hello'"]
