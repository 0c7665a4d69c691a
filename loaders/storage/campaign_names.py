"""A person's yes or no on campaign names the patterns found, so officials grow the list.

The catalogue in ``taxonomy.toml`` lists the campaigns everyone knows; the patterns
(``…攻坚行动``, ``…专项行动``) find others — 设备更新攻坚战 on a Qingdao page — but also odd cuts
(环境大整治精细管理大提升行动). Such a name is stored with its articles at once, shown nowhere, and
waits in 校对: ``pending(con)`` lists it with its articles and an example; ``decide(con, name,
"confirmed", "张三")`` puts it on the 攻坚行动 page and in the filter, ``"rejected"`` keeps it out.
A decision is a row of ``campaign_names`` (the last one counts), never a change of the mentions.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from loaders.campaigns import Catalogue, campaign_members, is_known, load_catalogue
from loaders.storage.current import REJECTED

STATUSES = ("confirmed", "rejected")
STATUS_LABELS = {"pending": "待确认", "confirmed": "已确认", "rejected": "已否决"}


def decide(con: duckdb.DuckDBPyConnection, name: str, status: str, who: str) -> None:
    """Record that ``who`` confirmed or rejected the campaign name ``name``."""
    if status not in STATUSES:
        raise ValueError(f"攻坚行动名称的校对结果 {status} 无效：应为 confirmed 或 rejected")
    con.execute("INSERT OR REPLACE INTO campaign_names (name, status, who, \"at\") VALUES (?, ?, ?, ?)",
                [name, status, who, datetime.now()])


def shown_names(con) -> list[str]:
    """Names the 攻坚行动 page and the filter show: the catalogue's and the confirmed ones, minus the
    rejected ones, in the catalogue's order."""
    cursor = con.cursor() if hasattr(con, "cursor") else con
    decided = dict(cursor.execute("SELECT name, status FROM campaign_names").fetchall())
    known = [c.name for c in load_catalogue().known]
    names = [n for n in known if decided.get(n) != "rejected"]
    return names + sorted(n for n, s in decided.items() if s == "confirmed" and n not in names)


def offered_names(con) -> dict[str, int]:
    """The campaign names the filter offers, each with the figures choosing it keeps.

    Those shown (``shown_names``) that have a mention in the store, in that order; a family counts
    the figures of every article naming it or one of its parts once (六稳六保: 六稳, 六保 too), as
    the filter does. ``{"三提三敢": 41, "六稳六保": 12, …}``. Counts read ``facts`` itself.
    """
    cursor = con.cursor() if hasattr(con, "cursor") else con
    names = shown_names(cursor)
    present = {row[0] for row in cursor.execute(
        "SELECT DISTINCT name FROM campaigns WHERE list_contains(?, name)", [names]).fetchall()}
    names = [n for n in names if n in present]
    pairs = [(name, member) for name in names for member in campaign_members([name])]
    figures = dict(cursor.execute(f"""
        WITH fam AS (SELECT unnest(?::VARCHAR[]) AS name, unnest(?::VARCHAR[]) AS member),
        hits AS (SELECT DISTINCT fam.name, c.article_id FROM fam JOIN campaigns c ON c.name = fam.member),
        per AS (SELECT article_id, count(*) AS n FROM facts
                WHERE article_id IN (SELECT article_id FROM hits) AND fact_id NOT IN ({REJECTED})
                GROUP BY 1)
        SELECT hits.name, coalesce(sum(per.n), 0)::BIGINT AS figures
        FROM hits LEFT JOIN per USING (article_id) GROUP BY 1""",
        [[n for n, _ in pairs], [m for _, m in pairs]]).fetchall())
    return {n: int(figures.get(n, 0)) for n in names}


def decisions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every decided name with its status: ``{"设备更新攻坚战": "confirmed", …}``."""
    return dict(con.execute("SELECT name, status FROM campaign_names").fetchall())


def pending(con: duckdb.DuckDBPyConnection, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Names found by the patterns that nobody decided yet, most articles first.

    Columns: name, articles, mentions, first, last (publication dates), example_article (id).
    """
    catalogue = catalogue or load_catalogue()
    cursor = con.cursor() if hasattr(con, "cursor") else con
    found = cursor.execute("""
        SELECT c.name, count(DISTINCT c.article_id) AS articles, sum(c.count)::BIGINT AS mentions,
               min(a.published_date) AS first, max(a.published_date) AS last,
               min(c.article_id) AS example_article
        FROM campaigns c LEFT JOIN articles a USING (article_id)
        WHERE c.name NOT IN (SELECT name FROM campaign_names)
        GROUP BY c.name ORDER BY articles DESC, c.name""").df()
    unknown = [not is_known(n, catalogue) for n in found["name"]]
    return found[unknown].reset_index(drop=True)
