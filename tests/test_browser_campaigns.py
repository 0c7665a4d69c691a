"""攻坚行动 and 简报 in a real browser (Debian's chromium via Playwright) on the seed store.

总览 → 攻坚行动 → 三提三敢 → 聊城市 → 原文, each step by a click, and each step's URL opened afresh
reproduces what the click showed. The brief of 聊城市 is screenshotted (saved in
``GONGJIAN_SCREENSHOTS`` when set, else the test's folder) with its Chinese text in the page.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from conftest import serve_dashboard

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def app_url(seed_db, tmp_path_factory):
    with serve_dashboard(seed_db, tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
    opened = context.new_page()
    yield opened
    context.close()


def _settle(page, text: str) -> None:
    """Wait for ``text``, for the run to end and for the page's text to stop changing."""
    page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000)
    before = None
    for _ in range(20):
        now = page.locator("[data-testid='stMain']").inner_text()
        if now == before:
            return
        before = now
        page.wait_for_timeout(400)


def _params(url: str) -> dict[str, list[str]]:
    return {k: [unquote(v) for v in vs] for k, vs in parse_qs(urlparse(url).query).items()}


def _header(page) -> str:
    return page.locator("[data-testid='stMain'] h2").first.inner_text().strip()


def _screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("GONGJIAN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_overview_to_a_campaign_to_a_city_to_the_article_each_step_a_url(app_url, page, chromium, tmp_path):
    page.goto(app_url)
    _settle(page, "总览")
    # the page menu sits in the header: open 攻坚领域, then its 攻坚行动 entry
    page.locator("header").get_by_text("攻坚领域", exact=True).first.click()
    page.get_by_text("攻坚行动", exact=True).last.click()
    page.wait_for_url("**/campaigns*", timeout=30_000)
    _settle(page, "查看一项攻坚行动")
    steps = [(page.url, "查看一项攻坚行动")]

    box = page.locator("[data-testid='stSelectbox']", has_text="查看一项攻坚行动")
    box.click()
    page.keyboard.type("三提三敢")
    page.keyboard.press("Enter")
    page.wait_for_url("**campaign=*", timeout=30_000)
    _settle(page, "见报文章")
    assert _header(page) == "三提三敢"
    assert _params(page.url)["campaign"] == ["三提三敢"]
    steps.append((page.url, "三提三敢"))

    page.locator("[data-testid='stButtonGroup'] button", has_text="聊城市").first.click()
    page.wait_for_url("**city=*", timeout=30_000)
    _settle(page, "见报文章")
    assert _params(page.url)["city"] == ["聊城市"] and _params(page.url)["campaign"] == ["三提三敢"]
    steps.append((page.url, "三提三敢"))
    page.screenshot(path=str(_screenshots(tmp_path) / "campaign.png"), full_page=True)

    page.locator("[data-testid='stExpander'] summary", has_text="落实“三提三敢” 争当行动标兵").first.click()
    page.get_by_role("link", name="打开原文").first.click()
    page.wait_for_url("**/article?*", timeout=30_000)
    _settle(page, "文中数据")
    assert _header(page) == "落实“三提三敢” 争当行动标兵"
    article_params = _params(page.url)
    assert article_params["article"] and article_params["campaign"] == ["三提三敢"]
    assert article_params["city"] == ["聊城市"]
    steps.append((page.url, "落实“三提三敢” 争当行动标兵"))

    # Each URL opened in a fresh browser context shows the same step.
    for url, text in steps:
        fresh = chromium.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000}).new_page()
        try:
            fresh.goto(url)
            _settle(fresh, text)
            assert _params(fresh.url) == _params(url)
            if "campaign" in _params(url) and "/campaigns" in url:
                assert _header(fresh) == "三提三敢"
            if "city" in _params(url) and "/campaigns" in url:
                chosen = fresh.locator("[data-testid='stButtonGroup'] button[aria-checked='true'], "
                                       "[data-testid='stButtonGroup'] button[kind*='Active']")
                assert "聊城市" in chosen.all_inner_texts()
        finally:
            fresh.context.close()


def test_the_brief_renders_with_chinese_text_and_a_screenshot(app_url, page, tmp_path):
    page.goto(f"{app_url}/brief?city=聊城市")
    _settle(page, "来源文章")
    page.locator(".vega-embed").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    shot = _screenshots(tmp_path) / "brief.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"简报截图：{shot}")
    assert shot.stat().st_size > 20_000
    assert _header(page) == "攻坚看板简报 · 聊城市"
    assert page.locator(".vega-embed").count() >= 3
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "筛选条件：城市：聊城市" in text and "来源文章" in text
