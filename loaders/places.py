"""Shandong gazetteer: find and resolve places. STUB — being written."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    adcode: str  # "371523" ("" for places outside the gazetteer's codes)
    name: str  # current full name: 茌平区, 聊城市, 山东省, 杭州市, 全国
    city: str  # prefecture-level full name (聊城市); "山东省" / "全国" / another province's city
    county: str  # county-level full name, or "" for a city, province or nation
    level: str  # nation | province | city | county | zone | outside


@dataclass(frozen=True)
class PlaceMention:
    place: Place | None  # None for a deictic word still to be resolved (该县 with no county before)
    start: int
    end: int
    text: str  # as written (在平区, 我市, 临清)
    how: str  # exact | short | former | ocr | deictic | zone


def find_place_mentions(text: str, home_city: str = "") -> list[PlaceMention]:
    """All place mentions in ``text`` in order; deictic words (我市, 该县 …) resolved where possible."""
    return []


def resolve_place(name: str, home_city: str = "") -> Place | None:
    """A place name as written (full, short, former or slipped) → the one place it means."""
    return None
