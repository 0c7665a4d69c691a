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
from functools import cache

from loaders import dates, numbers, places
from loaders.records import Article, Fact, stable_id
from loaders.taxonomy import Initiative, Metric, Taxonomy, load_taxonomy

_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』)）]*|\n+")
_CLAUSE_END = re.compile(r"[，,：:、。！？!?；;\n]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_CJK_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
_LABEL_STOP = re.compile(
    r"[的了在是有为将和与及对把被从向达到共计约近超过以上余多其中已累计均分别实现新增完成还并]")
_TARGET_WORDS = ("力争", "目标", "计划", "预计", "确保", "到20")
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
    """(city, county) of a place: a county names itself; a city, the province or the nation too."""
    if place.level == "county":
        return place.city, place.name
    if place.level in ("city", "province", "nation"):
        return place.name, ""
    return place.city, place.county


_COMPARISON_BEFORE = ("高于", "低于", "快于", "慢于", "超过", "较", "比", "占", "走在", "位居", "居", "列")
_YARDSTICK_OR_VENUE_AFTER = re.compile(
    r"(?:的)?(?:前列|第[一二三四五六七八九十\d]|领先|排名|率先|首位|之首|开幕|闭幕|召开|举行|举办)")
_TIME_WORDS = re.compile(r"^(?:今年|去年|前年|目前|当前|近年来|今年以来|\d{4}年|[前上下]半年|\d+月份?)*$")


def _clause_start(text: str, pos: int) -> int:
    lo = max(pos - 60, 0)
    ends = [m.end() for m in _CLAUSE_END.finditer(text, lo, pos)]
    return ends[-1] if ends else lo


def _usable(text: str, mention: places.PlaceMention) -> bool:
    """Whether a mention can be the subject of figures that follow it.

    Places outside Shandong are investors' homes or destinations, never a subject. A place
    after a comparison word is the yardstick, not the subject (高于全市1.1个百分点). 国内 and
    国家 count only where they open a clause (国内移动互联网用户…, not 向国内下游企业).
    """
    if mention.place is None or mention.place.level == "outside":
        return False
    before = text[max(mention.start - 2, 0):mention.start]
    if any(before.endswith(w) for w in _COMPARISON_BEFORE):
        return False
    if _YARDSTICK_OR_VENUE_AFTER.match(text, mention.end):
        return False
    if mention.how == "domestic":
        opening = text[_clause_start(text, mention.start):mention.start]
        return bool(_TIME_WORDS.match(opening))
    return True


_ORGANISATION_TAIL = re.compile(
    r"[\u4e00-\u9fffA-Za-z()（）·]{0,12}?(?:有限公司|有限责任公司|股份|集团|公司|银行|商会|协会|医院|大学|学院|研究院|研究所|中心)")


def _names_an_organisation(text: str, mention: places.PlaceMention,
                           starts: frozenset[int]) -> bool:
    """True for a place that only opens a firm's or body's name (山东肯石重工机械有限公司).

    A place followed at once by another place is a prefix of an address (冠县山东肯石…),
    which still names where the figure is.
    """
    if mention.end in starts or mention.how in ("deictic", "implicit"):
        return False
    if text[mention.start - 1:mention.start] in ("(", "（"):
        return False
    return bool(_ORGANISATION_TAIL.match(text, mention.end))


_TOWN_AFTER = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:镇|乡|街道|村|社区)")


