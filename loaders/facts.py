"""Quantities + places + periods + initiative → one row per figure. STUB — being written."""

from __future__ import annotations

from loaders.records import Article, Campaign, Fact


def extract_facts(article: Article, published: object) -> list[Fact]:
    return []


def find_campaigns(article: Article) -> list[Campaign]:
    return []
