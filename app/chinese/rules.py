"""Readings that dictionaries give but phrase data misses: neutral tones, names, lone words.

Each rule is a general convention of 现代汉语词典 (the standard dictionary of Mandarin) or of
GB/T 16159, never a list of sentences:

* a locative after a noun is neutral: 名片上 míngpiàn shang, 车间里 chējiān li; 上 after an
  abstract noun means "in terms of" and keeps its tone: 历史上 lìshǐ shàng, 意义上;
* a reduplicated one-syllable verb has a neutral second syllable: 尝尝 chángchang, and 一
  between the two is neutral too: 扫一扫 sǎo yi sǎo;
* 多少 asking "how many" is duōshao; as the adverb "more or less" (多少有点) and after a
  negation ("not much": 没有多少人) duōshǎo;
* 都 as a word of its own is the adverb dōu (我把密码都改掉); dū only inside words (首都, 成都);
* 调到 a value is tiáo "adjust" (调到百分之百), not diào "transfer" (调到北京);
* 没 as a word of its own is méi (mò only inside 没收, 淹没 …); 少 on its own is shǎo;
  谁 is shéi (现代汉语词典 gives shuí as the variant); 为 on its own is the preposition wèi;
* 个 as a measure word keeps its tone after a numeral (一个 yī gè, 半个 bàn gè), as the
  course files write it (after 这/那 it is neutral, as CC-CEDICT writes: zhège);
* a two-syllable directional complement after a one-syllable verb is neutral, both syllables
  (拿下来 ná xialai, 走过去 zǒu guoqu); 上 before a school is the verb (上初中 shàng);
* a surname takes its surname reading (单 Shàn, 曾 Zēng, 仇 Qiú: ``names.SURNAME_READINGS``);
* the part of speech a position forces (``_lone_rules``): a one-syllable verb before its
  complement (撒在 sǎ, 粘在 zhān, 铺上 pū, 刨出 páo); a particle ending a sentence is neutral
  (吧 ba, 哦 o, 哩 li, 咯 lo); 将, 相, 观 ending a clause are nouns (参将 jiàng, 国相 xiàng,
  白云观 guàn), since as jiāng, xiāng, guān they govern what follows; 应 before a verb is the modal
  yīng; 尽 on its own is jìn; after 所 a verb (所藏 cáng); 哄 before a person hǒng; 涌 ending a
  place name chōng; 传 ending a book's title zhuàn (《水浒传》); 还给 + a person + a verb is
  hái gěi ("also ... for"), not huán gěi ("give back");
* 得 between a verb and an adjective or degree adverb is the particle de (发展得很快, 写得清楚);
* 为 between a subject and a person or body, then a verb, is the preposition wèi "for"
  (我们为代表团准备了接风宴); after a verb or in 以…为 it is the copula wéi;
* 过 after a verb is the aspect particle "have done", neutral (学过 xuéguo, 检查过 jiǎncháguo:
  ``grammar.experiential``), but the complement guò after a verb of crossing (走过, 跳过).

``resegment`` mends two segmentation habits before any reading is chosen: a word that jieba's
dictionary lacks but CC-CEDICT has is joined (占线, 点赞), and 没 is cut off a word when what
follows makes a listed word (没收到 is 没 收到, "not received", not 没收 "confiscate"); an adverb
and a modal are not joined (都 会, not 都会 dūhuì "metropolis"). ``boundaries.py`` then
redraws boundaries that the following word decides.
"""

from __future__ import annotations

from app.chinese import boundaries, grammar, lexicon
from app.chinese.names import SURNAME_READINGS, Name


def N_(message: str) -> str:  # noqa: N802 - the conventional name of a gettext marker
    """Mark an English string for translation where it is shown (extracted with ``-k N_``)."""
    return message


