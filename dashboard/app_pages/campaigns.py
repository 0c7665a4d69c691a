"""攻坚行动: which cities report on which campaign, since when, and with what results.

Without a campaign chosen it lists every campaign (first and last mention, articles, cities and
counties reporting it) and charts the articles per month. With one campaign in the sidebar's
filter (``?campaign=三提三敢``, so the view is its URL) it shows that campaign: articles per month
by city, the figures of the articles naming it (those whose sentence names it first), targets
beside results with 完成率, and the articles with every mention marked. Choosing a city narrows
the filters (``&city=聊城市``); 原文 opens an article with the filters kept.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, campaign_charts, campaign_queries, filters, tables
from dashboard.formatting import format_date, format_month, format_number, format_quantity
from dashboard.initiatives import label_of
from dashboard.safe_text import escape_markdown, highlight_html
from loaders.campaigns import LEVEL_LABELS, find_mentions, load_catalogue, years_text

_STYLE = ("<style>.article-text{line-height:1.9;font-size:1rem}"
          "mark.campaign{background:#f3c5b8;padding:0 .15em;border-radius:.2em}</style>")
_FIGURES_SHOWN = 500


def _describe(name: str) -> str:
    """``"三提三敢"`` → "市级 · 聊城市 · 2023年起"; a confirmed name the catalogue lacks → "经校对确认"."""
    known = load_catalogue().get(name)
    if known is None:
        return "经校对确认的攻坚行动（不在目录中）"
    parts = [LEVEL_LABELS.get(known.level, ""), known.issuer, years_text(known)]
    if known.family and known.family != name:
        parts.append(f"属于“{known.family}”")
    return " · ".join(p for p in parts if p)


def _choose(name: str) -> None:
    filters.narrow("campaigns", name)


def _on_pick() -> None:
    picked = st.session_state.get("campaign_pick")
    if picked:
        _choose(picked)


def _back() -> None:
    st.session_state[filters._KEYS["campaigns"]] = []  # the sidebar's campaign filter back to all


def _on_city() -> None:
    city = st.session_state.get("campaign_city")
    if city:
        filters.narrow("cities", city)
    else:
        st.session_state[filters._KEYS["cities"]] = []


def render_list(current: filters.Filters) -> None:
    listing = campaign_queries.campaigns(current)
    if listing.empty:
        st.info("没有提到攻坚行动的文章符合当前筛选条件：请放宽左侧的筛选条件，或点「清除筛选」。")
        return
    st.caption("每项攻坚行动首次、最近见报的日期，提到它的文章篇数，以及文章数据涉及的城市和县区。"
               "选择一项查看详情。")
    st.selectbox("查看一项攻坚行动", listing["name"].tolist(), index=None, key="campaign_pick",
                 on_change=_on_pick, placeholder="选择攻坚行动")
    table = pd.DataFrame({
        "攻坚行动": listing["name"],
        "级别": [LEVEL_LABELS.get(level, "经校对确认") for level in listing["level"]],
        "所属": [f if f != n else "" for f, n in zip(listing["family"], listing["name"], strict=True)],
        "首次见报": [format_date(d) for d in listing["first"]],
        "最近见报": [format_date(d) for d in listing["last"]],
        "文章": listing["articles"], "提及次数": listing["mentions"],
        "城市": ["、".join(c) for c in listing["cities"]],
        "县（市、区）": ["、".join(c) for c in listing["counties"]],
    })
    st.dataframe(table, hide_index=True, width="stretch", height=min(600, 38 + 35 * len(table)))
    months = campaign_queries.by_month(current)
    if not months.empty:
        filters.clickable_chart(campaign_charts.mentions_by_month(months), "campaigns_by_month", "campaigns")


def _figures_table(figures: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "原句提及": ["✓" if x else "" for x in figures["in_sentence"]],
        "刊发日期": [format_date(p) for p in figures["published"]],
        "城市": figures["city"], "县（市、区）": figures["county"],
        "攻坚领域": [label_of(k) for k in figures["initiative"]], "指标": figures["metric"],
        "数值": [tables.shown_value(v, u, a, h) for v, u, a, h in
                 zip(figures["value"], figures["unit"], figures["approx"], figures["range_hi"], strict=True)],
        "时期": figures["period"], "原句": figures["sentence"], "原文": tables.OPEN_ARTICLE,
    })


def _targets_table(both: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "城市": both["city"], "县（市、区）": both["county"], "年份": both["period_year"].astype(int),
        "指标": both["metric"],
        "目标": [format_quantity(v, u) for v, u in zip(both["target"], both["unit"], strict=True)],
        "完成": [format_quantity(v, u) for v, u in zip(both["result"], both["unit"], strict=True)],
        "完成率": [f"{format_number(r * 100, 1)}%" if pd.notna(r) else "" for r in both["rate"]],
        "目标原句": both["target_sentence"], "完成原句": both["result_sentence"], "原文": tables.OPEN_ARTICLE,
    })


def render_campaign(current: filters.Filters, name: str) -> None:
    st.button("← 全部攻坚行动", on_click=_back, key="campaign_back")
    st.header(escape_markdown(name))
    st.caption(escape_markdown(_describe(name)))
    articles = campaign_queries.articles(current, name)
    if articles.empty:
        st.info("没有提到这项攻坚行动的文章符合当前筛选条件：请放宽左侧的筛选条件。")
        return
    timeline = campaign_queries.timeline(current, name)
    cities = sorted(c for c in timeline["city"].unique() if c != "未定位")
    cards = st.columns([1, 1, 1, 2])
    total = int(articles["total_articles"].iloc[0])
    cards[0].metric("文章", f"{total:,}篇")
    cards[1].metric("提及次数", f"{int(articles['total_mentions'].iloc[0]):,}次")
    cards[2].metric("城市", f"{len(cities)}个")
    dated = timeline["month"].dropna()
    first, last = (format_month(pd.Timestamp(min(dated))), format_month(pd.Timestamp(max(dated)))) \
        if len(dated) else ("日期不详", "日期不详")
    span = first if first == last else f"{first}—{last}"
    cards[3].metric("见报时间", span)
    if cities:
        chosen = current.cities[0] if len(current.cities) == 1 and current.cities[0] in cities else None
        st.session_state["campaign_city"] = chosen
        st.pills("按城市查看", cities, key="campaign_city", on_change=_on_city,
                 help="选择一个城市，左侧筛选随之改变；再点一次取消")
    if not timeline.empty:
        chart = campaign_charts.timeline_by_place(timeline, name)
        filters.clickable_chart(chart, "campaign_timeline", "cities")

    figures = campaign_queries.figures(current, name)
    st.subheader(f"相关数据（{len(figures):,}条）")
    if figures.empty:
        st.info("提到这项攻坚行动的文章里没有符合筛选条件的数据。")
    else:
        st.caption("提到这项攻坚行动的文章中的数据；原句本身提到它的排在前面（“原句提及”）。")
        shown = figures.head(_FIGURES_SHOWN)
        targets = list(zip(shown["article_id"], shown["fact_id"], strict=True))
        tables.article_table(_figures_table(shown), targets, key="campaign_figures", filters=current,
                             width="stretch", height=min(480, 38 + 35 * len(shown)))
        both = campaign_queries.targets_and_results(figures)
        st.subheader("目标与完成")
        if both.empty:
            st.caption("没有同一句话中同一地方、同一年份、同一指标既有目标又有完成数的数据，无法计算完成率。")
        else:
            st.caption("完成率 = 完成数 ÷ 目标，只比较同一句话中同一地方、同一年份、同一指标和单位的数据；"
                       "“计划、目标、力争”之后的数为目标，“完成、实现、累计”之后的数为完成数。")
            tables.article_table(_targets_table(both), [(a, "") for a in both["article_id"]],
                                 key="campaign_targets", filters=current, width="stretch")

    st.subheader(f"见报文章（{total:,}篇）")
    if total > len(articles):
        st.caption(f"下面是最新的 {len(articles)} 篇。")
    st.markdown(_STYLE, unsafe_allow_html=True)
    for row in articles.itertuples(index=False):
        label = f"{row.title or '（无标题）'} · {format_date(row.published)} · 提及{row.mentions}次"
        with st.expander(escape_markdown(label)):
            st.page_link(tables.ARTICLE_PAGE_FILE, label="打开原文", icon=":material/article:",
                         query_params=filters.view_params(current, article=row.article_id))
            spans = [(m.start, m.end, m.name) for m in find_mentions(row.text or "")
                     if m.name in load_catalogue().members(name) or m.name == name]
            st.markdown(highlight_html(row.text or "", spans, css_class="campaign"), unsafe_allow_html=True)


def render() -> None:
    auth.require_role("viewer")
    st.title("攻坚行动")
    current = filters.current()
    if len(current.campaigns) == 1:
        render_campaign(current, current.campaigns[0])
    else:
        render_list(current)


render()
