"""Hostile page text, file names, uploads, downloads and filter values stay inert.

Markdown is rendered with markdown-it-py (CommonMark, raw HTML on, as Streamlit does with
``unsafe_allow_html``) and the result parsed, so "inert" means: no element or attribute that
could run or link anything, and the reader sees the characters that were written.
"""

from __future__ import annotations

import csv
import inspect
import io
import string
import tomllib
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import copy_store, serve_dashboard
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from dashboard import accounts, filters, queries
from dashboard.safe_text import (
    MAX_UPLOAD_BYTES,
    check_upload,
    escape_markdown,
    escape_plotly,
    highlight_html,
    inert_frame,
    safe_filename,
)
from loaders.storage import ingest, store
from loaders.storage.export import neutralise_cell, to_csv_bytes, to_xlsx_bytes

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[点我](javascript:alert(1))",
    "![图](javascript:alert(1))",
    "<a href='javascript:alert(1)'>链接</a>",
    "<javascript:alert(1)>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "**粗体** `代码` :red[红字] :material/home: $x^2$",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '"><svg onload=alert(1)>',
    "聊城市新增就业3478人。\n\n<style>body{display:none}</style>",
]
_MARKDOWN = MarkdownIt("commonmark", {"html": True})


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _render(markdown: str) -> _Elements:
    parsed = _Elements()
    parsed.feed(_MARKDOWN.render(markdown))
    return parsed


def _assert_inert(parsed: _Elements, allowed_tags: set[str], allowed_attrs: set[str]) -> None:
    for tag, attrs in parsed.tags:
        assert tag in allowed_tags, f"<{tag}> in rendered output"
        assert set(attrs) <= allowed_attrs, f"attributes {attrs} on <{tag}>"


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_markdown_renders_as_the_characters_written(text: str) -> None:
    parsed = _render(escape_markdown(text))
    _assert_inert(parsed, {"p", "br"}, set())
    assert "".join(parsed.text).replace("\n", "") == text.replace("\n", "")


@given(st.text(alphabet=string.printable + "聊城市临清万元“”。", max_size=80))
def test_escaped_markdown_never_makes_markup(text: str) -> None:
    _assert_inert(_render(escape_markdown(text)), {"p", "br", "pre", "code"}, set())


@pytest.mark.parametrize("text", HOSTILE)
def test_highlighted_article_is_text_with_marks_only(text: str) -> None:
    body = f"临清市今年投资3478万元。{text}完成技改项目12个。"
    spans = [(body.index("3478"), body.index("3478") + 6, text), (body.index("12个"), body.index("12个") + 3)]
    parsed = _render(highlight_html(body, spans))
    _assert_inert(parsed, {"div", "mark", "br"}, {"class", "title"})
    assert "".join(parsed.text) == body.replace("\n", "")
    assert [t for t, _ in parsed.tags].count("mark") == 2
    assert [a.get("title") for t, a in parsed.tags if t == "mark"] == [text.replace("\n", " "), None]


@given(st.text(max_size=120), st.lists(st.tuples(st.integers(-5, 130), st.integers(-5, 130)), max_size=6))
def test_highlight_keeps_every_character_whatever_the_spans(text: str, spans: list) -> None:
    parsed = _render(highlight_html(text, spans))
    _assert_inert(parsed, {"div", "mark", "br"}, {"class", "title"})
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch == "\t")
    assert "".join(parsed.text).replace("\n", "") == visible


@pytest.mark.parametrize(("text", "expected"), [
    ("<a href='javascript:alert(1)'>x</a>", "&lt;a href=&#x27;javascript:alert(1)&#x27;&gt;x&lt;/a&gt;"),
    ("临清市<br>3478万元", "临清市&lt;br&gt;3478万元"),
    ("聊城市", "聊城市"),
])
def test_plotly_labels_are_escaped(text: str, expected: str) -> None:
    assert escape_plotly(text) == expected


# ---- file names ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("攻坚看板_聊城市_2020-06.csv", "攻坚看板_聊城市_2020-06.csv"),
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\system32\\x.txt", "x.txt"),
    ("聊城/临清:1-5月.csv", "临清_1-5月.csv"),
    ("a\x00b\r\nc.txt", "abc.txt"),
    ("evil\u202etxt.exe", "eviltxt.exe"),
    ('re"port<1>|?*.xlsx', "re_port_1____.xlsx"),
    ("CON.txt", "_CON.txt"),
    ("...", "文件"),
    ("", "文件"),
    (".bashrc", "bashrc"),
])
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


