"""The 校对 page, driven by AppTest on a private copy of the seed store.

A reviewer's correction must reach every view (facts_current, 数据浏览, the CSV downloads), survive
``reextract``, and stay in the audit list; a rejected figure leaves the totals but not the audit.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from conftest import copy_store
from streamlit.testing.v1 import AppTest

from dashboard import downloads, filters, queries
from dashboard.filters import Filters
from loaders.pipeline import extract_text
from loaders.storage import export, review, store, summaries
from loaders.storage.ingest import ingest_paths, reextract

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "dashboard" / "app_pages" / "review.py")
APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture
def db(seed_db, tmp_path, monkeypatch) -> Path:
    path = copy_store(seed_db, tmp_path)
    monkeypatch.setenv("CAMPAIGN_TRACKER_DB", str(path))
    monkeypatch.setenv("GONGJIAN_AUTO_SEED", "0")
    return path


def open_page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60).run()


def look_up(at: AppTest, fact_id: str) -> AppTest:
    at.text_input(key="review_lookup").input(fact_id).run()
    assert at.selectbox(key="review_fact").value == fact_id
    return at


def fill(at: AppTest, fact_id: str, **fields: str) -> None:
    for name, text in fields.items():
        widget = at.text_area if name == "why" else at.text_input
        widget(key=f"rv_{name}_{fact_id}").input(text)


def press(at: AppTest, button: str, fact_id: str) -> AppTest:
    return at.button(key=f"rv_{button}_{fact_id}").click().run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def read(db: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    con = store.open_reader(db)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def current(db: Path, fact_id: str) -> pd.Series:
    rows = read(db, "SELECT * FROM facts_current WHERE fact_id = ?", [fact_id])
    assert len(rows) == 1
    return rows.iloc[0]


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with a {column} column"
    return found[0]


def csv_rows(db: Path) -> pd.DataFrame:
    """The 数据浏览 CSV download, as the page builds it."""
    con = store.open_reader(db)
    try:
        data = downloads.csv_bytes(con, Filters())
    finally:
        con.close()
    assert data.startswith(b"\xef\xbb\xbf")
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"数据编号": str})


def explore_table(monkeypatch_env_db: Path) -> pd.DataFrame:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at._page_hash = next(h for h, info in at._registered_pages.items()
                         if info.get("url_pathname") == "explore")
    at.run()
    assert_clean(at)
    return at.dataframe[0].value


def any_fact(db: Path, exclude: tuple[str, ...] = ()) -> str:
    rows = read(db, "SELECT fact_id FROM facts_current WHERE value IS NOT NULL AND sentence <> '' "
                    "AND NOT list_contains(?, fact_id) ORDER BY fact_id LIMIT 1", [list(exclude)])
    return rows.fact_id[0]


# ---------------------------------------------------------------- the queue

def test_queue_opens_on_the_most_doubtful_figure_with_its_sentence_and_reasons(db) -> None:
    at = open_page()
    assert_clean(at)
    facts = read(db, "SELECT * FROM facts_current")
    queue = review.review_queue(facts, review.run_checks(facts))
    first = queue[queue.n_checks > 0].iloc[0]
    assert at.selectbox(key="review_fact").value == first.fact_id
    marked = [m.value for m in at.markdown if "<mark" in m.value]
    assert marked and f">{first.quote}</mark>" in marked[0]
    shown = " ".join(w.value for w in [*at.warning, *at.info])
    first_reason = first.reasons.split("\n")[0]
    assert first_reason[:8] in shown.replace("\\", "")


def test_queue_follows_the_sidebar_filters(db) -> None:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[filters._CURRENT] = Filters(cities=("淄博市",))
    at.run()
    at.checkbox(key="review_only_doubtful").uncheck().run()
    assert_clean(at)
    table = frame_with(at, "优先级")
    assert len(table) > 0 and set(table["市"]) == {"淄博市"}


def test_a_snapshot_without_its_flags_shows_the_whole_queue_at_once(db) -> None:
    """A snapshot published with its checks' flags (every publish but those along an ingest) needs
    no city chosen, however large: the queue is a query of them."""
    con = store.open_reader(db)
    try:
        assert summaries.has(con, "review_flags")
    finally:
        con.close()
    at = open_page()
    assert_clean(at)
    assert len(frame_with(at, "优先级")) > 0


def publish_without_flags(db: Path) -> None:
    """Publish the store again as an ingest does along the way: a plain copy, no summaries."""
    with store.write_session(db, publish=False) as con:
        store.publish_snapshot(con, summarise=False)


def test_over_a_large_store_the_queue_waits_for_a_city_and_then_checks_that_city(db, monkeypatch) -> None:
    """Above GONGJIAN_REVIEW_WHOLE_STORE figures (200,000 by default; 10 here), on a snapshot without
    its flags, no check runs over the whole store: the queue asks for a city, the audit still shows;
    a county chosen checks its city."""
    monkeypatch.setenv("GONGJIAN_REVIEW_WHOLE_STORE", "10")
    publish_without_flags(db)
    con = store.open_reader(db)
    try:
        assert not summaries.has(con, "review_flags")
    finally:
        con.close()
    at = open_page()
    assert_clean(at)
    assert any("请先在左侧选择要校对的城市" in i.value for i in at.info)
    assert not [d for d in at.dataframe if "优先级" in d.value.columns]
    county = read(db, "SELECT county FROM facts_current WHERE city = '聊城市' AND county <> '' "
                      "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").county[0]
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[filters._CURRENT] = Filters(counties=(county,))
    at.run()
    at.checkbox(key="review_only_doubtful").uncheck().run()
    assert_clean(at)
    table = frame_with(at, "优先级")
    assert len(table) > 0 and set(table["县"]) == {county}


def test_review_page_runs_inside_the_app_navigation(db) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at._page_hash = next(h for h, info in at._registered_pages.items()
                         if info.get("url_pathname") == "review")
    at.run()
    assert_clean(at)
    assert at.title[0].value == "校对"


def test_empty_store_shows_an_empty_queue(empty_db, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CAMPAIGN_TRACKER_DB", str(copy_store(empty_db, tmp_path)))
    at = open_page()
    assert_clean(at)
    assert any("没有需要校对" in s.value for s in at.success)


# ---------------------------------------------------------------- an edit, end to end

def test_an_edit_shows_everywhere_and_survives_reextract(db) -> None:
    fid = any_fact(db)
    before = current(db, fid)
    at = look_up(open_page(), fid)
    fill(at, fid, value="123456.789", metric="校对测试指标", why="原文为123456.789")
    at = press(at, "save", fid)
    assert_clean(at)
    assert any("已保存修改" in s.value for s in at.success)

    row = current(db, fid)
    assert (row.value, row.metric, row.review_status) == (123456.789, "校对测试指标", "corrected")
    assert row.city == before.city and row.quote == before.quote

    csv = csv_rows(db).set_index("数据编号")
    assert csv.loc[fid, "原始数值"] == pytest.approx(123456.789)
    assert csv.loc[fid, "指标"] == "校对测试指标"
    out = db.parent / "export.csv"
    export.export_store(db, "csv", out)
    exported = pd.read_csv(out, encoding="utf-8-sig", dtype={"fact_id": str}).set_index("fact_id")
    assert exported.loc[fid, "value"] == pytest.approx(123456.789)

    table = explore_table(db)
    hit = table[table["指标"] == "校对测试指标"]
    assert len(hit) == 1 and hit["原始数值"].iloc[0] == pytest.approx(123456.789)

    reextract(db)
    row = current(db, fid)
    assert (row.value, row.metric, row.review_status) == (123456.789, "校对测试指标", "corrected")

    at = open_page()
    audit = frame_with(at, "数字编号")
    mine = audit[audit["数字编号"] == fid].set_index("字段")
    assert set(mine.index) == {"数值", "指标"}
    assert mine.loc["数值", "改后"] == "123456.789" and mine.loc["指标", "提取值"] == before.metric_label
    assert mine["校对人"].iloc[0] and mine["原因"].iloc[0] == "原文为123456.789"
    assert not mine["数字已不存在"].any()


def test_a_value_typed_with_wan_is_stored_in_base_units(db) -> None:
    fid = any_fact(db)
    at = look_up(open_page(), fid)
    fill(at, fid, value="3478万", why="原文为3478万元")
    assert_clean(press(at, "save", fid))
    assert current(db, fid).value == 34_780_000.0


@pytest.mark.parametrize(("fields", "message"), [
    ({"value": "一百二十", "why": "原文如此"}, "无法识别"),
    ({"year": "20", "why": "原文如此"}, "四位数字"),
    ({"value": "1"}, "原因"),
])
def test_a_bad_edit_is_refused_in_chinese_and_nothing_is_stored(db, fields, message) -> None:
    fid = any_fact(db)
    at = look_up(open_page(), fid)
    fill(at, fid, **fields)
    at = press(at, "save", fid)
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert read(db, "SELECT count(*) AS n FROM corrections").n[0] == 0


def test_saving_without_a_change_says_so(db) -> None:
    fid = any_fact(db)
    at = look_up(open_page(), fid)
    fill(at, fid, why="看过了")
    at = press(at, "save", fid)
    assert any("没有改动" in w.value for w in at.warning)
    assert read(db, "SELECT count(*) AS n FROM corrections").n[0] == 0


def test_accepting_takes_the_figure_out_of_the_queue(db) -> None:
    at = open_page()
    fid = at.selectbox(key="review_fact").value
    at = press(at, "accept", fid)
    assert_clean(at)
    assert current(db, fid).review_status == "accepted"
    assert at.selectbox(key="review_fact").value != fid


# ---------------------------------------------------------------- a rejection

def test_a_rejected_figure_leaves_the_totals_but_stays_in_the_audit_list(db) -> None:
    fid = any_fact(db)
    total = read(db, "SELECT count(*) AS n FROM facts_current").n[0]
    at = look_up(open_page(), fid)
    at = press(at, "reject", fid)
    assert any("原因" in e.value for e in at.error)  # a rejection needs a reason
    fill(at, fid, why="该数字是广告中的数字")
    at = press(at, "reject", fid)
    assert_clean(at)

    assert current(db, fid).review_status == "rejected"
    con = store.open_reader(db)
    try:
        assert fid not in set(queries.fetch_facts(con, Filters()).fact_id)
        assert queries.fetch_count(con, Filters()) == total - 1
        facts = con.execute("SELECT * FROM facts_current").df()
    finally:
        con.close()
    assert fid not in set(review.dedupe_for_totals(facts).fact_id)
    assert fid not in set(csv_rows(db)["数据编号"])

    reextract(db)
    assert current(db, fid).review_status == "rejected"
    audit = frame_with(open_page(), "数字编号")
    mine = audit[audit["数字编号"] == fid]
    assert list(mine["动作"]) == ["判为错误"] and mine["原因"].iloc[0] == "该数字是广告中的数字"


# ---------------------------------------------------------------- orphans

def test_a_correction_whose_figure_vanishes_on_reextract_is_listed_not_dropped(db) -> None:
    fid = any_fact(db)
    quote = current(db, fid).quote
    at = look_up(open_page(), fid)
    fill(at, fid, county="冠县", why="原文为冠县")
    assert_clean(press(at, "save", fid))

    def without_that_figure(text: str, source: str = ""):
        page = extract_text(text, source=source)
        page.facts = [f for f in page.facts if quote not in f.quote and f.quote not in quote]
        return page

    summary = reextract(db, extract=without_that_figure)
    assert summary.orphans == 1
    at = open_page()
    assert_clean(at)
    orphans = frame_with(at, "原数字编号")
    assert list(orphans["原数字编号"]) == [fid] and list(orphans["改后"]) == ["冠县"]
    audit = frame_with(at, "数字编号")
    assert audit.set_index("数字编号").loc[fid, "数字已不存在"]


# ---------------------------------------------------------------- page text stays text

HOSTILE = ("## 冠县技改再提速\n\n本报冠县讯 今年1-5月，冠县完成技改项目120个"
           "<img src=x onerror=alert(1)>[点我](javascript:alert(1))**加粗**。\n")


def test_page_text_is_shown_escaped(empty_db, tmp_path, monkeypatch) -> None:
    path = copy_store(empty_db, tmp_path)
    page = tmp_path / "hostile.txt"
    page.write_text(HOSTILE, encoding="utf-8")
    ingest_paths([page], db_path=path)
    monkeypatch.setenv("CAMPAIGN_TRACKER_DB", str(path))
    facts = read(path, "SELECT fact_id FROM facts_current WHERE contains(sentence, 'onerror')")
    assert len(facts) > 0
    at = look_up(open_page(), facts.fact_id[0])
    assert_clean(at)
    shown = [m.value for m in at.markdown]
    assert any("<mark" in s and "onerror" in s for s in shown)
    assert not any("<img" in s or "](javascript" in s or "**加粗" in s for s in shown)
