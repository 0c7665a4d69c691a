"""Sign-in and roles for the dashboard's pages.

Sign-in is off for the embedded demo (no accounts source configured at all: everyone is the
admin "演示用户") and on as soon as one is configured; a configured source that is missing,
unreadable or empty closes the dashboard with the reason, on the page and in the log (fails
closed, never open). The signed-in name is
kept in ``st.session_state``; its role is read again from the accounts file on every run, so a
demoted or removed account loses its rights at its next click. Menus hide what a role may not
use (``page_visibility``) and every page still calls ``require_role`` itself, so a viewer who
types the URL of 导入 sees a refusal, not the page.

``app.py`` registers every page first (hidden until someone signs in, so a typed URL such as
/upload survives the sign-in form), then gates::

    st.Page("app_pages/upload.py", title="导入", visibility=auth.page_visibility("upload"))
    page = st.navigation(menu, position="sidebar" if auth.signed_in() else "hidden")
    if not auth.sign_in_gate():
        st.stop()
"""

from __future__ import annotations

import secrets as _secrets_module
from typing import Literal

import streamlit as st
from streamlit.logger import get_logger

from dashboard import accounts
from dashboard.accounts import ROLES, Account, AccountError
from dashboard.safe_text import escape_markdown

ROLE_NAMES = {"viewer": "浏览者", "editor": "编辑", "admin": "管理员"}
PAGE_ROLES = {
    "overview": "viewer",
    "initiative": "viewer",
    "explore": "viewer",
    "article": "viewer",
    "provinces": "viewer",
    "campaigns": "viewer", "search": "viewer", "brief": "viewer",
    "upload": "editor",
    "review": "editor",
    "accounts": "admin",
}
DEMO_USER = "演示用户"
_USER_KEY = "auth_user"
_SESSION_KEY = "auth_session"
_LINK_PARAM = "signin"
AUDIT_LOG = "gongjian.audit"
"""Logger of sign-ins, refusals and uploads, with the account name (Streamlit's console format)."""
audit = get_logger(AUDIT_LOG)

__all__ = [
    "PAGE_ROLES", "ROLES", "ROLE_NAMES", "app_secrets", "current_role", "current_user", "has_role",
    "page_visibility", "require_role", "sign_in_enabled", "sign_in_gate", "sign_out", "sign_out_button",
    "signed_in",
]


def app_secrets() -> dict:
    """``st.secrets`` as a dict, or {} when the app has no secrets file."""
    if not st.secrets.load_if_toml_exists():
        return {}
    return st.secrets.to_dict()


def _accounts() -> dict[str, Account]:
    """The accounts; when a configured source is unusable, say why and stop this run (fail closed)."""
    try:
        return accounts.all_accounts(app_secrets())
    except AccountError as exc:
        if st.session_state.get("auth_closed_logged") != exc.message:
            audit.error("看板拒绝提供数据：%s", exc.message)
            st.session_state["auth_closed_logged"] = exc.message
        st.title("攻坚看板")
        st.error(escape_markdown(exc.message), icon=":material/lock:")
        st.stop()
        raise  # st.stop() raises; this keeps type checkers honest


def sign_in_enabled() -> bool:
    return bool(_accounts())


def _signed_in() -> Account | None:
    name = st.session_state.get(_USER_KEY)
    return _accounts().get(name) if name else None


def _session_key() -> str:
    if _SESSION_KEY not in st.session_state:
        st.session_state[_SESSION_KEY] = _secrets_module.token_hex(16)
    return st.session_state[_SESSION_KEY]


def _client() -> str:
    """The client's address, for counting wrong passwords per client.

    A connection from the server itself has no address (Streamlit gives None for 127.0.0.1): behind
    a proxy on the same machine the proxy's ``X-Forwarded-For`` (its last entry, the one it added)
    names the client; with no proxy it is someone on the server, counted per browser session.
    """
    address = st.context.ip_address
    if isinstance(address, str) and address:
        return address
    headers = st.context.headers
    forwarded = headers.get("X-Forwarded-For", "") if hasattr(headers, "get") else ""
    if isinstance(forwarded, str) and forwarded.strip():
        return forwarded.split(",")[-1].strip()[:64]
    return f"本机会话-{_session_key()[:12]}"