#: Reasons a reading was chosen, shown to authors (translated in the interface).
PHRASE = N_("dictionary phrase")
DEFAULT = N_("the character's commonest reading")
MODEL = N_("context model")
SURNAME = N_("a surname's reading")
LOCATIVE = N_("a locative after a noun is neutral")
REDUPLICATED = N_("a repeated verb: the second syllable is neutral")
V_YI_V = N_("一 between a repeated verb is neutral")
HOW_MANY = N_("多少 asking how many: duōshao")
MORE_OR_LESS = N_("多少 meaning more or less: duōshǎo")
MEI = N_("没 as a word of its own: méi")
SHAO = N_("少 as a word of its own: shǎo")
SHEI = N_("谁 is read shéi (现代汉语词典)")
WEI_ALONE = N_("为 on its own: the preposition wèi")
GE = N_("个 after a numeral keeps its tone")
MUST = N_("得 between a subject and a verb: the modal děi")
COMPARISON = N_("in a comparison: the adjective cháng")
TRADE = N_("行 as the place of business: háng")
PLANT = N_("种 before its object: the verb zhòng")
CUT = N_("切 as a word of its own: the verb qiē")
LOOK_AFTER = N_("看 meaning to look after: kān")
IN_TERMS_OF = N_("上 after an abstract noun means 'in terms of': shàng")
#: Abstract nouns after which 上 means "in terms of, as regards" (历史上, 意义上), read shàng as
#: the dictionaries write the lexicalised ones (事实上, 实际上, 基本上 shìshíshàng …).
_ASPECTS = frozenset(
    [
        "历史",
        "意义",
        "事实",
        "理论",
        "原则",
        "本质",
        "实际",
        "基本",
        "表面",
        "名义",
        "政治",
        "经济",
        "文化",
        "技术",
        "法律",
        "思想",
        "组织",
        "传统",
        "客观",
        "主观",
        "总体",
        "整体",
        "程度",
        "形式",
        "性质",
        "结构",
        "功能",
        "概念",
        "制度",
        "体制",
        "财务",
        "心理",
        "生理",
    ]
)
ATTEND = N_("上 before a school: the verb shàng, to attend")
#: Schools one attends (上初中 shàng chūzhōng): after a person 上 is the verb, not a locative.
_ATTENDED = frozenset(
    ["小学", "中学", "初中", "高中", "大学", "幼儿园", "托儿所", "研究生", "大专", "中专", "夜校"]
)
DIRECTION = N_("a directional complement after a verb is neutral (ná xialai)")
COMPLEMENTED = N_("before a complement: the verb (撒 sǎ, 粘 zhān, 铺 pū, 刨 páo)")
FINAL_PARTICLE = N_("at the end of a sentence: the particle (吧 ba, 哦 o, 哩 li, 咯 lo)")
CLAUSE_NOUN = N_("ending a clause, not before a verb: the noun (将 jiàng, 相 xiàng, 观 guàn)")
MODAL_YING = N_("应 before a verb: the modal yīng")
ENTIRELY = N_("尽 on its own: jìn, all, to the utmost")
AFTER_SUO = N_("after 所: the verb")
COAX = N_("哄 before a person: hǒng, to coax")
STREAM = N_("涌 ending a place name: chōng, a stream")
TITLE = N_("传 ending a book's title: zhuàn, a biography or commentary")
ALSO = N_("还给 before a person who then acts: the adverb hái")
HALO = N_("晕 before a locative: the noun yùn, a halo")
FILL = N_("盛 before what fills the bowl: the verb chéng")
DAZED = N_("蒙 after a verb: mēng, dazed")
SHOUT = N_("喝 before 一声: hè, to shout")
NEXT_TO = N_("挨 after 紧: āi, right next to")
DEGREE_DE = N_("得 between a verb and how it is done: the particle de")
FOR = N_("为 before whom an action is for: the preposition wèi")
EXPERIENCED = N_("过 after a verb: the aspect particle guo (have done)")
#: Direction words that make a following 边 the neutral locative suffix (西南边 xīnán·bian).
_DIRECTIONS = frozenset(["东南", "西南", "东北", "西北", "南", "北", "东", "西", "旁", "这", "那"])
#: One-character verbs whose reading a complement right after them settles (现代汉语词典):
#: 撒 sǎ "scatter" (撒在地上; sā "let go" takes an object: 撒网, 撒手), 粘 zhān "stick to"
#: (粘在墙上; nián is the adjective "sticky"), 铺 pū "spread" (铺上; pù is a shop), 刨 páo
#: "dig" (刨出, 刨坑; bào is the carpenter's plane).
_COMPLEMENTED = {
    "撒": ("sa3", set("上在下到满入进遍")),
    "粘": ("zhan1", set("在上到住着")),
    "铺": ("pu1", set("上在满开成")),
    "刨": ("pao2", set("出开塌坑土掉起")),
}
#: Sentence-final particles (现代汉语词典's 助词 readings), neutral after what they end.
_FINAL_PARTICLES = {"哦": "o5", "哩": "li5", "咯": "lo5", "吧": "ba5"}
#: Characters that are a noun when they end a clause (nothing follows for the verb or
#: adverb reading to govern): 参将 jiàng "a general", 国相 xiàng "a chancellor", 白云观 guàn
#: "a Taoist temple". As jiāng, xiāng, guān they always precede what they govern.
_CLAUSE_NOUNS = {"将": "jiang4", "相": "xiang4", "观": "guan4"}
#: What makes a lone 尽 jǐn "give priority to, furthest" (尽着, 尽先, 尽里头, 尽底下).
_JIN_BEFORE = {"着", "先", "前", "里", "里头", "底下", "后头"}
#: What follows 涌 chōng in a place name (Cantonese 涌 "stream": 麻涌, 鸭涌河, 东涌村).
_PLACE_AFTER = set("河村镇区口站尾头边两")
#: What 还给 is followed by when 还 is the adverb "also" and 给 the preposition: the person
#: and then what is done for them (还给他们做培训 hái gěi ... zuò).
_PERSON_TAGS = ("r", "n", "nr")
DOU = N_("都 as a word of its own: the adverb dōu (dū only in words: 首都, 成都)")
ADJUST = N_("调到 a value: tiáo (adjust), not diào (transfer)")
#: What may follow 调到 when it sets a value (调到百分之百, 调到最大).
_TO_A_VALUE = set("零〇一二三四五六七八九十百千万两几半最0123456789")
#: What one looks after (看 kān, 现代汉语词典: 守护照料): 看孩子, 看门, 看家.
#: Not 老人: 看老人 is kàn "visit" (去看老人), as 看朋友.
_LOOKED_AFTER = {"孩子", "小孩", "小孩儿", "门", "家", "摊", "仓库", "病人"}
#: Rules of ``grammar.py`` (marked here so that they are translated too).
GRAMMAR = (
    N_("after a degree adverb: an adjective"),
    N_("after a numeral or demonstrative: a measure word"),
    N_("before an aspect particle or complement: a verb"),
    N_("after a pronoun or adverb, before a verb: the modal děi"),
    N_("between a modifier and a verb: the particle de"),
    N_("before a pronoun or after an adverb: the preposition wèi"),
    N_("before a degree complement: the particle de"),
    N_("after 在/正在: a verb"),
    N_("before a pronoun: the verb jiāo"),
    N_("with a degree complement: tiáo"),
    N_("with a direction: diào"),
    N_("before a number: a verb"),
    N_("before 一下 or a particle: the verb shǔ"),
    N_("before a number: the noun shù"),
    N_("before 带/扣: the verb jì"),
    N_("after 得/不 at the end: liǎo"),
    N_("before a result: the verb nòng"),
)

