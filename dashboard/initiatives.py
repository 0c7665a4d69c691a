"""The initiatives the menu shows, in order, with their canonical metrics — from the taxonomy file.

The taxonomy (``loaders/data/taxonomy.toml``, read by ``loaders.taxonomy.load_taxonomy``) is data
officials edit: a new initiative there gets its own page without a code change.
Example: ``[i.label for i in initiatives()][:3] == ["助企纾困", "技术改造", "脱贫攻坚"]``.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

from loaders.taxonomy import Initiative, Metric, load_taxonomy

# The three initiatives officials open first; the rest follow in the taxonomy's order, 其他 last.
FIRST = ("enterprise_support", "tech_renovation", "poverty")

KIND_LABELS = {"stock": "累计", "flow": "期间", "rate": "比率", "target": "目标",
               "duration": "时长", "": "未分类"}

__all__ = ["FIRST", "KIND_LABELS", "Initiative", "Metric", "by_key", "initiatives", "label_of",
           "lower_is_better", "menu_order"]


def menu_order(items: list[Initiative]) -> list[Initiative]:
    """助企纾困, 技术改造, 脱贫攻坚 first, then the others by the taxonomy's order; 其他 last."""
    def rank(item: Initiative) -> tuple[int, int, str]:
        if item.key in FIRST:
            return (0, FIRST.index(item.key), item.key)
        return (2 if item.key == "other" else 1, item.order, item.key)
    return sorted(items, key=rank)


@functools.cache
def initiatives() -> tuple[Initiative, ...]:
    """Every initiative of the taxonomy in menu order."""
    return tuple(menu_order(list(load_taxonomy().initiatives)))


def label_of(key: str) -> str:
    """``"poverty"`` -> ``"脱贫攻坚"``; several keys ``"poverty|rural"`` -> ``"脱贫攻坚｜乡村振兴"``."""
    if not key:
        return "未分类"
    return "｜".join(load_taxonomy().label(part) for part in key.split("|"))


def by_key(key: str) -> Initiative:
    found = load_taxonomy().get(key)
    return found if found else Initiative(key=key, label=key, order=99, keywords=(), metrics=())


@functools.cache
def _lower_is_better() -> frozenset[tuple[str, str]]:
    text = resources.files("loaders").joinpath("data/taxonomy.toml").read_text(encoding="utf-8")
    found = set()
    for body in tomllib.loads(text)["initiatives"].values():
        for metric in body.get("metrics", ()):
            if metric.get("lower_is_better"):
                found.add((metric["name"], metric["unit"]))
    return frozenset(found)


def lower_is_better(metric: str, unit: str) -> bool:
    """Is a fall progress for this metric (``lower_is_better = true`` in the taxonomy)?

    ``lower_is_better("办理时限", "工作日")`` -> True: 40 → 3 个工作日 is shown as a green ↓.
    """
    return (metric, unit) in _lower_is_better()