def _listed(text: str, mention: places.PlaceMention, usable: list[places.PlaceMention]) -> bool:
    """True when the mention is one of a list (A、B、C / A和B) or closed by 等 — it names a group.

    A town after the place does not end the list: 东昌府区郑家镇等14个乡镇 names several towns.
    Words for the city's or province's own bodies (市公安局、省财政) are never a list of places.
    """
    if mention.how in ("implicit", "deictic"):
        return False
    end = mention.end
    town = _TOWN_AFTER.match(text, end)
    if town:
        end = town.end()
    after = text[end:end + 1]
    before = text[max(mention.start - 1, 0):mention.start]
    if after in ("等", "、") or before == "、":
        return True
    return any(m is not mention and 0 < mention.start - m.end <= 1 and text[m.end:mention.start] in "和及与"
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
    usable = [m for m in mentions if _usable(article.text, m)]
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


def subject_mentions(text: str, mentions: list[places.PlaceMention]) -> list[places.PlaceMention]:
    """The mentions that may be the subject of a figure: no outsider, yardstick or firm's name."""
    starts = frozenset(m.start for m in mentions)
    return [m for m in mentions if _usable(text, m) and not _names_an_organisation(text, m, starts)]


def locate_figure(text: str, start: int, sentence: tuple[int, int], paragraph: tuple[int, int],
                  usable: list[places.PlaceMention], article_place: Located) -> Located:
    """The place a figure at ``start`` is about (see the module docstring for the order)."""
    for lo, how in ((sentence[0], "sentence"), (paragraph[0], "paragraph")):
        before = [m for m in usable if lo <= m.start and m.end <= start]
        if not before:
            continue
        mention = before[-1]
        place = mention.place
        if _listed(text, mention, usable):
            city, county = _parent(place)
            if city != article_place.city:
                return article_place
        else:
            city, county = _place_of(place)
        if (place.level == "city" and not county and article_place.county
                and article_place.city == place.name and mention.how != "deictic"):
            county = article_place.county
        return Located(city, county, how)
    return article_place


class KeywordHits:
    """Every taxonomy keyword found in an article, so any span can be scored by a lookup.

    One regex pass finds the keywords left to right, longest first; the shorter keywords inside
    a match count too (复工复产 also holds 复工 and 复产), as if each keyword were counted on its
    own. A span's score is then the sum of the hits inside it, instead of a re-scan of the text
    for every keyword of every figure.
    """

    def __init__(self, text: str, taxonomy: Taxonomy) -> None:
        pattern, weights, inner = _keyword_matcher(taxonomy)
        hits = []
        for m in pattern.finditer(text):
            start, word = m.start(), m.group()
            hits.append((start, m.end(), word))
            hits.extend((start + at, start + at + len(sub), sub) for at, sub in inner[word])
        hits.sort()
        self._hits = hits
        self._starts = [h[0] for h in self._hits]
        self._weights = weights

    def scores(self, lo: int, hi: int) -> Counter[str]:
        """Initiative → summed keyword weight of the hits wholly inside ``[lo, hi)``."""
        out: Counter[str] = Counter()
        for _start, end, word in self._hits[bisect.bisect_left(self._starts, lo):
                                            bisect.bisect_left(self._starts, hi)]:
            if end <= hi:
                for key, weight in self._weights[word]:
                    out[key] += weight
        return out

    def capped_scores(self, cap: int = 4) -> Counter[str]:
        """Whole-text weights where one keyword counts at most ``cap`` times."""
        seen: Counter[str] = Counter(word for _, _, word in self._hits)
        out: Counter[str] = Counter()
        for word, n in seen.items():
            for key, weight in self._weights[word]:
                out[key] += weight * min(n, cap)
        return out


KeywordMatcher = tuple[re.Pattern[str], dict[str, tuple[tuple[str, float], ...]],
                       dict[str, tuple[tuple[int, str], ...]]]


@cache
def _keyword_matcher(taxonomy: Taxonomy) -> KeywordMatcher:
    """The keywords as one regex, each word's (initiative, weight) list, and the keywords that
    stand inside each keyword with their offsets."""
    weights: dict[str, list[tuple[str, float]]] = {}
    for initiative in taxonomy.initiatives:
        for word, weight in initiative.keywords:
            if word:
                weights.setdefault(word, []).append((initiative.key, weight))
    words = sorted(weights, key=len, reverse=True)
    inner = {
        word: tuple((at, sub) for sub in words if sub != word and len(sub) < len(word)
                    for at in range(len(word) - len(sub) + 1) if word.startswith(sub, at))
        for word in words
    }
    pattern = re.compile("|".join(map(re.escape, words))) if words else re.compile("(?!)")
    return pattern, {w: tuple(v) for w, v in weights.items()}, inner


def classify_initiative(local: Counter[str], title: Counter[str], article_scores: dict[str, float],
                        taxonomy: Taxonomy) -> tuple[str, float]:
    """The initiative whose keywords weigh most around the figure, and a 0–1 certainty.

    ``local`` weighs what the figure counts (the words right after it: 38个重点文旅项目) most,
    then its clause, its sentence and its paragraph (see ``local_scores``); the headline
    counts double. The whole article adds its weight in full only when one initiative
    dominates it (a poverty story); in a mixed article (a leader's programme touching GDP,
    talent and projects) a figure with no keyword of its own is other.
    """
    total = sum(article_scores.values())
    top = max(article_scores.values(), default=0.0)
    dominant = total > 0 and top / total >= 0.5
    if not any(local.values()) and not dominant:
        return "other", 0.3
    damp = 1.0 if dominant else 0.25
    best_key, best, runner = "other", 0.0, 0.0
    for initiative in taxonomy.initiatives:
        key = initiative.key
        score = local.get(key, 0.0) + 2 * title.get(key, 0.0) + damp * article_scores.get(key, 0.0)
        if score > best:
            best_key, best, runner = key, score, best
        elif score > runner:
            runner = score
    if best <= 0:
        return "other", 0.3
    return best_key, min(1.0, 0.5 + (best - runner) / (2 * best))


def local_scores(hits: KeywordHits, noun: tuple[int, int], clause: tuple[int, int],
                 sentence: tuple[int, int], paragraph: tuple[int, int]) -> Counter[str]:
    """Keyword weights around a figure: noun ×4, clause ×3, sentence ×1, paragraph ×0.25."""
    out: Counter[str] = Counter()
    for span, factor in ((noun, 4.0), (clause, 3.0), (sentence, 1.0), (paragraph, 0.25)):
        for key, weight in hits.scores(*span).items():
            out[key] += factor * weight
    return out


def article_initiative_scores(hits: KeywordHits, taxonomy: Taxonomy) -> dict[str, float]:
    """Each initiative's weight over the whole article (a keyword counts at most four times)."""
    capped = hits.capped_scores()
    return {i.key: 0.4 * capped.get(i.key, 0.0) for i in taxonomy.initiatives}


def label_metric(text: str, q: numbers.Quantity, clause: tuple[int, int]) -> str:
    """A short label of what is counted: the noun after a count, else the words before it,
    else the words after it (``3日办结`` → 办结用时)."""
    after = _CJK_RUN.match(text, q.end)
    if after and q.kind in ("count",) and len(after.group()) >= 2:
        words = _LABEL_STOP.split(after.group())[0]
        if len(words) >= 2:
            return words[:10]
    before = text[clause[0]:q.start]
    runs = _CJK_RUN.findall(before)
    if runs:
        pieces = [p for p in _LABEL_STOP.split(runs[-1]) if len(p) >= 2]
        label = pieces[-1] if pieces and q.kind not in ("percent", "points") else runs[-1]
        label = re.sub(r"(达到|达|为|有|共|累计|实现|完成|超过|近|约|同比|比上年|增长|下降|提高|降低)+$",
                       "", label)
        if q.kind in ("percent", "points") and re.search(r"(增长|提高|上升)$", runs[-1]):
            label += "增速"
        elif q.kind in ("percent", "points") and re.search(r"(下降|降低|减少)$", runs[-1]):
            label += "下降"
        return label[-12:] or runs[-1][-12:]
    if after:
        words = _LABEL_STOP.split(after.group())[0]
        if len(words) >= 2:
            return words[:10] + ("用时" if q.kind == "duration" else "")
    return ""


_DECLINE = re.compile(r"(下降|减少|降低|下滑|回落)[了]?$")


def choose_metric(initiative: Initiative | None, q: numbers.Quantity, clause_text: str,
                  lead: str = "") -> Metric | None:
    """A canonical metric of the initiative whose unit matches and whose keyword is in the clause.

    A growth metric is never given to a decline (``同比下降13.6%`` is not a 增速 of 13.6).
    """
    if initiative is None:
        return None
    falling = bool(_DECLINE.search(lead))
    for metric in initiative.metrics:
        if falling and metric.kind == "rate":
            continue
        if metric.unit == q.unit and any(k in clause_text for k in metric.keywords):
            return metric
    return None


def figure_kind(q: numbers.Quantity, clause_text: str, period: dates.Period,
                metric: Metric | None = None) -> str:
    """How a figure may be combined: target, rate, duration, stock (a level) or flow (an amount).

    A canonical metric's kind (脱贫人口 is a stock) wins over the clause's wording.
    """
    if period.is_target or any(w in clause_text for w in _TARGET_WORDS):
        return "target"
    if q.kind in ("percent", "points", "multiple"):
        return "rate"
    if q.kind == "duration":
        return "duration"
    if metric is not None and metric.kind in ("stock", "flow"):
        return metric.kind
    if any(w in clause_text for w in _STOCK_WORDS):
        return "stock"
    return "flow"


def figure_tier(q: numbers.Quantity, sentence_text: str) -> str:
    """core: an aggregate a dashboard charts; detail: one firm's or one person's figure."""
    if q.unit in _DETAIL_UNITS:
        return "detail"
    if any(w in sentence_text for w in _AREA_WORDS) or q.kind in ("percent", "points"):
        return "core"
    return "core" if q.value >= 10 else "detail"


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
    subjects = subject_mentions(text, mentions)
    sentences = _spans(text, _SENTENCE_END)
    sentence_starts = [s for s, _ in sentences]
    paragraphs = _spans(text, _PARAGRAPH_BREAK)
    paragraph_starts = [s for s, _ in paragraphs]
    clauses = _spans(text, _CLAUSE_END)
    clause_starts = [s for s, _ in clauses]
    hits = KeywordHits(text, taxonomy)
    article_scores = article_initiative_scores(hits, taxonomy)
    title_scores = hits.scores(0, title_end)

    rows: list[Fact] = []
    seen: Counter[str] = Counter()
    for q in numbers.find_quantities(text):
        sentence = _containing(sentences, sentence_starts, q.start)
        paragraph = _containing(paragraphs, paragraph_starts, q.start)
        clause = _containing(clauses, clause_starts, q.start)
        sentence_text = text[sentence[0]:sentence[1]].strip()
        clause_text = text[clause[0]:clause[1]]
        where = locate_figure(text, q.start, sentence, paragraph, subjects, article_place)
        period = dates.resolve_period(text[paragraph[0]:paragraph[1]], q.start - paragraph[0], published)
        noun = _CJK_RUN.match(text, q.end)
        noun_span = noun.span() if noun else (q.end, q.end)
        local = local_scores(hits, noun_span, clause, sentence, paragraph)
        key, certainty = classify_initiative(local, title_scores, article_scores, taxonomy)
        initiative = taxonomy.get(key)
        lead = text[max(clause[0], q.start - 6):q.start]
        canonical = choose_metric(initiative, q, clause_text, lead)
        metric = canonical.name if canonical else label_metric(text, q, clause)
        n = seen[q.quote]
        seen[q.quote] += 1
        rows.append(Fact(
            fact_id=stable_id(article.article_id, q.quote, n),
            article_id=article.article_id, doc=article.doc,
            province=places.province_of(where.city), city=where.city, county=where.county,
            initiative=key, metric=metric,
            value=q.value, unit=q.unit, approx=q.approx, range_hi=q.range_hi,
            period_year=period.year, period=period.text,
            quote=q.quote, sentence=sentence_text, char_start=q.start, char_end=q.end,
            confidence=_confidence(where, certainty, period),
            tier=figure_tier(q, sentence_text), kind=figure_kind(q, clause_text, period, canonical),
            place_how=where.how,
        ))
    return article_place, rows
