"""A manifest hands over each page's date, paper, page and address; a bad line never stops a batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.cli import main
from loaders.manifest import ManifestError, ManifestLookup, PageInfo, read_manifest

PAGE = "聊城32个项目集中签约\n\n本报讯 今年以来,全市新签约项目32个,总投资386亿元。\n"


def _pages(folder: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        path = folder / name
        path.write_text(PAGE.replace("32个", f"{len(out) + 30}个"), encoding="utf-8")
        out.append(path)
    return out


def test_a_manifest_line_gives_date_paper_page_and_address(tmp_path):
    (tmp_path / "m.csv").write_text(
        "file,date,paper,page,page_name,url\n"
        "a.txt,2020-08-03,聊城日报,A3,县域经济,https://www.lcxw.cn/a.html\n", encoding="utf-8")
    info = read_manifest(tmp_path / "m.csv").lookup(tmp_path / "a.txt")
    assert (info.date, info.paper, info.page, info.page_name, info.url) == (
        "2020-08-03", "聊城日报", "A3", "县域经济", "https://www.lcxw.cn/a.html")


def test_bad_lines_are_named_in_chinese_and_the_rest_goes_on(tmp_path, capsys):
    pages = _pages(tmp_path, "a.txt", "b.txt", "c.txt")
    manifest = tmp_path / "list.csv"
    manifest.write_text(
        "file,date,paper,page,page_name,url,editor\n"
        "a.txt,2020-08-03,聊城日报,A3,,,王五\n"
        "b.txt,2020-13-45,聊城日报,A4,,,\n"
        "missing.txt,2020-08-05,聊城日报,A5,,,\n"
        ",2020-08-06,聊城日报,,,,\n"
        "c.txt,2021年3月5日,大众日报,01,,,\n", encoding="utf-8-sig")
    facts, articles = tmp_path / "f.jsonl", tmp_path / "a.jsonl"
    code = main(["extract", *map(str, pages), "--manifest", str(manifest),
                 "--facts-out", str(facts), "--articles-out", str(articles)])
    err = capsys.readouterr().err
    assert code == 0
    assert "list.csv 第 1 行：不认识的列“editor”已忽略" in err
    assert "list.csv 第 3 行的日期“2020-13-45”看不懂" in err
    assert "list.csv 第 4 行：找不到文件“missing.txt”" in err
    assert "list.csv 第 5 行没有文件名" in err
    lines = articles.read_text(encoding="utf-8").splitlines()
    rows = {Path(r["doc"]).name: r for r in map(json.loads, lines)}
    assert set(rows) == {"a.txt", "b.txt", "c.txt"}
    assert (rows["a.txt"]["published"], rows["a.txt"]["date_source"], rows["a.txt"]["paper"],
            rows["a.txt"]["page"]) == ("2020-08-03", "manifest", "聊城日报", "A3")
    assert rows["b.txt"]["date_source"] != "manifest" and rows["b.txt"]["page"] == "A4"
    assert (rows["c.txt"]["published"], rows["c.txt"]["paper"]) == ("2021-03-05", "大众日报")
    years = {json.loads(line)["doc"]: json.loads(line)["period_year"]
             for line in facts.read_text(encoding="utf-8").splitlines()}
    assert years["a.txt"] == 2020 and years["c.txt"] == 2021


def test_a_jsonl_manifest_with_a_bad_line(tmp_path):
    manifest = tmp_path / "m.jsonl"
    manifest.write_text('{"file": "a.txt", "date": "2020-08-03", "paper": "聊城日报"}\n'
                        "{not json\n"
                        '{"file": "b.txt", "date": "2020-08-04", "section": "要闻"}\n', encoding="utf-8")
    read = read_manifest(manifest)
    assert read.lookup("a.txt").paper == "聊城日报"
    assert read.lookup("b.txt").date == "2020-08-04"
    assert any("m.jsonl 第 2 行不是有效的 JSON" in p for p in read.problems)
    assert any("m.jsonl 第 3 行：不认识的字段“section”" in p for p in read.problems)


def test_a_manifest_that_cannot_be_read_says_so(tmp_path):
    with pytest.raises(ManifestError, match="找不到清单文件"):
        read_manifest(tmp_path / "nope.csv")
    (tmp_path / "gbk.csv").write_bytes("file,paper\na.txt,聊城日报\n".encode("gbk"))
    assert read_manifest(tmp_path / "gbk.csv").lookup("a.txt").paper == "聊城日报"


def test_a_manifest_csv_in_the_folder_is_used_without_the_flag(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    pages = _pages(folder, "p1.txt", "p2.txt")
    (folder / "manifest.csv").write_text("file,date,paper\np1.txt,2019-05-13,聊城日报\n", encoding="utf-8")
    lookup = ManifestLookup()
    assert lookup(pages[0]).date == "2019-05-13"
    assert lookup(pages[1]) is None
    assert lookup.problems(pages) == []


def test_ingest_uses_the_folder_manifest_and_logs_bad_lines(tmp_path):
    import duckdb

    from loaders.storage.ingest import ingest_paths

    folder = tmp_path / "archive"
    folder.mkdir()
    _pages(folder, "p1.txt", "p2.txt")
    (folder / "manifest.csv").write_text(
        "file,date,paper,page\np1.txt,2019-05-13,聊城日报,A2\np2.txt,明天,聊城日报,A3\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    summary = ingest_paths([folder], db_path=db)
    assert summary.pages == 2
    assert any("manifest.csv 第 3 行的日期“明天”看不懂" in message for _, message in summary.errors)
    con = duckdb.connect(str(db), read_only=True)
    rows = dict(con.execute("SELECT doc, published || ' ' || date_source || ' ' || paper || ' ' || page "
                            "FROM articles").fetchall())
    con.close()
    assert rows["p1.txt"] == "2019-05-13 manifest 聊城日报 A2"
    assert rows["p2.txt"].endswith("聊城日报 A3") and "manifest" not in rows["p2.txt"]


def test_reextracting_keeps_the_date_and_paper_the_user_gave(tmp_path):
    import duckdb

    from loaders.storage.ingest import ingest_bytes, reextract

    db = tmp_path / "t.duckdb"
    ingest_bytes("g.txt", "冠县新签约项目32个\n\n本报讯 近日,冠县新签约项目32个。".encode(), db,
                 PageInfo(date="2021-03-05", paper="聊城日报", page="A3"))
    reextract(db_path=db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT DISTINCT published, date_source, paper, page FROM articles").fetchall()
        years = con.execute("SELECT DISTINCT period_year FROM facts").fetchall()
    finally:
        con.close()
    assert rows == [("2021-03-05", "upload", "聊城日报", "A3")]
    assert years == [(2021,)]
