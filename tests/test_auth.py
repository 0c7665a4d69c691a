"""Accounts, roles and sign-in: the account file and CLI, the failure throttle, and the gate in an app.

The app tests run a small st.navigation app of their own (a data page for viewers, an 导入 page
for editors) so the gate is checked independently of the dashboard's pages; tests/test_security.py
checks the real dashboard.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit.proto.TextInput_pb2 import TextInput
from streamlit.testing.v1 import AppTest

from dashboard import accounts
from dashboard.accounts import AccountError

ROOT = Path(__file__).resolve().parent.parent
FAST = 4  # bcrypt rounds for tests; the CLI uses BCRYPT_ROUNDS
PASSWORD = "山东聊城2020"


@pytest.fixture
def accounts_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An accounts file named in the environment (not created yet: sign-in is configured)."""
    path = tmp_path / "accounts.toml"
    monkeypatch.setenv(accounts.ENV_VAR, str(path))
    return path


@pytest.fixture
def no_accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Nothing configured (the demo): no variable, and the default file moved to an empty folder."""
    monkeypatch.delenv(accounts.ENV_VAR, raising=False)
    monkeypatch.setattr(accounts, "DEFAULT_FILE", tmp_path / "default" / "accounts.toml")
    return tmp_path / "default" / "accounts.toml"


@pytest.fixture
def team(accounts_file: Path) -> Path:
    for name, role in [("viewer1", "viewer"), ("编辑张", "editor"), ("admin1", "admin")]:
        accounts.add_account(accounts_file, name, role, PASSWORD, rounds=FAST)
    return accounts_file


# ---- the accounts file ------------------------------------------------------------------------

def test_added_account_is_stored_hashed_and_private(accounts_file: Path) -> None:
    accounts.add_account(accounts_file, "zhang", "editor", PASSWORD, rounds=FAST)
    text = accounts_file.read_text(encoding="utf-8")
    assert PASSWORD not in text
    found = accounts.load_accounts(accounts_file)
    assert found["zhang"].role == "editor"
    assert accounts.verify_password(PASSWORD, found["zhang"].password_hash)
    assert not accounts.verify_password("wrong-password", found["zhang"].password_hash)
    assert accounts_file.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("name", ["张三", "zhang.san", "li-si@sd", "editor_2"])
def test_ordinary_names_are_accepted(name: str) -> None:
    assert accounts.check_name(name) == name


@pytest.mark.parametrize("name", ["", "a b", "../admin", "<script>", 'x"]\nrole="admin', "x" * 41, "a/b"])
def test_names_that_could_break_the_file_or_a_page_are_refused(name: str) -> None:
    with pytest.raises(AccountError):
        accounts.check_name(name)


@pytest.mark.parametrize("password", ["", "short", "1234567"])
def test_short_passwords_are_refused(password: str, accounts_file: Path) -> None:
    with pytest.raises(AccountError, match="密码太短"):
        accounts.add_account(accounts_file, "zhang", "viewer", password, rounds=FAST)


def test_unknown_role_is_refused(accounts_file: Path) -> None:
    with pytest.raises(AccountError, match="角色"):
        accounts.add_account(accounts_file, "zhang", "superuser", PASSWORD, rounds=FAST)


def test_set_role_remove_and_the_last_admin(team: Path) -> None:
    accounts.set_role(team, "viewer1", "editor")
    assert accounts.load_accounts(team)["viewer1"].role == "editor"
    with pytest.raises(AccountError, match="已存在"):
        accounts.add_account(team, "viewer1", "viewer", PASSWORD, rounds=FAST)
    with pytest.raises(AccountError, match="管理员"):
        accounts.set_role(team, "admin1", "viewer", keep_admin=True)
    with pytest.raises(AccountError, match="管理员"):
        accounts.remove_account(team, "admin1", keep_admin=True)
    accounts.remove_account(team, "viewer1")
    assert set(accounts.load_accounts(team)) == {"编辑张", "admin1"}


def test_accounts_path_env_then_secrets_then_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(accounts.ENV_VAR, raising=False)
    root = accounts.project_root()
    assert accounts.accounts_path({}) == root / "data" / "accounts.toml"
    assert accounts.accounts_path({"accounts_file": "conf/users.toml"}) == root / "conf" / "users.toml"
    monkeypatch.setenv(accounts.ENV_VAR, str(tmp_path / "env.toml"))
    assert accounts.accounts_path({"accounts_file": "conf/users.toml"}) == tmp_path / "env.toml"


def test_secrets_accounts_count_and_the_file_wins(no_accounts: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    entry = {"role": "viewer", "password_hash": accounts.hash_password(PASSWORD, FAST)}
    secrets = {"accounts": {"li": entry}}
    assert not accounts.sign_in_enabled({})
    assert accounts.sign_in_enabled(secrets)
    accounts_file = tmp_path / "accounts.toml"
    monkeypatch.setenv(accounts.ENV_VAR, str(accounts_file))
    accounts.add_account(accounts_file, "li", "admin", PASSWORD, rounds=FAST)
    found = accounts.all_accounts(secrets)
    assert (found["li"].role, found["li"].source) == ("admin", "file")


def test_a_damaged_file_gives_a_chinese_message(accounts_file: Path) -> None:
    accounts_file.write_text('[users.zhang]\nrole = "boss"\n', encoding="utf-8")
    with pytest.raises(AccountError, match="zhang"):
        accounts.load_accounts(accounts_file)
    accounts_file.write_text("[users\n", encoding="utf-8")
    with pytest.raises(AccountError, match="无法读取账户文件"):
        accounts.load_accounts(accounts_file)


# ---- slowing down wrong passwords --------------------------------------------------------------

@pytest.mark.parametrize(("failures", "seconds"), [(0, 0), (2, 0), (3, 2), (4, 4), (6, 16), (30, 900)])
def test_lock_grows_with_each_failure(failures: int, seconds: float) -> None:
    assert accounts.lock_seconds(failures) == seconds


def test_unknown_user_and_wrong_password_look_the_same(team: Path) -> None:
    found, attempts = accounts.load_accounts(team), accounts.attempts_path(team)
    wrong = accounts.authenticate(found, attempts, "viewer1", "not-the-password", now=1000.0)
    unknown = accounts.authenticate(found, attempts, "nobody", PASSWORD, now=1000.0)
    assert wrong.account is None and unknown.account is None
    assert wrong.message == unknown.message


def test_repeated_failures_lock_the_user_on_disk_until_the_delay_passes(team: Path) -> None:
    found, attempts = accounts.load_accounts(team), accounts.attempts_path(team)
    for _ in range(accounts.FREE_TRIES):
        assert accounts.authenticate(found, attempts, "viewer1", "guess-guess", now=1000.0).account is None
    assert attempts.exists()
    locked = accounts.authenticate(accounts.load_accounts(team), attempts, "viewer1", PASSWORD, now=1001.0)
    assert locked.account is None and "秒后再试" in locked.message and locked.wait > 0
    at = 1001.0 + locked.wait - 0.5
    early = accounts.authenticate(found, attempts, "viewer1", PASSWORD, now=at)
    assert early.account is None and early.wait > locked.wait, "a refused try counts too"
    at += early.wait + 1.0
    later = accounts.authenticate(found, attempts, "viewer1", PASSWORD, now=at)
    assert later.account is not None and later.account.name == "viewer1"
    assert accounts.wait_seconds(attempts, ["user:viewer1"], now=at) == 0


def test_one_address_guessing_many_names_is_locked_too(team: Path) -> None:
    found, attempts = accounts.load_accounts(team), accounts.attempts_path(team)
    for i in range(accounts.CLIENT_FREE_TRIES):
        accounts.authenticate(found, attempts, f"a{i}", "guess-guess", client="10.0.0.7", now=50.0)
    same_address = accounts.authenticate(found, attempts, "admin1", PASSWORD, client="10.0.0.7", now=51.0)
    other_address = accounts.authenticate(found, attempts, "admin1", PASSWORD, client="10.0.0.8", now=51.0)
    assert same_address.account is None and "秒后再试" in same_address.message
    assert other_address.account is not None


def test_signing_in_with_ones_own_account_does_not_reset_the_address_count(team: Path) -> None:
    """Otherwise a colleague could guess two names, sign in as himself, and guess on for ever."""
    found, attempts = accounts.load_accounts(team), accounts.attempts_path(team)
    for i in range(accounts.CLIENT_FREE_TRIES):
        accounts.authenticate(found, attempts, f"guess{i}", "guess-guess", client="10.0.0.9", now=10.0)
        own = accounts.authenticate(found, attempts, "viewer1", PASSWORD, client="10.0.0.9", now=10.0)
        assert (own.account is not None) == (i < accounts.CLIENT_FREE_TRIES - 1)
    assert accounts.wait_seconds(attempts, [accounts.client_key("10.0.0.9")], now=10.5) > 0


def test_twenty_simultaneous_wrong_tries_are_twenty_records_and_the_next_is_refused(team: Path) -> None:
    found, attempts = accounts.load_accounts(team), accounts.attempts_path(team)
    start = threading.Barrier(20)

    def guess(i: int) -> accounts.SignIn:
        start.wait()
        return accounts.authenticate(found, attempts, "admin1", f"guess-{i:04d}", client=f"10.1.0.{i}")

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(guess, range(20)))
    assert all(r.account is None for r in results)
    stored = json.loads(attempts.read_text(encoding="utf-8"))
    assert stored["user:admin1"]["count"] == 20
    assert sum(stored[f"client:10.1.0.{i}"]["count"] for i in range(20)) == 20
    right = accounts.authenticate(found, attempts, "admin1", PASSWORD, client="10.2.0.1")
    assert right.account is None and "秒后再试" in right.message


def test_twenty_processes_trying_at_once_lose_no_record(team: Path) -> None:
    """The lock is a file lock: separate processes (two dashboards on one server) count together."""
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from dashboard import accounts
        path = Path({str(team)!r})
        found = accounts.load_accounts(path)
        for i in range(4):
            accounts.authenticate(found, accounts.attempts_path(path), "viewer1", "guess-guess",
                                  client=sys.argv[1])
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, f"10.3.0.{i}"], cwd=ROOT) for i in range(5)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 5
    stored = json.loads(accounts.attempts_path(team).read_text(encoding="utf-8"))
    assert stored["user:viewer1"]["count"] == 20


@pytest.mark.parametrize("name", ["x" * 1_000_000, "admin1" + " " * 200 + "x", "<script>" * 10])
def test_a_huge_or_malformed_name_is_refused_before_anything_is_stored(team: Path, name: str) -> None:
    found, attempts = accounts.load_accounts(team), accounts.attempts_path(team)
    result = accounts.authenticate(found, attempts, name, PASSWORD, client="10.0.0.5")
    assert result.account is None and result.message == accounts.authenticate(
        found, attempts, "nobody", PASSWORD, client="10.0.0.6").message
    stored = attempts.read_text(encoding="utf-8")
    assert len(stored) < 500 and "xxxxxxxx" not in stored and "script" not in stored
    assert json.loads(stored)["client:10.0.0.5"]["count"] == 1


def test_the_attempts_file_keeps_at_most_max_entries(team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "MAX_ENTRIES", 5)
    found, attempts = accounts.load_accounts(team), accounts.attempts_path(team)
    for i in range(12):
        accounts.authenticate(found, attempts, f"name{i}", "guess-guess", now=100.0 + i)
    stored = json.loads(attempts.read_text(encoding="utf-8"))
    assert set(stored) == {f"user:name{i}" for i in range(7, 12)}


def test_attempts_lock_and_link_files_are_owner_only(team: Path) -> None:
    found, attempts = accounts.load_accounts(team), accounts.attempts_path(team)
    accounts.authenticate(found, attempts, "viewer1", "guess-guess", client="10.0.0.5")
    accounts.create_sign_in_link(team, "admin1")
    for path in [team, attempts, attempts.with_name(attempts.name + ".lock"), accounts.links_path(team)]:
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is readable by others"


def test_an_admin_sees_and_clears_any_lock_even_of_a_name_that_is_no_account(team: Path) -> None:
    found, attempts = accounts.load_accounts(team), accounts.attempts_path(team)
    for _ in range(accounts.FREE_TRIES):
        accounts.authenticate(found, attempts, "ghost", "guess-guess", now=1000.0)
        accounts.authenticate(found, attempts, "admin1", "guess-guess", now=1000.0)
    locks = accounts.current_locks(attempts, now=1000.5)
    assert {lock.key for lock in locks} == {"user:ghost", "user:admin1"}
    assert {lock.label for lock in locks} == {"用户名 ghost", "用户名 admin1"}
    accounts.clear_failures(attempts, ["user:ghost"])
    assert [lock.key for lock in accounts.current_locks(attempts, now=1000.5)] == ["user:admin1"]


def test_a_locked_admin_signs_in_once_with_a_link_made_on_the_server(team: Path) -> None:
    found, attempts = accounts.load_accounts(team), accounts.attempts_path(team)
    for _ in range(10):
        accounts.authenticate(found, attempts, "admin1", "guess-guess")
    assert accounts.authenticate(found, attempts, "admin1", PASSWORD).account is None
    token = accounts.create_sign_in_link(team, "admin1")
    assert token not in accounts.links_path(team).read_text(encoding="utf-8")
    used = accounts.redeem_sign_in_link(found, team, token)
    assert used.account is not None and used.account.name == "admin1"
    assert accounts.wait_seconds(attempts, ["user:admin1"]) == 0
    again = accounts.redeem_sign_in_link(found, team, token)
    assert again.account is None and "已用过" in again.message
    late = accounts.create_sign_in_link(team, "admin1", now=1000.0)
    expired = accounts.redeem_sign_in_link(found, team, late, now=1000.0 + accounts.LINK_SECONDS + 1)
    assert expired.account is None
    assert accounts.redeem_sign_in_link(found, team, "made-up-token").account is None
    with pytest.raises(AccountError, match="没有“nobody”"):
        accounts.create_sign_in_link(team, "nobody")


# ---- command line -------------------------------------------------------------------------------

def test_cli_add_list_set_role_remove(team: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert accounts.main(["add", "王五", "--role", "editor", "--password-stdin"]) == 0
    assert accounts.verify_password(PASSWORD, accounts.load_accounts(team)["王五"].password_hash)
    assert accounts.main(["set-role", "王五", "admin"]) == 0
    capsys.readouterr()
    assert accounts.main(["list"]) == 0
    assert "王五\tadmin" in capsys.readouterr().out
    assert accounts.main(["remove", "王五"]) == 0
    assert "王五" not in accounts.load_accounts(team)
    assert accounts.main(["remove", "王五"]) == 1
    assert "没有“王五”" in capsys.readouterr().err


def test_cli_runs_as_a_module(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    env = {**os.environ, accounts.ENV_VAR: str(path)}
    done = subprocess.run([sys.executable, "-m", "dashboard.accounts", "add", "zhang", "--role", "viewer",
                           "--password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True,
                          env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert accounts.load_accounts(path)["zhang"].role == "viewer"


# ---- the gate in an app -------------------------------------------------------------------------

APP = """
import streamlit as st
from dashboard import auth