def _signed_in_as(result: accounts.SignIn, how: str) -> None:
    st.session_state[_USER_KEY] = result.account.name
    audit.info("登录成功：%s（%s，%s）", result.account.name, how, _client())
    st.rerun()


def _redeem_link() -> None:
    """``/?signin=<token>`` from ``python -m dashboard.accounts sign-in-link``: sign in once."""
    token = st.query_params.get(_LINK_PARAM)
    if not token:
        return
    del st.query_params[_LINK_PARAM]
    path = accounts.accounts_path(app_secrets())
    result = accounts.redeem_sign_in_link(_accounts(), path, str(token))
    if result.account is None:
        audit.warning("一次性登录链接被拒绝（%s）", _client())
        st.error(result.message)
        return
    _signed_in_as(result, "一次性登录链接")


def _sign_in_form() -> None:
    st.title("攻坚看板")
    st.caption("本看板含内部材料，请先登录。没有账户请联系管理员。")
    with st.form("auth_sign_in"):
        name = st.text_input("用户名", key="auth_name", max_chars=accounts.MAX_NAME)
        password = st.text_input("密码", type="password", key="auth_password")
        submitted = st.form_submit_button("登录", type="primary")
    if not submitted:
        return
    path = accounts.accounts_path(app_secrets())
    result = accounts.authenticate(_accounts(), accounts.attempts_path(path), name, password, _client())
    if result.account is None:
        shown = (name or "").strip()[: accounts.MAX_NAME]
        audit.warning("登录被拒绝：用户名 %r%s（%s）", shown, "…" if len(name or "") > len(shown) else "",
                      _client())
        st.error(result.message)
        return
    st.session_state.pop("auth_password", None)
    _signed_in_as(result, "密码")


def signed_in() -> bool:
    """True when sign-in is off or someone is signed in: the menu may be shown."""
    return not sign_in_enabled() or _signed_in() is not None


def sign_in_gate() -> bool:
    """Show the sign-in form when accounts are configured and nobody is signed in; True to go on.

    Call it first in ``app.py`` and ``st.stop()`` on False: nothing of the data is built before.
    """
    if signed_in():
        return True
    st.session_state.pop(_USER_KEY, None)
    _redeem_link()
    _sign_in_form()
    return False


def current_role() -> str:
    """The signed-in user's role; "admin" when sign-in is off (the embedded demo); "" for nobody."""
    if not sign_in_enabled():
        return "admin"
    account = _signed_in()
    return account.role if account else ""


def current_user() -> str:
    """The signed-in user's name (written into corrections' ``who``); "" for nobody."""
    if not sign_in_enabled():
        return DEMO_USER
    account = _signed_in()
    return account.name if account else ""


def _allows(role: str, min_role: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(min_role)


def has_role(min_role: str) -> bool:
    return _allows(current_role(), min_role)


def page_visibility(page: str) -> Literal["visible", "hidden"]:
    """``st.Page(..., visibility=page_visibility("upload"))``: the menu shows what the role may use."""
    return "visible" if has_role(PAGE_ROLES.get(page, "admin")) else "hidden"


def require_role(min_role: str) -> None:
    """Called at the top of every page: refuse (st.error + st.stop) when the role is too low."""
    role = current_role()
    if _allows(role, min_role):
        return
    if not role:
        st.error("请先登录：本页面只对已登录的用户开放")
    else:
        st.error(
            f"没有权限：本页面需要“{ROLE_NAMES[min_role]}”或更高的角色，"
            f"您当前是“{ROLE_NAMES[role]}”。如需开通请联系管理员"
        )
    st.stop()


def sign_out() -> None:
    """Forget everything this browser session held (user, filters' widgets, cached forms)."""
    st.session_state.clear()


def sign_out_button() -> None:
    """In the sidebar: who is signed in, with which role, and a 退出登录 button."""
    account = _signed_in() if sign_in_enabled() else None
    if account is None:
        return
    bar = st.sidebar
    bar.caption(f"已登录：{escape_markdown(account.name)}（{ROLE_NAMES[account.role]}）")
    if bar.button("退出登录", key="auth_sign_out"):
        sign_out()
        st.rerun()
