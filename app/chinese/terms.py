"""Terms of the trades Qiao teaches that no general dictionary lists, with their readings.

The industry packs (lasers, medical devices, video surveillance) and business etiquette use
words that neither jieba's dictionary nor CC-CEDICT has (码流 "bit stream", 球机 "dome camera",
湿化器 "humidifier" of a ventilator), or has too rarely for segmentation to choose (人脉). Without
them segmentation cuts the term into characters: the pinyin splits a word that GB/T 16159
writes whole (two- and three-syllable words that name one concept are joined, §5.1), and a
character may take the wrong reading (有创 yǒuchuāng "invasive": 创 is chuāng, a wound).

Source of truth: the trade's usage as the course vocabularies write it (human-checked against
GB/T 16159 and the makers' Chinese documentation), readings per 现代汉语词典 for each character.
The lexicon adds them to segmentation and to the phrase readings (``lexicon.build``).
"""

from __future__ import annotations

#: term -> numbered reading
TERMS = {
    # business and etiquette
    "人脉": "ren2 mai4",
    "主陪": "zhu3 pei2",
    "副陪": "fu4 pei2",
    "主宾": "zhu3 bin1",
    # laser processing
    "打标": "da3 biao1",
    "打样": "da3 yang4",
    "打标机": "da3 biao1 ji1",
    "切割头": "qie1 ge1 tou2",
    "保护镜": "bao3 hu4 jing4",
    "冷水机": "leng3 shui3 ji1",
    "千瓦": "qian1 wa3",
    # medical devices
    "报警限": "bao4 jing3 xian4",
    "设备科": "she4 bei4 ke1",
    "有创": "you3 chuang1",
    "无创": "wu2 chuang1",
    "呼气末": "hu1 qi4 mo4",
    "吸呼比": "xi1 hu1 bi3",
    "湿化器": "shi1 hua4 qi4",
    "潮气量": "chao2 qi4 liang4",
    # video surveillance
    "立杆": "li4 gan1",
    "球机": "qiu2 ji1",
    "枪机": "qiang1 ji1",
    "半球": "ban4 qiu2",
    "宽动态": "kuan1 dong4 tai4",
    "码流": "ma3 liu2",
    "主码流": "zhu3 ma3 liu2",
    "子码流": "zi3 ma3 liu2",
    "千兆": "qian1 zhao4",
    "百兆": "bai3 zhao4",
}

#: Frequency a term gets in the segmentation dictionary: that of a common word, so a term wins
#: over the characters it is made of but not over a longer dictionary word around it.
FREQUENCY = 3000
