"""Quantities + places + periods + initiative → one row per figure.

The other steps find things; this one decides what each figure is about:

- its **place**: the latest place named before it in its sentence, else earlier in its
  paragraph, else the article's main place (headline, dateline, most-named place), else the
  paper's city. A place followed by 等 or listed with others (淄博、泰安、德州3市) stands for
  its parent, and a city named as the prefix of the article's own county keeps the county;
- its **period**: the time words before it (``loaders.dates.resolve_period``);
- its **initiative**: keyword weights of the taxonomy over the figure's clause, sentence,
  headline and article, so a fiscal sentence inside a poverty story is still fiscal;
- its **metric**: a canonical metric of the initiative when unit and keyword fit, else the
  noun the text counts (``12支金融辅导队`` → 金融辅导队).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from loaders import dates, numbers, places
from loaders.records import Article, Campaign, Fact, stable_id
from loaders.taxonomy import Initiative, Taxonomy, load_taxonomy

_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』)）]*|\n+")
_CLAUSE_END = re.compile(r"[，,：:、。！？!?；;\n]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_CJK_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
_LABEL_STOP = re.compile(r"[的了在是有为将和与及对把被从向达到共计约近超过以上余多其中已累计均分别实现新增完成]")
_TARGET_WORDS = ("力争", "目标", "计划", "预计", "确保", "到20", "年内", "将达到", "将")
_STOCK_WORDS = ("累计", "截至", "截止", "保有量", "现有", "总数", "共有", "已有")
_DETAIL_UNITS = frozenset({"摄氏度", "岁", "米", "GB", "PB", "字", "棵", "根", "小时", "分钟"})
_AREA_WORDS = ("全国", "全省", "全市", "全县", "全区", "我省", "我市", "我县", "我区", "各地", "各县")


@dataclass(frozen=True)
class Located:
    """Where a figure is, and how we know (for its confidence and the review queue)."""

    city: str
    county: str
    how: str  # sentence | paragraph | article | page | none


def _spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Cut ``text`` at ``pattern`` into (start, end) spans that keep their delimiters."""
    spans, start = [], 0
    for m in pattern.finditer(text):
        if m.end() > start:
            spans.append((start, m.end()))
            start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _containing(spans: list[tuple[int, int]], starts: list[int], pos: int) -> tuple[int, int]:
    i = max(bisect.bisect_right(starts, pos) - 1, 0)
    return spans[i]


def _place_of(place: places.Place) -> tuple[str, str]:
    if place.level == "county":
        return place.city, place.name
    if place.level in ("city", "province", "nation"):
        return place.name if place.level != "city" else place.name, ""
    if place.level == "zone":
        return place.city, place.county
    return place.city, place.county


def _usable(mention: places.PlaceMention) -> bool:
    """Places outside Shandong are investors' homes or destinations, never a figure's subject."""
    return mention.place is not None and mention.place.level != "outside"


def _listed(text: str, mention: places.PlaceMention, usable: list[places.PlaceMention]) -> bool:
    """True when the mention is one of a list (A、B、C / A和B) or closed by 等 — it names a group."""
    after = text[mention.end:mention.end + 2]
    before = text[max(mention.start - 1, 0):mention.start]
    if after.startswith("等") or after.startswith("、") or before == "、":
        return True
    return any(m is not mention and 0 < mention.start - m.end <= 1 and text[m.end:mention.start] in "、和及与"
               for m in usable)


def _parent(place: places.Place) -> tuple[str, str]:
    if place.level in ("county", "zone"):
        return place.city, ""
    if place.level == "city":
        return "山东省", ""
    return _place_of(place)


def locate_article(article: Article, mentions: list[places.PlaceMention], home_city: str,
                   title_end: int) -> Located:
    """The article's main place: headline, then dateline, then the place it names most."""
    usable = [m for m in mentions if _usable(m)]
    in_title = [m for m in usable if m.end <= title_end]
    if in_title:
        city, county = _place_of(in_title[0].place)
        return Located(city, county, "article")
    if article.dateline_place:
        found = places.resolve_place(article.dateline_place, home_city)
        if found is not None and found.level != "outside":
            if found.level == "city" and found.name == "济南市" and home_city == "山东省":
                return Located("山东省", "", "article")
            city, county = _place_of(found)
            return Located(city, county, "article")
    city_score: Counter[str] = Counter()
    county_score: Counter[tuple[str, str]] = Counter()
    for m in usable:
        p = m.place
        if p.level in ("county", "zone") and p.city:
            city_score[p.city] += 1
            if p.level == "county":
                county_score[(p.city, p.name)] += 1
        elif p.level == "city":
            city_score[p.name] += 1
        elif p.level == "province":
            city_score["山东省"] += 0.5
    if city_score:
        best_city = city_score.most_common(1)[0][0]
        counties = [(n, c) for (ci, c), n in county_score.items() if ci == best_city]
        if counties:
            n, county = max(counties)
            others = sum(k for k, _ in counties) - n
            if n >= 2 and n > others or len(usable) == 1:
                return Located(best_city, county, "article")
        return Located(best_city, "", "article")
    if home_city:
        return Located(home_city, "", "page")
    return Located("", "", "none")


