"""Pinyin typed by people: parse it, normalise it, and judge an answer against the expected one.

Accepted: tone marks (nǐ hǎo) or tone numbers (ni3 hao3), syllables spaced or joined (nihao3,
xièxie), apostrophes (Xī'ān), ü written ü, v or u: (after j, q, x, y it becomes u, as pinyin
writes it and the engine numbers it: qu4), any case, punctuation, and erhua joined to its
syllable (nǎr, nar3, na3r). Tone marks alone may split an answer where the apostrophe
is missing (kěài); course files still need it (split_pinyin). Erhua is returned as its own
``r5`` entry after the syllable (nǎr → ``["na3", "r5"]``), as ``syllables`` gives 哪儿.
A syllable written with neither mark nor digit is neutral (tone 5) in ``split_pinyin``; in an
answer, a missing tone is reported as such.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SYLLABLE_TABLE = """a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin
    bing bo bu ca
    cai can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua
    chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei
    den deng di dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei
    fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun
    guo ha hai han hang hao he hei hen heng hm hng hong hou hu hua huai huan huang hui hun huo ji
    jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng
    kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang
    liao lie lin ling liu lo long lou lu luan lun luo lv lve m ma mai man mang mao me mei men meng
    mi mian miao mie min ming miu mo mou mu n na nai nan nang nao ne nei nen neng ng ni nian niang
    niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi
    pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
    ran rang rao re ren reng ri rong rou ru ruan rui run ruo sa sai san sang sao se sen seng sha
    shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo
    si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu
    tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong
    xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang
    zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai
    zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo"""
#: Every Mandarin syllable, toneless, ü as v.
SYLLABLES = frozenset(_SYLLABLE_TABLE.split())
_LONGEST = max(map(len, SYLLABLES))
#: Interjection syllables without a vowel: only ever a word of their own.
_ALONE = frozenset({"m", "n", "ng", "hm", "hng"})
#: ü after j, q, x, y is written u, as in the numbered form the engine gives (qu4, not qv4).
_JQXY_V = re.compile(r"([jqxy])v")
_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
_CHUNK = re.compile(r"[a-zü:\u0300-\u030c]+[1-5]?|[1-5]")
_ALLOWED = re.compile(r"^[\sa-zü:\u0300-\u030c0-9'’\-.,!?;:\"()«»，。！？；：、“”‘’…]*$")


@dataclass(frozen=True)
class _Unit:
    base: str
    tone: int | None  # None: no mark and no digit


def _letters(chunk: str) -> tuple[str, list[int | None]]:
    """Base letters of a chunk (ü as v) and the tone mark found on each letter, if any."""
    letters: list[str] = []
    marks: list[int | None] = []
    for ch in chunk:
        if ch in _MARKS:
            if not letters:
                raise ValueError("a tone mark without a vowel")
            marks[-1] = _MARKS[ch]
        elif ch in ("\u0308", ":"):
            if letters and letters[-1] == "u":
                letters[-1] = "v"
        else:
            letters.append(ch)
            marks.append(None)
    return "".join(letters), marks


def _segment(
    letters: str,
    marks: list[int | None],
    start_of_chunk: bool,
    *,
    erhua_first: bool = False,
    loose: bool = False,
) -> list[_Unit] | None:
    """Split joined letters into syllables (longest first, backtracking); None if impossible.

    ``erhua_first``: the chunk follows a tone number inside a word (na3r), so a lone ``r`` may
    open it. ``loose``: a syllable starting with a, o or e may follow inside the chunk without
    an apostrophe (kěài), which typed answers allow when nothing else splits them.
    """
    if not letters:
        return []
    for size in range(min(_LONGEST, len(letters)), 0, -1):
        base = letters[:size]
        erhua = base == "r" and (not start_of_chunk or erhua_first)
        if base not in SYLLABLES and not erhua:
            continue
        if not start_of_chunk and (base in _ALONE or (base[0] in "aoe" and not loose)):
            continue  # inside a word these need an apostrophe first (Xī'ān), so 办公 is ban-gong
        tones = [m for m in marks[:size] if m is not None]
        if len(tones) > 1:
            continue
        rest = _segment(letters[size:], marks[size:], False, loose=loose)
        if rest is not None:
            return [_Unit("r" if erhua else base, tones[0] if tones else None), *rest]
    return None


def _units(pinyin: str, *, loose: bool = False) -> list[_Unit]:
    text = unicodedata.normalize("NFD", pinyin.lower())
    if not _ALLOWED.match(text):
        bad = sorted({ch for ch in text if not _ALLOWED.match(ch)})
        raise ValueError(f"not pinyin: unexpected character(s) {' '.join(bad)!r}")
    units: list[_Unit] = []
    for word in re.split(r"[\s'’\-.,!?;:\"()«»，。！？；：、“”‘’…]+", text.replace("u:", "v")):
        chunk_start = True
        after_digit = False
        for match in _CHUNK.finditer(word):
            chunk = match.group()
            digit = int(chunk[-1]) if chunk[-1].isdigit() else None
            letters, marks = _letters(chunk.rstrip("12345"))
            letters = _JQXY_V.sub(r"\1u", letters)
            if not letters:
                raise ValueError(f"a tone number without a syllable in {word!r}")
            parsed = _segment(letters, marks, chunk_start, erhua_first=after_digit)
            if parsed is None and loose:
                parsed = _segment(letters, marks, chunk_start, erhua_first=after_digit, loose=True)
            if parsed is None:
                raise ValueError(f"not pinyin: cannot split {chunk!r} into syllables")
            if digit is not None:
                _apply_digit(parsed, digit, units[-1] if units else None, chunk)
            units.extend(parsed)
            chunk_start = after_digit = digit is not None  # a tone number ends a syllable
    return units


def _apply_digit(parsed: list[_Unit], digit: int, previous: _Unit | None, chunk: str) -> None:
    """Give a chunk's trailing tone number to its last syllable, or to the syllable an erhua
    ``r`` belongs to (nar3); after a tone already given (nǎr, na3r) it may be 5 or repeat it."""
    last = parsed[-1]
    if last.base != "r":
        if last.tone is not None and last.tone != digit:
            raise ValueError(f"two different tones on {chunk!r}")
        parsed[-1] = _Unit(last.base, digit)
        return
    owner = parsed[-2] if len(parsed) > 1 else previous
    if len(parsed) > 1 and owner is not None and owner.tone is None:
        parsed[-2] = _Unit(owner.base, digit)
    elif digit != 5 and (owner is None or owner.tone != digit):
        raise ValueError(f"two different tones on {chunk!r}")


def split_pinyin(pinyin: str) -> list[str]:
    """Return the numbered syllables of a pinyin string: "xièxie" → ["xie4", "xie5"].

    Syllables without a mark or digit are neutral (5); erhua is its own ``r5`` entry
    ("nǎr" → ["na3", "r5"]). Raises ValueError, with the reason, if the text is not pinyin.
    """
    return [f"{u.base}{5 if u.base == 'r' or u.tone is None else u.tone}" for u in _units(pinyin)]


def normalize_pinyin(pinyin: str) -> list[str]:
    """Return the numbered syllables of typed pinyin, a syllable with no tone given ending
    without a digit ("nihao3" → ["ni", "hao3"]). Raises ValueError if it is not pinyin."""
    return [
        u.base + ("5" if u.base == "r" else "" if u.tone is None else str(u.tone))
        for u in _units(pinyin, loose=True)
    ]


@dataclass(frozen=True)
class Verdict:
    """The judgement of a typed pinyin answer.

    ``kind`` is one of ``correct``, ``wrong_tone`` (syllables right, some tones wrong),
    ``missing_tones`` (syllables right, no tones typed), ``wrong_syllable`` (some syllable
    itself is wrong, or the count differs), ``unparseable`` (not pinyin). ``positions`` are
    the 0-based indices of the offending syllables of the expected answer; ``expected`` and
    ``given`` the normalised syllables; ``message`` a sentence for feedback.
    """

    kind: str
    positions: tuple[int, ...] = ()
    expected: tuple[str, ...] = ()
    given: tuple[str, ...] = ()
    message: str = ""

    @property
    def correct(self) -> bool:
        """Whether the answer is accepted."""
        return self.kind == "correct"


def _base(syllable: str) -> str:
    return syllable.rstrip("12345")


def check_pinyin_answer(expected: str, given: str) -> Verdict:
    """Compare a typed answer with the expected pinyin (both in any accepted spelling).

    Neutral tones: an expected neutral syllable accepts no tone or 5. Erhua written apart
    ("nǎ er") is not the same as erhua ("nǎr").
    """
    want = tuple(normalize_pinyin(expected))
    try:
        got = tuple(normalize_pinyin(given))
    except ValueError as exc:
        return Verdict("unparseable", expected=want, message=str(exc))
    if not got:
        return Verdict("unparseable", expected=want, message="empty answer")
    if len(got) != len(want):
        return Verdict("wrong_syllable", (), want, got, "wrong number of syllables")
    pairs = list(zip(want, got, strict=True))
    positions = tuple(i for i, (a, b) in enumerate(pairs) if _base(a) != _base(b))
    if positions:
        umlaut = all(_base(pairs[i][0]).replace("v", "u") == _base(pairs[i][1]) for i in positions)
        message = "wrong syllable: write ü as v or ü" if umlaut else "wrong syllable"
        return Verdict("wrong_syllable", positions, want, got, message)
    if all(b == _base(b) for b in got if _base(b) != "r") and any(
        not a.endswith("5") for a in want
    ):
        positions = tuple(i for i, a in enumerate(want) if not a.endswith("5"))
        return Verdict("missing_tones", positions, want, got, "right syllables, tones missing")
    wrong = tuple(i for i, (a, b) in enumerate(zip(want, got, strict=True)) if _tone(a) != _tone(b))
    if wrong:
        return Verdict("wrong_tone", wrong, want, got, "right syllables, wrong tone")
    return Verdict("correct", expected=want, given=got, message="correct")


def _tone(syllable: str) -> int:
    return int(syllable[-1]) if syllable[-1].isdigit() else 5
