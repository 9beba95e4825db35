"""Names in a segmented text: Chinese personal names, transliterated foreign names, companies.

GB/T 16159-2012 (the basic rules of pinyin orthography) writes them apart and capitalised:

* a Chinese name: surname and given name apart, each capitalised (Wáng Fāng, Zhāng Wěi); a
  title after the surname is a word of its own in small letters (Wáng zǒng, Lǐ jīnglǐ);
* a transliterated name: each part joined and capitalised, the middle dot becomes a space
  (伊戈尔·彼得罗夫 → Yīgē'ěr Bǐdéluófū);
* the name of an organisation: every word capitalised (华星公司 → Huáxīng Gōngsī).

A surname also fixes the reading of some characters (单 Shàn, 曾 Zēng, 仇 Qiú, 华 Huà): these
readings are 现代汉语词典's for the surname sense.

Names are found by what surrounds them, never from a list of names: a common surname followed
by a title (李经理), after 姓 (姓张), or followed by one or two characters that make no word with
their neighbours where a name is expected (我叫王芳, 翻译刘丽。); transliteration characters on
both sides of a middle dot or ending like a Russian surname (伊万诺夫, 斯米尔诺娃).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.chinese.lexicon import Lexicon

#: The commonest Chinese surnames (about 90 % of the population).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关"
    "兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻"
    "祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿"
    "桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝朴区乐盖"
)
#: Readings of characters as surnames where they differ from the commonest reading.
SURNAME_READINGS = {
    "单": "shan4", "曾": "zeng1", "仇": "qiu2", "解": "xie4", "朴": "piao2", "区": "ou1",
    "查": "zha1", "盖": "ge3", "华": "hua4", "覃": "qin2", "乐": "yue4", "缪": "miao4",
    "翟": "zhai2", "任": "ren2", "纪": "ji3", "宁": "ning4", "曲": "qu1", "种": "chong2",
    "尉": "yu4", "员": "yun4", "繁": "po2", "秘": "bi4", "过": "guo1", "召": "shao4",
    "柏": "bai3", "薄": "bo2", "沈": "shen3", "万": "wan4", "长": "chang2", "重": "chong2",
}  # fmt: skip
#: Titles and forms of address written after a surname.
TITLES = frozenset(
    [
        "先生",
        "女士",
        "小姐",
        "太太",
        "夫人",
        "老师",
        "教授",
        "博士",
        "医生",
        "大夫",
        "师傅",
        "经理",
        "总经理",
        "副总经理",
        "总",
        "董",
        "主任",
        "主席",
        "局长",
        "部长",
        "处长",
        "科长",
        "厂长",
        "院长",
        "校长",
        "所长",
        "行长",
        "店长",
        "社长",
        "会长",
        "董事长",
        "总裁",
        "总监",
        "书记",
        "秘书",
        "律师",
        "会计",
        "工程师",
        "老板",
        "同学",
        "同志",
        "阿姨",
        "叔叔",
        "大爷",
        "大妈",
        "师兄",
        "师姐",
        "记者",
        "教练",
        "市长",
        "省长",
        "县长",
        "队长",
        "组长",
        "班长",
        "代表",
        "翻译",
        "助理",
        "顾问",
        "工",
    ]
)
#: Words before which a Chinese name is often introduced (叫王芳, 是王芳, 翻译刘丽).
_NAME_CUES = frozenset(
    [
        "叫",
        "是",
        "我是",
        "找",
        "和",
        "跟",
        "与",
        "给",
        "请",
        "问",
        "对",
        "翻译",
        "同事",
        "朋友",
        "经理",
        "主任",
        "老师",
        "同学",
        "先生",
        "女士",
        "介绍",
        "欢迎",
        "见",
        "认识",
        "谢谢",
        "感谢",
        "祝贺",
        "姓名",
        "名字",
        "的",
    ]
)
#: What may follow a name: the end of a clause or one of these words.
_AFTER_NAME = frozenset(
    [
        "的",
        "是",
        "说",
        "也",
        "和",
        "跟",
        "在",
        "来",
        "去",
        "给",
        "不",
        "没",
        "已经",
        "就",
        "都",
        "还",
        "今天",
        "明天",
        "先生",
        "女士",
        "小姐",
        "吗",
        "呢",
        "吧",
        "啊",
        "了",
        "打",
        "让",
        "请",
        "要",
        "会",
        "想",
        "觉得",
        "认为",
        "问",
        "告诉",
        "回答",
    ]
)
#: How much or how long a verb is done (查一下, 管一点): after a surname that is also a verb
#: (查 Zhā, 管 Guǎn, 关 Guān) these make it the verb, never a given name.
_AMOUNTS = frozenset(
    ["一下", "一下儿", "一点", "一点儿", "一会", "一会儿", "一些", "一次", "一遍", "一趟"]
)
#: Characters of transliterated foreign names (Xinhua's transliteration tables, the common ones).
TRANSLITERATION = frozenset(
    "阿埃艾安昂奥巴拜班邦保鲍贝本比彼宾波伯布查达戴丹道德登迪蒂丁东杜顿多俄厄恩尔法范菲费芬"
    "丰弗福夫盖甘冈戈格根古瓜圭哈海汉豪赫黑亨胡霍基吉加贾杰金卡凯坎康科克肯库夸奎拉莱兰朗劳"
    "勒雷里利莉连列林琳隆卢鲁路伦罗洛马迈麦曼芒梅门蒙米娜纳奈南尼涅宁纽努诺欧帕潘佩皮普奇齐"
    "契乔切琴丘萨塞桑森沙莎舍什施史斯松苏索塔泰坦汤特廷托瓦娃万旺威维温沃乌西希谢辛休雅亚扬"
    "耶叶伊因英尤约泽扎詹兹佐丽娅卓夏莫柯娜嘉妮露薇芙娃蕾黛丝琪娃瑟玛佳谢廖沙柳德米拉斯拉夫得莲盖"
)
#: Endings of Russian surnames and patronymics in Chinese transliteration.
RUSSIAN_ENDINGS = (
    "诺夫", "罗夫", "科夫", "耶夫", "列夫", "托夫", "多夫", "佐夫", "索夫", "洛夫", "斯基",
    "茨基", "诺娃", "罗娃", "科娃", "耶娃", "列娃", "托娃", "洛娃", "索娃", "维奇", "耶维奇",
    "芙娜", "夫娜", "斯卡娅", "茨卡娅", "金娜", "申科", "连科", "琴科", "波娃", "波夫",
)  # fmt: skip
#: Words that end the name of an organisation.
ORGANISATIONS = frozenset(
    [
        "公司",
        "有限公司",
        "股份有限公司",
        "集团",
        "集团公司",
        "银行",
        "大学",
        "学院",
        "研究所",
        "研究院",
        "医院",
        "酒店",
        "饭店",
        "宾馆",
        "工厂",
        "事务所",
        "协会",
        "基金会",
    ]
)
#: Middle dots between the parts of a foreign name.
DOTS = "·•‧・"
_PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "nz", "nt"})


@dataclass(frozen=True)
class Name:
    """A name in a text: ``words`` are the (start, end) spans written as capitalised words;
    ``kind`` is ``person`` (Chinese), ``foreign`` or ``organisation``; ``surname`` the index of
    a Chinese surname whose reading the name fixes, or None."""

    kind: str
    words: tuple[tuple[int, int], ...]
    surname: int | None = None


def _spans(tokens: list[tuple[str, int]]) -> list[tuple[int, int]]:
    return [(start, start + len(word)) for word, start in tokens]


def find(text: str, runs: list[list[tuple[str, int]]], lex: Lexicon) -> list[Name]:
    """Names in ``text``; ``runs`` are its Han runs, each a list of (word, start) as segmented,
    and ``lex`` the lexicon (parts of speech of dictionary words)."""
    names: list[Name] = []
    for run in runs:
        names.extend(_foreign(text, run, lex))
        taken = {i for name in names for a, b in name.words for i in range(a, b)}
        for name in _chinese(run) + _organisations(run, lex):
            if not any(i in taken for a, b in name.words for i in range(a, b)):
                names.append(name)
    return names


def _foreign(text: str, run: list[tuple[str, int]], lex: Lexicon) -> list[Name]:
    """Transliterated names: parts around a middle dot, a word jieba tags as a transliterated
    name, or a run of transliteration characters ending like a Russian surname."""
    if not run:
        return []
    start, end = run[0][1], run[-1][1] + len(run[-1][0])
    found: list[tuple[int, int]] = []
    # the dot is not Han: it ends one run and starts the next
    if start >= 1 and text[start - 1] in DOTS:
        right = start
        while right < end and text[right] in TRANSLITERATION:
            right += 1
        if right > start:
            found.append((start, right))
    if end < len(text) and text[end] in DOTS:
        left = end
        while left - 1 >= start and text[left - 1] in TRANSLITERATION:
            left -= 1
        if left < end:
            found.append((left, end))
    covered = {i for a, b in found for i in range(a, b)}
    # a run of transliteration characters that ends like a Russian surname (斯米尔诺娃)
    k = start
    while k < end:
        if k in covered or text[k] not in TRANSLITERATION:
            k += 1
            continue
        j = k
        while j < end and j not in covered and text[j] in TRANSLITERATION:
            j += 1
        piece = text[k:j]
        for cut in range(len(piece), 2, -1):
            if piece[:cut].endswith(RUSSIAN_ENDINGS):
                found.append((k, k + cut))
                covered.update(range(k, k + cut))
                break
        k = j
    names = [Name("foreign", (span,)) for span in sorted(set(found))]
    for word, at in run:
        if at in covered or len(word) < 2 or not all(ch in TRANSLITERATION for ch in word):
            continue
        if lex.tag(word) == "nrt" and not (lex.in_cedict(word) and word not in lex.proper):
            names.append(Name("foreign", ((at, at + len(word)),)))
            covered.update(range(at, at + len(word)))
    return names


def _chinese(run: list[tuple[str, int]]) -> list[Name]:
    """Chinese personal names: surname + title, 姓 + surname, surname + given name."""
    names: list[Name] = []
    n = len(run)
    for i, (word, at) in enumerate(run):
        prev = run[i - 1][0] if i else None
        nxt = run[i + 1][0] if i + 1 < n else None
        # 李先生, 王总 as one word, or 李 + 经理
        if len(word) >= 2 and word[0] in SURNAMES and word[1:] in TITLES and prev != "姓":
            names.append(Name("person", ((at, at + 1),), at))
            continue
        if len(word) == 2 and word[0] == "姓" and word[1] in SURNAMES:
            names.append(Name("person", ((at + 1, at + 2),), at + 1))
            continue
        if len(word) != 1 or word not in SURNAMES:
            continue
        if prev == "姓" and (nxt is None or nxt in ("，", "的", "是", "叫")):
            names.append(Name("person", ((at, at + 1),), at))
            continue
        if nxt in TITLES and (prev is None or len(prev) > 1 or prev in _NAME_CUES or i == 0):
            names.append(Name("person", ((at, at + 1),), at))
            continue
        given = _given_name(run, i)
        cue = prev in _NAME_CUES or prev in TITLES or prev in ORGANISATIONS
        if given and (i == 0 or cue):
            end = given
            names.append(Name("person", ((at, at + 1), (at + 1, end)), at))
    return names


def _given_name(run: list[tuple[str, int]], i: int) -> int | None:
    """The end of a given name after the surname at ``run[i]``: one or two single characters
    (or one two-character word) followed by the end of the clause or a word that may follow
    a name; None if there is none."""
    n = len(run)
    options = []
    if i + 1 < n and len(run[i + 1][0]) == 1:
        options.append(i + 2)
        if i + 2 < n and len(run[i + 2][0]) == 1:
            options.append(i + 3)
    if i + 1 < n and len(run[i + 1][0]) == 2:
        options.append(i + 2)
    for j in sorted(options, reverse=True):
        following = run[j][0] if j < n else None
        given = "".join(w for w, _ in run[i + 1 : j])
        if any(ch in "的了是在和也都不吗呢吧很我你他她们" for ch in given) or given in _AMOUNTS:
            continue
        if following is None or following in _AFTER_NAME or following in TITLES:
            last_word, last_at = run[j - 1]
            return last_at + len(last_word)
    return None


def _organisations(run: list[tuple[str, int]], lex: Lexicon) -> list[Name]:
    """An organisation: a name-like word (jieba tags it a name, or no dictionary knows it)
    followed by 公司, 集团, 银行 …: every word capitalised (Huáxīng Gōngsī)."""
    names = []
    for word, at in run:
        # the full name of an institution (国家药监局 Guójiā Yàojiānjú), written by its words
        if len(word) >= 4 and lex.tag(word) == "nt":
            names.append(Name("organisation", tuple(_words_of(word, at))))
    for i in range(1, len(run)):
        word, at = run[i]
        if word not in ORGANISATIONS:
            continue
        head, head_at = run[i - 1]
        tag = lex.tag(head)
        if len(head) >= 2 and (tag in _PROPER_TAGS or (tag is None and len(head) >= 2)):
            names.append(Name("organisation", ((head_at, at), (at, at + len(word)))))
    return names


def _words_of(word: str, at: int) -> list[tuple[int, int]]:
    """The spans of the dictionary words that make up a longer word."""
    from app.chinese import segment

    spans = []
    for part in segment.cut(word, ensured=True, exclude=word):
        spans.append((at, at + len(part)))
        at += len(part)
    return spans