def locate_figure(text: str, start: int, sentence: tuple[int, int], paragraph: tuple[int, int],
                  mentions: list[places.PlaceMention], article_place: Located) -> Located:
    """The place a figure at ``start`` is about (see the module docstring for the order)."""
    usable = [m for m in mentions if _usable(m)]
    for lo, how in ((sentence[0], "sentence"), (paragraph[0], "paragraph")):
        before = [m for m in usable if lo <= m.start and m.end <= start]
        if not before:
            continue
        mention = before[-1]
        place = mention.place
        if _listed(text, mention, usable):
            city, county = _parent(place)
        else:
            city, county = _place_of(place)
        if (place.level == "city" and not county and article_place.county
                and article_place.city == place.name and mention.how != "deictic"):
            county = article_place.county
        return Located(city, county, how)
    return article_place


def _keyword_score(text: str, initiative: Initiative) -> float:
    return sum(weight * text.count(word) for word, weight in initiative.keywords if word)


def classify_initiative(clause: str, sentence: str, title: str, article_scores: dict[str, float],
                        taxonomy: Taxonomy) -> tuple[str, float]:
    """The initiative whose keywords weigh most around the figure, and a 0–1 certainty."""
    best_key, best, runner = "other", 0.0, 0.0
    for initiative in taxonomy.initiatives:
        score = (3 * _keyword_score(clause, initiative) + 1.5 * _keyword_score(sentence, initiative)
                 + _keyword_score(title, initiative) + article_scores.get(initiative.key, 0.0))
        if score > best:
            best_key, best, runner = initiative.key, score, best
        elif score > runner:
            runner = score
    if best <= 0:
        return "other", 0.3
    return best_key, min(1.0, 0.5 + (best - runner) / (2 * best))


def article_initiative_scores(article: Article, taxonomy: Taxonomy) -> dict[str, float]:
    """Each initiative's weight over the whole article, damped so one sentence can outvote it."""
    scores = {}
    for initiative in taxonomy.initiatives:
        total = 0.0
        for word, weight in initiative.keywords:
            if word:
                total += weight * min(article.text.count(word), 4)
        scores[initiative.key] = 0.4 * total
    return scores


def label_metric(text: str, q: numbers.Quantity, clause: tuple[int, int]) -> str:
    """A short label of what is counted: the noun after a count, else the words before it."""
    after = _CJK_RUN.match(text, q.end)
    if after and q.kind in ("count",) and len(after.group()) >= 2:
        words = _LABEL_STOP.split(after.group())[0]
        if len(words) >= 2:
            return words[:10]
    before = text[clause[0]:q.start]
    runs = _CJK_RUN.findall(before)
    if runs:
        label = runs[-1]
        label = re.sub(r"(达到|达|为|有|共|累计|实现|完成|超过|近|约|同比|比上年|增长|下降|提高|降低)+$", "", label)
        if q.kind in ("percent", "points") and re.search(r"(增长|提高|上升)$", runs[-1]):
            label += "增速"
        elif q.kind in ("percent", "points") and re.search(r"(下降|降低|减少)$", runs[-1]):
            label += "下降"
        return label[-12:] or runs[-1][-12:]
    return ""


def choose_metric(initiative: Initiative | None, q: numbers.Quantity, clause_text: str) -> str:
    """A canonical metric of the initiative whose unit matches and whose keyword is in the clause."""
    if initiative is None:
        return ""
    for metric in initiative.metrics:
        if metric.unit == q.unit and any(k in clause_text for k in metric.keywords):
            return metric.name
    return ""


def figure_kind(q: numbers.Quantity, clause_text: str, period: dates.Period) -> str:
    if period.is_target or any(w in clause_text for w in _TARGET_WORDS[:6]):
        return "target"
    if q.kind in ("percent", "points", "multiple"):
        return "rate"
    if q.kind == "duration":
        return "duration"
    if any(w in clause_text for w in _STOCK_WORDS):
        return "stock"
    return "flow"