if not auth.sign_in_gate():
    st.stop()
auth.sign_out_button()
pages = [
    st.Page("data_page.py", title="总览", default=True),
    st.Page("upload_page.py", title="导入", url_path="upload", visibility=auth.page_visibility("upload")),
    st.Page("accounts_page.py", title="账户管理", url_path="accounts",
            visibility=auth.page_visibility("accounts")),
]
st.session_state["menu"] = [p.title for p in pages if p.visibility == "visible"]
st.navigation(pages).run()
"""
DATA_PAGE = """
import streamlit as st
from dashboard import auth

auth.require_role("viewer")
st.markdown("机密数据")
st.dataframe({"city": ["聊城市"], "value": [3478.0]})
"""
UPLOAD_PAGE = """
import streamlit as st
from dashboard import auth

auth.require_role("editor")
st.markdown("导入页面")
st.file_uploader("版面文件")
"""


ACCOUNTS_PAGE = Path(accounts.__file__).parent / "app_pages" / "accounts.py"


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "app"
    folder.mkdir()
    for name, text in [("app.py", APP), ("data_page.py", DATA_PAGE), ("upload_page.py", UPLOAD_PAGE)]:
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    shutil.copy(ACCOUNTS_PAGE, folder / "accounts_page.py")
    return folder


def _app(app_dir: Path) -> AppTest:
    return AppTest.from_file(str(app_dir / "app.py"), default_timeout=30).run()


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def _sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    return at.button[0].click().run()


def test_without_accounts_the_demo_opens_as_admin(app_dir: Path, no_accounts: Path) -> None:
    at = _app(app_dir)
    assert "机密数据" in _texts(at) and len(at.dataframe) == 1
    assert at.session_state["menu"] == ["总览", "导入", "账户管理"]


def test_with_accounts_nothing_is_shown_before_signing_in(app_dir: Path, team: Path) -> None:
    at = _app(app_dir)
    assert not at.exception
    assert "机密数据" not in _texts(at) and len(at.dataframe) == 0
    assert at.text_input(key="auth_password").proto.type == TextInput.PASSWORD
    at.switch_page("upload_page.py").run()
    assert "导入页面" not in _texts(at) and len(at.get("file_uploader")) == 0


def test_wrong_password_is_refused_and_shows_nothing(app_dir: Path, team: Path) -> None:
    at = _sign_in(_app(app_dir), "viewer1", "wrong-password")
    assert at.error and "用户名或密码不对" in at.error[0].value
    assert "机密数据" not in _texts(at) and len(at.dataframe) == 0


def test_viewer_sees_data_but_is_refused_on_the_upload_page_even_by_url(app_dir: Path, team: Path) -> None:
    at = _sign_in(_app(app_dir), "viewer1")
    assert "机密数据" in _texts(at) and len(at.dataframe) == 1
    assert at.session_state["menu"] == ["总览"]
    at.switch_page("upload_page.py").run()
    assert "导入页面" not in _texts(at) and len(at.get("file_uploader")) == 0
    assert at.error and "没有权限" in at.error[0].value


def test_editor_reaches_the_upload_page(app_dir: Path, team: Path) -> None:
    at = _sign_in(_app(app_dir), "编辑张")
    assert at.session_state["menu"] == ["总览", "导入"]
    at.switch_page("accounts_page.py").run()
    assert at.error and "没有权限" in at.error[0].value and not at.dataframe
    at.switch_page("upload_page.py").run()
    assert "导入页面" in _texts(at) and len(at.get("file_uploader")) == 1


def test_sign_out_forgets_the_user(app_dir: Path, team: Path) -> None:
    at = _sign_in(_app(app_dir), "admin1")
    assert "机密数据" in _texts(at)
    at.sidebar.button(key="auth_sign_out").click().run()
    assert "机密数据" not in _texts(at) and "auth_user" not in at.session_state


def test_a_removed_or_demoted_account_loses_access_at_the_next_click(app_dir: Path, team: Path) -> None:
    at = _sign_in(_app(app_dir), "编辑张")
    accounts.set_role(team, "编辑张", "viewer")
    at.switch_page("upload_page.py").run()
    assert "导入页面" not in _texts(at)
    accounts.remove_account(team, "编辑张")
    at.switch_page("data_page.py").run()
    assert "机密数据" not in _texts(at) and len(at.dataframe) == 0


def test_guessing_in_the_form_locks_even_the_right_password(app_dir: Path, team: Path) -> None:
    at = _app(app_dir)
    for _ in range(accounts.FREE_TRIES):
        at = _sign_in(at, "admin1", "guess-guess")
    at = _sign_in(at, "admin1")
    assert "秒后再试" in at.error[0].value
    assert "机密数据" not in _texts(at)


def test_accounts_file_named_in_secrets(app_dir: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(accounts.ENV_VAR, raising=False)
    path = tmp_path / "named.toml"
    accounts.add_account(path, "viewer1", "viewer", PASSWORD, rounds=FAST)
    at = AppTest.from_file(str(app_dir / "app.py"), default_timeout=30)
    at.secrets["accounts_file"] = str(path)
    at.run()
    assert "机密数据" not in _texts(at)
    at = _sign_in(at, "viewer1")
    assert "机密数据" in _texts(at)


def _fill(at: AppTest, form: str, values: dict[str, str]) -> AppTest:
    for label, value in values.items():
        next(w for w in at.text_input if w.label == label and w.form_id == form).input(value)
    return at


def _submit(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def test_admin_adds_an_account_and_cannot_remove_the_last_admin(app_dir: Path, team: Path) -> None:
    at = _sign_in(_app(app_dir), "admin1")
    at.switch_page("accounts_page.py").run()
    assert set(at.dataframe[0].value["用户名"]) == {"viewer1", "编辑张", "admin1"}
    _fill(at, "accounts_add", {"用户名": "李四", "密码": PASSWORD, "再输入一次密码": PASSWORD})
    next(s for s in at.selectbox if s.label == "角色").set_value("editor")
    at = _submit(at, "添加")
    assert not at.exception and "已添加账户 李四" in at.success[0].value
    assert accounts.load_accounts(team)["李四"].role == "editor"
    assert "李四" in set(at.dataframe[0].value["用户名"])
    next(s for s in at.selectbox if s.label == "账户").set_value("admin1")
    next(s for s in at.selectbox if s.label == "新角色").set_value("viewer")
    at = _submit(at, "保存修改")
    assert at.error and "不再有管理员" in at.error[0].value
    assert accounts.load_accounts(team)["admin1"].role == "admin"


def test_a_damaged_accounts_file_keeps_the_app_closed(app_dir: Path, accounts_file: Path) -> None:
    accounts_file.write_text('[users.zhang]\npassword_hash = "x"\n', encoding="utf-8")
    at = _app(app_dir)
    assert at.error and "zhang" in at.error[0].value
    assert "机密数据" not in _texts(at) and len(at.dataframe) == 0


# ---- failing closed -----------------------------------------------------------------------------

def _as_read(markdown: str) -> str:
    """What a reader sees of an escaped Markdown message (``escape_markdown`` backslashes undone)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n")


