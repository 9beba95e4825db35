"""Words as pinyin writes them (GB/T 16159-2012, the course files' convention).

Segmentation (jieba's dictionary) cuts text into dictionary entries, and many entries are
phrases that pinyin orthography writes as several words: 打电话 dǎ diànhuà (verb and object),
联系方式 liánxì fāngshì (a four-syllable name split by words), 很快 hěn kuài (adverb and
adjective), 这位 zhè wèi (demonstrative and measure), 八万五千 bāwàn wǔqiān (numbers by
groups), 没关系 méi guānxi (不 and 没 before a word). Other entries are missing from jieba's
dictionary and come out as single characters that pinyin joins: 用完 yòngwán (a one-syllable
verb and its one-syllable complement), 中国人 Zhōngguórén. Names come from ``names.py``.

``pieces`` turns the segmented words of one Han run into these orthographic words. The rules
are the orthography's, applied by part of speech (jieba's tags) and the HSK word lists, which
keep a lexicalised word whole (一定, 不过, 吃饭).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.chinese import apart, grammar, lexicon

NUMERAL_CHARS = set("零〇一二三四五六七八九十百千万亿两")
_DIGITS = set("一二三四五六七八九两")
_NUMERALS = NUMERAL_CHARS | set("几半")
PRONOUNS = (
    "你们",
    "您们",
    "我们",
    "他们",
    "她们",
    "它们",
    "咱们",
    "大家",
    "你",
    "您",
    "我",
    "他",
    "她",
)
#: 这/那/哪 are joined with these (zhèxiē, nàme, zhèyàng, zhège, nàli, zhèr …), apart otherwise.
_DEMONSTRATIVE_JOINED = set("些么样般里边会个儿怕")
_DEGREE = set("很太真挺最更稍多")
#: 不 and 没 words that are words of their own, not 不/没 + a word (GB/T keeps them whole).
LEXICALISED_NEGATIONS = frozenset(
    [
        "不过",
        "不但",
        "不管",
        "不如",
        "不然",
        "不仅",
        "不论",
        "不断",
        "不必",
        "不用",
        "不错",
        "不同",
        "不久",
        "不少",
        "不安",
        "不满",
        "不幸",
        "不足",
        "不便",
        "不利",
        "不良",
        "不平",
        "不时",
        "不止",
        "不免",
        "不得不",
        "不得已",
        "不禁",
        "不料",
        "不至于",
        "不要紧",
        "不见得",
        "不敢当",
        "不由得",
        "不了",
        "不曾",
        "不顾",
        "不光",
        "不光彩",
        "不妨",
        "不愧",
        "不起",
        "不单",
        "不住",
        "不已",
        "不堪",
        "不及",
        "不料",
        "不屑",
        "不朽",
        "不对劲",
        "不好意思",
        "不客气",
        "不一定",
        "不一样",
        "不在乎",
        "不知不觉",
        "不可思议",
        "不耐烦",
        "不像话",
        "不得了",
        "不怎么",
        "不停",
        "不够",
        "不见",
        "没有",
        "没收",
        "没落",
        "没错",
        "没用",
        "没意思",
        "没什么",
        "没法",
        "没准",
        "没辙",
        "没想到",
        "没劲",
        "没完没了",
        "不要",
        "不会",
        "不能",
        "不是",
        "不许",
        "不再",
        "不得",
        "不行",
    ]
)
#: ... of which these are still written apart in the course files: the modal verbs and 是.
_NEGATED_APART = frozenset(["不要", "不会", "不能", "不是", "不许", "不再", "不得", "不行"])
#: One-syllable complements a one-syllable verb is joined with (用完 yòngwán, 打错 dǎcuò).
#: 好 is not among them: the course files write it apart (zhuāng hǎo le, jiē hǎo).
COMPLEMENTS = set("完到错懂会见住走开掉清满成对光透遍")
#: Verbs that take an object written apart (打 电话, 坐 飞机) when jieba joins them.
_OBJECT_VERBS = set("打接坐发走丢给看听写买卖开关吃喝做找换用穿送拿带骑开问说学教回去来进出上下")


@dataclass(frozen=True)
class Piece:
    """An orthographic word: its text, start in the text, and whether it is capitalised
    as a name (GB/T 16159: names of people, places, organisations)."""

    text: str
    start: int
    name: bool = False


def _listed(word: str) -> bool:
    from app.chinese.levels import hsk_level

    return hsk_level(word) is not None or hsk_level(word, "2021") is not None


def number_groups(digits: str) -> list[str]:
    """A number written in characters, split as GB/T 16159 writes it: 百, 千 (and 万, 亿 after a
    single digit) joined to the digit before them, 万 and 亿 apart after a larger number, 零
    apart: 三百五十 sānbǎi wǔshí, 八万五千 bāwàn wǔqiān, 二十五万 èrshíwǔ wàn, 十一 shíyī."""
    groups: list[str] = []
    current = ""
    for ch in digits:
        if ch in "百千":
            groups.append(current + ch)
            current = ""
        elif ch in "万亿":
            if len(current) == 1:
                groups.append(current + ch)
            else:
                if current:
                    groups.append(current)
                groups.append(ch)
            current = ""
        elif ch in "零〇":
            if current:
                groups.append(current)
            groups.append(ch)
            current = ""
        else:
            current += ch
    if current:
        groups.append(current)
    return groups


def split_word(word: str, prev: str | None, next_: str | None, lex: lexicon.Lexicon) -> list[str]:
    """Split one segmented word into orthographic words (see the module docstring)."""
    if len(word) < 2 or word in lex.terms:
        return [word]
    conventional = _conventional_split(word, next_, lex) or apart.split(word, lex)
    if conventional is not None:
        return [part for piece in conventional for part in split_word(piece, prev, next_, lex)]
    # numbers and what they count
    if word[0] in _NUMERALS:
        k = 0
        while k < len(word) and word[k] in _NUMERALS:
            k += 1
        head, rest = word[:k], word[k:]
        if rest == "月" and head in ("一二三四五六七八九十" + "十一十二"):
            return [word]
        if rest == "":
            return number_groups(head) if all(ch in NUMERAL_CHARS for ch in head) else [word]
        if lex.tag(word, "").startswith("n") and lex.in_cedict(word):
            if len(word) >= 4 and all(len(part) >= 2 for part in _subcut(word, lex)):
                return _split_long(word, prev, next_, lex)
            return [word]
        if head == "零" and (lex.in_cedict(word) or _zero_word(word, lex)):
            return [word]
        if word == "一点" and not (next_ and (next_[0] in _NUMERALS or next_[0] in "钟半")):
            return [word]
        counted = word.startswith("一") and rest in "个位张本次件条只天年"
        if _listed(word) and head in ("一", "几", "半") and not counted:
            return [word]
        head_groups = number_groups(head) if all(ch in NUMERAL_CHARS for ch in head) else [head]
        counted_noun = apart.measure_and_noun(rest, lex)
        if counted_noun:
            return head_groups + [
                counted_noun[0],
                *split_word(counted_noun[1], rest[0], next_, lex),
            ]
        return head_groups + split_word(rest, head, next_, lex)
    counting = bool(prev) and (prev[-1] in _NUMERALS or prev in ("这", "那", "哪", "每", "各"))
    counted_noun = apart.measure_and_noun(word, lex) if counting else None
    if counted_noun:
        return [counted_noun[0], *split_word(counted_noun[1], word[0], next_, lex)]
    if len(word) == 3 and word[1] in "不没一" and word[0] == word[2]:
        if word[1:] in LEXICALISED_NEGATIONS and word[1:] not in _NEGATED_APART:
            return [word[0], word[1:]]
        return [word[0], word[1], word[2]]
    noun = lex.tag(word, "").startswith("n") and lex.in_cedict(word)
    if word[0] in "不没" and (word not in LEXICALISED_NEGATIONS or word in _NEGATED_APART):
        if noun:
            return [word]
        adverb = lex.tag(word, "").startswith(("d", "c", "a")) and word != "不好"
        if word not in LEXICALISED_NEGATIONS and _listed(word) and len(word) == 2 and adverb:
            return [word]
        return [word[0], *split_word(word[1:], word[0], next_, lex)]
    if word[-1] == "好" and word[:-1] in ("你", "您", "你们", "您们", "大家"):
        return [word[:-1], "好"]
    if len(word) >= 3 and word.endswith("一下") and not _listed(word):
        return [*split_word(word[:-2], prev, "一下", lex), "一下"]
    if len(word) >= 2 and word.startswith("副") and word[1:] in lex.tags:
        return [word]
    for pronoun in PRONOUNS:
        if word == pronoun:
            return [word]
        if word.startswith(pronoun) and not _listed(word):
            rest = word[len(pronoun) :]
            if rest in ("好",) or rest in lex.tags or len(rest) == 1:
                return [pronoun, *split_word(rest, pronoun, next_, lex)]
        if word.endswith(pronoun) and not _listed(word) and len(word) > len(pronoun):
            rest = word[: -len(pronoun)]
            if rest in lex.tags or len(rest) == 1:
                return [*split_word(rest, prev, pronoun, lex), pronoun]
    if word[0] in "这那哪" and word[1] not in _DEMONSTRATIVE_JOINED and word != "那么":
        return [word[0], *split_word(word[1:], word[0], next_, lex)]
    if word.endswith("了") and word not in ("除了", "为了", "罢了", "算了") and not _listed(word):
        return [*split_word(word[:-1], prev, "了", lex), "了"]
    superlative = word[0] == "最" and lex.in_cedict(word)
    if word[0] in _DEGREE and not _listed(word) and word[1:] not in ("么",) and not superlative:
        return [word[0], *split_word(word[1:], word[0], next_, lex)]
    if "个" in word[1:-1] and len(word) >= 3:
        i = word.index("个", 1)
        return [
            *split_word(word[:i], prev, "个", lex),
            "个",
            *split_word(word[i + 1 :], "个", next_, lex),
        ]
    if word[0] == "请" and not _listed(word):
        return ["请", *split_word(word[1:], "请", next_, lex)]
    if (
        len(word) == 2
        and word[0] in _OBJECT_VERBS | {"有"}
        and lex.tag(word[1], "").startswith("n")
        and lex.tag(word, "v")[:1] in ("v", "l", "")
        and not _listed(word)
    ):
        return [word[0], word[1]]
    if _old_and_noun(word, lex) or _modal_and_verb(word, prev, lex):
        return [word[0], word[1:]]
    if len(word) == 3:
        head, rest = word[0], word[1:]
        rest_tag = lex.tag(rest, "")
        noun_word = lex.tag(word, "").startswith("n") and lex.in_cedict(word)
        if rest_tag.startswith("n") and rest_tag not in ("nr", "ns", "nt", "nrt") and not noun_word:
            if head in _OBJECT_VERBS and word not in lex.proper:
                return [head, rest]
            if lex.tag(head) == "a" and not _listed(word) and word not in lex.proper:
                return [head, rest]
    if len(word) >= 4 and lex.tag(word) not in ("nrt", "nt", "nz") and word not in lex.proper:
        return _split_long(word, prev, next_, lex)
    return [word]


def _zero_word(word: str, lex: lexicon.Lexicon) -> bool:
    """A noun that starts with a word of 零 "odd, retail" (零售价 língshòujià, 零件厂): not the
    numeral zero."""
    return lex.tag(word, "").startswith("n") and lex.tag(word[:2], "")[:1] in ("n", "v", "a")


def _old_and_noun(word: str, lex: lexicon.Lexicon) -> bool:
    """老 "old, long-standing" before a two-syllable noun is an adjective written apart (lǎo
    péngyou, lǎo kèhù, lǎo dìfang) even where the HSK lists hold the phrase; forms of address
    (老太太, 老先生: tagged as names) and 老人家 stay whole, like 老 before one syllable (老师)."""
    from app.chinese.grammar import PRONOUNS

    rest = word[1:]
    return (
        len(word) == 3
        and word[0] == "老"
        and lex.tag(rest, "") == "n"
        and _listed(rest)
        and lex.tag(word, "") != "nr"
        and rest not in PRONOUNS
    )


def _modal_and_verb(word: str, prev: str | None, lex: lexicon.Lexicon) -> bool:
    """A modal and a one-syllable verb that a dictionary lists as a noun (会派 "faction") after
    a subject, a time or an adverb: the modal and the verb (我们会派人 huì pài)."""
    if len(word) != 2 or word[0] not in _MODALS or not prev or _listed(word):
        return False
    if not lex.tag(word, "").startswith("n"):
        return False
    if word[1] not in lex.verbs and not lex.tag(word[1], "").startswith("v"):
        return False
    from app.chinese.grammar import PRONOUNS

    return prev in PRONOUNS or lex.tag(prev, "")[:1] in ("t", "d", "n")


#: Words jieba joins that are an adverb and the verb it modifies: written apart.
_HEAD_SPLITS = {
    "还有": "还",
    "只能": "只",
    "怎么办": "怎么",
}
#: 请 words that are words of their own (请问 qǐngwèn); 请 + a verb is written apart (qǐng zuò).
_LEXICALISED_QING = frozenset(
    ["请问", "请求", "请假", "请客", "请教", "请示", "请柬", "请帖", "请愿", "请功", "请罪", "请安"]
)
#: Modal verbs written apart from the verb they govern when a dictionary joins them (要看).
_MODALS = set("要想能会该")


def _conventional_split(word: str, next_: str | None, lex: lexicon.Lexicon) -> list[str] | None:
    """The course files' writing (GB/T 16159) of words that jieba or CC-CEDICT join: an adverb
    and the verb it modifies (还 有, 只 能, 怎么 办), 只 有 before what is counted, 请 + a verb,
    a modal and a verb that only CC-CEDICT lists as one (要 看), a verb and 给 (发 给), a
    verb-object idiom (走 后门, 给 面子: CC-CEDICT's sense is "to …"), 第 + a number (dì-sān)
    and 的 after a word (别 的), a verb and 到 before where it leads when no dictionary joins them
    (调 到 百分之百). None when no convention applies."""
    if word in _HEAD_SPLITS:
        head = _HEAD_SPLITS[word]
        return [head, word[len(head) :]]
    if word == "只有" and next_ and (next_[0] in _NUMERALS or lex.tag(next_, "").startswith("n")):
        return ["只", "有"]
    if word[0] == "请" and len(word) == 2 and word[1] in lex.verbs:
        return None if word in _LEXICALISED_QING else ["请", word[1]]
    if len(word) == 2 and word[0] in _MODALS and word[1] in lex.verbs and lex.tag(word) == "":
        return [word[0], word[1]]
    if len(word) == 2 and word[0] in "再又" and word[1] in lex.verbs and lex.tag(word) == "":
        # an adverb and the verb it modifies that only CC-CEDICT joins (再发 zài fā)
        return [word[0], word[1]]
    if len(word) == 2 and word[1] == "给" and word[0] in lex.verbs and word[0] != "供":
        reading = lex.phrases.get(word, "")
        if reading.endswith("gei3") or not reading:
            return [word[0], "给"]
    if len(word) == 3 and word in lex.verb_objects and lex.tag(word[1:], "").startswith("n"):
        return [word[0], word[1:]]
    if word[0] == "第" and len(word) >= 3 and word[1] in NUMERAL_CHARS:
        k = 1
        while k < len(word) and word[k] in NUMERAL_CHARS:
            k += 1
        if k < len(word):
            return [word[:k], word[k:]]
    if len(word) == 2 and word[1] == "到" and _destination(next_, lex) and not _joined(word, lex):
        return [word[0], "到"]
    if len(word) >= 2 and word[-1] == "的" and word not in ("目的", "有的", "是的", "似的"):
        return [word[:-1], "的"]
    return None


def _joined(word: str, lex: lexicon.Lexicon) -> bool:
    """Whether a dictionary (CC-CEDICT or the HSK lists) has the word as one."""
    return lex.in_cedict(word) or _listed(word)


def _destination(word: str | None, lex: lexicon.Lexicon) -> bool:
    """Whether a word is where 到 leads: a number or value (百分之百, 最大), a place."""
    if not word:
        return False
    return word[0] in _VALUE_STARTS or lex.tag(word, "") in ("ns", "s", "f") or word in _PLACES


#: Characters that start a value 到 leads to (调到百分之百, 升级到最新版本).
_VALUE_STARTS = NUMERAL_CHARS | set("几半最0123456789")
_PLACES = frozenset(["这里", "那里", "哪里", "这儿", "那儿", "哪儿"])


def ordinal(word: str) -> bool:
    """Whether a word is 第 + a number that GB/T 16159 writes with a hyphen (dì-sān), not a
    word of the HSK lists (第一 dìyī)."""
    return (
        len(word) >= 2
        and word[0] == "第"
        and all(ch in NUMERAL_CHARS for ch in word[1:])
        and not _listed(word)
        and not lexicon.lexicon().in_cedict(word)
    )


def _split_long(word: str, prev: str | None, next_: str | None, lex) -> list[str]:
    """A name or phrase of four syllables or more, written by its words (GB/T 16159 §4.1.3)."""
    if _reduplicated(word, lex):
        return [word]
    parts = _subcut(word, lex)
    if len(word) == 4 and lex.tag(word) == "i" and len(parts) == 3:
        # a four-character idiom reads as two pairs (礼尚 往来 lǐshàng wǎnglái)
        parts = [word[:2], word[2:]] if len(parts[2]) == 2 else parts
    if len(parts) < 2 or all(len(p) == 1 for p in parts):
        return [word]
    out: list[str] = []
    for k, part in enumerate(parts):
        before = parts[k - 1] if k else prev
        after = parts[k + 1] if k + 1 < len(parts) else next_
        out.extend(split_word(part, before, after, lex))
    return out


def _reduplicated(word: str, lex: lexicon.Lexicon) -> bool:
    """An AABB word (高高兴兴, 清清楚楚), not two doubled nouns (爷爷奶奶 yéye nǎinai)."""
    if not (len(word) == 4 and word[0] == word[1] and word[2] == word[3]):
        return False
    return not (lex.tag(word[:2], "") == "n" and lex.tag(word[2:], "") == "n")


def _subcut(word: str, lex: lexicon.Lexicon) -> list[str]:
    """jieba's best split of ``word`` into smaller dictionary words (the word itself barred)."""
    from app.chinese import segment

    return segment.cut(word, ensured=True, exclude=word)


def merge(words: list[tuple[str, int]], lex: lexicon.Lexicon) -> list[tuple[str, int]]:
    """Join what pinyin writes as one word though segmentation left it apart: a one-syllable
    verb and its one-syllable complement (用完, 打错), the aspect particles 着 and 过 and their
    verb (检查过 jiǎncháguo, as the course files write it), a country and 人 (中国人)."""
    out: list[tuple[str, int]] = []
    split = _fractions(words)
    for i, (word, start) in enumerate(split):
        if out:
            last, last_start = out[-1]
            joined = last + word
            if word == "着" and len(last) == 1 and lex.tag(last, "")[:1] in ("v", "a"):
                out[-1] = (joined, last_start)  # GB/T 16159: 着 joined to its verb (liàngzhe)
                continue
            after = split[i + 1][0] if i + 1 < len(split) else None
            if word == "过" and grammar.experiential(last, after, lex):
                out[-1] = (joined, last_start)  # the aspect particle joined: jiǎncháguo
                continue
            if _suffixed(last, word, lex):
                out[-1] = (joined, last_start)
                continue
            if all(ch in NUMERAL_CHARS for ch in last) and word[0] in NUMERAL_CHARS:
                out[-1] = (joined, last_start)
                continue
            if last == word and len(word) == 1 and word in lex.verbs:
                out[-1] = (joined, last_start)
                continue
            if last == "星期" and word in ("几", "天", "日"):
                out[-1] = (joined, last_start)
                continue
            if (
                len(last) == 1
                and len(word) == 1
                and word in COMPLEMENTS
                and lex.tag(last, "").startswith("v")
                and last not in "是有在要会能想"
            ):
                out[-1] = (joined, last_start)
                continue
            if word == "人" and last in lex.proper and lex.tag(last) == "ns":
                out[-1] = (joined, last_start)
                continue
        out.append((word, start))
    return out


def _fractions(words: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """百分之二十 cut as 百 分 之 二十, as the course files write fractions (bǎi fēn zhī bǎi),
    so that the number after it joins what follows (二十 + 一 = èrshíyī)."""
    out = []
    for word, start in words:
        k = word.find("分之")
        if k <= 0 or not all(ch in NUMERAL_CHARS for ch in word[:k] + word[k + 2 :]):
            out.append((word, start))
            continue
        out.append((word[:k], start))
        out.append(("分", start + k))
        out.append(("之", start + k + 1))
        if word[k + 2 :]:
            out.append((word[k + 2 :], start + k + 2))
    return out


#: One-character nouns that make a three-syllable compound with a two-syllable noun before them
#: (切割 + 头, 保护 + 镜, 设备 + 科): GB/T 16159 joins such a name of one concept (§5.1).
_SUFFIX_NOUNS = set("机器仪镜科室站费率证箱柜剂液限末宴")


def _suffixed(last: str, word: str, lex: lexicon.Lexicon) -> bool:
    """Whether ``word`` is a noun suffix to join to the two-syllable noun or verb before it."""
    if len(last) != 2 or word not in _SUFFIX_NOUNS or last in lex.proper:
        return False
    return lex.tag(last, "") in ("n", "vn", "v", "nz")


def capitalised(word: str, lex: lexicon.Lexicon) -> bool:
    """Whether a word is a proper name that GB/T 16159 capitalises: CC-CEDICT capitalises it
    and it is not a time word, a currency or a common noun (星期一, 美元 and 朋友圈 are
    capitalised in CC-CEDICT, not in pinyin orthography; festivals are: Chūnjié)."""
    if word not in lex.proper:
        return False
    tag = lex.tag(word, "")
    if tag == "t":
        return word.endswith("节")
    if tag in ("q", "n", "m") or word.endswith(("元", "币")):
        return False
    return not word.startswith("星期")


def pieces(run: list[tuple[str, int]], name_words: dict[int, int], lex) -> list[Piece]:
    """The orthographic words of one Han run of segmented ``(word, start)``; ``name_words``
    maps the start of each name word to its end."""
    units: list[tuple[str, int, bool]] = []
    done = -1
    for word, start in run:
        end = start + len(word)
        k = max(start, done)
        while k < end:
            if k in name_words:
                stop = name_words[k]
                units.append((_slice(run, k, stop), k, True))
                k = done = stop
                continue
            stop = k + 1
            while stop < end and stop not in name_words:
                stop += 1
            units.append((word[k - start : stop - start], k, False))
            k = stop
    out: list[Piece] = []
    plain: list[tuple[str, int]] = []

    def flush() -> None:
        merged = merge(plain, lex)
        for i, (word, start) in enumerate(merged):
            prev = merged[i - 1][0] if i else (out[-1].text if out else None)
            next_ = merged[i + 1][0] if i + 1 < len(merged) else None
            at = start
            for part in _timed(split_word(word, prev, next_, lex), prev):
                out.append(Piece(part, at))
                at += len(part)
        plain.clear()

    for word, start, is_name in units:
        if is_name:
            flush()
            out.append(Piece(word, start, True))
        else:
            plain.append((word, start))
    flush()
    return out


def _timed(parts: list[str], prev: str | None) -> list[str]:
    """十分 after a clock time is ten minutes, written apart (sān diǎn shí fēn)."""
    if parts == ["十分"] and prev and prev.endswith("点") and prev[0] in _NUMERALS:
        return ["十", "分"]
    return parts


def _slice(run: list[tuple[str, int]], start: int, end: int) -> str:
    text = "".join(word for word, _ in run)
    offset = run[0][1]
    return text[start - offset : end - offset]
