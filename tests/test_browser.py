"""The dashboard in a real browser: Debian's chromium, driven by Playwright, on the seed store.

Opens 数据浏览 with ``?city=聊城市``, checks that only 聊城市 rows are shown, downloads the CSV and
checks it, and saves a screenshot of 总览 (its path is printed; CI keeps it as an artefact when
``GONGJIAN_SCREENSHOTS`` names a folder). Skipped only when chromium is not installed.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import serve_dashboard

from loaders.storage import store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
@pytest.fixture(scope="module")
def app_url(seed_db, tmp_path_factory):
    """The dashboard served on the seed store for this module's tests."""
    with serve_dashboard(seed_db, tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000},
                                  accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


def _wait_for_app(page, text: str) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=45_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=45_000)


# The grid draws on a canvas; its accessible table (role=row / gridcell) holds the visible rows.
_CITY_COLUMN = """() => {
  const grid = document.querySelector('[data-testid="stDataFrame"]');
  const headers = [...grid.querySelectorAll('[role="columnheader"]')].map(h => h.innerText.trim());
  const at = headers.indexOf('城市');
  return [...grid.querySelectorAll('[role="row"]')]
    .map(r => r.querySelectorAll('[role="gridcell"]'))
    .filter(cells => cells.length > at)
    .map(cells => cells[at].innerText.trim());
}"""


def _chip_names(chips) -> list[str]:
    """The chosen values of a sidebar filter: each chip reads "聊城市 (123)", the figures it keeps."""
    return [re.sub(r" \([\d,]+\)$", "", text) for text in chips.all_inner_texts()]


def _count(seed_db, where: str, params: list) -> int:
    con = store.open_reader(seed_db)
    try:
        return con.execute(f"SELECT count(*) FROM facts_current WHERE {where}", params).fetchone()[0]
    finally:
        con.close()


def test_explore_with_a_city_in_the_url_shows_and_downloads_only_that_city(app_url, page, seed_db):
    page.goto(f"{app_url}/explore?city={quote('聊城市')}")
    expected = _count(seed_db, "city = ?", ["聊城市"])
    _wait_for_app(page, f"共 {expected:,} 条数据")
    chips = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelectTagsContainer"] [data-tag]')
    chips.first.wait_for(timeout=15_000)
    assert _chip_names(chips) == ["聊城市"]
    assert chips.all_inner_texts() == [f"聊城市 ({expected:,})"]  # the figures the choice keeps
    page.locator('[data-testid="stDataFrame"] [role="gridcell"]').first.wait_for(state="attached",
                                                                                   timeout=30_000)
    shown = page.evaluate(_CITY_COLUMN)
    assert shown and set(shown) == {"聊城市"}

    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("button", name="下载 CSV").click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == expected and {r["城市"] for r in rows} == {"聊城市"}
    assert "city=" in page.url


