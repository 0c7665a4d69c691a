"""搜索: find articles by words (jieba word index, best first), and a city's 热词 over the years.

Search ranks the articles holding every word of the query (BM25 over the store's jieba index,
``loaders.storage.search``), narrowed by the sidebar's filters, each with its words marked in a
snippet and a link to 原文. 热词 lists, per year, the words weighing most in a city's articles
(jieba.analyse TF-IDF), how much each rose, and the articles using it.
"""

from __future__ import annotations

import html

import streamlit as st

from dashboard import auth, filters, queries, search_queries, tables
from dashboard.formatting import format_date
from dashboard.safe_text import escape_markdown, highlight_html, inert_html
from loaders.storage.search import query_words

_STYLE = ("<style>.article-text{line-height:1.8}"
          "mark.word{background:#ffe08a;padding:0 .1em;border-radius:.2em}</style>")
_LINKS_PER_WORD = 3


def _marks(text: str, words: list[str]) -> list[tuple[int, int, str]]:
    spans = []
    for word in words:
        at = text.find(word)
        while at >= 0:
            spans.append((at, at + len(word), ""))
            at = text.find(word, at + len(word))
    return spans


def _link(article_id: str, title: str, current: filters.Filters) -> str:
    """An HTML link to 原文 that opens in this tab (a Markdown link would open a new one), filters kept."""
    href = html.escape(tables.article_link(article_id, filters=current), quote=True)
    return f"<a href='{href}' target='_self'>{inert_html(title or '（无标题）')}</a>"


def render_search(current: filters.Filters) -> None:
    words = filters.url_text_input("搜索文章", param="words", key="search_words",
                                   placeholder="例如：技改、设备更新 贷款",
                                   help="文章须含有全部词语；按词语的多少和稀有程度排序；输入后按回车")
    if not words:
        st.caption("输入词语搜索全部文章；左侧筛选条件同样适用。")
        return
    found = search_queries.articles(current, words)
    if found.empty:
        st.info("没有文章含有这些词语：请换个说法，或放宽左侧的筛选条件。")
        return
    st.caption(f"找到 {len(found)} 篇文章，最相关的在前。")
    st.markdown(_STYLE, unsafe_allow_html=True)
    marked = query_words(words)
    for rank, row in enumerate(found.itertuples(index=False), 1):
        link, when = _link(row.article_id, row.title, current), inert_html(format_date(row.published))
        result = st.container(border=True)  # a title and its snippet read as one result
        result.markdown(f"<b>{rank}.</b> {link} · {when} · 出现 {row.hits} 次", unsafe_allow_html=True)
        result.markdown(highlight_html(row.snippet, _marks(row.snippet, marked), css_class="word"),
                        unsafe_allow_html=True)


def render_hot_words(current: filters.Filters) -> None:
    cities = list(queries.options().cities)
    if len(current.cities) == 1:
        city = current.cities[0]
    elif cities:
        if "hot_words_city" not in st.session_state and not filters.view_param("place"):
            st.session_state["hot_words_city"] = "聊城市" if "聊城市" in cities else cities[0]
        city = filters.url_selectbox("城市", cities, param="place", key="hot_words_city",
                                     help="也可在左侧筛选中选定一个城市")
    else:
        st.info("数据库里还没有数据：请先到「导入」页上传版面。")
        return
    hot = search_queries.hot_words(current, city)
    if hot.empty:
        st.info(f"{escape_markdown(city)}没有符合筛选条件、日期可知的文章，无法统计热词。")
        return
    articles = search_queries.place_articles(current, city)
    titles = dict(zip(articles["article_id"], articles["title"], strict=True))
    st.caption(f"{escape_markdown(city)}各年文章中权重最高的词（TF-IDF），↑为比往年平均上升的权重；"
               "点文章标题查看原文。")
    newest_first = hot.sort_values(["year", "weight"], ascending=[False, False])
    for year, group in newest_first.groupby("year", sort=False):
        lines = []
        for row in group.itertuples(index=False):
            links = "、".join(_link(a, titles.get(a, ""), current) for a in row.articles[:_LINKS_PER_WORD])
            more = f" 等{len(row.articles)}篇" if len(row.articles) > _LINKS_PER_WORD else ""
            trend = f"↑{row.rise:.3f}" if row.rise > 0 else f"↓{-row.rise:.3f}"
            lines.append(f"<li><b>{inert_html(row.word)}</b> {trend} — {links}{more}</li>")
        st.markdown(f"<b>{year}年</b><ul>{''.join(lines)}</ul>", unsafe_allow_html=True)


def render() -> None:
    auth.require_role("viewer")
    st.title("搜索")
    current = filters.current()
    # Only the chosen view runs (热词 tags every word of a city's articles, a few seconds once).
    view = filters.url_segmented_control("查看", ["搜索文章", "热词"], default="搜索文章", param="view",
                                         key="search_view", label_visibility="collapsed")
    if view == "热词":
        render_hot_words(current)
    else:
        render_search(current)


render()
