"""Segmentation cuts words exactly as jieba without its HMM does, from the lexicon's copy."""

import logging

import jieba
import pytest

from app.chinese.segment import HAN_RUN, cut

SENTENCES = [
    "我们银行的行长下周去上海出差",
    "会计处理了还款和空调的发票",
    "他认真地检查了每一份合同",
    "中华人民共和国国务院总理",
    "时间不早了我得走了",
    "研究生命起源",
    "结婚的和尚未结婚的",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_cut_matches_jieba_without_hmm(sentence):
    logging.getLogger("jieba").setLevel(logging.WARNING)
    assert cut(sentence) == jieba.lcut(sentence, HMM=False)


def test_cut_covers_the_run():
    for sentence in SENTENCES:
        assert "".join(cut(sentence)) == sentence
    assert cut("") == []


def test_han_runs():
    assert [m.group() for m in HAN_RUN.finditer("ab你好，世界3")] == ["你好", "世界"]
