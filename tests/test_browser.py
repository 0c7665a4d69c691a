"""The dashboard in a real browser: Debian's chromium, driven by Playwright, on the seed store.

Opens 数据浏览 with ``?city=聊城市``, checks that only 聊城市 rows are shown, downloads the CSV and
checks it, and saves a screenshot of 总览 (its path is printed; CI keeps it as an artefact when
``GONGJIAN_SCREENSHOTS`` names a folder). Skipped only when chromium is not installed.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from loaders import store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(seed_db, tmp_path_factory):
    """``streamlit run dashboard/app.py`` on a free port, reading the seed store; stopped afterwards."""
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {**os.environ, "CAMPAIGN_TRACKER_DB": str(seed_db), "GONGJIAN_AUTO_SEED": "0"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
             "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("Streamlit did not start:\n" + log.read_text("utf-8", "replace"))
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000},
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
    assert chips.all_inner_texts() == ["聊城市"]
    page.locator('[data-testid="stDataFrame"] [role="gridcell"]').first.wait_for(state="attached",
                                                                                   timeout=30_000)
    shown = page.evaluate(_CITY_COLUMN)
    assert shown and set(shown) == {"聊城市"}

    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("button", name="下载 CSV").click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == expected and {r["city"] for r in rows} == {"聊城市"}
    assert "city=" in page.url


def test_overview_screenshot(app_url, page, tmp_path):
    page.goto(app_url)
    _wait_for_app(page, "各市数据分布")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
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
    _wait_for_app(page, "各市数据条数")
    chart = page.locator(".js-plotly-plot").nth(1)
    chart.locator(".trace.bars .point path").first.wait_for(timeout=30_000)
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
    _wait_for_app(page, "各市数据分布")
    label = page.locator(".js-plotly-plot").first.locator("text", has_text="聊城").first
    label.wait_for(timeout=30_000)
    box = label.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 30  # inside 聊城市's area, below its name
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_url(f"**city={quote('聊城市')}*", timeout=30_000)
