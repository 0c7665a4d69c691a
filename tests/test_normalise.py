"""loaders.normalise: sentences broken across blank lines are joined, repeated paragraphs dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.normalise import (
    drop_readings,
    drop_repeated_paragraphs,
    fold_characters,
    join_broken_paragraphs,
    normalise_text,
)

SEEDS = Path(__file__).parent.parent / "seeds"


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


JOINED = [
    (
        "保基层运转，紧要的是补足“钱袋子”。今年国家新增的财政赤字和抗疫特别国债共2万亿\n\n"
        "元，直达市县基层，直接惠企利民；",
        "保基层运转,紧要的是补足“钱袋子”。今年国家新增的财政赤字和抗疫特别国债共2万亿元,"
        "直达市县基层,直接惠企利民;",
    ),
    (
        "仍存在一定程度的权责不对称、属地“权小责大”问题，治理权\n\n限不够，掌握资源不足。",
        "仍存在一定程度的权责不对称、属地“权小责大”问题,治理权限不够,掌握资源不足。",
    ),
    (
        "以“只争朝夕、时不我待”的紧迫感争当行动标兵,全\n\n面落实市委“三提三敢”新要求。",
        "以“只争朝夕、时不我待”的紧迫感争当行动标兵,全面落实市委“三提三敢”新要求。",
    ),
    (
        "邻居提供技术指导,“众人拾柴”下,两\n\n个40米长的大棚迈向生产正轨,今年1月份,西葫芦上市。",
        "邻居提供技术指导,“众人拾柴”下,两个40米长的大棚迈向生产正轨,今年1月份,西葫芦上市。",
    ),
    (
        "目前,高新区规模以上工业企业全部实现复工复产。“我们将开展骨干企\n\n业大走访、大纾困、大督导活动。”",
        "目前,高新区规模以上工业企业全部实现复工复产。“我们将开展骨干企业大走访、大纾困、大督导活动。”",
    ),
    (
        "“这两台窑炉的炉体是用特殊材质砌\n\n成的，容易热胀冷缩。",
        "“这两台窑炉的炉体是用特殊材质砌成的,容易热胀冷缩。",
    ),
    (
        "精准指导登记挂牌业务。在紧张战“疫”的\n\n2、3月份，全省挂牌80万辆。",
        "精准指导登记挂牌业务。在紧张战“疫”的2、3月份,全省挂牌80万辆。",
    ),
    (
        "□记者 李梦 报道 本报聊城讯 市里拿出针对性措施,逐一破题,逐个\n\n解决。3月20日,代市长调研。",
        "□记者 李梦 报道 本报聊城讯 市里拿出针对性措施,逐一破题,逐个解决。3月20日,代市长调研。",
    ),
]


@pytest.mark.parametrize(("text", "expected"), JOINED)
def test_sentence_broken_across_a_blank_line_is_joined(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


KEPT_APART = [
    "保基层运转,强基层治理。\n\n受疫情影响,今年前5月全国一般公共预算收入同比下降13.6%。",
    "## 聚力“六稳”“六保”·重点工作攻坚看行动\n\n## 基层运转有力 前行更有底气",
    "金融辅导队主动上门高效服务,提供“一户一策”差异化辅导\n\n## 95万元“金融活水”救活一家小微企业",
    "## 95万元“金融活水”救活一家小微企业\n\n□ 本报记者 王德纯\n本报通讯员 张生",
    "□ 本报记者 王德纯\n本报通讯员 张生\n\n6月17日,浙浙沥沥的小雨下了一整天。",
    "■数据显示,1-5月份,全省技改投资同比增长26.6%,保持了快速增长的良好态势\n\n□ 记者 付玉婷 报道",
    "“学习强国”聊城学习平台正式上线\n\n本报讯(记者 赵宗锋)2月9日上午,平台上线仪式举行。",
    "高唐县构建套餐式集成服务新场景\n\n开办道路货运企业审批提速92.5%",
    "目击\n\n山东新闻专栏\n\n8月13日,游客在古城一家扎染工作室挑选手工艺品。",
    "聊城启动扶贫领域问题整改“清零”大行动——\n\n“再小的问题也不放过”",
    "脱贫攻坚 聊城在行动\n\n◆当前最紧迫的任务就是进一步查缺补漏",
    "——我市各县市区干字当头推进绿色低碳高质量发展\n\n■ 本报记者 薛荷荷",
]


@pytest.mark.parametrize("text", KEPT_APART)
def test_real_paragraph_breaks_stay(text: str) -> None:
    assert normalise_text(text) == text


LAYOUT = [
    ("□ 本报记者 王德纯  \n本报通讯员 张生", "□ 本报记者 王德纯\n本报通讯员 张生"),
    ("\n\n保基层运转。\n\n\n\n\n强基层治理。\n\n", "保基层运转。\n\n强基层治理。"),
    ("保基层运转。\r\n\r\n强基层治理。", "保基层运转。\n\n强基层治理。"),
    ("保基层运转。\n  \t\n强基层治理。", "保基层运转。\n\n强基层治理。"),
    ("\u3000\u3000治国安邦重在基层。", "治国安邦重在基层。"),
]


@pytest.mark.parametrize(("text", "expected"), LAYOUT)
def test_blank_lines_and_trailing_spaces(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


FOLDS = [
    ("１－５月份，全省增长４．８％", "1-5月份,全省增长4.8%"),
    ("ＰＰＰ（政府和社会资本合作）：ＡＢＣ；ｘｙｚ！？", "PPP(政府和社会资本合作):ABC;xyz!?"),
    ("本报讯\u3000记者\u00a0赵宗锋", "本报讯 记者 赵宗锋"),
    ("共2万\u200b亿\u200d元\ufeff\x00", "共2万亿元"),
    ("“三公”经费、《若干措施》。", "“三公”经费、《若干措施》。"),
]


@pytest.mark.parametrize(("text", "expected"), FOLDS)
def test_fold_characters(text: str, expected: str) -> None:
    assert fold_characters(text) == expected


def test_every_full_width_ascii_variant_folds_to_its_ascii_twin() -> None:
    wide = "".join(chr(code) for code in range(0xFF01, 0xFF5F))
    assert fold_characters(wide) == "".join(chr(code) for code in range(0x21, 0x7F))


def test_page_002_keeps_one_clean_copy_of_the_gaoxin_paragraph() -> None:
    raw = _seed("002")
    assert raw.count("业大走访、大纾困、大督导活动") == 3
    text = normalise_text(raw)
    assert text.count("业大走访、大纾困、大督导活动") == 1
    assert "“我们将开展骨干企业大走访、大纾困、大督导活动,发挥助企专员作用" in text
    assert text.count("“卡位入链”。") == 1
    assert "紧盯“月季里”特色文旅街区" in text


def test_repeats_are_dropped_but_short_lines_are_not() -> None:
    paragraphs = [
        "时政动态",
        "市地方金融监管局召开专题会议,传达学习会议精神。",
        "时政动态",
        "市地方金融监管局召开专题会议,传达学习会议精神。",
        "传达学习会议精神。",
        "金融监管局召开专题会议,传达学习会议精神。",
    ]
    assert drop_repeated_paragraphs(paragraphs) == [
        "时政动态",
        "市地方金融监管局召开专题会议,传达学习会议精神。",
        "时政动态",
        "传达学习会议精神。",
    ]


def test_long_headlines_repeat_freely() -> None:
    headline = "临清轴承产业『延链建链强链补链』提档升级 聊城制造企业重塑鲁西制造版图"
    assert drop_repeated_paragraphs([headline, "正文。", headline]) == [headline, "正文。", headline]


def test_join_inserts_nothing() -> None:
    assert join_broken_paragraphs(["个产业展示中心,力", "争全年实际到位外来资金增长10%以上。"]) == [
        "个产业展示中心,力争全年实际到位外来资金增长10%以上。"
    ]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_pages_lose_no_sentence(prefix: str) -> None:
    raw = fold_characters(_seed(prefix))
    text = normalise_text(raw)
    squeezed = text.replace("\n", "").replace(" ", "")
    for sentence in raw.replace("\n", "").replace(" ", "").split("。"):
        assert sentence in squeezed


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_normalising_twice_changes_nothing(prefix: str) -> None:
    once = normalise_text(_seed(prefix))
    assert normalise_text(once) == once


PAGE_PIECES = st.lists(
    st.sampled_from(
        ["## 标题", "□ 本报记者 王德纯", "共2万亿", "元,直达市县基层。", "治理权", "限不够。"]
        + ["", " ", "\r", "１２％"]
    ),
    max_size=30,
)


@given(PAGE_PIECES)
def test_layout_invariants(pieces: list[str]) -> None:
    text = normalise_text("\n".join(pieces))
    assert "\n\n\n" not in text
    assert "\r" not in text
    assert not any(line != line.strip() for line in text.split("\n"))
    assert normalise_text(text) == text


READING_CASES = [
    # (text as a site's converter printed it, text the rules read)
    ("烟台、济(jì)南列第二、第三名,超3000亿元", "烟台、济南列第二、第三名,超3000亿元"),
    ("山東17市經(jīng)濟(jì)半年報(bào):菏澤增長最快", "山東17市經濟半年報:菏澤增長最快"),
    ("运河经(jīng)济开发(fā)区(qū): 规模以上企业(yè)100%复工复产(chǎn)",
     "运河经济开发区: 规模以上企业100%复工复产"),
    # brackets that are no reading: no tone mark, capitals, digits, or after no hanzi
    ("国内生产总值(gdp)增长5%", "国内生产总值(gdp)增长5%"),
    ("GDP(国内生产总值)", "GDP(国内生产总值)"),
    ("山东16市带队招商引资情况(9月)", "山东16市带队招商引资情况(9月)"),
    ("見 (jiàn)", "見 (jiàn)"),
]


@pytest.mark.parametrize(("text", "expected"), READING_CASES)
def test_pinyin_readings_are_dropped(text: str, expected: str) -> None:
    assert drop_readings(text) == expected
    assert normalise_text(text) == expected


@given(st.text(alphabet="。!?;，共有\n", max_size=40))
def test_anchor_keys_are_the_eight_characters_ending_at_each_mark(text: str) -> None:
    import re

    from loaders.normalise import _anchor_keys

    assert _anchor_keys(text) == re.findall(r"(?s)[。!?;](?<=(.{8}))", text)