_NOUN_TAGS = ("n", "ns", "nz", "nt", "ng", "nr", "s")
_PARTICLES = set("了着过的地得吗呢吧啊呀嘛")
#: Verbs and prepositions of place: 在 X 上 is a locative whatever X's part of speech.
_PLACING = {"在", "到", "从", "放在", "写在", "挂在", "贴在", "留在", "坐在", "住在", "往"}
_NUMERALS = set("零〇一二三四五六七八九十百千万亿两几半")
#: After 多少 these make it the adverb "more or less".
_ADVERBIAL_AFTER = {
    "有", "有点", "有点儿", "有些", "会", "也", "都", "还", "带", "受", "能", "可以", "了解",
    "知道", "懂", "影响", "改变", "增加", "减少", "提高",
}  # fmt: skip


def resegment(words: list[str], lex: lexicon.Lexicon) -> list[str]:
    """Mend the segmentation of one Han run (see the module docstring)."""
    from app.chinese.levels import hsk_level

    out: list[str] = []
    for word in words:
        if out:
            last = out[-1]
            pair = last + word
            if (
                len(last) == 1
                and len(word) == 1
                and word not in _PARTICLES
                and last not in _PARTICLES
                and lex.tag(pair) == ""
                and lex.words.get(pair) is None
                and lex.in_cedict(pair)
                and not (last in _ADVERBS and _modal_or_verb(word, lex))
            ):
                out[-1] = pair
                continue
            if (
                len(last) == 2
                and last[0] == "没"
                and (lex.phrases.get(last) or "").startswith("mo4")
                and hsk_level(last[1] + word[0]) is not None
            ) and (len(word) == 1 or lex.words.get(word[1:]) is not None):
                out[-1:] = ["没", last[1] + word[:1]]
                if len(word) > 1:
                    out.append(word[1:])
                continue
            if last == "免" and word == "贵姓":
                # 免贵姓王 "no 贵 needed, my surname is Wang": 贵 and 姓 are words of their own
                out.extend(["贵", "姓"])
                continue
            if _potential_complement(last, word, lex):
                out[-1] = pair
                continue
        out.append(word)
    return boundaries.mend(out, lex)


