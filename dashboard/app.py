"""攻坚看板 — the Streamlit entry point: page menu and the shared sidebar, nothing else.

``streamlit run dashboard/app.py`` (or ``gongjian-kanban``). Reads the store named by
``CAMPAIGN_TRACKER_DB`` (else ``data/tracker.duckdb``); on a store never loaded it first ingests
``seeds/`` with a progress bar. Each page lives in ``app_pages/``; every initiative page comes
from the one template ``app_pages/initiative.py``, in the taxonomy's menu order.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from pathlib import Path

import streamlit as st

# ``streamlit run dashboard/app.py`` puts dashboard/ itself on sys.path, not the project root.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from dashboard import auth, campaign_queries, filters, queries, seeding  # noqa: E402
from dashboard.app_pages import initiative  # noqa: E402
from dashboard.formatting import format_date  # noqa: E402
from dashboard.initiatives import initiatives, label_of  # noqa: E402
from loaders.storage.store import StoreError  # noqa: E402

_PAGES = Path(__file__).resolve().parent / "app_pages"

# The tab's icon is 📊 drawn as Streamlit draws an emoji icon, from a file: an emoji given as text
# loads Streamlit's catalogue of every emoji, a tenth of a second of each start.
st.set_page_config(page_title="攻坚看板", page_icon=Path(__file__).resolve().parent / "data" / "favicon.svg",
                   layout="wide", initial_sidebar_state="expanded")


def _page(name: str, title: str, icon: str, signed_in: bool, default: bool = False,
          role_of: str = "") -> st.Page:
    """A file page; ``role_of`` names a page whose role it shares (县区, 排名, 对比 are read like 总览)."""
    visibility = auth.page_visibility(role_of or name) if signed_in else "visible"
    return st.Page(_PAGES / f"{name}.py", title=title, icon=icon, url_path=name, default=default,
                   visibility=visibility)


def _initiative_page(key: str, label: str, signed_in: bool) -> st.Page:
    render = functools.partial(initiative.render, key)
    functools.update_wrapper(render, initiative.render)
    visibility = auth.page_visibility("initiative") if signed_in else "visible"
    return st.Page(render, title=label, icon=":material/flag:", url_path=key, visibility=visibility)


def _menu(signed_in: bool) -> dict[str, list[st.Page]]:
    """总览; 助企纾困, 技术改造, 脱贫攻坚, the other initiatives; 县区, 排名, 对比; 数据浏览, 原文;
    导入, 校对, 账户管理."""
    menu = {
        "": [_page("overview", "总览", ":material/dashboard:", signed_in, default=True)],
        "攻坚领域": [_initiative_page(item.key, item.label, signed_in) for item in initiatives()]
        + [_page("campaigns", "攻坚行动", ":material/campaign:", signed_in)],
        "分析": [_page("county", "县区", ":material/location_city:", signed_in, role_of="overview"),
                 _page("ranking", "排名", ":material/leaderboard:", signed_in, role_of="overview"),
                 _page("compare", "对比", ":material/compare_arrows:", signed_in, role_of="overview")],
        "数据": [_page("explore", "数据浏览", ":material/table_view:", signed_in),
                 _page("article", "原文", ":material/article:", signed_in),
                 _page("provinces", "外省对比", ":material/compare_arrows:", signed_in),

                 _page("search", "搜索", ":material/search:", signed_in),
                 _page("brief", "简报", ":material/print:", signed_in)],
        "管理": [_page("upload", "导入", ":material/upload_file:", signed_in)],
    }
    if (_PAGES / "review.py").exists():
        menu["管理"].append(_page("review", "校对", ":material/fact_check:", signed_in))
    if (_PAGES / "accounts.py").exists():
        menu["管理"].append(_page("accounts", "账户管理", ":material/manage_accounts:", signed_in))
    return menu


if not auth.sign_in_gate():
    # Register the pages (menu hidden, no page run) so a typed URL such as /upload is still the
    # page shown once the user has signed in.
    st.navigation(_menu(signed_in=False), position="hidden")
    st.stop()

try:
    seeding.ensure_seeded(queries.db_path())
    opts, campaign_counts = queries.together(queries.options, campaign_queries.names)
    opts = dataclasses.replace(opts, campaigns=tuple(campaign_counts),
                               counts={**(opts.counts or {}), "campaigns": campaign_counts})
except StoreError as exc:
    st.error(exc.message)
    st.stop()

# The page menu sits in the header, so the filters lead the sidebar (above any menu).
page = st.navigation(_menu(signed_in=True), position="top")
st.sidebar.title("攻坚看板")
filters.render_sidebar(opts, label=label_of)
st.sidebar.divider()
# As precise as the newest page allows ("2024年8月"), never a made-up first of the month.
st.sidebar.caption(f"数据截至：{format_date(opts.last_published) if opts.last_published else '日期不详'}")
auth.sign_out_button()
page.run()