def _closed(at: AppTest, *phrases: str) -> None:
    """The app says why it is closed (in Chinese) and shows no data, no form, no menu."""
    assert not at.exception
    assert at.error and all(p in _as_read(at.error[0].value) for p in phrases), [e.value for e in at.error]
    assert "机密数据" not in _texts(at) and len(at.dataframe) == 0
    assert not any(w.key == "auth_password" for w in at.text_input)
    assert "menu" not in at.session_state


def test_a_missing_accounts_file_named_in_the_environment_closes_the_app(
        app_dir: Path, accounts_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    at = _app(app_dir)
    _closed(at, str(accounts_file), "不存在", accounts.ENV_VAR, "dashboard.accounts add")
    at.switch_page("upload_page.py").run()
    _closed(at, "不存在")
    assert any("看板拒绝提供数据" in r.getMessage() and str(accounts_file) in r.getMessage()
               for r in caplog.records), "the reason is in the server's log too"


def test_a_missing_accounts_file_named_in_secrets_closes_the_app(app_dir: Path, no_accounts: Path,
                                                                 tmp_path: Path) -> None:
    at = AppTest.from_file(str(app_dir / "app.py"), default_timeout=30)
    at.secrets["accounts_file"] = str(tmp_path / "typo.toml")
    _closed(at.run(), "typo.toml", "secrets.toml 中的 accounts_file")


def test_an_accounts_path_that_is_a_folder_closes_the_app(app_dir: Path, accounts_file: Path) -> None:
    accounts_file.mkdir()
    _closed(_app(app_dir), "无法读取账户文件", str(accounts_file))


def test_an_unreadable_accounts_file_closes_the_app(app_dir: Path, team: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.read_text

    def refuse(self: Path, *args, **kwargs) -> str:
        if self == team:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", refuse)
    _closed(_app(app_dir), "没有读取权限", str(team))


def test_an_accounts_file_emptied_of_accounts_closes_the_app(app_dir: Path, team: Path) -> None:
    for name in ["viewer1", "编辑张", "admin1"]:
        accounts.remove_account(team, name)
    _closed(_app(app_dir), "没有任何账户", "删除该文件")


def test_only_an_unconfigured_dashboard_is_the_demo(no_accounts: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert not accounts.sign_in_required({}) and accounts.all_accounts({}) == {}
    assert accounts.sign_in_required({"accounts_file": "x.toml"})
    no_accounts.parent.mkdir()
    no_accounts.write_text("", encoding="utf-8")
    assert accounts.sign_in_required({})
    with pytest.raises(AccountError, match="没有任何账户"):
        accounts.all_accounts({})
    no_accounts.unlink()
    monkeypatch.setenv(accounts.ENV_VAR, str(tmp_path / "typo.toml"))
    with pytest.raises(AccountError, match="不存在"):
        accounts.all_accounts({})


def test_a_locked_admin_signs_in_with_a_link_from_the_command_line(
        app_dir: Path, team: Path, capsys: pytest.CaptureFixture) -> None:
    found = accounts.load_accounts(team)
    for _ in range(6):
        accounts.authenticate(found, accounts.attempts_path(team), "admin1", "guess-guess")
    assert accounts.main(["sign-in-link", "admin1", "--url", "http://10.0.0.2:8501/"]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("http://10.0.0.2:8501/?signin=")
    at = AppTest.from_file(str(app_dir / "app.py"), default_timeout=30)
    at.query_params["signin"] = link.split("=", 1)[1]
    at.run()
    assert not at.exception and "机密数据" in _texts(at)
    assert "signin" not in at.query_params
    again = AppTest.from_file(str(app_dir / "app.py"), default_timeout=30)
    again.query_params["signin"] = link.split("=", 1)[1]
    again.run()
    assert again.error and "已用过" in again.error[0].value and "机密数据" not in _texts(again)


def test_an_admin_unlocks_a_name_that_is_no_account_on_the_page(app_dir: Path, team: Path) -> None:
    found, attempts = accounts.load_accounts(team), accounts.attempts_path(team)
    for _ in range(accounts.FREE_TRIES + 5):
        accounts.authenticate(found, attempts, "ghost", "guess-guess")
    at = _sign_in(_app(app_dir), "admin1")
    at.switch_page("accounts_page.py").run()
    chooser = next(m for m in at.multiselect if m.label == "正在锁定中")
    assert chooser.options == ["用户名 ghost"]
    chooser.set_value(["user:ghost"])
    at = _submit(at, "解除所选锁定")
    assert not at.exception and "已解除 1 项锁定" in at.success[0].value
    assert accounts.current_locks(attempts) == []


def test_cli_lists_and_clears_locks_of_names_and_clients(team: Path, capsys: pytest.CaptureFixture) -> None:
    found, attempts = accounts.load_accounts(team), accounts.attempts_path(team)
    for i in range(accounts.CLIENT_FREE_TRIES):
        accounts.authenticate(found, attempts, f"g{i % 2}", "guess-guess", client="10.0.0.7")
    assert accounts.main(["locks"]) == 0
    listed = capsys.readouterr().out
    assert "客户端 10.0.0.7" in listed and "用户名 g0" in listed
    assert accounts.main(["unlock", "--client", "10.0.0.7"]) == 0
    assert accounts.wait_seconds(attempts, [accounts.client_key("10.0.0.7")]) == 0
    assert accounts.main(["unlock", "--all"]) == 0
    assert accounts.current_locks(attempts) == []
    assert accounts.main(["unlock"]) == 1


def test_a_refused_name_in_the_add_form_is_shown_as_text(app_dir: Path, team: Path) -> None:
    at = _sign_in(_app(app_dir), "admin1")
    at.switch_page("accounts_page.py").run()
    name = "[点我](javascript:alert(1))"
    _fill(at, "accounts_add", {"用户名": name, "密码": PASSWORD, "再输入一次密码": PASSWORD})
    at = _submit(at, "添加")
    assert at.error and "不可用" in at.error[0].value
    assert "](" not in at.error[0].value.replace("\\]\\(", "") and name in _as_read(at.error[0].value)
