"""校对 (editors): the figures most likely wrong first; accept, edit or reject each; every change audited.

The checks' suspicions of every figure are stored with each snapshot (``loaders.storage.flags``);
the queue is asked of them for the sidebar's places (``review_queries``) and a figure's reasons are
worded (``loaders.storage.review``) only when it is shown. This page only shows them and writes the
reviewer's decision with ``store.add_correction``. A correction is published to the readers at once,
so 数据浏览 and the downloads show the corrected value on their next run. Page text (sentences,
titles, metrics) is always escaped before it reaches Markdown or HTML.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from dashboard import auth, campaign_review, filters, queries, review_queries
from dashboard.filters import Filters
from dashboard.formatting import format_date, format_quantity
from dashboard.initiatives import initiatives, label_of
from dashboard.safe_text import escape_markdown, highlight_html
from loaders.storage import export, flags, review, store, summaries

_FLASH = "review_flash"
_PICK = "review_fact"
_SHOWN = 200
_TEXT_FIELDS = ("city", "county", "metric", "unit", "period")
_ORPHAN_HEADERS = {"at": "时间", "who": "校对人", "action": "动作", "field": "字段", "old_value": "改前",
                   "new_value": "改后", "why": "原因", "quote": "原文数字", "sentence": "原句",
                   "fact_id": "原数字编号", "correction_id": "校对编号"}
_STYLE = ("<style>.article-text{line-height:1.9;font-size:1.05rem}"
          "mark.fact{background:#ffe08a;padding:0 .15em;border-radius:.2em}</style>")


# Above this many figures (or GONGJIAN_REVIEW_WHOLE_STORE), a snapshot published without its checks'
# flags (one along an ingest, an older store's) has them worked out for the cities chosen in the
# sidebar, not for the whole store at once. A snapshot with them (``summary_review_flags``) needs none.
WHOLE_STORE_LIMIT = 200_000


def review_scope(chosen: Filters, counties: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The cities whose figures the checks must see for the sidebar's places: the chosen cities and
    the cities of the chosen counties (a county is checked against its city's own figure).

    ``review_scope(Filters(counties=("冠县",)), {"聊城市": ("冠县", …)})`` -> ``("聊城市",)``.
    """
    parents = [city for city, names in counties.items() if set(names) & set(chosen.counties)]
    return tuple(dict.fromkeys([*chosen.cities, *parents]))


# A resource, not data: the same frames every rerun, never copied; nothing here changes them.
@st.cache_resource(show_spinner=False, max_entries=4)
def _load(path: str, version: str, cities: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame | None]:
    """The audit lists, and the flags when this snapshot does not carry them (``cities`` None: of
    every figure; else of those ``review.facts_to_check`` gives for them), once per store version."""
    cur = queries.connection().cursor()
    corrections = cur.execute("SELECT * FROM corrections").df()
    extracted = cur.execute(
        "SELECT f.*, a.title FROM facts f LEFT JOIN articles a USING (article_id) "
        "WHERE f.fact_id IN (SELECT fact_id FROM corrections)").df()
    orphans = store.orphan_corrections(cur)
    found = None if summaries.has(cur, "review_flags") else flags.for_store(cur, cities)
    return {"corrections": corrections, "extracted": extracted, "orphans": orphans, "flags": found}


def _ask(data: dict, fetch, *args):
    """``fetch(connection, flags, *args)``: cached over the snapshot's own flags; over flags worked
    out here (a frame), asked afresh."""
    if data["flags"] is None:
        return queries.run(review_queries.__name__, fetch.__name__.removeprefix("fetch_"),
                           review_queries.STORED_FLAGS, *args)
    return fetch(queries.connection(), data["flags"], *args)


def _article_text(article_id: str) -> str:
    found = queries.article(article_id)
    return str(found.get("text") or "") if found else ""


def _done(message: str) -> None:
    st.session_state[_FLASH] = message
    st.rerun()


