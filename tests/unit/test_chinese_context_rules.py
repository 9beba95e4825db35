"""Readings that the part of speech or the position of a polyphone settles (rules.py, issue
20's second pass): each rule with sentences written for it, none taken from the CPP data, and
the neighbouring case where the rule must not fire."""

import pytest

from app.chinese import pinyin_text, polyphones, syllables


def reading(text: str, char: str, nth: int = 0) -> str:
    index = -1
    for _ in range(nth + 1):
        index = text.index(char, index + 1)
    return syllables(text)[index]


@pytest.mark.parametrize(
    ("text", "char", "expected"),
    [
        # a one-syllable verb before its complement (撒 sǎ, 粘 zhān, 铺 pū, 刨 páo)
        ("面包上撒上一点芝麻。", "撒", "sa3"),
        ("把种子撒在地里。", "撒", "sa3"),
        ("请把标签粘在箱子上。", "粘", "zhan1"),
        ("地上铺上一层地毯。", "铺", "pu1"),
        ("小狗在院子里刨出一根骨头。", "刨", "pao2"),
        # sentence-final particles are neutral
        ("明天别迟到哦！", "哦", "o5"),
        ("他还在加班哩。", "哩", "li5"),
        ("好了，我走咯。", "咯", "lo5"),
        # a noun that ends a clause: 将 jiàng, 相 xiàng, 观 guàn
        ("他后来升为副将。", "将", "jiang4"),
        ("他在齐国做相，很有名。", "相", "xiang4"),
        ("山上有一座白云观，很安静。", "观", "guan4"),
        # 应 before a verb is the modal yīng
        ("这个问题应尽早解决。", "应", "ying1"),
        # 尽 on its own: jìn, all, to the utmost
        ("客人把菜尽吃光了。", "尽", "jin4"),
        # after 所: the verb
        ("博物馆所藏的瓷器很多。", "藏", "cang2"),
        # 哄 before a person: hǒng
        ("妈妈哄孩子睡觉。", "哄", "hong3"),
        # 涌 ending a place name: chōng
        ("我们住在东涌。", "涌", "chong1"),
        ("沿着大涌河走十分钟。", "涌", "chong1"),
        # 传 ending a book's title: zhuàn
        ("我在读《水浒传》。", "传", "zhuan4"),
        # lexical: 紧挨 āi, 喝一声 hè, 晕 as a halo, 盛 before food, 搞蒙 mēng, 西南边 ·bian
        ("我们的仓库紧挨着工厂。", "挨", "ai1"),
        ("他大喝一声。", "喝", "he4"),
        ("月亮的晕中有一圈彩色。", "晕", "yun4"),
        ("服务员给我盛米饭。", "盛", "cheng2"),
        ("这么多数字把我搞蒙了。", "蒙", "meng1"),
        ("工厂在城市的西南边。", "边", "bian5"),
    ],
)
def test_rules_settle_the_reading(text, char, expected):
    assert reading(text, char) == expected


