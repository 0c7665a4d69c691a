"""The 攻坚行动 page's charts: articles per month, one colour per campaign or city, clickable."""

from __future__ import annotations

import pandas as pd

from dashboard import campaign_charts

NAMES = ["双招双引", "脱贫攻坚", "新旧动能转换", "乡村振兴", "作风建设", "三提三敢", "绿色低碳高质量发展",
         "制造业强市", "亩产效益"]


def test_mentions_by_month_keeps_the_largest_campaigns_and_groups_the_rest():
    frame = pd.DataFrame({"name": NAMES, "month": pd.to_datetime(["2023-02-01"] * 9),
                          "articles": [9, 8, 7, 6, 5, 4, 3, 2, 1]})
    fig = campaign_charts.mentions_by_month(frame)
    names = [trace.name for trace in fig.data]
    assert names == [*NAMES[:7], "其他"]
    assert list(fig.data[-1].y) == [3]  # 制造业强市 2 + 亩产效益 1
    assert fig.data[0].customdata[0] == "双招双引" and fig.layout.barmode == "stack"
    assert list(fig.data[0].x) == ["2023年2月"]


def test_the_timeline_counts_articles_per_city_and_month():
    frame = pd.DataFrame({"month": pd.to_datetime(["2020-03-01", "2020-03-01", "2020-09-01"]),
                          "city": ["聊城市", "聊城市", "济南市"], "county": ["", "临清市", ""],
                          "articles": [1, 1, 1]})
    fig = campaign_charts.timeline_by_place(frame, "双招双引")
    by_city = {trace.name: list(trace.y) for trace in fig.data}
    assert by_city == {"聊城市": [2, 0], "济南市": [0, 1]}
    assert fig.layout.title.text == "双招双引：各市每月见报文章数"


def test_a_campaign_name_cannot_inject_markup_into_the_chart():
    frame = pd.DataFrame({"name": ["<b>x</b>攻坚行动"], "month": pd.to_datetime(["2024-01-01"]),
                          "articles": [1]})
    fig = campaign_charts.mentions_by_month(frame)
    assert fig.data[0].name == "&lt;b&gt;x&lt;/b&gt;攻坚行动"
    assert fig.data[0].customdata[0] == "<b>x</b>攻坚行动"  # the filter gets the name itself