def _initiative_label(value: str) -> str:
    return "、".join(label_of(k) for k in value.split("|")) if value else "（未分类）"


def _fact_label(rank: int, row) -> str:
    """Numbered: the same figure reported twice must still give two distinct options."""
    place = row.county or row.city or "地点不明"
    mark = f"[{review.SEVERITY_LABELS.get(row.severity, '')}] " if row.severity else ""
    figure = format_quantity(row.value, row.unit)
    return f"{rank}. {mark}{place} · {row.metric or '（无指标）'} · {figure} · 「{row.quote}」"


def _write(fact_id: str, changes: list[tuple[str, str]], why: str, action: str) -> str | None:
    """Store the reviewer's decision (one correction per changed field); a Chinese error or None."""
    try:
        with store.write_session(queries.db_path()) as con:
            for field, value in changes:
                store.add_correction(con, fact_id, field, value, auth.current_user(), why, action=action,
                                     publish=False)
    except store.StoreError as exc:
        return exc.message
    queries.clear()
    _load.clear()
    return None


def _edited(fact: pd.Series, fid: str) -> tuple[list[tuple[str, str]], str]:
    """The fields the reviewer changed as (field, new value) text, or a Chinese error."""
    changes: list[tuple[str, str]] = []
    for field in _TEXT_FIELDS:
        new = str(st.session_state.get(f"rv_{field}_{fid}", "")).strip()
        if new != str(fact[field] or ""):
            changes.append((field, new))
    initiative = st.session_state.get(f"rv_initiative_{fid}", fact["initiative"])
    if initiative != fact["initiative"]:
        changes.append(("initiative", initiative))
    value_text = str(st.session_state.get(f"rv_value_{fid}", "")).strip()
    value = review.parse_value_text(value_text)
    if value is None:
        return [], f"数值「{escape_markdown(value_text)}」无法识别：请填写数字，例如 3478万 或 34780000"
    if pd.isna(fact["value"]) or abs(value - float(fact["value"])) > 1e-9 * max(1.0, abs(value)):
        changes.append(("value", review.plain_number(value)))
    year_text = str(st.session_state.get(f"rv_year_{fid}", "")).strip()
    old_year = "" if pd.isna(fact["period_year"]) else str(int(fact["period_year"]))
    if year_text != old_year:
        if not (year_text.isdigit() and len(year_text) == 4):
            return [], f"年份「{escape_markdown(year_text)}」无效：请填写四位数字的年份，例如 2020"
        changes.append(("period_year", year_text))
    return changes, ""


def _form(fact: pd.Series) -> None:
    fid = fact["fact_id"]
    keys = [i.key for i in initiatives()]
    if fact["initiative"] and fact["initiative"] not in keys:
        keys.append(fact["initiative"])
    if not fact["initiative"]:
        keys.insert(0, "")
    with st.form(f"rv_form_{fid}"):
        left, right = st.columns(2)
        left.text_input("市", value=fact["city"], key=f"rv_city_{fid}")
        right.text_input("县（市、区）", value=fact["county"], key=f"rv_county_{fid}")
        left.selectbox("攻坚方向", keys, index=keys.index(fact["initiative"]), format_func=_initiative_label,
                       key=f"rv_initiative_{fid}")
        right.text_input("指标", value=fact["metric"], key=f"rv_metric_{fid}")
        value = "" if pd.isna(fact["value"]) else review.plain_number(float(fact["value"]))
        left.text_input("数值（可写 3478万）", value=value, key=f"rv_value_{fid}")
        right.text_input("单位", value=fact["unit"], key=f"rv_unit_{fid}")
        left.text_input("时期", value=fact["period"], key=f"rv_period_{fid}")
        year = "" if pd.isna(fact["period_year"]) else str(int(fact["period_year"]))
        right.text_input("年份", value=year, key=f"rv_year_{fid}")
        st.text_area("原因（修改和判为错误时必填）", key=f"rv_why_{fid}")
        b1, b2, b3 = st.columns(3)
        save = b1.form_submit_button("保存修改", type="primary", key=f"rv_save_{fid}")
        accept = b2.form_submit_button("确认无误", key=f"rv_accept_{fid}")
        reject = b3.form_submit_button("判为错误（不计入合计）", key=f"rv_reject_{fid}")
    why = str(st.session_state.get(f"rv_why_{fid}", "")).strip()
    if accept:
        error = _write(fid, [("status", "accepted")], why, "accept")
        if not error:
            _done("已确认这个数字无误。")
    elif reject:
        if not why:
            st.error("请先在“原因”中写明为什么这个数字是错的，再点“判为错误”。")
            return
        error = _write(fid, [("status", "rejected")], why, "reject")
        if not error:
            _done("已判为错误：这个数字不再计入图表和合计，仍保留在改动记录中。")
    elif save:
        changes, error = _edited(fact, fid)
        if not error and not changes:
            st.warning("没有改动任何字段：若数字无误，请点“确认无误”。")
            return
        if not error and not why:
            error = "请先在“原因”中写明改动的依据，再点“保存修改”。"
        if not error:
            error = _write(fid, changes, why, "edit")
        if not error:
            names = "、".join(review.FIELD_LABELS.get(f, f) for f, _ in changes)
            _done(f"已保存修改（{names}），看板各处即显示改后的数值。")
    else:
        return
    if error:
        st.error(error)


