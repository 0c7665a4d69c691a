"""原文: one article with every figure highlighted where it stands, and listed beside it.

The article is chosen by ``?article=<id>`` (the links of 数据浏览, 县区 and 排名) or from a list; the
figure the reader came from (``?fact=<id>``) is marked apart and named above the text, and the
filters in the URL are kept, so 返回 leads back to the same view. Page text is always escaped
(``safe_text``): a newspaper page is data, never HTML or Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, filters, queries, tables
from dashboard.formatting import format_date
from dashboard.initiatives import label_of
from dashboard.safe_text import escape_markdown, highlight_html

CAME_FROM = "【你从这条数据来】"
_STYLE = ("<style>.article-text{line-height:1.95;font-size:1.05rem;white-space:normal}"
          "mark.fact{background:#f7d9a8;padding:0 .15em;border-radius:.2em}"
          f'mark.fact[title^="{CAME_FROM}"]{{background:#e8a27f;outline:2px solid #b5452f;'
          "font-weight:600}</style>")

auth.require_role("viewer")
st.title("原文")
wanted = filters.article_id()
choices = queries.article_list(filters.current())
ids = list(choices["article_id"])
if wanted and wanted not in ids:
    ids.insert(0, wanted)
titles = dict(zip(choices["article_id"], choices["title"], strict=True))
dates = dict(zip(choices["article_id"], choices["published"], strict=True))

if not ids:
    st.info("没有可显示的文章：请放宽左侧的筛选条件，或先到「导入」页上传版面。")
    st.stop()


def _pick_label(article_id: str) -> str:
    title = titles.get(article_id) or "（无标题）"
    return f"{title} · {format_date(dates.get(article_id))}" if article_id in dates else title


def _on_pick() -> None:
    filters.set_article_id(st.session_state.get("article_pick") or "")


picked = st.selectbox("选择文章", ids, index=ids.index(wanted) if wanted in ids else 0,
                      format_func=_pick_label, key="article_pick", on_change=_on_pick,
                      placeholder="输入标题中的字查找",
                      help="列出含有当前筛选数据的文章，最新的在前")
article = queries.article(picked)
if article is None:
    st.warning("没有找到这篇文章：链接可能已过期（文章被重新导入后编号会变），请从「数据浏览」重新打开。")
    st.stop()

st.header(escape_markdown(article.get("title") or "（无标题）"))
if article.get("subtitle"):
    st.markdown(escape_markdown(article["subtitle"]))
meta = [format_date(article.get("published")), article.get("doc") or "", article.get("byline") or ""]
st.caption(escape_markdown(" · ".join(m for m in meta if m)))

found = queries.article_facts(picked)
came_from = filters.fact_id() if picked == wanted else ""
marked = found[found["fact_id"] == came_from] if came_from else found.iloc[0:0]
if not marked.empty:
    row = marked.iloc[0]
    place = row["county"] or row["city"] or "地点不详"
    st.info(f"你从这条数据来：{escape_markdown(place)} · {escape_markdown(row['metric'] or '未命名指标')} · "
            f"{escape_markdown(tables.shown_value(row['value'], row['unit'], row['approx']))}"
            "（文中以深色标出）", icon=":material/my_location:")
text_col, list_col = st.columns([3, 2])
with text_col:
    spans = [(r.char_start, r.char_end,
              ("" if r.fact_id != came_from else CAME_FROM)
              + f"{r.metric} {tables.shown_value(r.value, r.unit, r.approx)}")
             for r in found.itertuples(index=False) if pd.notna(r.char_start) and pd.notna(r.char_end)]
    st.markdown(_STYLE + highlight_html(article.get("text") or "", spans), unsafe_allow_html=True)
with list_col:
    st.subheader(f"文中数据（{len(found)}条）")
    if found.empty:
        st.info("这篇文章里没有找到数据。")
    else:
        listing = pd.DataFrame({
            "原文": found["quote"],
            "数值": [tables.shown_value(v, u, a)
                     for v, u, a in zip(found["value"], found["unit"], found["approx"], strict=True)],
            "指标": found["metric"], "城市": found["city"], "县（市、区）": found["county"],
            "攻坚领域": [label_of(k) for k in found["initiative"]], "时期": found["period"],
            "校对": found["review_status"].map({"accepted": "已确认", "corrected": "已更正",
                                                "rejected": "已否决"}).fillna(""),
        })
        listing.insert(0, "来处", ["◆" if f == came_from else "" for f in found["fact_id"]])
        st.dataframe(listing, hide_index=True, width="stretch",
                     height=min(640, 38 + 35 * len(found)))
