"""A campaign name found by a pattern waits for a person: pending, then confirmed or rejected."""

from __future__ import annotations

from conftest import copy_store

from loaders.storage import campaign_names, store


def test_a_pattern_name_from_a_real_page_waits_until_a_person_confirms_it(seed_db, tmp_path):
    db = copy_store(seed_db, tmp_path)
    with store.write_session(db) as con:
        waiting = campaign_names.pending(con)
        # d010 (青岛日报, 2024-10-12): 在全省设备更新攻坚战中…
        row = waiting.set_index("name").loc["设备更新攻坚战"]
        assert row["articles"] == 1 and str(row["first"])[:10] == "2024-10-12"
        assert "三提三敢" not in set(waiting["name"])  # known names never wait
        campaign_names.decide(con, "设备更新攻坚战", "confirmed", "张三")
        campaign_names.decide(con, "环境大整治精细管理大提升行动", "rejected", "张三")
        assert campaign_names.decisions(con) == {"设备更新攻坚战": "confirmed",
                                                 "环境大整治精细管理大提升行动": "rejected"}
        still = set(campaign_names.pending(con)["name"])
    assert "设备更新攻坚战" not in still and "环境大整治精细管理大提升行动" not in still


def test_the_last_decision_counts(seed_db, tmp_path):
    db = copy_store(seed_db, tmp_path)
    with store.write_session(db) as con:
        campaign_names.decide(con, "农村头雁提升行动", "rejected", "张三")
        campaign_names.decide(con, "农村头雁提升行动", "confirmed", "李四")
        assert campaign_names.decisions(con) == {"农村头雁提升行动": "confirmed"}


def test_an_unknown_decision_is_refused(empty_db, tmp_path):
    db = copy_store(empty_db, tmp_path)
    with store.write_session(db) as con:
        try:
            campaign_names.decide(con, "设备更新攻坚战", "maybe", "张三")
        except ValueError as exc:
            assert "confirmed 或 rejected" in str(exc)
        else:
            raise AssertionError("an unknown status was accepted")