def _detail(fact: pd.Series, reasons: pd.DataFrame) -> None:
    st.markdown(f"**{escape_markdown(fact['title'] or '（无标题）')}** · {format_date(fact['published'])}"
                f" · {escape_markdown(fact['doc'])}")
    span = review.quote_span(str(fact["sentence"]), str(fact["quote"]), _article_text(fact["article_id"]),
                             None if pd.isna(fact["char_start"]) else int(fact["char_start"]))
    spans = [(span[0], span[1], "这个数字")] if span else []
    sentence = highlight_html(str(fact["sentence"] or fact["quote"]), spans)
    st.markdown(_STYLE + sentence, unsafe_allow_html=True)
    for r in reasons.itertuples(index=False):
        text = f"**{review.CHECK_LABELS.get(r.check, r.check)}**：{escape_markdown(r.reason_zh)}"
        (st.warning if r.severity in ("high", "medium") else st.info)(text)
    if reasons.empty:
        st.caption(f"没有发现疑点；提取把握度 {fact['confidence']:.0%}。")
    else:
        st.caption(f"提取把握度 {fact['confidence']:.0%}，复核优先级 {fact['priority']:.2f}。")


def _queue_tab(data: dict) -> None:
    c1, c2, c4 = st.columns([1, 1, 1])
    only_doubtful = c1.checkbox("只看有疑点的", value=True, key="review_only_doubtful")
    reviewed = c1.checkbox("包括已校对的", value=False, key="review_include_reviewed")
    labels = {"": "全部疑点", **review.CHECK_LABELS}
    kind = c2.selectbox("疑点", list(labels), format_func=labels.get, key="review_check")
    lookup = c4.text_input("按数字编号查找", key="review_lookup",
                           help="数字编号见“改动记录”或下载的数据表（fact_id 列）").strip()
    chosen = filters.current()
    choice = review_queries.QueueChoice(only_doubtful, reviewed, kind, lookup)
    shown, size = _ask(data, review_queries.fetch_queue, chosen, choice, _SHOWN)
    if lookup and shown.empty:
        st.warning(f"找不到编号为 {escape_markdown(lookup)} 的数字：请检查编号，或清空查找框。")
        return
    narrowed = "（已按左侧筛选条件缩小）" if not chosen.is_empty() and not lookup else ""
    st.caption(f"共 {size} 条待看{narrowed}，按复核优先级从高到低排列"
               f"（显示前 {min(size, _SHOWN)} 条）。")
    if shown.empty:
        st.success("没有需要校对的数字。")
        return
    table = pd.DataFrame({
        "优先级": shown.priority, "疑点": shown.checks, "市": shown.city, "县": shown.county,
        "指标": shown.metric,
        "数值": [format_quantity(v, u) for v, u in zip(shown.value, shown.unit, strict=True)],
        "原文": shown.quote, "文章": shown.title, "状态": shown.review_status,
    })
    st.dataframe(table, hide_index=True, height=240)
    options = list(shown.fact_id)
    if st.session_state.get(_PICK) not in options:
        st.session_state[_PICK] = options[0]
    named = {row.fact_id: _fact_label(rank, row) for rank, row in enumerate(shown.itertuples(index=False), 1)}
    st.selectbox("校对哪个数字", options, key=_PICK, format_func=named.get)
    fact = shown.set_index("fact_id", drop=False).loc[st.session_state[_PICK]]
    _detail(fact, _ask(data, review_queries.fetch_reasons, fact["fact_id"]))
    _form(fact)