#: Adverbs that jieba leaves alone before a modal or a verb, though CC-CEDICT joins the two
#: into a noun: 都会 "metropolis" (dūhuì) is 都 会 "all will" (dōu huì) in 我们都会来.
_ADVERBS = set("都也就才还再又只")


def _modal_or_verb(word: str, lex: lexicon.Lexicon) -> bool:
    return word in lex.verbs or lex.tag(word, "").startswith("v")


def _potential_complement(verb: str, rest: str, lex: lexicon.Lexicon) -> bool:
    """Whether a one-syllable verb and 不/得 + complement are one dictionary word that jieba cut
    (找 不到 is 找不到 zhǎobudào: CC-CEDICT writes its 不 neutral, GB/T 16159 joins it)."""
    return (
        len(verb) == 1
        and len(rest) == 2
        and rest[0] in "不得"
        and lex.words.get(verb + rest) is None
        and lex.in_cedict(verb + rest)
    )


def apply(
    text: str,
    runs: list[list[tuple[str, int]]],
    readings: list[str | None],
    names: tuple[Name, ...] | list[Name],
    lex: lexicon.Lexicon,
) -> dict[int, tuple[str, str]]:
    """Readings the rules above set: index -> (reading, reason)."""
    out: dict[int, tuple[str, str]] = {}
    for name in names:
        if name.surname is not None and text[name.surname] in SURNAME_READINGS:
            out[name.surname] = (SURNAME_READINGS[text[name.surname]], SURNAME)
    for run in runs:
        texts = [w for w, _ in run] + [None, None]
        start = run[0][1]
        for i, (word, at) in enumerate(run):
            context = (texts[i - 2] if i >= 2 else None, texts[i - 1] if i else None)
            # what the run says before the word (the comparison rule of 长 and 为 read it)
            clause = text[start:at] if word in ("长", "为") else ""
            around = (*context, texts[i + 1], texts[i + 2], clause)
            _word_rules(word, at, around, readings, lex, out)
            _lone_rules(text, word, at, around, run[i + 1 :], lex, out)
    return out