@given(st.text(max_size=300))
def test_safe_filename_stays_in_its_folder(name: str) -> None:
    safe = safe_filename(name)
    assert safe and "/" not in safe and "\\" not in safe and not safe.startswith(".")
    assert all(ch.isprintable() for ch in safe)
    assert len(safe.encode("utf-8")) <= 180 + len("文件".encode())


# ---- uploads ------------------------------------------------------------------------------------

PAGE = "临清市今年1-5月完成技改投资3478万元，同比增长12.5%。\n".encode()


@pytest.mark.parametrize(("name", "data", "error"), [
    ("page.txt", PAGE, ""),
    ("page.html", b"<html><body><p>" + PAGE + b"</p></body></html>", ""),
    ("gbk.txt", PAGE.decode().encode("gb18030"), ""),
    ("utf16.txt", PAGE.decode().encode("utf-16"), ""),
    ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    ("page.txt", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 20, "二进制"),
    ("page.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    ("page.txt", b"PK\x03\x04word/document.xml", "Word"),
    ("page.txt", b"", "空文件"),
    ("page.exe", PAGE, "只能导入"),
    ("page.txt.php", PAGE, "只能导入"),
    ("page.txt", b"just ascii, no chinese", "没有中文"),
])
def test_upload_content_is_checked_not_only_the_extension(name: str, data: bytes, error: str) -> None:
    verdict = check_upload(name, data)
    assert verdict.ok == (not error)
    assert error in verdict.error


def test_upload_size_limit() -> None:
    verdict = check_upload("big.txt", PAGE * (MAX_UPLOAD_BYTES // len(PAGE) + 1))
    assert not verdict.ok and "太大" in verdict.error
    assert check_upload("page.txt", PAGE, max_bytes=10).error.startswith("page.txt 太大")


@pytest.mark.parametrize(("name", "safe"), [
    ("../../../tmp/evil.txt", "evil.txt"), ("/etc/cron.d/x.html", "x.html"),
    ("..\\..\\autoexec.txt", "autoexec.txt"),
])
def test_upload_names_are_sanitised(name: str, safe: str) -> None:
    assert check_upload(name, PAGE).name == safe


# ---- downloads ----------------------------------------------------------------------------------

INJECTIONS = ["=HYPERLINK(\"http://evil\",\"点我\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
              "\t=1+1", "\r=1+1", "\r\n=1+1"]


@pytest.mark.parametrize("text", INJECTIONS)
def test_cells_that_excel_would_run_are_neutralised(text: str) -> None:
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["聊城市", "3478万元", "增长12.5%", 3478.0, -5.0, None])
def test_ordinary_cells_pass_unchanged(value: object) -> None:
    assert neutralise_cell(value) == value


def _hostile_frame() -> pd.DataFrame:
    return pd.DataFrame({"city": ["聊城市"] * len(INJECTIONS), "sentence": INJECTIONS,
                         "value": [-5.0] * len(INJECTIONS)})


def test_csv_download_neutralises_injections() -> None:
    data = to_csv_bytes(_hostile_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["sentence"] for r in rows] == ["'" + t for t in INJECTIONS]
    assert {r["value"] for r in rows} == {"-5.0"}


def test_xlsx_download_has_no_formulas() -> None:
    data = to_xlsx_bytes(_hostile_frame(), None, {"search": "=cmd|' /C calc'!A0"}, None)
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}: {cell.value}"
    values = [c.value for c in book["数据"]["B"][1:]]
    assert values == ["'" + t.replace("\r\n", "\n").replace("\r", "\n") for t in INJECTIONS]


# ---- the dashboard itself -----------------------------------------------------------------------

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
HOSTILE_PAGE = (
    "## 临清市技改投资3478万元<script>alert(1)</script>\n\n"
    "本报讯 <img src=x onerror=alert(1)>临清市今年1-5月完成技改投资3478万元，同比增长12.5%。"
    "详见[点我](javascript:alert(1))，全市新增就业岗位1200个。"
    "=HYPERLINK(\"http://evil\")帮助贫困户2000户脱贫。\n"
)
SQL_INJECTION = "聊城市'; DROP TABLE facts; --"
_DANGEROUS_TAGS = {"script", "img", "iframe", "svg", "object", "embed", "a", "form", "input", "link", "meta"}


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store with one seed page and one page full of hostile text; returns (db, hostile article id)."""
    db = tmp_path_factory.mktemp("store") / "tracker.duckdb"
    seed = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[0]
    assert ingest.ingest_paths([seed], db_path=db).errors == []
    assert ingest.ingest_bytes("hostile.txt", HOSTILE_PAGE.encode(), db_path=db).status == "ok"
    con = store.open_reader(db)
    try:
        article = con.execute("SELECT article_id FROM articles WHERE source LIKE '%hostile%'").fetchone()[0]
    finally:
        con.close()
    return db, article


@pytest.fixture
def dashboard_env(hostile_store: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The dashboard on the hostile store in demo mode (no accounts source configured at all)."""
    monkeypatch.setenv("CAMPAIGN_TRACKER_DB", str(hostile_store[0]))
    monkeypatch.setenv("GONGJIAN_AUTO_SEED", "0")
    monkeypatch.delenv(accounts.ENV_VAR, raising=False)
    monkeypatch.setattr(accounts, "DEFAULT_FILE", tmp_path / "default" / "accounts.toml")
    return tmp_path / "accounts.toml"


def _fact_count(db: Path) -> int:
    con = store.open_reader(db)
    try:
        return con.execute("SELECT count(*) FROM facts").fetchone()[0]
    finally:
        con.close()


def _walk(node: object):
    yield node
    for child in (getattr(node, "children", None) or {}).values():
        yield from _walk(child)


def _rendered_texts(at: AppTest) -> list[tuple[str, bool]]:
    """Every string the browser would render as Markdown (or HTML), with whether raw HTML is on."""
    found = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        fields = {f.name for f in proto.DESCRIPTOR.fields}
        if "body" in fields and isinstance(proto.body, str):
            html_on = node.type == "html" or bool(getattr(proto, "allow_html", False))
            found.append((proto.body, html_on))
        if "label" in fields and isinstance(proto.label, str):
            found.append((proto.label, False))
        if "help" in fields and isinstance(proto.help, str):
            found.append((proto.help, False))
    return found


def _assert_page_inert(at: AppTest) -> str:
    """No rendered string makes a live tag, handler or javascript: URL; returns the visible text."""
    visible = []
    for text, html_on in _rendered_texts(at):
        parsed = _Elements()
        parsed.feed(MarkdownIt("commonmark", {"html": html_on}).render(text))
        for tag, attrs in parsed.tags:
            assert tag not in _DANGEROUS_TAGS, f"<{tag}> rendered from {text[:120]!r}"
            for name, value in attrs.items():
                assert not name.startswith("on"), f"{name}= rendered from {text[:120]!r}"
                assert "javascript:" not in (value or "").replace(" ", "").lower()
        visible.append("".join(parsed.text))
    return "\n".join(visible)


def _sign_in(at: AppTest, name: str) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(PASSWORD)
    return at.button[0].click().run()


PASSWORD = "山东聊城2020"


@pytest.fixture
def team(dashboard_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, role in [("viewer1", "viewer"), ("editor1", "editor")]:
        accounts.add_account(dashboard_env, name, role, PASSWORD, rounds=4)
    monkeypatch.setenv(accounts.ENV_VAR, str(dashboard_env))
    return dashboard_env


DATA_PAGES = ["app_pages/overview.py", "app_pages/explore.py", "app_pages/article.py",
              "app_pages/upload.py", "app_pages/review.py", "app_pages/accounts.py"]


def _shows_no_data(at: AppTest) -> None:
    assert not at.exception
    assert not at.dataframe and not at.metric and not at.get("plotly_chart")
    assert not at.get("file_uploader") and not at.get("download_button")
    assert "3478" not in _assert_page_inert(at)


def test_a_missing_accounts_file_named_in_the_environment_renders_no_data_page(
        dashboard_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(accounts.ENV_VAR, str(dashboard_env.with_name("typo-accounts.toml")))
    at = _dashboard()
    _shows_no_data(at)
    assert at.error and "typo-accounts.toml" in _assert_page_inert(at) and "不存在" in at.error[0].value
    assert not any(w.key == "auth_password" for w in at.text_input), "no sign-in form, no demo form"
    for page in DATA_PAGES:
        at.switch_page(page).run()
        _shows_no_data(at)
        assert at.error and "暂停提供数据" in at.error[0].value


def _dashboard() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def test_dashboard_shows_no_data_before_signing_in(team: Path) -> None:
    at = _dashboard()
    assert not at.exception
    assert not at.dataframe and not at.metric and not at.get("plotly_chart")
    assert "3478" not in _assert_page_inert(at)
    for page in ["app_pages/explore.py", "app_pages/article.py", "app_pages/upload.py"]:
        at.switch_page(page).run()
        assert not at.dataframe and not at.metric and not at.get("file_uploader")
        assert "3478" not in _assert_page_inert(at)


@pytest.mark.parametrize("page", ["app_pages/upload.py", "app_pages/review.py", "app_pages/accounts.py"])
def test_viewer_is_refused_on_editor_pages_even_by_url(team: Path, page: str) -> None:
    at = _sign_in(_dashboard(), "viewer1")
    assert at.metric, "a viewer sees the overview"
    at.switch_page(page).run()
    assert not at.exception
    assert at.error and "没有权限" in at.error[0].value
    assert not at.get("file_uploader") and not at.dataframe and not at.get("data_editor")


def test_editor_reaches_upload_and_review(team: Path) -> None:
    at = _sign_in(_dashboard(), "editor1")
    for page in ["app_pages/upload.py", "app_pages/review.py"]:
        at.switch_page(page).run()
        assert not at.exception and not [e for e in at.error if "没有权限" in e.value]


def test_hostile_article_renders_as_text(dashboard_env: Path, hostile_store: tuple[Path, str]) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["article"] = hostile_store[1]
    at.run()
    at.switch_page("app_pages/article.py").run()
    assert not at.exception
    visible = _assert_page_inert(at)
    for piece in ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[点我](javascript:alert(1))"]:
        assert piece in visible, f"{piece} should be shown as text on 原文"


def test_hostile_sentences_are_plain_text_in_tables(dashboard_env: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["q"] = "点我"
    at.run()
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception
    _assert_page_inert(at)
    cells = [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()]
    assert any("[点我](javascript:alert(1))" in c for c in cells)


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/explore.py", "app_pages/review.py"])
def test_hostile_text_is_inert_on_every_page(dashboard_env: Path, page: str) -> None:
    at = _dashboard()
    at.switch_page(page).run()
    assert not at.exception
    _assert_page_inert(at)


@pytest.mark.parametrize("params", [{"city": SQL_INJECTION}, {"q": "%' OR 1=1 --"},
                                    {"metric": "x') OR ('1'='1"}, {"initiative": "poverty') OR 1=1 --"}])
def test_hostile_filter_values_match_nothing_and_change_nothing(
        dashboard_env: Path, hostile_store: tuple[Path, str], params: dict) -> None:
    before = _fact_count(hostile_store[0])
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception
    assert all(len(df.value) == 0 for df in at.dataframe)
    assert any("没有符合当前筛选条件的数据" in info.value for info in at.info), "used as a filter"
    assert _fact_count(hostile_store[0]) == before > 0
    con = store.open_reader(hostile_store[0])
    try:
        assert queries.fetch_count(con, filters.filters_from_params(params)) == 0
        assert queries.fetch_count(con, filters.Filters()) == before
    finally:
        con.close()


def test_uploads_are_checked_named_safely_and_kept_in_the_store(
        dashboard_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "fresh"
    folder.mkdir()
    monkeypatch.setenv("CAMPAIGN_TRACKER_DB", str(folder / "tracker.duckdb"))
    monkeypatch.chdir(folder)
    at = _dashboard()
    at.switch_page("app_pages/upload.py").run()
    before = {p for p in tmp_path.parent.rglob("*") if "evil" in p.name}
    at.get("file_uploader")[0].set_value([
        ("../../../evil.txt", HOSTILE_PAGE.encode("gb18030"), "text/plain"),
        ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "text/plain"),
        ("..\\evil2.html", b"MZ\x90\x00\x03\x00\x00\x00" * 64, "text/html"),
    ])
    next(b for b in at.button if b.label == "开始导入").click().run()
    assert not at.exception
    report = at.dataframe[0].value
    assert list(report["文件"]) == ["evil.txt", "report.txt", "evil2.html"]
    assert list(report["结果"] == "已导入") == [True, False, False]
    assert "PDF" in report["说明"].iloc[1]
    assert {p for p in tmp_path.parent.rglob("*") if "evil" in p.name} == before
    con = store.open_reader(folder / "tracker.duckdb")
    try:
        assert con.execute("SELECT DISTINCT source FROM articles").fetchall() == [("evil.txt",)]
    finally:
        con.close()


# ---- the same in a real browser (Debian's chromium) ---------------------------------------------

@pytest.fixture(scope="module")
def chromium_page(chromium):
    """A fresh Chinese-locale page of the session's chromium."""
    return lambda: chromium.new_page(locale="zh-CN", viewport={"width": 1440, "height": 1000})


def _serve(db: Path, accounts_file: Path, demo: bool = False):
    """The dashboard on ``db`` with sign-in read from ``accounts_file`` (or, with ``demo``, none)."""
    return serve_dashboard(db, accounts_file.parent, **{accounts.ENV_VAR: "" if demo else str(accounts_file)})


@pytest.mark.browser
@pytest.mark.slow
def test_hostile_article_runs_nothing_in_a_real_browser(chromium_page, hostile_store: tuple[Path, str],
                                                        tmp_path: Path) -> None:
    with _serve(hostile_store[0], tmp_path / "accounts.toml", demo=True) as url:
        page = chromium_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{url}/article?article={hostile_store[1]}")
        page.locator(".article-text").first.wait_for(timeout=45_000)
        page.wait_for_timeout(1000)
        article = page.locator(".article-text").first
        assert "<script>alert(1)</script>" in article.inner_text()
        assert "[点我](javascript:alert(1))" in article.inner_text()
        assert article.locator("script, img, a, iframe, svg").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        assert page.locator("img[src='x']").count() == 0
        assert dialogs == []


@pytest.mark.browser
@pytest.mark.slow
def test_viewer_menu_and_typed_urls_in_a_real_browser(chromium_page, hostile_store: tuple[Path, str],
                                                      tmp_path: Path) -> None:
    accounts.add_account(tmp_path / "accounts.toml", "viewer1", "viewer", PASSWORD, rounds=4)
    with _serve(hostile_store[0], tmp_path / "accounts.toml") as url:
        page = chromium_page()
        page.goto(f"{url}/explore")
        page.get_by_label("密码").wait_for(timeout=45_000)
        assert page.locator("[data-testid='stDataFrame']").count() == 0
        _browser_sign_in(page, "viewer1")
        page.locator("[data-testid='stTopNav']").wait_for(timeout=45_000)
        nav = page.locator("[data-testid='stTopNav']").inner_text()
        # The menu sits in the header; a viewer's has no 管理 section (导入, 校对, 账户管理) at all.
        assert "总览" in nav and "管理" not in nav and "导入" not in nav and "校对" not in nav
        page.goto(f"{url}/upload")  # a typed URL is a new session: sign in again, then the refusal
        _browser_sign_in(page, "viewer1")
        page.get_by_text("没有权限").first.wait_for(timeout=45_000)
        assert page.locator("[data-testid='stFileUploader']").count() == 0


def _browser_sign_in(page, name: str) -> None:
    page.get_by_label("用户名").wait_for(timeout=45_000)
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("退出登录").wait_for(timeout=45_000)


@pytest.mark.browser
@pytest.mark.slow
def test_a_missing_accounts_file_closes_the_dashboard_in_a_real_browser(
        chromium_page, hostile_store: tuple[Path, str], tmp_path: Path) -> None:
    with _serve(hostile_store[0], tmp_path / "typo-accounts.toml") as url:
        page = chromium_page()
        for path in ["", "/explore", "/upload", "/accounts", f"/article?article={hostile_store[1]}"]:
            page.goto(url + path)
            page.get_by_text("暂停提供数据").first.wait_for(timeout=45_000)
            page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                   timeout=45_000)
            assert "typo-accounts.toml" in page.locator("[data-testid='stAlert']").first.inner_text()
            for widget in ["stDataFrame", "stMetric", "stPlotlyChart", "stFileUploader", "stDownloadButton",
                           "stSidebarNav", "stTopNav", "stTextInput"]:
                assert page.locator(f"[data-testid='{widget}']").count() == 0, f"{widget} on {path or '/'}"
            assert "3478" not in page.inner_text("body")


# ---- charts: stored values are data, never markup ------------------------------------------------

HOSTILE_CITY = "<a href='javascript:alert(1)'>聊城市</a>"
HOSTILE_LABELS = [HOSTILE_CITY, "<b>临清市</b>", "<img src=x onerror=alert(1)>", "万元<br>亿", "&lt;i&gt;"]


def _hostile_chart_frame() -> pd.DataFrame:
    n = len(HOSTILE_LABELS)
    dates = pd.to_datetime([f"2020-0{i + 1}-15" for i in range(n)])
    return pd.DataFrame({
        "city": HOSTILE_LABELS, "county": HOSTILE_LABELS[::-1], "initiative": HOSTILE_LABELS,
        "metric": HOSTILE_LABELS, "unit": HOSTILE_LABELS, "kind": ["stock"] * n,
        "figures": list(range(1, n + 1)), "value": [3478.0 * (i + 1) for i in range(n)],
        "month": [d.date().replace(day=1) for d in dates],
        "published": [f"2020-0{i + 1}-15" for i in range(n)],
        "published_date": [d.date() for d in dates], "period": HOSTILE_LABELS, "period_year": [2020] * n,
        "quote": HOSTILE_LABELS, "sentence": HOSTILE_LABELS, "title": HOSTILE_LABELS,
        "article_id": [f"a{i}" for i in range(n)], "fact_id": [f"f{i}" for i in range(n)],
        "label": HOSTILE_LABELS, "place": HOSTILE_LABELS, "period_label": HOSTILE_LABELS,
        "period_order": list(range(n)),
    })


def _chart_arguments(builder) -> dict:
    """Hostile arguments for each parameter a chart builder takes; an unknown one fails the test."""
    from dashboard.geo import shandong_geojson
    frame = _hostile_chart_frame()
    known = {"frame": frame, "latest": frame, "rows": frame, "data": frame, "unit": HOSTILE_LABELS[3],
             "label": lambda key: f"<b>{key}</b>", "geojson": shandong_geojson(), "title": HOSTILE_LABELS[1],
             "figures": frame, "metric": HOSTILE_LABELS[1]}
    args = {}
    for name, parameter in inspect.signature(builder).parameters.items():
        if name in known:
            args[name] = known[name]
        else:
            assert parameter.default is not inspect.Parameter.empty, (
                f"charts.{builder.__name__}({name}=…): give this test a hostile value for it")
    return args


def _chart_builders() -> list:
    from dashboard import charts
    return [f for name, f in vars(charts).items()
            if inspect.isfunction(f) and not name.startswith("_") and f.__module__ == charts.__name__
            and "Figure" in str(inspect.signature(f).return_annotation)]


def _strings(node: object):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _strings(value)
    elif hasattr(node, "tolist"):
        yield from _strings(node.tolist())


@pytest.mark.parametrize("rows", [len(HOSTILE_LABELS) + 1, 3_000 * (len(HOSTILE_LABELS) + 1)],
                         ids=["a chart's frame", "a big frame"])
def test_a_chart_frame_and_a_big_frame_escape_the_same_cells(rows: int) -> None:
    """Small frames are tested cell by cell, big ones vectorised: both escape exactly the risky cells."""
    labels = ([*HOSTILE_LABELS, "聊城市"] * rows)[:rows]
    frame = pd.DataFrame({"city": labels, "value": range(rows)})
    escaped = inert_frame(frame)
    assert list(escaped["city"]) == [escape_plotly(v) if set(v) & set("<>&\"'") else v for v in labels]
    assert list(escaped["value"]) == list(range(rows)) and list(frame["city"]) == labels


def test_every_plotly_chart_builder_escapes_stored_text() -> None:
    builders = _chart_builders()
    assert {"by_city", "city_map", "metric_by_place", "metric_over_time"} <= {b.__name__ for b in builders}
    for builder in builders:
        assert getattr(builder, "escapes_plotly_text", False), f"charts.{builder.__name__} lacks @plotly_text"


@pytest.mark.parametrize("builder", _chart_builders(), ids=lambda b: b.__name__)
def test_hostile_values_reach_every_chart_as_text(builder) -> None:
    fig = builder(**_chart_arguments(builder))
    texts = list(_strings(fig.to_plotly_json()))
    for text in texts:
        for tag in ("<a ", "<a>", "<b>", "<img", "<i>", "&lt;i&gt;", "&amp;lt;a href"):
            assert tag not in text, f"charts.{builder.__name__}: {tag} reaches plotly in {text[:120]!r}"
    if builder.__name__ in ("by_city", "by_initiative", "metric_by_place", "metric_over_time"):
        assert "&lt;a href=&#x27;javascript:alert(1)&#x27;&gt;" in "\n".join(texts), "shown as text"


@pytest.fixture(scope="module")
def corrected_store(hostile_store: tuple[Path, str],
                    tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The hostile store after an editor "corrected" the city of one initiative's figures to a link."""
    db = copy_store(hostile_store[0], tmp_path_factory.mktemp("corrected"))
    with store.write_session(db) as con:
        initiative = con.execute(
            "SELECT initiative FROM facts_current WHERE initiative <> '' AND published_date IS NOT NULL "
            "GROUP BY initiative ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        ids = [r[0] for r in con.execute("SELECT fact_id FROM facts_current WHERE initiative = ?",
                                         [initiative]).fetchall()]
        for fact_id in ids:
            store.add_correction(con, fact_id, "city", HOSTILE_CITY, "editor1", "测试", publish=False)
    return db, initiative


@pytest.mark.browser
@pytest.mark.slow
def test_a_hostile_corrected_city_shows_as_text_in_every_chart(
        chromium_page, corrected_store: tuple[Path, str], tmp_path: Path) -> None:
    db, initiative = corrected_store
    with _serve(db, tmp_path / "accounts.toml", demo=True) as url:
        page = chromium_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        drawn = []
        for path in ("", f"/{initiative}"):
            page.goto(url + path)
            page.locator(".js-plotly-plot").first.wait_for(timeout=90_000)
            page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                   timeout=45_000)
            page.wait_for_timeout(1500)
            plots = page.locator(".js-plotly-plot")
            assert plots.locator("a").count() == 0, f"a live link inside a chart on {path or '/'}"
            drawn += [plots.nth(i).evaluate("e => e.textContent") for i in range(plots.count())]
        # Level-aware charts leave a place that is no city out of city bars; where it is drawn, as text.
        assert HOSTILE_CITY in "\n".join(drawn), "the corrected city is not drawn as text in any chart"
        assert dialogs == []


@pytest.mark.parametrize("field", ["value", "year"])
def test_the_review_forms_error_shows_the_editors_input_as_text(
        dashboard_env: Path, hostile_store: tuple[Path, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, field: str) -> None:
    db = copy_store(hostile_store[0], tmp_path)
    monkeypatch.setenv("CAMPAIGN_TRACKER_DB", str(db))
    con = store.open_reader(db)
    try:
        fid = con.execute("SELECT fact_id FROM facts_current WHERE value IS NOT NULL "
                          "ORDER BY fact_id LIMIT 1").fetchone()[0]
    finally:
        con.close()
    at = AppTest.from_file(str(Path(APP).parent / "app_pages" / "review.py"), default_timeout=60).run()
    at.text_input(key="review_lookup").input(fid).run()
    typed = "[点我](javascript:alert(1))**粗**<img src=x onerror=alert(1)>"
    at.text_input(key=f"rv_{field}_{fid}").input(typed)
    at.text_area(key=f"rv_why_{fid}").input("原文如此")
    at = at.button(key=f"rv_save_{fid}").click().run()
    assert not at.exception and at.error
    visible = _assert_page_inert(at)
    assert typed in visible, "the editor sees exactly what was typed"


# ---- every way out neutralises formulas; Streamlit's English is replaced ------------------------

def test_the_tables_own_csv_download_is_switched_off_wherever_the_app_starts() -> None:
    from dashboard import launch
    config = tomllib.loads((Path(APP).parent.parent / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["disableDataExport"] is True
    flags = launch.FALLBACK_FLAGS
    assert flags[flags.index("--client.disableDataExport") + 1] == "true"


@pytest.mark.browser
@pytest.mark.slow
def test_the_grid_offers_no_download_and_ours_neutralises_in_a_real_browser(
        chromium, hostile_store: tuple[Path, str], tmp_path: Path) -> None:
    with _serve(hostile_store[0], tmp_path / "accounts.toml", demo=True) as url:
        context = chromium.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000},
                                       accept_downloads=True)
        page = context.new_page()
        page.goto(f"{url}/explore?q=HYPERLINK")
        grid = page.locator("[data-testid='stDataFrame']")
        grid.wait_for(timeout=45_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                               timeout=45_000)
        grid.hover()
        toolbar = page.locator("[data-testid='stElementToolbar'] button")
        toolbar.first.wait_for(timeout=15_000)
        labels = [b.get_attribute("aria-label") or "" for b in toolbar.all()]
        assert labels and not [x for x in labels if "download" in x.lower()], labels
        with page.expect_download(timeout=30_000) as download_info:
            page.get_by_role("button", name="下载 CSV").click()
        text = Path(download_info.value.path()).read_bytes().decode("utf-8-sig")
        assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and '"=HYPERLINK' not in text
        assert download_info.value.suggested_filename.startswith("攻坚看板数据_")
        links = {r["原文"] for r in csv.DictReader(io.StringIO(text))}
        assert f"{url}/article?article={hostile_store[1]}" in links, sorted(links)[:3]

        page.goto(f"{url}/upload")
        dropzone = page.locator("[data-testid='stFileUploaderDropzone']")
        dropzone.wait_for(timeout=45_000)
        page.wait_for_timeout(500)
        shown = dropzone.inner_text()
        assert "Upload" not in shown and "per file" not in shown, shown
        after = dropzone.locator("button").evaluate("b => getComputedStyle(b, '::after').content")
        note = dropzone.locator("[data-testid='stFileUploaderDropzoneInstructions'] > div").evaluate(
            "d => getComputedStyle(d, '::after').content")
        assert "选择文件" in after and "20 MB" in note
        context.close()


# ---- the smaller points of the safety review ------------------------------------------------------

@pytest.mark.parametrize("command", [["ingest", str(Path(APP).parent.parent / "seeds")], ["reextract"],
                                     ["export", "--format", "csv", "-o", "{tmp}/out.csv"]])
def test_a_db_in_a_folder_that_cannot_be_created_gives_a_chinese_message(
        tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture) -> None:
    from loaders.cli import main
    blocker = tmp_path / "report.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert main([*args, "--db", str(blocker / "sub" / "tracker.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "report.txt" in err and ("文件夹" in err or "不存在" in err) and "Traceback" not in err


def test_the_store_and_its_snapshots_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "tracker.duckdb"
    with store.write_session(db):
        pass
    folder = store.snapshot_dir(db)
    for path in [db, db.parent, folder, folder / "CURRENT", *folder.glob("snap-*.duckdb")]:
        mode = path.stat().st_mode & 0o777
        assert mode & 0o077 == 0, f"{path.name} is {oct(mode)}"
    assert list(folder.glob("snap-*.duckdb"))


def test_reextract_counts_what_the_store_holds_when_pages_share_an_article(tmp_path: Path) -> None:
    seed = sorted((Path(APP).parent.parent / "seeds").glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    extra = "\n\n临清市新增就业\n\n本报讯 临清市今年1-5月新增城镇就业岗位1200个，完成技改投资3478万元。\n"
    db = tmp_path / "tracker.duckdb"
    assert ingest.ingest_bytes("a.txt", text.encode(), db_path=db).status == "ok"
    assert ingest.ingest_bytes("b.txt", (text + extra).encode(), db_path=db).status == "ok"
    stored = _fact_count(db)
    summary = ingest.reextract(db_path=db)
    assert (summary.facts_before, summary.facts_after) == (stored, _fact_count(db)) == (stored, stored)
    assert f"数据 {stored} → {stored} 条" in summary.report()


def test_uploads_and_refusals_are_logged_with_the_account(tmp_path: Path) -> None:
    import logging

    from dashboard import importing
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    audit = logging.getLogger(importing.AUDIT_LOG)
    audit.addHandler(handler)
    old_level = audit.level
    audit.setLevel(logging.INFO)
    try:
        importing.import_uploads([("page.txt", PAGE), ("report.txt", b"%PDF-1.7\n%\xe2\xe3")],
                                 tmp_path / "tracker.duckdb", who="editor1")
    finally:
        audit.removeHandler(handler)
        audit.setLevel(old_level)
    lines = [r.getMessage() for r in records]
    assert any("page.txt" in x and "editor1" in x and "已导入" in x for x in lines), lines
    assert any("拒绝导入 report.txt" in x and "editor1" in x and "PDF" in x for x in lines), lines
