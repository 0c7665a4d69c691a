"""账户管理 (admins only): list accounts, add one, change a role or password, remove, unlock.

The same operations as ``python -m dashboard.accounts``, for admins who do not use a terminal.
Accounts from ``.streamlit/secrets.toml`` are shown but can only be changed in that file.

The first account is made only on the server's command line: in the demo (no accounts) every
visitor counts as admin, so a form here would let any visitor make themselves the admin and
lock everyone else out. The page explains the command instead, and names no server path.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import accounts, auth
from dashboard.accounts import ROLE_LABELS, ROLES, AccountError
from dashboard.safe_text import escape_markdown

_FLASH = "accounts_flash"


def _done(message: str) -> None:
    """Show ``message`` after a rerun, so the table above already shows the change."""
    st.session_state[_FLASH] = message
    st.rerun()


def _table(found: dict[str, accounts.Account], attempts_file) -> pd.DataFrame:
    rows = []
    for account in sorted(found.values(), key=lambda a: a.name):
        wait = accounts.wait_seconds(attempts_file, [f"user:{account.name.casefold()}"])
        rows.append({
            "用户名": account.name,
            "角色": ROLE_LABELS[account.role],
            "来源": "账户文件" if account.source == "file" else "secrets.toml（只读）",
            "状态": f"锁定中，{int(wait) + 1} 秒后解除" if wait > 0 else "正常",
        })
    return pd.DataFrame(rows, columns=["用户名", "角色", "来源", "状态"])


FIRST_ADMIN_COMMAND = "python -m dashboard.accounts add 用户名 --role admin"


def _first_admin_help() -> None:
    """Demo mode: how the server's administrator adds the first account; no form."""
    st.info("看板现在是演示模式：还没有账户，任何人都无需登录。")
    st.markdown("第一个管理员账户只能由服务器管理员在服务器上添加：在攻坚看板的程序文件夹中运行下面的命令，"
                "按提示输入两次密码（至少 8 个字符）。添加后，看板即要求登录，"
                "再用这个账户登录本页管理其他账户。")
    st.code(f".venv/bin/{FIRST_ADMIN_COMMAND}", language="bash")


def _add_form(path) -> None:
    with st.form("accounts_add", clear_on_submit=True):
        st.markdown("**添加账户**")
        name = st.text_input("用户名", help="1–40 个汉字、字母、数字或 . _ - @")
        role = st.selectbox("角色", list(ROLES), format_func=ROLE_LABELS.get)
        password = st.text_input("密码", type="password", help=f"至少 {accounts.MIN_PASSWORD} 个字符")
        again = st.text_input("再输入一次密码", type="password")
        if not st.form_submit_button("添加", type="primary"):
            return
    if password != again:
        st.error("两次输入的密码不一致：请重新输入")
        return
    try:
        account = accounts.add_account(path, name, role, password)
    except AccountError as exc:
        st.error(escape_markdown(exc.message))
        return
    _done(f"已添加账户 {account.name}（{ROLE_LABELS[account.role]}）")


def _change_form(path, names: list[str]) -> None:
    with st.form("accounts_change"):
        st.markdown("**修改账户**")
        name = st.selectbox("账户", names)
        role = st.selectbox("新角色", ["（不变）", *ROLES], format_func=lambda r: ROLE_LABELS.get(r, r))
        password = st.text_input("新密码（留空则不变）", type="password")
        remove = st.checkbox("删除这个账户")
        unlock = st.checkbox("清除输错记录（解除锁定）")
        if not st.form_submit_button("保存修改"):
            return
    try:
        if remove:
            accounts.remove_account(path, name, keep_admin=True)
            _done(f"已删除账户 {name}")
            return
        if role in ROLES:
            accounts.set_role(path, name, role, keep_admin=True)
        if password:
            accounts.set_password(path, name, password)
        if unlock:
            accounts.clear_failures(accounts.attempts_path(path), [f"user:{name.casefold()}"])
        _done(f"已保存 {name} 的修改")
    except AccountError as exc:
        st.error(escape_markdown(exc.message))


def _locks_form(path) -> None:
    """Every locked name or client, whether or not it is an account here (secrets.toml, typos, guesses)."""
    locks = accounts.current_locks(accounts.attempts_path(path))
    if not locks:
        return
    with st.form("accounts_unlock"):
        st.markdown("**解除锁定**")
        st.caption("；".join(f"{escape_markdown(x.label)}：输错 {x.failures} 次，{int(x.wait) + 1} 秒后解除"
                            for x in locks))
        labels = {x.key: x.label for x in locks}  # stable labels: a countdown would reset the choice
        chosen = st.multiselect("正在锁定中", list(labels), format_func=labels.get,
                                placeholder="选择要解除的项")
        if not st.form_submit_button("解除所选锁定") or not chosen:
            return
    accounts.clear_failures(accounts.attempts_path(path), chosen)
    _done(f"已解除 {len(chosen)} 项锁定")


def render() -> None:
    auth.require_role("admin")
    st.title("账户管理")
    if _FLASH in st.session_state:
        st.success(escape_markdown(st.session_state.pop(_FLASH)))
    secrets = auth.app_secrets()
    path = accounts.accounts_path(secrets)
    try:
        found = accounts.all_accounts(secrets)
    except AccountError as exc:
        st.error(escape_markdown(exc.message))
        return
    if not found:
        _first_admin_help()
        return
    st.caption("也可在服务器上用命令行管理账户：python -m dashboard.accounts --help")
    st.dataframe(_table(found, accounts.attempts_path(path)), hide_index=True)
    left, right = st.columns(2)
    with left:
        _add_form(path)
    file_names = sorted(name for name, a in found.items() if a.source == "file")
    if file_names:
        with right:
            _change_form(path, file_names)
    _locks_form(path)


if __name__ == "__main__":
    render()
