"""校对's section for campaign names the patterns found: confirm one to show it, reject one to hide it.

A name such as 设备更新攻坚战 (found by ``…攻坚战``) is listed with its articles, where it was
first and last printed, and the sentence naming it; 确认 puts it on the 攻坚行动 page and in the
campaign filter, 否决 keeps it out. Decisions go through ``loaders.storage.campaign_names``
and are published to readers at once.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, queries
from dashboard.formatting import format_date
from dashboard.safe_text import escape_markdown, highlight_html
from loaders.campaigns import find_mentions
from loaders.storage import campaign_names, store

_PICK = "review_campaign_name"
_FLASH = "review_campaign_flash"


def pending_count() -> int:
    return len(_pending(str(queries.db_path()), queries.version()))


@st.cache_data(show_spinner=False, max_entries=4)
def _pending(path: str, version: str) -> pd.DataFrame:
    return campaign_names.pending(queries.connection())


def _decide(name: str, status: str) -> None:
    try:
        with store.write_session(queries.db_path()) as con:
            campaign_names.decide(con, name, status, auth.current_user())
    except store.StoreError as exc:
        st.session_state[_FLASH] = ("error", exc.message)
        return
    queries.clear()  # every query module's cache, 攻坚行动's included
    _pending.clear()
    verb = "确认" if status == "confirmed" else "否决"
    st.session_state[_FLASH] = ("ok", f"已{verb}攻坚行动名称“{name}”。")


def render() -> None:
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        (st.success if flash[0] == "ok" else st.error)(flash[1])
    waiting = _pending(str(queries.db_path()), queries.version())
    if waiting.empty:
        st.success("没有待确认的攻坚行动名称。")
        return
    st.caption(f"按“…攻坚行动”“…专项行动”等规则新找到的名称共 {len(waiting)} 个。确认后出现在「攻坚行动」页"
               "和左侧筛选中；否决后不再显示。")
    table = pd.DataFrame({
        "名称": waiting["name"], "文章": waiting["articles"], "提及次数": waiting["mentions"],
        "首次见报": [format_date(d) for d in waiting["first"]],
        "最近见报": [format_date(d) for d in waiting["last"]],
    })
    st.dataframe(table, hide_index=True, height=min(320, 38 + 35 * len(table)))
    names = waiting["name"].tolist()
    if st.session_state.get(_PICK) not in names:
        st.session_state[_PICK] = names[0]
    name = st.selectbox("校对哪个名称", names, key=_PICK)
    row = waiting.set_index("name").loc[name]
    article = queries.article(row["example_article"])
    if article:
        text = str(article.get("text") or "")
        spans = [(m.start, m.end, m.name) for m in find_mentions(text) if m.name == name]
        if spans:
            start, end = max(0, spans[0][0] - 80), min(len(text), spans[0][1] + 80)
            excerpt = [(s - start, e - start, t) for s, e, t in spans if s >= start and e <= end]
            st.caption(escape_markdown(f"例：{article.get('title') or '（无标题）'} · "
                                       f"{format_date(article.get('published'))}"))
            st.markdown(highlight_html(text[start:end], excerpt, css_class="fact"), unsafe_allow_html=True)
    left, right, _ = st.columns([1, 1, 4])
    left.button("确认", key="campaign_name_confirm", icon=":material/check:", type="primary",
                on_click=_decide, args=(name, "confirmed"))
    right.button("否决", key="campaign_name_reject", icon=":material/close:",
                 on_click=_decide, args=(name, "rejected"))
