"""Taught before used: construction patterns, first-taught lessons and the untaught uses."""

from pathlib import Path as FilePath

import pytest

from app.content.curriculum import (
    Construction,
    GrammarList,
    LessonText,
    Path,
    Token,
    chinese_tokens,
    compile_pattern,
    detect,
    exercise_texts,
    load_grammar,
    unknown_pieces,
)

GRAMMAR = FilePath(__file__).resolve().parents[2] / "courses" / "grammar.yaml"


def toks(spec: str) -> list[Token]:
    """'我/r 在/p 开会/v 。' → tokens (a `!` after the tag marks a name)."""
    out = []
    for part in spec.split():
        text, _, tag = part.partition("/")
        out.append(Token(text, tag.rstrip("!"), tag.endswith("!")))
    return out


def construction(cid: str, *patterns: str, lesson: str | None = "c/one", words=()) -> Construction:
    return Construction(id=cid, ru="—", lesson=lesson, patterns=list(patterns), words=list(words))


PROGRESSIVE = construction("zai-progressive", "正在", "在 @v")
SHI_DE = construction("shi-de", "是 ... @v 的 @end")


@pytest.mark.parametrize(
    ("spec", "found"),
    [
        ("我/r 在/p 开会/v 。", True),
        ("他/r 正在/d 工作/vn", True),
        ("他/r 在/p 会议室/n 开会/v 。", False),  # 在 before a place: the preposition
        ("李经理/nr 现在/t 不/d 在/p 。", False),  # 在 "is here" at the clause end
        ("我/r 在/p 我/r 这儿/r 。", False),
    ],
)
def test_progressive_zai_only_before_a_verb(spec, found):
    assert (detect("", toks(spec), [PROGRESSIVE]) == {"zai-progressive"}) is found


@pytest.mark.parametrize(
    ("spec", "found"),
    [
        ("我/r 是/v 坐/v 高铁/n 来/v 的/uj 。", True),
        ("票/n 是/v 用/p 护照/n 买/v 的/uj 。", True),
        ("这/r 是/v 我/r 的/uj 。", False),  # possessive
        ("这/r 是/v 新/a 的/uj 。", False),
        ("这/r 是/v 我们/r 做/v 的/uj 产品/n 。", False),  # 的 before a noun
        ("我/r 是/v 经理/n 。/x 他/r 来/v 的/uj 。", False),  # 是 in another clause
    ],
)
def test_shi_de_is_conservative(spec, found):
    assert (detect("", toks(spec), [SHI_DE]) == {"shi-de"}) is found


def test_regex_patterns_of_the_shipped_list():
    grammar, issues = load_grammar(GRAMMAR)
    assert issues == [] and grammar is not None
    items = {c.id: c for c in grammar.constructions}

    def found(text: str) -> set[str]:
        return detect(text, [], [items[i] for i in ("le-final", "le-perfective", "tai-le")])

    assert found("太贵了！") == {"tai-le"}
    assert found("他来了。") == {"le-final"}
    assert found("我吃了饭。") == {"le-perfective"}
    assert found("您打错了。") == set()  # a set phrase, taught as a word
    assert found("我了解，为了合作。") == set()
    assert detect("我们都很忙。首都", [], [items["dou"]]) == {"dou"}
    assert detect("首都", [], [items["dou"]]) == set()
    assert detect("再见！", [], [items["zai-again"]]) == set()
    assert detect("两台设备", [], [items["measure-words"]]) == {"measure-words"}


def test_malformed_patterns_are_refused():
    for bad in ("...", "re:(", "@", "abc"):
        with pytest.raises(ValueError):
            compile_pattern(bad)
    with pytest.raises(ValueError, match="course/lesson"):
        construction("x", "了", lesson="no-slash")
    with pytest.raises(ValueError, match="duplicate"):
        GrammarList(path=["c"], constructions=[construction("x", "了"), construction("x", "的")])


def test_unknown_pieces():
    known = {"公司", "我", "不", "会议"}
    assert unknown_pieces("公司里", known | {"里"}) == []
    assert unknown_pieces("我会", known) == ["会"]
    assert unknown_pieces("对不起", known) == ["对", "起"]
    assert unknown_pieces("会议室", known) == ["室"]
    assert unknown_pieces("七万", known | set("七万")) == []
    assert unknown_pieces("七万", known) == ["七万"]


def test_exercise_texts_fill_the_gap_and_skip_russian():
    data = {
        "kind": "fill_blank",
        "prompt": "我___中国人。",
        "ru": "Я китаец.",
        "options": ["是", "在"],
    }
    data["answer"] = "是"
    assert exercise_texts(data) == ["我是中国人。", "是", "在", "是"]


def _fake_tokenizer(table: dict[str, str]):
    def tokenize(text: str) -> list[Token]:
        return toks(table.get(text, " ".join(text)))

    return tokenize


def test_path_reports_words_and_grammar_used_before_taught():
    le = construction("le", "了", lesson="c1/two", words=["了"])
    never = construction("ba", "把", lesson=None, words=["把"])
    lessons = [
        LessonText("c1", "one", vocabulary=["我", "好"], texts=["我好了", "王芳好"], glossed=set()),
        LessonText("c1", "two", vocabulary=["你"], texts=["你好了", "你把我"]),
        LessonText("c2", "three", vocabulary=[], texts=["他好"], glossed={"他"}),
    ]
    table = {
        "我好了": "我/r 好/a 了/ul",
        "王芳好": "王芳/nr! 好/a",
        "你好了": "你/r 好/a 了/ul",
        "你把我": "你/r 把/p 我/r",
        "他好": "他/r 好/a",
    }
    path = Path(lessons, [le, never], _fake_tokenizer(table))
    assert path.first_taught() == {"我": 0, "好": 0, "你": 1, "le": 1}
    uses = {(u.lesson, u.kind, u.item, u.taught_in) for u in path.untaught()}
    assert uses == {
        ("one", "grammar", "le", "c1/two"),  # 了 before its lesson, once (not as a word too)
        ("two", "grammar", "ba", None),
    }


def test_constructions_taught_off_the_path_are_listed():
    path = Path(
        [LessonText("c1", "one")], [construction("x", "了", lesson="c9/zz")], chinese_tokens
    )
    assert [c.id for c in path.missing_lessons()] == ["x"]


def test_chinese_tokens_tag_verbs_and_names():
    tokens = [t for t in chinese_tokens("李经理在开会。") if t.is_han]
    assert tokens[0].name and tokens[1].text == "在" and tokens[2].tag.startswith("v")