def _lone_rules(
    text: str,
    word: str,
    at: int,
    context: tuple,
    rest: list[tuple[str, int]],
    lex: lexicon.Lexicon,
    out: dict[int, tuple[str, str]],
) -> None:
    """Rules for characters that the part of speech their neighbours force settles (see
    ``_COMPLEMENTED`` and the tables after it)."""
    _, prev, nxt, _, _ = context
    head = word[0]
    if head in _COMPLEMENTED and len(word) <= 2 and (len(word) == 1 or word not in lex.phrases):
        reading, complements = _COMPLEMENTED[head]
        after = word[1] if len(word) == 2 else (nxt[0] if nxt else None)
        if after in complements:
            out[at] = (reading, COMPLEMENTED)
    for k, ch in enumerate(word):
        if ch == "喝" and text.startswith("一声", at + k + 1):
            out[at + k] = ("he4", SHOUT)
        elif ch == "挨" and text[at + k - 1 : at + k] == "紧":
            out[at + k] = ("ai1", NEXT_TO)
    if word[-1] == "边" and word[:-1] in _DIRECTIONS and word not in lex.phrases:
        out[at + len(word) - 1] = ("bian5", LOCATIVE)
    if len(word) != 1:
        if word == "还给" and _acts_after(rest, lex) and "把" not in text[:at]:
            out[at] = ("hai2", ALSO)
        return
    if word in _FINAL_PARTICLES and prev and nxt is None:
        out[at] = (_FINAL_PARTICLES[word], FINAL_PARTICLE)
    elif word in _CLAUSE_NOUNS and prev and nxt is None and prev[-1] not in _NUMERALS:
        out[at] = (_CLAUSE_NOUNS[word], CLAUSE_NOUN)
    elif word == "应" and nxt and lex.tag(nxt, "").startswith("v"):
        out[at] = ("ying1", MODAL_YING)
    elif word == "尽" and nxt not in _JIN_BEFORE:
        out[at] = ("jin4", ENTIRELY)
    elif word == "藏" and prev == "所":
        out[at] = ("cang2", AFTER_SUO)
    elif word == "哄" and nxt and (nxt in _PRONOUN_WORDS or lex.tag(nxt, "") == "nr"):
        out[at] = ("hong3", COAX)
    elif word == "涌" and prev and (nxt is None or nxt[0] in _PLACE_AFTER):
        out[at] = ("chong1", STREAM)
    elif word == "晕" and nxt in ("中", "里", "里面", "内", "之中"):
        out[at] = ("yun4", HALO)
    elif word == "盛" and nxt and lex.tag(nxt, "") == "n" and prev not in _DEGREE_WORDS:
        out[at] = ("cheng2", FILL)
    elif word == "蒙" and prev in ("搞", "弄", "吓", "打", "听", "看", "整"):
        out[at] = ("meng1", DAZED)
    elif word == "传" and text[at + 1 : at + 2] in ("》", "·") and "《" in text[:at]:
        out[at] = ("zhuan4", TITLE)


def _acts_after(rest: list[tuple[str, int]], lex: lexicon.Lexicon) -> bool:
    """Whether what follows 还给 in the run is a person and then a verb (还给他们做培训)."""
    words = [w for w, _ in rest]
    if not words or not (words[0] in _PRONOUN_WORDS or lex.tag(words[0], "").startswith("n")):
        k = 0
        while k < len(words) and not lex.tag(words[k], "").startswith(_PERSON_TAGS):
            k += 1
        words = words[k:]
    return any(lex.tag(w, "").startswith("v") for w in words[1:])


