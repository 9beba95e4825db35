"""Grammatical rules for polyphones that stand alone as words (长, 得, 数, 还 ...).

A character that segmentation leaves on its own has no phrase entry to decide it, and the
context model, trained on encyclopaedia text, reads it as Wikipedia would (长 ``zhang3`` in
这条路很长). Its neighbours usually settle the reading through the part of speech they force:

* after a degree adverb (很, 太, 非常 …) a character is an adjective: 长 cháng, 重 zhòng;
* after a numeral or demonstrative it is a measure word: 只 zhī, 种 zhǒng, 间 jiān;
* before an aspect particle, a result complement or 一下 it is a verb: 数 shǔ, 还 huán;
* after a pronoun or modal adverb, 得 before a verb is the modal děi (我得走了);
* 地 between a multi-character modifier and a verb is the adverbial particle de;
* 为 before a pronoun is the preposition wèi (为我们);
* 调 takes tiáo with a degree complement (调高) and diào with a direction (调到);
* 弄 before a result or complement is the verb nòng (弄干, 弄不清), lòng only as a lane;
* 过 after a verb is the aspect particle guo (``experiential``: 去过 qùguo), except after a
  verb of crossing (走过 zǒuguò) or one that leads to another verb (喜欢过元旦).

Each rule names the reading it gives for each character it covers, so nothing here applies to
a character it was not written for.
"""

from __future__ import annotations

NUMERALS = set("一二三四五六七八九十百千万亿两几半每这那哪某整多0123456789零")
#: Words that make the next one a measure word, like a numeral does.
DETERMINERS = set("该此本同另各")

#: Adverbs and auxiliaries after which 为 is the preposition wèi ("for"), not the copula wéi.
BEFORE_PREPOSITION = {
    "一直", "正在", "都", "也", "要", "会", "愿意", "专门", "特地", "特意", "还", "就", "没有",
    "又", "已经", "主要", "同时", "继续", "始终", "努力", "不断", "真",
}  # fmt: skip

DEGREE_ADVERBS = {
    "很", "太", "更", "最", "真", "挺", "极", "较", "越", "够", "非常", "比较", "特别", "十分",
    "相当", "多么", "这么", "那么", "越来越", "有点", "有点儿", "有些", "不太", "过于", "太过",
    "更加", "稍微", "格外", "尤其", "极其", "还要", "更为", "较为",
}  # fmt: skip

PRONOUNS = {
    "我", "你", "您", "他", "她", "它", "我们", "你们", "他们", "她们", "它们", "咱们", "大家",
    "自己", "别人", "人家", "谁",
}  # fmt: skip

MODAL_ADVERBS = {
    "也", "还", "就", "都", "总", "又", "可", "非", "却", "才", "必须", "总是", "一定", "还是",
    "恐怕", "最好", "也许", "只", "只好", "总得", "就是", "今天", "明天", "现在", "马上",
}  # fmt: skip

ADJECTIVE = {
    "长": "chang2", "重": "zhong4", "差": "cha4", "难": "nan2", "空": "kong1", "干": "gan1",
    "薄": "bao2", "少": "shao3", "好": "hao3", "假": "jia3", "大": "da4", "强": "qiang2",
    "累": "lei4", "正": "zheng4",
}  # fmt: skip

MEASURE = {
    "只": "zhi1", "种": "zhong3", "间": "jian1", "行": "hang2", "处": "chu4", "场": "chang3",
    "角": "jiao3", "幢": "zhuang4", "卷": "juan4", "圈": "quan1", "把": "ba3", "片": "pian4",
    "担": "dan4", "乘": "sheng4", "顿": "dun4", "重": "chong2",
}  # fmt: skip

VERB = {
    "数": "shu3", "种": "zhong4", "还": "huan2", "教": "jiao1", "切": "qie1", "系": "ji4",
    "盛": "cheng2", "塞": "sai1", "卡": "qia3", "称": "cheng1", "量": "liang2", "干": "gan4",
    "传": "chuan2", "中": "zhong4", "扇": "shan1", "钉": "ding4", "挣": "zheng4", "散": "san4",
    "调": "tiao2", "倒": "dao4", "差": "cha4", "长": "zhang3",
}  # fmt: skip

#: What may follow a verb directly: aspect particles and result or direction complements.
VERB_FOLLOWERS = {
    "了", "着", "过", "一下", "一下儿", "好", "完", "住", "在", "进", "到", "出", "开", "上",
    "下", "起", "走", "回", "给", "掉", "错", "清", "满", "一遍", "一次", "一点",
}  # fmt: skip

#: Characters whose verb reading a following aspect particle or complement does not settle.
#: (还 before 在, 到, 上 … is the adverb hái "still": 他还在北京; only these make it huán.)
_AMBIGUOUS_BEFORE_FOLLOWER = {
    "长": {"得", "大", "高", "出", "满"},
    "倒": set(),
    "差": set(),
    "还": {"了", "过", "完", "清", "掉", "回", "一下"},
}

_DEGREE_COMPLEMENTS = {"真", "好", "不", "不错", "快", "慢", "多", "少", "很好", "不好"}

#: What follows 弄 as a verb (弄干, 弄坏, 弄不清, 弄得): lòng is a lane (弄堂, 百福弄).
_RESULTS = set("干坏清好懂明错乱脏丢到成出来去上下了着过不得湿死断破掉哭醒")

LOCALIZERS = set("上下里中内外边面方区带点图址位产铁球震")


def _starts_with_numeral(token: str | None) -> bool:
    return bool(token) and token[0] in NUMERALS