def _audit_tab(data: dict[str, pd.DataFrame]) -> None:
    audit = review.audit_list(data["corrections"], data["extracted"])
    if audit.empty:
        st.info("还没有任何校对记录。")
        return
    rejected = review_queries.fetch_rejected(queries.connection())
    st.caption(f"共 {len(audit)} 条改动；{rejected} 个数字被判为错误，不计入图表和合计。")
    shown = audit.rename(columns=review.AUDIT_HEADERS)
    st.dataframe(shown, hide_index=True)
    st.download_button("下载改动记录（CSV）", export.to_csv_bytes(shown), file_name="校对记录.csv",
                       mime="text/csv", key="review_audit_csv")


def _orphans_tab(data: dict[str, pd.DataFrame]) -> None:
    orphans = data["orphans"]
    if orphans.empty:
        st.info("所有校对都还对得上原数字。")
        return
    st.warning(f"{len(orphans)} 条校对在重新提取后找不到原来的数字（原文数字和原句都变了）。"
               "它们仍保存着，未被删除：请在“待校对”中找到对应的新数字，按这里的记录重新校对。")
    shown = orphans.reindex(columns=list(_ORPHAN_HEADERS)).rename(columns=_ORPHAN_HEADERS)
    shown["动作"] = shown["动作"].map(lambda a: review.ACTION_LABELS.get(a, a))
    st.dataframe(shown, hide_index=True)
    st.download_button("下载（CSV）", export.to_csv_bytes(shown), file_name="找不到原数字的校对.csv",
                       mime="text/csv", key="review_orphans_csv")


def render() -> None:
    st.title("校对")
    flash = st.session_state.pop(_FLASH, "")
    if flash:
        st.success(flash)
    scope: tuple[str, ...] | None = None
    try:
        cur = queries.connection().cursor()
        if not summaries.has(cur, "review_flags"):
            figures = queries.kpis(Filters())["facts"]
            if figures > int(os.environ.get("GONGJIAN_REVIEW_WHOLE_STORE", WHOLE_STORE_LIMIT)):
                scope = review_scope(filters.current(), queries.options().counties or {})
        data = _load(str(queries.db_path()), queries.version(), scope)
    except store.StoreError as exc:
        st.info(exc.message)
        return
    n_orphans = len(data["orphans"])
    queue_tab, audit_tab, orphans_tab, names_tab = st.tabs(
        ["待校对", "改动记录（提取值与改后值）", f"找不到原数字的校对（{n_orphans}）",
         f"攻坚行动名称（{campaign_review.pending_count()}）"])
    with queue_tab:
        if scope == ():
            st.info("这一版数据的疑点还没有预先算好，库又太大，一次全部核查太慢：请先在左侧选择要校对的城市"
                    "（或县区），这里即列出其中有疑点的数字。")
        else:
            _queue_tab(data)
    with audit_tab:
        _audit_tab(data)
    with orphans_tab:
        _orphans_tab(data)
    with names_tab:
        campaign_review.render()


auth.require_role("editor")
render()