def _word_rules(
    word: str,
    at: int,
    context: tuple,
    readings: list[str | None],
    lex: lexicon.Lexicon,
    out: dict[int, tuple[str, str]],
) -> None:
    before_prev, prev, nxt, after_next, context_text = context
    after_next_is_verb = (
        bool(nxt) and lex.tag(nxt, "").startswith("n") and lex.tag(after_next, "").startswith("v")
    )
    long_enough = prev and (len(prev) >= 2 or before_prev in _PLACING)
    if word in ("上", "里") and long_enough and prev[-1] not in _NUMERALS:
        tag = lex.tag(prev, "")
        # a word only CC-CEDICT lists (tagged ""): mostly nouns jieba lacks (年会 niánhuì)
        listed_only = tag == "" and lex.in_cedict(prev)
        noun = (tag.startswith(_NOUN_TAGS) and tag not in ("nr", "nrt")) or listed_only
        placed = before_prev in _PLACING and not tag.startswith(("d", "p", "c", "u", "r", "m", "q"))
        # a verbal noun or what jieba tags an adjective opening the clause (展览上有…, 合同里写…)
        topic = before_prev is None and len(prev) >= 2 and tag in ("v", "vn", "a") and bool(nxt)
        if word == "上" and nxt in _ATTENDED:
            out[at] = ("shang4", ATTEND)
        elif word == "上" and (prev in _ASPECTS or prev.endswith(("性", "义", "论"))):
            out[at] = ("shang4", IN_TERMS_OF)
        elif (noun or placed or (topic and nxt[0] not in _PARTICLES)) and prev not in lex.proper:
            out[at] = ("shang5" if word == "上" else "li5", LOCATIVE)
    elif word in boundaries.DIRECTIONAL and prev and _directed(prev, lex):
        out[at] = (readings[at][:-1] + "5", DIRECTION)
        out[at + 1] = (readings[at + 1][:-1] + "5", DIRECTION)
    elif word == "多少":
        if nxt in _ADVERBIAL_AFTER or prev in ("没", "没有", "并没有", "不"):
            out[at + 1] = ("shao3", MORE_OR_LESS)
        else:
            out[at + 1] = ("shao5", HOW_MANY)
    elif word == "没" and (nxt is None or nxt[0] not in "了"):
        out[at] = ("mei2", MEI)
    elif word == "少" and not (prev and prev[-1] in "老年") and nxt not in ("爷", "奶奶", "女"):
        out[at] = ("shao3", SHAO)
    elif word == "得" and prev and nxt and _subject(prev, lex) and _verb(nxt, lex):
        out[at] = ("dei3", MUST)
    elif word == "得" and prev and nxt and _verb(prev, lex) and _how(nxt, lex):
        out[at] = ("de5", DEGREE_DE)
    elif word == "长" and prev in ("要", "还要", "更", "还", "都") and "比" in context_text:
        out[at] = ("chang2", COMPARISON)
    elif word == "行" and nxt in ("里", "长", "内", "业"):
        out[at] = ("hang2", TRADE)
    elif word == "种" and nxt and lex.tag(nxt, "").startswith("n") and len(nxt) >= 2:
        if not (prev and (prev[-1] in _NUMERALS or prev[-1] in "这那哪每各某该此")):
            out[at] = ("zhong4", PLANT)
    elif word == "切" and nxt and nxt not in ("都", "的"):
        out[at] = ("qie1", CUT)
    elif word == "看" and nxt in _LOOKED_AFTER and after_next is None:
        out[at] = ("kan1", LOOK_AFTER)
    elif word == "都" and not _inside_a_name(prev, nxt):
        out[at] = ("dou1", DOU)
    elif word == "调" and nxt == "到" and after_next and after_next[0] in _TO_A_VALUE:
        out[at] = ("tiao2", ADJUST)
    if len(word) == 2 and word[0] == "切" and word not in lex.phrases:
        out[at] = ("qie1", CUT)
    elif word == "谁":
        out[at] = ("shei2", SHEI)
    elif word == "过" and grammar.experiential(prev, nxt, lex):
        out[at] = ("guo5", EXPERIENCED)
    elif (
        len(word) in (2, 3)
        and word[-1] == "过"
        and not lex.in_cedict(word)
        and (len(word) == 2 or word[0] in "没未")
        and grammar.experiential(word[-2], nxt, lex)
    ):
        out[at + len(word) - 1] = ("guo5", EXPERIENCED)  # 去过, and 没吃过 jieba joins
    elif word == "为" and prev is None and (nxt is None or after_next_is_verb):
        out[at] = ("wei4", WEI_ALONE)
    elif word == "为" and _for_whom(prev, nxt, after_next, context_text, lex):
        out[at] = ("wei4", FOR)
    pair = word[:2]
    doubled = len(word) == 2 or (len(word) == 3 and word[2] in "吧了呢啊吗看")
    if (
        doubled
        and pair[0] == pair[1]
        and pair[0] in lex.verbs
        and not _reduplicated_word(pair, lex)
    ):
        first = (lex.chars.get(pair[0]) or (readings[at],))[0]
        if first and not first.endswith("5"):
            out[at] = (first, REDUPLICATED)
            out[at + 1] = (first[:-1] + "5", REDUPLICATED)
    if len(word) == 1 and prev == word and word in lex.verbs:
        first = readings[at - 1]
        if first and readings[at] == first:
            out[at] = (first[:-1] + "5", REDUPLICATED)
    if len(word) == 3 and word[1] == "一" and word[0] == word[2]:
        out[at + 1] = ("yi5", V_YI_V)
    if word == "一" and prev and nxt and prev == nxt and len(prev) == 1:
        out[at] = ("yi5", V_YI_V)
    for k, ch in enumerate(word):
        if ch == "个" and readings[at + k] == "ge5" and k and word[k - 1] in _NUMERALS:
            out[at + k] = ("ge4", GE)
    if word == "个" and prev and prev[-1] in _NUMERALS and readings[at] == "ge5":
        out[at] = ("ge4", GE)


