"""The initiative taxonomy: keys, Chinese labels, keywords and canonical metrics.

It lives in ``loaders/data/taxonomy.toml`` so an official can edit it without touching code;
this module only loads it (once) into plain records that the facts step and the dashboard use.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

METRIC_KINDS = ("stock", "flow", "rate", "target")


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    kind: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Initiative:
    key: str
    label: str
    order: int
    keywords: tuple[tuple[str, float], ...]  # (word, weight)
    metrics: tuple[Metric, ...]


@dataclass(frozen=True)
class Taxonomy:
    initiatives: tuple[Initiative, ...]
    campaign_names: tuple[str, ...]
    campaign_patterns: tuple[re.Pattern[str], ...]

    def get(self, key: str) -> Initiative | None:
        return next((i for i in self.initiatives if i.key == key), None)

    def label(self, key: str) -> str:
        found = self.get(key)
        return found.label if found else key


def _keyword(entry: str) -> tuple[str, float]:
    """``"技改=3"`` → ("技改", 3.0); a bare word weighs 1."""
    word, _, weight = entry.partition("=")
    return word.strip(), float(weight) if weight else 1.0


def parse_taxonomy(text: str) -> Taxonomy:
    """Build a Taxonomy from TOML text (separate from loading so tests can feed edited copies)."""
    data = tomllib.loads(text)
    initiatives = []
    for key, body in data["initiatives"].items():
        metrics = tuple(
            Metric(m["name"], m["unit"], m.get("kind", "flow"), tuple(m.get("keywords", ())))
            for m in body.get("metrics", ())
        )
        initiatives.append(Initiative(
            key=key, label=body["label"], order=int(body.get("order", 99)),
            keywords=tuple(_keyword(k) for k in body.get("keywords", ())), metrics=metrics,
        ))
    initiatives.sort(key=lambda i: i.order)
    campaigns = data.get("campaigns", {})
    return Taxonomy(
        initiatives=tuple(initiatives),
        campaign_names=tuple(name for entry in campaigns.get("known", ())
                             for name in (entry["name"], *entry.get("aliases", ()))),
        campaign_patterns=tuple(re.compile(p) for p in campaigns.get("patterns", ())),
    )


@cache
def load_taxonomy() -> Taxonomy:
    """The shipped taxonomy, read once."""
    text = resources.files("loaders").joinpath("data/taxonomy.toml").read_text(encoding="utf-8")
    return parse_taxonomy(text)
