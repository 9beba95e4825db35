"""Property tests: whatever the text, the engine keeps its contracts."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.chinese import annotate, han_count, palladius, pinyin_text, polyphones, syllables

HANZI = "我你他们的了是不一个银行长重还得会计处理空调出差着地为数便乐率相量应当假传种要觉儿哪"
TEXT = st.text(alphabet=st.sampled_from(list(HANZI) + list("ab1 ,.!?，。！？“”\n")), max_size=40)
ANY = st.text(max_size=30)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_syllables_has_one_entry_per_character(text):
    assert len(syllables(text)) == len(text)


@settings(max_examples=100, deadline=None)
@given(ANY)
def test_any_unicode_is_handled(text):
    result = syllables(text)
    assert len(result) == len(text)
    assert "".join(w.text for w in annotate(text)) == text
    assert isinstance(pinyin_text(text), str)
    assert isinstance(palladius(text), str)


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_entries_are_numbered_syllables_or_none(text):
    for ch, syl in zip(text, syllables(text), strict=True):
        if syl is None:
            continue
        assert syl[-1] in "12345"
        assert syl[:-1].isalpha()
        assert ch in HANZI


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_annotation_and_counts_agree(text):
    words = annotate(text, sandhi=True)
    assert "".join(w.text for w in words) == text
    assert han_count(text) == sum(len(w.numbered) for w in words)
    for word in words:
        assert len(word.spoken) == len(word.numbered)
    for flag in polyphones(text):
        assert text[flag.index] == flag.char