#: Verbs after which 上来, 过去 … keep their tones: modals, 是/有/在, and 请, 让 before a verb
#: (请进来 qǐng jìnlai: 进来 is the verb 请 asks for, not a complement).
_NOT_DIRECTED = set("是有在要会能想请让叫该得")


def _directed(prev: str, lex: lexicon.Lexicon) -> bool:
    """Whether a directional word after ``prev`` is its complement: ``prev`` is a one-syllable
    verb (拿下来 ná xialai, 走过去 zǒu guoqu, 站起来 zhàn qilai)."""
    return len(prev) == 1 and prev in lex.verbs and prev not in _NOT_DIRECTED


def _pronoun_words() -> frozenset[str]:
    from app.chinese.grammar import PRONOUNS

    return frozenset(PRONOUNS)


_PRONOUN_WORDS = _pronoun_words()
_DEGREE_WORDS = frozenset(["很", "太", "更", "最", "极", "非常", "十分", "比较", "越来越"])


def _inside_a_name(prev: str | None, nxt: str | None) -> bool:
    """Whether a lone character sits among lone characters that are no pronoun: likely part
    of a name segmentation did not know (昂果都理巴颜), left to the context model."""
    from app.chinese.grammar import PRONOUNS

    return bool(prev and nxt) and len(prev) == len(nxt) == 1 and prev not in PRONOUNS


def _reduplicated_word(pair: str, lex: lexicon.Lexicon) -> bool:
    """Whether a doubled character is a word of its own with a full second tone (偷偷 tōutōu,
    常常, 等等 "and so on"), not a verb said twice."""
    if lex.tag(pair) in ("u", "d", "a", "z"):
        return True
    reading = lex.phrases.get(pair)
    return lex.in_cedict(pair) and bool(reading) and not reading.endswith("5")


def _subject(word: str, lex: lexicon.Lexicon) -> bool:
    """Whether a word can be the subject before a modal 得: a noun or a pronoun."""
    from app.chinese.grammar import PRONOUNS

    return word in PRONOUNS or (len(word) >= 2 and lex.tag(word, "").startswith(("n", "r")))


def _how(word: str, lex: lexicon.Lexicon) -> bool:
    """Whether a word after verb + 得 is a degree complement: an adjective or a degree adverb
    (发展得很快 fāzhǎn de hěn kuài, 写得清楚), not the verb 得 governs (得到 is one word)."""
    from app.chinese.grammar import DEGREE_ADVERBS

    if word.startswith(tuple(DEGREE_ADVERBS)) or word.startswith(("不", "太")):
        return True
    if word in ("怎么样", "怎样", "如何"):
        return True  # 学得怎么样 asks after the complement
    return lex.tag(word, "").startswith("a")


#: What before 为 in a clause makes it the copula wéi: 以客户为中心, 被评为, 把他视为.
_COPULA_FRAMES = set("以被把将")


def _for_whom(prev, nxt, after_next, clause: str, lex: lexicon.Lexicon) -> bool:
    """Whether 为 between a subject and a person or body, then a verb, is the preposition wèi
    "for" (我们为代表团准备了, 公司为员工提供): the copula wéi follows a verb (翻译为) or a
    frame (以…为); 作为, 成为, 认为 are words of their own."""
    from app.chinese.grammar import PRONOUNS

    if not (prev and nxt and after_next) or any(ch in _COPULA_FRAMES for ch in clause):
        return False
    subject = prev in PRONOUNS or lex.tag(prev, "").startswith(("n", "r", "d"))
    whom = nxt in PRONOUNS or lex.tag(nxt, "").startswith(("n", "r"))
    return subject and whom and lex.tag(after_next, "").startswith("v")


def _verb(word: str, lex: lexicon.Lexicon) -> bool:
    """Whether a word is a verb that a modal 得 can govern (not 了, 到 … of a complement)."""
    if word[0] in "了到出过着很太真好不" or word[0] in _NUMERALS:
        return False
    return word in lex.verbs or lex.tag(word, "").startswith("v")
