"""账户管理 in the demo: the first admin is made on the server's command line, never by a visitor."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import accounts

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
APP = """
import streamlit as st
from dashboard import auth

if not auth.sign_in_gate():
    st.stop()
pages = [
    st.Page("data_page.py", title="总览", default=True),
    st.Page("accounts_page.py", title="账户管理", url_path="accounts",
            visibility=auth.page_visibility("accounts")),
]
st.navigation(pages).run()
"""


@pytest.fixture
def no_accounts_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Nothing configured (the demo): no variable, and the default file moved to an empty folder."""
    monkeypatch.delenv(accounts.ENV_VAR, raising=False)
    path = tmp_path / "default" / "accounts.toml"
    monkeypatch.setattr(accounts, "DEFAULT_FILE", path)
    return path


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "app"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(APP), encoding="utf-8")
    (folder / "data_page.py").write_text("import streamlit as st\nst.markdown('数据')\n", encoding="utf-8")
    shutil.copy(ROOT / "dashboard" / "app_pages" / "accounts.py", folder / "accounts_page.py")
    return folder


def _all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.code] + [i.value for i in at.info]
    parts += [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def test_in_the_demo_the_accounts_page_explains_the_command_and_offers_no_form(app_dir, no_accounts_yet,
                                                                                tmp_path):
    at = AppTest.from_file(str(app_dir / "app.py"), default_timeout=30).run()
    at.switch_page("accounts_page.py").run()
    assert not at.exception
    assert "演示模式" in at.info[0].value
    assert "python -m dashboard.accounts add" in _all_text(at)
    assert len(at.text_input) == 0 and not [b for b in at.button if b.label == "添加"]
    assert str(tmp_path) not in _all_text(at) and "accounts.toml" not in _all_text(at)
    assert accounts.load_accounts(no_accounts_yet) == {}


def test_with_an_admin_the_page_names_no_server_path(app_dir, no_accounts_yet, tmp_path):
    accounts.add_account(no_accounts_yet, "admin1", "admin", PASSWORD, rounds=4)
    at = AppTest.from_file(str(app_dir / "app.py"), default_timeout=30).run()
    at.text_input(key="auth_name").input("admin1")
    at.text_input(key="auth_password").input(PASSWORD)
    next(b for b in at.button if b.label == "登录").click().run()
    at.switch_page("accounts_page.py").run()
    assert at.dataframe and "admin1" in set(at.dataframe[0].value["用户名"])
    assert str(tmp_path) not in _all_text(at) and "accounts.toml" not in _all_text(at)


def test_a_visitor_in_a_real_browser_cannot_create_an_account(seed_db, tmp_path, chromium, no_accounts_yet):
    from conftest import serve_dashboard

    # The served app reads the project's own default (no data/accounts.toml in a clean checkout).
    with serve_dashboard(seed_db, tmp_path, **{accounts.ENV_VAR: ""}) as url:
        page = chromium.new_page()
        try:
            page.goto(f"{url}/accounts")
            page.get_by_text("演示模式").first.wait_for(timeout=60_000)
            page.get_by_text("python -m dashboard.accounts add").first.wait_for(timeout=30_000)
            page.wait_for_timeout(1000)
            assert page.locator("input[type=password]").count() == 0
            assert page.get_by_label("用户名").count() == 0
            assert page.get_by_role("button", name="添加").count() == 0
            body = page.inner_text("body")
            assert str(tmp_path) not in body and "accounts.toml" not in body
        finally:
            page.close()
    assert accounts.load_accounts(no_accounts_yet) == {}