def test_an_explore_rows_article_opens_in_the_same_tab_with_the_filters(app_url, page, seed_db, tmp_path):
    page.goto(f"{app_url}/explore?city={quote('聊城市')}")
    _wait_for_app(page, f"共 {_count(seed_db, 'city = ?', ['聊城市']):,} 条数据")
    _settled(page)
    grid = page.locator('[data-testid="stDataFrame"]')
    headers = grid.locator('[role="columnheader"]').all_inner_texts()
    column = [h.strip() for h in headers].index("原文")
    cell = grid.locator('[role="row"]').nth(1).locator('[role="gridcell"]').nth(column)
    cell.wait_for(state="attached", timeout=30_000)
    assert cell.inner_text().strip() == "查看原文 ›"
    assert column == 0  # 原文 leads the table, where a wide table never hides it
    # The grid draws on a canvas: click where the first row's 原文 cell is drawn (after the row's
    # selection circle), below the header row.
    canvas = grid.locator("canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.screenshot(path=str(Path(os.environ.get("GONGJIAN_SCREENSHOTS") or tmp_path) / "explore_grid.png"))
    x, y = box["x"] + 75, box["y"] + 35 + 17
    pages_before = len(page.context.pages)
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_url("**/article?*", timeout=30_000)
    page.get_by_text("你从这条数据来").first.wait_for(timeout=30_000)
    assert len(page.context.pages) == pages_before  # the same tab, no new one
    assert "fact=" in page.url and f"city={quote('聊城市')}" in page.url
    chips = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelectTagsContainer"] [data-tag]')
    chips.first.wait_for(timeout=15_000)
    assert _chip_names(chips) == ["聊城市"]


def test_overview_screenshot(app_url, page, tmp_path):
    page.goto(app_url)
    _wait_for_app(page, "各领域核心指标")
    _settled(page)  # the first run of a fresh server reads every canonical metric once
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    folder = Path(os.environ.get("GONGJIAN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / "overview.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"总览截图：{shot}")
    assert shot.stat().st_size > 20_000
    assert page.locator(".js-plotly-plot").count() >= 3
    assert page.get_by_text("涉及城市").count() >= 1


def test_clicking_a_city_bar_narrows_the_filters_and_the_url(app_url, page):
    page.goto(app_url)
    _wait_for_app(page, "各领域核心指标")
    chart = page.locator(".js-plotly-plot").nth(1)  # the first headline chart, below the map
    chart.locator(".trace.bars .point path").first.wait_for(state="attached", timeout=30_000)
    chart.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(1500)
    box = chart.locator(".trace.bars .point path").last.bounding_box()
    # plotly listens on its drag layer above the bars: click where the bar is drawn.
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**city=*", timeout=30_000)
    chips = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelectTagsContainer"] [data-tag]')
    chips.first.wait_for(timeout=15_000)
    assert len(chips.all_inner_texts()) == 1


def test_clicking_a_city_on_the_map_narrows_to_that_city(app_url, page):
    page.goto(app_url)
    _wait_for_app(page, "地图：一个指标、一个时期")
    label = page.locator(".js-plotly-plot").first.locator("text", has_text="聊城").first
    label.wait_for(timeout=30_000)
    box = label.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 30  # inside 聊城市's area, below its name
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_url(f"**city={quote('聊城市')}*", timeout=30_000)


def _settled(page) -> None:
    """No skeleton, no running script, and the text unchanged for a moment."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                           " && !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=45_000)
    before = None
    for _ in range(20):
        text = page.inner_text("body")
        if text == before:
            return
        before = text
        page.wait_for_timeout(400)


# Streamlit cuts a long label to one line: its text is then wider than the box holding it.
_CUT_TO_ELLIPSIS = ("e => [e.innerText, e.scrollWidth > e.clientWidth + 1"
                    " || e.querySelector('p').scrollWidth > e.clientWidth + 1]")


def test_every_card_label_shows_whose_figure_when_and_what_in_full(app_url, page):
    page.goto(f"{app_url}/poverty?city=聊城市")
    page.locator("[data-testid='stMetric']").first.wait_for(timeout=45_000)
    _settled(page)
    labels = page.locator("[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer']")
    assert labels.count() >= 2
    for i in range(labels.count()):
        text, cut = labels.nth(i).evaluate(_CUT_TO_ELLIPSIS)
        assert text.startswith("聊城市") and "·" in text and not cut, text


def test_a_typed_date_applies_on_enter_page_and_url_at_once(app_url, page, seed_db):
    page.goto(f"{app_url}/explore")
    _wait_for_app(page, f"共 {_count(seed_db, 'true', []):,} 条数据")
    field = page.locator('[data-testid="stSidebar"] input[aria-label="起始日期"]')
    field.click()
    field.type("2024-08-01")
    field.press("Enter")
    page.wait_for_url("**from=2024-08-01*", timeout=15_000)
    expected = _count(seed_db, "published_date >= ?", ["2024-08-01"])
    page.get_by_text(f"共 {expected:,} 条数据").first.wait_for(timeout=30_000)
    box = field.bounding_box()
    assert field.input_value() == "2024-08-01" and box["width"] > 150  # the whole date shows


def test_overview_to_a_city_to_its_county_ranking_to_one_countys_article_in_three_clicks(
        app_url, page, chromium):
    page.goto(app_url)
    _wait_for_app(page, "地图：一个指标、一个时期")
    _settled(page)
    # 1. 聊城市 on the map
    label = page.locator(".js-plotly-plot").first.locator("text", has_text="聊城").first
    label.wait_for(timeout=30_000)
    box = label.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 30
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_url(f"**city={quote('聊城市')}*", timeout=30_000)
    _settled(page)
    steps = [page.url]
    # 2. its counties
    page.get_by_text("查看聊城市各县区排名与地图").first.click()
    page.wait_for_url("**/county?*", timeout=30_000)
    page.get_by_text("聊城市各县区").first.wait_for(timeout=30_000)
    _settled(page)
    steps.append(page.url)
    ranked_county = page.locator("table.county-rank tbody tr td:nth-child(2)").first.inner_text()
    # 3. one county's 原文, in the same tab
    page.locator("table.county-rank a", has_text="原文").first.click()
    page.wait_for_url("**/article?*", timeout=30_000)
    page.get_by_text("你从这条数据来").first.wait_for(timeout=30_000)
    _settled(page)
    steps.append(page.url)
    assert "fact=" in steps[2] and "city=" in steps[2] and ranked_county in page.inner_text("body")
    assert page.locator('mark.fact[title^="【你从这条数据来】"]').count() == 1
    # Each URL alone reproduces its step on another screen.
    other = chromium.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000}).new_page()
    try:
        expected = ["查看聊城市各县区排名与地图", "聊城市各县区", "你从这条数据来"]
        for url, text in zip(steps, expected, strict=True):
            other.goto(url)
            _wait_for_app(other, text)
            sidebar = other.locator('[data-testid="stSidebar"]')
            chips = sidebar.locator('[data-testid="stMultiSelectTagsContainer"] [data-tag]')
            chips.first.wait_for(timeout=15_000)
            assert "聊城市" in _chip_names(chips)
    finally:
        other.context.close()


def test_with_hebei_as_home_province_the_overview_map_shows_hebeis_cities(seed_db, page, tmp_path_factory):
    """The home province is a setting: CAMPAIGN_TRACKER_PROVINCE=河北省 draws 河北's 11 cities."""
    with serve_dashboard(seed_db, tmp_path_factory.mktemp("streamlit-hebei"),
                         CAMPAIGN_TRACKER_PROVINCE="河北省") as url:
        page.goto(url)
        # A second server's first run imports everything afresh: allow it more time than a page turn.
        page.get_by_text("地图：一个指标、一个时期", exact=False).first.wait_for(timeout=120_000)
        the_map = page.locator(".js-plotly-plot").first
        the_map.locator("text", has_text="石家庄").first.wait_for(timeout=60_000)
        labels = set(the_map.locator("text").evaluate_all("els => els.map(e => e.textContent)"))
        assert {"石家庄", "保定", "张家口", "邯郸"} <= labels
        assert "聊城" not in labels and "济南" not in labels