@pytest.mark.parametrize(
    ("text", "char", "expected"),
    [
        # 撒 before an object (撒谎 is a word) and 铺 as a shop keep their readings
        ("他撒谎了。", "撒", "sa1"),
        ("街上有一家小铺子。", "铺", "pu4"),
        # a particle that opens a sentence is an interjection, not the neutral particle
        ("哦，我明白了。", "哦", "o4"),
        # 将 before a verb or an object is jiāng
        ("会议将在明天举行。", "将", "jiang1"),
        ("请将文件发给我。", "将", "jiang1"),
        # 相 before a verb is the adverb xiāng
        ("我们相信你。", "相", "xiang1"),
        # 涌 before a verb is yǒng
        ("人群涌入会场。", "涌", "yong3"),
        # 传 not in a title
        ("请把文件传给我。", "传", "chuan2"),
        # 晕 as a verb
        ("我有点头晕。", "晕", "yun1"),
        # after a numeral 观 is the verb ("a look")
        ("这座古城值得一观。", "观", "guan1"),
        # 盛 after a degree adverb is the adjective
        ("这里的节日很盛大。", "盛", "sheng4"),
    ],
)
def test_rules_do_not_fire_outside_their_context(text, char, expected):
    assert reading(text, char) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 还给 + a person who then acts: the adverb hái ("also") and the preposition 给
        (
            "工程师到现场安装调试，还给操作人员做培训。",
            "Gōngchéngshī dào xiànchǎng ānzhuāng tiáoshì, hái gěi cāozuò rényuán zuò péixùn.",
        ),
        ("他还给我打了电话。", "Tā hái gěi wǒ dǎ le diànhuà."),
        # 还给 someone: huán, return; with 把 it is always huán
        ("我明天还给你。", "Wǒ míngtiān huán gěi nǐ."),
        ("我把书还给他，然后走了。", "Wǒ bǎ shū huán gěi tā, ránhòu zǒu le."),
        # 老 before a two-syllable noun is an adjective written apart; forms of address whole
        ("王总是我们的老朋友。", "Wáng zǒngshì wǒmen de lǎo péngyou."),
        ("我们在老地方见。", "Wǒmen zài lǎo dìfang jiàn."),
        ("老太太身体很好。", "Lǎotàitai shēntǐ hěn hǎo."),
        ("老百姓都知道。", "Lǎobǎixìng dōu zhīdào."),
        # 免贵姓: three words, and the surname after 姓 capitalised
        ("免贵姓王。", "Miǎn guì xìng Wáng."),
        ("您贵姓？", "Nín guìxìng?"),
        # a modal and a verb that jieba lists as a noun (会派 "faction"), after a subject
        ("我们会派工程师去现场。", "Wǒmen huì pài gōngchéngshī qù xiànchǎng."),
        ("公司明天会派人来。", "Gōngsī míngtiān huì pài rén lái."),
        ("他要求很高。", "Tā yāoqiú hěn gāo."),
        # 再 and a verb that only CC-CEDICT joins
        ("请您再发一次。", "Qǐng nín zài fā yī cì."),
    ],
)
def test_course_convention(text, expected):
    assert pinyin_text(text) == expected


def test_a_rule_says_why():
    found = {p.char: p for p in polyphones("面包上撒上一点芝麻。")}
    assert found["撒"].source == "rule"
    assert "complement" in found["撒"].reason


@pytest.mark.parametrize(
    ("text", "char", "expected"),
    [
        # phrase readings corrected against 现代汉语词典 (lexicon.CORRECTIONS)
        ("把文件拖拽到这里。", "拽", "zhuai4"),
        ("客户资料不能泄露。", "露", "lou4"),
        ("两地的高差很大。", "差", "cha1"),
        ("这里人车混行。", "混", "hun4"),
        ("将军率部出发。", "率", "shuai4"),
        ("申请不予批准。", "予", "yu3"),
        ("猪每年产仔两次。", "仔", "zai3"),
        ("船在泊地等候。", "泊", "bo2"),
    ],
)
def test_corrected_phrase_readings(text, char, expected):
    assert reading(text, char) == expected