def rule_reading(prev: str | None, char: str, next_: str | None) -> tuple[str, str] | None:
    """Return the reading that the neighbouring words force on a one-character word, if any,
    with the rule that gives it (English, for authors).

    ``prev`` and ``next_`` are the neighbouring Han words (None at a text or punctuation edge).
    """
    if prev in DEGREE_ADVERBS and char in ADJECTIVE:
        return ADJECTIVE[char], "after a degree adverb: an adjective"
    after_numeral = bool(prev) and (prev[-1] in NUMERALS or prev in DETERMINERS)
    if after_numeral and char in MEASURE:
        return MEASURE[char], "after a numeral or demonstrative: a measure word"
    special = _special(prev, char, next_)
    if special:
        return special
    if char in VERB and next_:
        allowed = _AMBIGUOUS_BEFORE_FOLLOWER.get(char)
        followers = VERB_FOLLOWERS if allowed is None else allowed
        if next_ in followers or next_ in (f"一{char}", f"了一{char}"):
            return VERB[char], "before an aspect particle or complement: a verb"
    return None


def _special(prev: str | None, char: str, next_: str | None) -> tuple[str, str] | None:
    if (
        char == "得"
        and next_
        and (prev in PRONOUNS or prev in MODAL_ADVERBS)
        and next_[0] not in "了到出过着很太真好不"
        and not _starts_with_numeral(next_)
    ):
        return "dei3", "after a pronoun or adverb, before a verb: the modal děi"
    if char == "地" and prev and len(prev) >= 2 and next_ and next_[0] not in LOCALIZERS:
        return "de5", "between a modifier and a verb: the particle de"
    if char == "为" and (next_ in PRONOUNS or prev in BEFORE_PREPOSITION):
        return "wei4", "before a pronoun or after an adverb: the preposition wèi"
    if char == "得" and prev and (next_ in DEGREE_ADVERBS or next_ in _DEGREE_COMPLEMENTS):
        return "de5", "before a degree complement: the particle de"
    if char in VERB and prev in ("在", "正在", "正") and char not in ("中", "调", "差", "倒"):
        return VERB[char], "after 在/正在: a verb"
    if char == "教" and next_ in PRONOUNS:
        return "jiao1", "before a pronoun: the verb jiāo"
    if char == "调" and next_:
        if next_[0] in "高低大小快慢亮暗":
            return "tiao2", "with a degree complement: tiáo"
        if next_[0] in "到往去回走离任":
            return "diao4", "with a direction: diào"
    if char in ("差", "倒", "盛") and _starts_with_numeral(next_):
        return VERB[char], "before a number: a verb"
    if char == "数":
        if next_ in ("一下", "一下儿", "一数", "了一数", "不清", "着", "了", "过"):
            return "shu3", "before 一下 or a particle: the verb shǔ"
        if _starts_with_numeral(next_) and next_[0] != "一":
            return "shu4", "before a number: the noun shù"
    if char == "弄" and next_ and next_[0] in _RESULTS:
        return "nong4", "before a result: the verb nòng"
    if char == "系" and next_ and next_[-1] in "带扣":
        return "ji4", "before 带/扣: the verb jì"
    if char == "了" and prev in ("得", "不") and next_ is None:
        return "liao3", "after 得/不 at the end: liǎo"
    return None


#: Verbs after which 过 is the complement "across, past" (走过马路, 跳过, 穿过), read guò: the
#: aspect particle after them would be ambiguous, so they are left to the phrase data and model.
_CROSSING = set("走跑跳飞穿越经路渡跨翻绕躲闪挤冲爬游驶通超胜度错略滑掠漂流划开转回递传闯熬挺")
#: Verbs that do not take the aspect particle 过 in the sense "have done" read in this rule:
#: the copula, modals and verbs that lead to another verb (要过年 is 要 + the verb 过).
_NOT_EXPERIENCED = set("是有在要会能想请让叫该得可应愿敢肯")
#: What the verb 过 passes or spends after a modal-like verb (准备过马路, 打算过生日).
_PASSED = {
    "一下", "头", "马路", "生日", "河", "桥", "街", "关", "夜", "期", "瘾", "元旦", "新年", "周末",
    "暑假", "寒假", "假期", "圣诞",
}  # fmt: skip
#: Verbs that lead to another verb (喜欢过元旦 "like to celebrate"): 过 after them is the verb.
_LEADING = {
    "喜欢", "爱", "准备", "打算", "计划", "决定", "开始", "希望", "愿意", "习惯", "继续", "需要",
    "应该", "必须", "可以", "想要", "得以",
}  # fmt: skip


def experiential(verb: str | None, after: str | None, lex) -> bool:
    """Whether 过 after ``verb`` is the aspect particle "have (ever) done", read neutral and
    joined to its verb (现代汉语词典 ·guo: 检查过 jiǎncháguo, 去过 qùguo, 学过 xuéguo).
    有过 and 没有过 are left to the phrase data and the model (the CPP gold set reads guò).

    ``after`` is the word that follows 过 (None at a clause end). 过来/过去 after a verb are
    directional complements (``boundaries.DIRECTIONAL``), so they never reach this rule.
    """
    if (
        not verb
        or verb in _NOT_EXPERIENCED
        or verb in _LEADING
        or verb.endswith("有")
        or verb in _CROSSING
    ):
        return False
    if after is not None and (after[0] in "来去年日" or after.endswith("节") or after in _PASSED):
        return False
    return verb in lex.verbs or lex.tag(verb, "").startswith("v")
