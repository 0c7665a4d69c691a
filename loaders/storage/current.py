"""Which figures count now: the rule every reader of the store applies, in SQL.

A reviewer may correct a figure (a place, a metric) or reject it; ``facts_current`` (``store``) shows
each figure as its last correction left it. A rejected figure never reaches a chart, a card, a
count or a summary, so every question starts from ``BASE``; one that reads ``facts`` itself for
speed uses ``REJECTED`` or ``facts_cte``. One definition for the dashboard's live questions and the
summaries written into each snapshot (``summaries``), so both count the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence

BASE = "FROM facts_current WHERE coalesce(review_status, '') <> 'rejected'"
# The figures whose last review action is a rejection (for a count per article that reads ``facts``).
REJECTED = """SELECT fact_id FROM corrections GROUP BY fact_id HAVING arg_max(action, "at") = 'reject'"""
# How a column of ``facts`` reads as ``facts_current`` shows it when no reviewer touched the figure.
_AS_CURRENT = {"metric": "coalesce(nullif(canonical_metric, ''), metric) AS metric"}


def facts_cte(name: str, columns: Sequence[str]) -> str:
    """A CTE ``name`` of the current figures' ``columns``, as ``BASE`` gives them, read cheaply.

    ``facts_current`` joins every figure to its article and its corrections; a question about the
    figures' own columns (place, initiative, metric, sentence) reads ``facts`` itself and the view
    only for the few figures a reviewer touched (a corrected place, a rejected figure). Never
    materialised: each use filters it. ``facts_cte("cf", ["article_id", "city"])`` -> ``cf AS (…)``.
    """
    raw = ", ".join(_AS_CURRENT.get(c, c) for c in columns)
    return f"""{name} AS NOT MATERIALIZED (
    SELECT {raw} FROM facts WHERE fact_id NOT IN (SELECT fact_id FROM corrections)
    UNION ALL
    SELECT {", ".join(columns)} {BASE} AND fact_id IN (SELECT fact_id FROM corrections))"""
