"""The initiative taxonomy: keys, Chinese labels, keywords and canonical metrics.

It lives in ``loaders/data/taxonomy.toml`` so an official can edit it without touching code;
this module only loads it (once) into plain records that the facts step and the dashboard use.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
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
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """The hash is worked out once: the facts step looks its keyword matcher up by the taxonomy
        for every article, and hashing every keyword and metric each time cost as much as the lookup
        saved. Set here, not by a cached property, which a compiled class computes on every read."""
        parts = (self.initiatives, self.campaign_names, self.campaign_patterns)
        object.__setattr__(self, "_hash", hash(parts))

    def __hash__(self) -> int:
        return self._hash

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


@dataclass(frozen=True)
class MetricWords:
    """The words of ``loaders/data/metric_labels.toml`` that the label grammar reads.

    ``links`` stand between a noun phrase and its figure (技改项目就有5511个); ``relative_heads``
    name a measure of the figure before (…项目59个，总投资194亿元); ``suffix`` ends a count's
    label by unit (个 → 数, 笔 → 笔数); ``word_synonyms`` and ``label_synonyms`` fold other
    wordings into one (技术改造 → 技改, GDP → 地区生产总值).
    """

    links: frozenset[str]
    light_verbs: frozenset[str]
    agent_endings: tuple[str, ...]
    time_limit_words: tuple[str, ...]
    scope_words: frozenset[str]
    relative_heads: frozenset[str]
    noun_units: frozenset[str]
    money_nouns: tuple[str, ...]
    dictionary: tuple[tuple[str, str], ...]  # (word, part of speech) the segmenter keeps whole
    growth_words: tuple[str, ...]
    decline_words: tuple[str, ...]
    comparison_words: tuple[str, ...]
    measure_endings: tuple[str, ...]
    suffix: dict[str, str]
    word_synonyms: tuple[tuple[str, str], ...]  # (variant, preferred), longest variant first
    label_synonyms: dict[str, str]  # variant label → preferred label
    gap_words: tuple[str, ...] = ()  # a figure after these is a gap between two others (两地相差)


def parse_metric_words(text: str) -> MetricWords:
    """Build MetricWords from TOML text (separate from loading so tests can feed edited copies)."""
    data = tomllib.loads(text)
    grammar = data["grammar"]
    synonyms = data.get("synonyms", {})
    words = [(variant, preferred) for preferred, variants in synonyms.get("words", {}).items()
             for variant in variants]
    words.sort(key=lambda pair: len(pair[0]), reverse=True)
    labels = {variant: preferred for preferred, variants in synonyms.get("labels", {}).items()
              for variant in variants}
    return MetricWords(
        links=frozenset(grammar["links"]),
        light_verbs=frozenset(grammar["light_verbs"]),
        agent_endings=tuple(grammar["agent_endings"]),
        time_limit_words=tuple(grammar["time_limit_words"]),
        scope_words=frozenset(grammar["scope_words"]),
        relative_heads=frozenset(grammar["relative_heads"]),
        noun_units=frozenset(grammar["noun_units"]),
        money_nouns=tuple(grammar["money_nouns"]),
        dictionary=tuple(data.get("dictionary", {}).items()),
        growth_words=tuple(grammar["growth_words"]),
        decline_words=tuple(grammar["decline_words"]),
        comparison_words=tuple(grammar["comparison_words"]),
        measure_endings=tuple(sorted(grammar["measure_endings"], key=len, reverse=True)),
        suffix=dict(data["suffix"]),
        word_synonyms=tuple(words),
        label_synonyms=labels,
        gap_words=tuple(grammar.get("gap_words", ())),
    )


@cache
def load_metric_words() -> MetricWords:
    """The shipped label grammar words and synonyms, read once."""
    text = resources.files("loaders").joinpath("data/metric_labels.toml").read_text(encoding="utf-8")
    return parse_metric_words(text)
