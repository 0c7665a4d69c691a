"""AppTest on the seed store: 攻坚行动, its filter on every page, 校对's campaign names, 搜索, 热词, 简报."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import copy_store
from test_dashboard_pages import assert_clean, count_facts, go, open_app
from test_dashboard_views import open_app as open_page_with_url


def _campaign_filter(at):
    return at.sidebar.multiselect(key="f_campaigns")


def test_the_campaigns_page_lists_every_campaign_with_its_places(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch), "campaigns")
    assert_clean(at)
    table = at.dataframe[0].value.set_index("攻坚行动")
    assert {"三提三敢", "双招双引", "六稳六保", "脱贫攻坚"} <= set(table.index)
    assert "设备更新攻坚战" not in table.index  # found by a pattern: waits in 校对
    assert table.loc["三提三敢", "城市"] == "聊城市" and table.loc["三提三敢", "级别"] == "市级"
    assert table.loc["六保", "所属"] == "六稳六保"
    assert table.loc["双招双引", "首次见报"] <= table.loc["双招双引", "最近见报"]


def test_choosing_a_campaign_puts_it_in_the_url_and_shows_its_view(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch), "campaigns")
    at.selectbox(key="campaign_pick").select("三提三敢").run()
    assert_clean(at)
    assert at.query_params["campaign"] in ("三提三敢", ["三提三敢"])
    assert _campaign_filter(at).value == ["三提三敢"]
    assert [h.value for h in at.header] == ["三提三敢"]
    assert "市级 · 聊城市 · 2023年起" in [c.value for c in at.caption]
    assert any(s.value.startswith("见报文章（3篇）") for s in at.subheader)
    marked = [m.value for m in at.markdown if 'mark class="campaign"' in m.value]
    assert marked and all("三提三敢" in m or "提标提速提能力" in m for m in marked)


def test_a_campaign_and_a_city_from_the_url_reproduce_the_view(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch, {"campaign": "双招双引", "city": "聊城市"}), "campaigns")
    assert_clean(at)
    assert [h.value for h in at.header] == ["双招双引"]
    assert at.pills(key="campaign_city").value == "聊城市"
    figures = at.dataframe[0].value
    assert set(figures["城市"]) == {"聊城市"}


def test_the_family_view_takes_in_its_parts(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch, {"campaign": "六稳六保"}), "campaigns")
    assert_clean(at)
    marked = " ".join(m.value for m in at.markdown if 'mark class="campaign"' in m.value)
    assert 'title="六保"' in marked  # ——六谈全面落实“六保”任务


def test_the_campaign_filter_narrows_every_page(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch, {"campaign": "三提三敢"}), "explore")
    assert_clean(at)
    expected = count_facts(seed_db, "article_id IN (SELECT article_id FROM campaigns WHERE name = ?)",
                           ["三提三敢"])
    assert 0 < expected < count_facts(seed_db)
    assert len(at.dataframe[0].value) == expected
    assert any(f"共 {expected:,} 条数据" in c.value for c in at.caption)
    go(at, "overview")
    assert_clean(at)
    assert _campaign_filter(at).value == ["三提三敢"]
    assert at.query_params["campaign"] in ("三提三敢", ["三提三敢"])


def test_every_sidebar_filter_shows_the_figures_each_choice_keeps(seed_db, monkeypatch):
    at = open_app(seed_db, monkeypatch)
    family = count_facts(seed_db, "article_id IN (SELECT article_id FROM campaigns WHERE name IN (?, ?, ?))",
                         ["六稳六保", "六稳", "六保"])
    alone = count_facts(seed_db, "article_id IN (SELECT article_id FROM campaigns WHERE name = ?)", ["六保"])
    assert 0 < alone <= family  # the family counts the figures of its parts' articles, each once
    shown = _campaign_filter(at).options
    assert f"六稳六保 ({family:,})" in shown and f"六保 ({alone:,})" in shown
    liaocheng = count_facts(seed_db, "city = ?", ["聊城市"])
    assert f"聊城市 ({liaocheng:,})" in at.sidebar.multiselect(key="f_cities").options
    poverty = count_facts(seed_db, "list_contains(string_split(initiative, '|'), ?)", ["poverty"])
    assert f"脱贫攻坚 ({poverty:,})" in at.sidebar.multiselect(key="f_initiatives").options
    # The URL and the filter still hold the name itself, not the label with its count.
    _campaign_filter(at).select("六稳六保").run()
    assert at.query_params["campaign"] in ("六稳六保", ["六稳六保"])


def test_a_pattern_name_confirmed_in_review_appears_on_the_page(seed_db, monkeypatch, tmp_path):
    db = copy_store(seed_db, tmp_path)
    at = go(open_app(db, monkeypatch), "review")
    assert_clean(at)
    assert "设备更新攻坚战" in at.selectbox(key="review_campaign_name").options
    at.selectbox(key="review_campaign_name").select("设备更新攻坚战").run()
    at.button(key="campaign_name_confirm").click().run()
    assert_clean(at)
    assert "已确认攻坚行动名称“设备更新攻坚战”。" in [s.value for s in at.success]
    assert "设备更新攻坚战" not in at.selectbox(key="review_campaign_name").options
    go(at, "campaigns")
    assert "设备更新攻坚战" in set(at.dataframe[0].value["攻坚行动"])
    assert any(o.startswith("设备更新攻坚战 (") for o in _campaign_filter(at).options)


def test_a_rejected_name_stays_off_the_page(seed_db, monkeypatch, tmp_path):
    db = copy_store(seed_db, tmp_path)
    at = go(open_app(db, monkeypatch), "review")
    at.selectbox(key="review_campaign_name").select("环境大整治精细管理大提升行动").run()
    at.button(key="campaign_name_reject").click().run()
    go(at, "campaigns")
    assert "环境大整治精细管理大提升行动" not in set(at.dataframe[0].value["攻坚行动"])


def test_search_for_jigai_lists_the_articles_ranked_with_links(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch), "search")
    at.text_input(key="search_words").input("技改").run()
    assert_clean(at)
    hits = [m.value for m in at.markdown if m.value.startswith("<b>") and "article?article=" in m.value]
    assert len(hits) == _articles_with(seed_db, "技改")
    assert hits[0].startswith("<b>1.</b>")
    assert all("target='_self'" in h for h in hits)  # 原文 opens in this tab, not a new one


def test_the_search_words_go_into_the_url(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch), "search")
    assert "words" not in at.query_params
    at.text_input(key="search_words").input(" 技改 ").run()
    assert at.query_params["words"] in ("技改", ["技改"])
    at.text_input(key="search_words").input("").run()
    assert "words" not in at.query_params


def test_a_shared_search_link_repeats_the_search(seed_db, monkeypatch):
    at = open_page_with_url(seed_db, monkeypatch, "search", {"words": "技改", "city": "济宁市"})
    assert at.text_input(key="search_words").value == "技改"
    hits = [m.value for m in at.markdown if m.value.startswith("<b>") and "&amp;article=" in m.value]
    assert hits and len(hits) < _articles_with(seed_db, "技改")  # narrowed to 济宁市's articles
    assert all(f"city={quote('济宁市')}" in h for h in hits)  # 原文 keeps the filters
    assert at.query_params["words"] in ("技改", ["技改"])


def test_a_shared_hot_words_link_opens_hot_words_of_its_city(seed_db, monkeypatch):
    at = open_page_with_url(seed_db, monkeypatch, "search", {"view": "热词", "place": "济南市"})
    assert at.segmented_control(key="search_view").value == "热词"
    assert at.selectbox(key="hot_words_city").value == "济南市"
    at.segmented_control(key="search_view").set_value("搜索文章").run()
    assert "view" not in at.query_params


def _articles_with(db, word: str) -> int:
    from loaders.storage import store

    con = store.open_reader(db)
    try:
        return con.execute("SELECT count(*) FROM articles WHERE contains(text, ?)", [word]).fetchone()[0]
    finally:
        con.close()


def test_hot_words_for_liaocheng_link_each_word_to_articles(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch, {"city": "聊城市"}), "search")
    at.segmented_control(key="search_view").set_value("热词").run()
    assert_clean(at)
    years = [m.value for m in at.markdown if m.value.startswith("<b>20")]
    assert years and years[0].startswith("<b>2024年</b>")
    for block in years:
        items = block.split("<li>")[1:]
        assert items
        for item in items:
            assert item.startswith("<b>") and "<a href='article?" in item and "target='_self'" in item, item


@pytest.mark.parametrize("params", [{}, {"city": "聊城市", "campaign": "三提三敢"}])
def test_the_brief_renders_title_filters_charts_and_sources(seed_db, monkeypatch, params):
    at = go(open_app(seed_db, monkeypatch, params), "brief")
    assert_clean(at)
    title = at.header[0].value
    assert title.startswith("攻坚看板简报")
    if params:
        assert "聊城市" in title and "三提三敢" in title
        assert any("筛选条件：城市：聊城市" in c.value for c in at.caption)
    assert len(at.get("vega_lite_chart")) >= 3
    assert [s.value for s in at.subheader] == ["来源文章"]
    labels = [b.label for b in at.get("download_button")]
    assert {"下载简报 HTML", "下载简报 PDF", "PNG", "SVG"} <= set(labels)


def test_back_to_every_campaign_clears_only_the_campaign_filter(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch, {"campaign": "双招双引", "city": "聊城市"}), "campaigns")
    at.button(key="campaign_back").click().run()
    assert_clean(at)
    assert "campaign" not in at.query_params and at.query_params["city"] in ("聊城市", ["聊城市"])
    assert at.selectbox(key="campaign_pick") is not None and not at.header


def test_a_city_pill_narrows_the_city_filter(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch, {"campaign": "双招双引"}), "campaigns")
    at.pills(key="campaign_city").set_value("济南市").run()
    assert_clean(at)
    assert at.sidebar.multiselect(key="f_cities").value == ["济南市"]
    assert set(at.dataframe[0].value["城市"]) == {"济南市"}


def test_a_campaign_figures_article_cell_opens_it_in_this_tab_with_the_campaign_kept(seed_db, monkeypatch):
    at = go(open_app(seed_db, monkeypatch, {"campaign": "双招双引", "city": "聊城市"}), "campaigns")
    assert set(at.dataframe[0].value["原文"]) == {"查看原文 ›"}
    at.session_state["campaign_figures"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert_clean(at)
    assert at.title[0].value == "原文"
    assert at.query_params["campaign"] in ("双招双引", ["双招双引"])
    assert at.query_params["city"] in ("聊城市", ["聊城市"]) and at.query_params["fact"]
    assert any("你从这条数据来" in m.value for m in at.markdown)
