"""The taxonomy's "lower is better" flag: each flagged row is a real metric; only those read reversed."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from dashboard.initiatives import initiatives, lower_is_better


def _flagged_rows() -> list[tuple[str, str]]:
    text = resources.files("loaders").joinpath("data/taxonomy.toml").read_text(encoding="utf-8")
    return [(m["name"], m["unit"]) for body in tomllib.loads(text)["initiatives"].values()
            for m in body.get("metrics", ()) if "lower_is_better" in m]


@pytest.mark.parametrize(("name", "unit"), _flagged_rows())
def test_every_flagged_row_is_a_canonical_metric_read_reversed(name, unit):
    assert any((m.name, m.unit) == (name, unit) for i in initiatives() for m in i.metrics)
    assert lower_is_better(name, unit)


@pytest.mark.parametrize(("name", "unit", "expected"), [
    ("办理时限", "工作日", True), ("申请材料数", "项", True), ("脱贫人口", "人", False),
    ("技改投资", "元", False),
    ("办理时限", "天", False),  # the flag belongs to the metric in its unit
])
def test_lower_is_better(name, unit, expected):
    assert lower_is_better(name, unit) is expected