def figure_tier(q: numbers.Quantity, sentence_text: str, where: Located) -> str:
    """core: an aggregate a dashboard charts; detail: one firm's or one person's figure."""
    if q.unit in _DETAIL_UNITS:
        return "detail"
    if any(w in sentence_text for w in _AREA_WORDS) or q.kind in ("percent", "points"):
        return "core"
    if where.how in ("sentence", "paragraph") and q.value >= 10:
        return "core"
    return "detail" if q.value < 10 else "core"


def _confidence(where: Located, initiative_certainty: float, period: dates.Period) -> float:
    place = {"sentence": 1.0, "paragraph": 0.85, "article": 0.75, "page": 0.5, "none": 0.3}[where.how]
    year = 1.0 if period.year is not None else 0.7
    return round(place * (0.6 + 0.4 * initiative_certainty) * year, 3)


def extract_facts(article: Article, published: dates.PubDate, home_city: str = "") -> list[Fact]:
    """Every figure of one article as a Fact row."""
    return analyse_article(article, published, home_city)[1]


def place_name(where: Located) -> str:
    """The full name of a located place, the county when there is one (薛城区, 聊城市, 山东省)."""
    return where.county or where.city


def analyse_article(article: Article, published: dates.PubDate,
                    home_city: str = "") -> tuple[Located, list[Fact]]:
    """The article's main place and every figure of it as a Fact row."""
    taxonomy = load_taxonomy()
    text = article.text
    home = home_city or article.home_city
    mentions = places.find_place_mentions(text, home)
    title_end = len(article.title)
    article_place = locate_article(article, mentions, home, title_end)
    sentences = _spans(text, _SENTENCE_END)
    sentence_starts = [s for s, _ in sentences]
    paragraphs = _spans(text, _PARAGRAPH_BREAK)
    paragraph_starts = [s for s, _ in paragraphs]
    clauses = _spans(text, _CLAUSE_END)
    clause_starts = [s for s, _ in clauses]
    article_scores = article_initiative_scores(article, taxonomy)

    rows: list[Fact] = []
    seen: Counter[str] = Counter()
    for q in numbers.find_quantities(text):
        sentence = _containing(sentences, sentence_starts, q.start)
        paragraph = _containing(paragraphs, paragraph_starts, q.start)
        clause = _containing(clauses, clause_starts, q.start)
        sentence_text = text[sentence[0]:sentence[1]].strip()
        clause_text = text[clause[0]:clause[1]]
        where = locate_figure(text, q.start, sentence, paragraph, mentions, article_place)
        period = dates.resolve_period(text[paragraph[0]:sentence[1]], q.start - paragraph[0], published)
        key, certainty = classify_initiative(clause_text, sentence_text, article.title,
                                             article_scores, taxonomy)
        initiative = taxonomy.get(key)
        metric = choose_metric(initiative, q, clause_text) or label_metric(text, q, clause)
        n = seen[q.quote]
        seen[q.quote] += 1
        rows.append(Fact(
            fact_id=stable_id(article.article_id, q.quote, n),
            article_id=article.article_id, doc=article.doc,
            city=where.city, county=where.county, initiative=key, metric=metric,
            value=q.value, unit=q.unit, approx=q.approx, range_hi=q.range_hi,
            period_year=period.year, period=period.text,
            quote=q.quote, sentence=sentence_text, char_start=q.start, char_end=q.end,
            confidence=_confidence(where, certainty, period),
            tier=figure_tier(q, sentence_text, where), kind=figure_kind(q, clause_text, period),
            place_how=where.how,
        ))
    return article_place, rows


def find_campaigns(article: Article) -> list[Campaign]:
    """Named campaigns the article mentions, with how often (三提三敢 ×3 …).

    Names are matched longest first without overlap, so 六稳六保 is not also counted as 六稳.
    """
    taxonomy = load_taxonomy()
    counts: Counter[str] = Counter()
    names = sorted(taxonomy.campaign_names, key=len, reverse=True)
    if names:
        for m in re.finditer("|".join(map(re.escape, names)), article.text):
            counts[m.group()] += 1
    for pattern in taxonomy.campaign_patterns:
        for m in pattern.finditer(article.text):
            counts[m.group()] += 1
    return [Campaign(article.article_id, name, n) for name, n in sorted(counts.items())]
