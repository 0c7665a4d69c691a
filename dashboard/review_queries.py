"""校对's questions of the store: a page of the queue, and the flags and figures behind one of them.

The checks' suspicions of every figure are stored with each snapshot (``summary_review_flags``,
written by ``loaders.storage.flags`` at publish); a snapshot without them (one published along an
ingest, an older store) gets them worked out for the chosen cities and registered on a cursor
under another name. Either way the queue is one query: ``fetch_queue(con, "summary_review_flags", …)``
gives the first rows a reviewer sees and how many there are, whatever the store's size.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from dashboard.filters import Filters
from dashboard.queries import where
from loaders.storage import current, flags, review

STORED_FLAGS = "summary_review_flags"
STORED_PER_FACT = "summary_review_queue"


def _flags_on(cursor, found: str | pd.DataFrame) -> str:
    """The name ``found`` is read under on ``cursor``: the stored table, or a frame registered there."""
    if isinstance(found, str):
        return found
    cursor.register("review_scoped_flags", found)
    return "review_scoped_flags"


class QueueChoice(NamedTuple):
    """What the reviewer asked of the queue besides the sidebar's filters."""

    only_flagged: bool = True
    reviewed: bool = False
    check: str = ""
    lookup: str = ""


def fetch_queue(con, found: str | pd.DataFrame, filters: Filters, choice: QueueChoice,
                limit: int) -> tuple[pd.DataFrame, int]:
    """The first ``limit`` figures of the queue, most doubtful first, and the queue's length.

    ``found``: the flags (``STORED_FLAGS``, whose sums are stored beside them, or a frame of them
    worked out by the page). A lookup by number shows that figure whatever its state; otherwise
    reviewed figures leave the queue unless asked for, and the sidebar's filters narrow it. The
    queue is ordered on three columns; only the rows shown are read whole.
    """
    cursor = con.cursor()
    relation = _flags_on(cursor, found)
    per_fact = STORED_PER_FACT if relation == STORED_FLAGS else f"({flags.per_fact_sql(relation)})"
    conditions: list[str] = []
    params: list[object] = []
    if choice.lookup:
        conditions.append("fact_id = ?")
        params.append(choice.lookup)
    else:
        if not choice.reviewed:
            conditions.append("coalesce(review_status, '') = ''")
        if choice.check:
            conditions.append(f'fact_id IN (SELECT fact_id FROM {relation} WHERE "check" = ?)')
            params.append(choice.check)
        narrowed, more = where(filters)
        if narrowed:
            conditions.append(narrowed.removeprefix(" AND "))
            params += more
    narrowing = " AND ".join(conditions) or "true"
    facts = f"""(SELECT fact_id, least(greatest(coalesce(confidence, 0.5), 0.0), 1.0) AS confidence
                 FROM facts_current WHERE {narrowing})"""
    queue = flags.queue_sql(facts, per_fact, only_flagged=choice.only_flagged and not choice.lookup)
    # The queue is counted once, and its first rows are a heap's work, not a sort of every figure.
    unordered, order = queue.rsplit("ORDER BY", 1)
    ranked = cursor.execute(f"""WITH queue AS MATERIALIZED ({unordered})
        SELECT (SELECT count(*) FROM queue) AS queue_size, * FROM queue
        ORDER BY {order} LIMIT {int(limit)}""", params).df()
    size = int(ranked.queue_size.iloc[0]) if len(ranked) else 0
    # The same conditions again let the store skip to the rows shown.
    whole = cursor.execute(f"SELECT * FROM facts_current WHERE list_contains(?, fact_id) AND {narrowing}",
                           [ranked.fact_id.tolist(), *params]).df()
    shown = ranked.drop(columns=["queue_size", "confidence"]).merge(whole, on="fact_id", how="left")
    shown = review.prepare(shown)
    shown["period_year"] = shown.period_year.where(shown.period_year != -1)
    return shown, size


def fetch_reasons(con, found: str | pd.DataFrame, fact_id: str) -> pd.DataFrame:
    """One figure's flags with their reasons (check, reason_zh, severity), in the checks' order."""
    cursor = con.cursor()
    found = _flags_on(cursor, found)
    mine = cursor.execute(f"""SELECT {", ".join(f'"{c}"' for c in flags.FLAG_COLUMNS)} FROM {found}
        WHERE fact_id = ? ORDER BY list_position(?, "check")""", [fact_id, list(review.CHECK_LABELS)]).df()
    if mine.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in review.CHECK_COLUMNS})
    named = [fact_id, *(o for o in mine.other_id if isinstance(o, str))]
    facts = review.prepare(cursor.execute("SELECT * FROM facts_current WHERE list_contains(?, fact_id)",
                                          [named]).df())
    return pd.DataFrame({"fact_id": fact_id, "check": mine.check, "reason_zh": review.reasons(mine, facts),
                         "severity": mine.severity})


def fetch_rejected(con) -> int:
    """How many figures reviewers rejected (they count nowhere)."""
    return int(con.cursor().execute(f"SELECT count(*) FROM ({current.REJECTED})").fetchone()[0])