@pytest.mark.parametrize(
    ("text", "char", "expected"),
    [
        # 现代汉语词典's tones where CC-CEDICT writes a Taiwan or neutral one (lexicon.STANDARD_TONES)
        ("合同我已经上传了，您可以下载。", "载", "zai4"),
        ("三十九度？看来不是小问题。", "来", "lai2"),
        ("陈工病了，刚刚住院了。", "刚", "gang1"),
        ("好久不见！", "不", "bu4"),
        # 都 before a modal is the adverb dōu (dūhuì only "metropolis")
        ("我们都会来。", "都", "dou1"),
        ("大都会的生活很忙。", "都", "du1"),
        # 看 "visit" before 老人; kān "look after" before 孩子
        ("过节的时候大家都回家看老人。", "看", "kan4"),
        ("我在家看孩子。", "看", "kan1"),
        # 上 before a school is the verb; a locative after a noun stays neutral
        ("我女儿上初中二年级。", "上", "shang4"),
        ("年会上领导给员工发红包。", "上", "shang5"),
        ("马路上车很多。", "上", "shang5"),
        ("桌子上有一本书。", "上", "shang5"),
        # a directional complement after a one-syllable verb is neutral, both syllables
        ("我们走过去吧。", "过", "guo5"),
        ("我帮您拿下来。", "下", "xia5"),
        ("大家都站起来了。", "起", "qi5"),
        # … but not after 请 or a modal, where it is the verb
        ("请进来！", "进", "jin4"),
        ("城墙能上去吗？", "上", "shang4"),
        # 吧 ending a sentence is the particle
        ("我们去看老人吧", "吧", "ba5"),
    ],
)
def test_reviewed_readings(text, char, expected):
    assert reading(text, char) == expected


def test_reviewed_readings_of_whole_words():
    assert syllables("走过去")[1:] == ["guo5", "qu5"]
    assert syllables("拿下来")[1:] == ["xia5", "lai5"]
    assert syllables("刚刚") == ["gang1", "gang1"]
    assert syllables("下载") == ["xia4", "zai4"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 过 after a verb: the aspect particle, neutral and joined to its verb (现代汉语词典)
        ("我们都检查过。", "Wǒmen dōu jiǎncháguo."),
        ("你在中国学过吗？", "Nǐ zài Zhōngguó xuéguo ma?"),
        ("我们都去过北京。", "Wǒmen dōu qùguo Běijīng."),
        ("他来过三次。", "Tā láiguo sān cì."),
        ("你见过他吗？", "Nǐ jiànguo tā ma?"),
        ("我从来没吃过烤鸭。", "Wǒ cónglái méi chīguo kǎoyā."),
        # 过 as a verb or a complement keeps guò
        ("我们准备过春节。", "Wǒmen zhǔnbèi guò Chūnjié."),
        ("他走过马路。", "Tā zǒuguò mǎlù."),
        ("我们最喜欢过新年。", "Wǒmen zuì xǐhuan guò xīnnián."),
        ("他们走过去了。", "Tāmen zǒu guoqu le."),
        ("这次考试他通过了。", "Zhè cì kǎoshì tā tōngguò le."),
        ("不过我很难过。", "Bùguò wǒ hěn nánguò."),
        ("过去我们不认识。", "Guòqù wǒmen bù rènshi."),
        # 得 between a verb and how it is done: de; the modal děi and 得到 dé stay
        ("公司发展得很快。", "Gōngsī fāzhǎn de hěn kuài."),
        ("他跑得很快。", "Tā pǎo de hěn kuài."),
        ("他写得清楚。", "Tā xiě de qīngchu."),
        ("你汉语学得怎么样？", "Nǐ Hànyǔ xué de zěnmeyàng?"),
        ("我得走了。", "Wǒ děi zǒu le."),
        ("他获得了冠军。", "Tā huòdé le guànjūn."),
        # 为 before whom an action is for: wèi; the copula wéi after a verb or in 以…为
        ("我们为代表团准备了接风宴。", "Wǒmen wèi dàibiǎotuán zhǔnbèi le jiēfēngyàn."),
        ("公司为员工提供培训。", "Gōngsī wèi yuángōng tígōng péixùn."),
        ("他们为我们干杯。", "Tāmen wèi wǒmen gānbēi."),
        ("以客户为中心开展工作。", "Yǐ kèhù wéi zhōngxīn kāizhǎn gōngzuò."),
        ("北京为中国的首都。", "Běijīng wéi Zhōngguó de shǒudū."),
        ("他认为我们对。", "Tā rènwéi wǒmen duì."),
        ("他成为了经理。", "Tā chéngwéi le jīnglǐ."),
    ],
)
def test_particles_guo_de_and_preposition_wei(text, expected):
    assert pinyin_text(text) == expected
