"""The probe list of bad inputs, through ``ingest`` and through the 导入 page.

Every probe either gets a Chinese message naming its file, or is stored correctly; a refused
file leaves the store's counts as they were.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import opencc
import pytest
from streamlit.testing.v1 import AppTest

from loaders.storage import store
from loaders.storage.ingest import ingest_paths

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "001_75cc9386a15eab2f.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
OTHER_TEXT = (ROOT / "seeds" / "003_60e1bf30824b9f36.txt").read_text(encoding="utf-8")
HAN = re.compile(r"[\u4e00-\u9fff]")
SHORT = "聊城日报讯 今年以来，临清市新开工技改项目46个，完成技改投资38.6亿元。\n"


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("版面.txt", SEED_TEXT)
    return buffer.getvalue()


def _pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"


def _invalid_utf8_mid_file() -> bytes:
    data = OTHER_TEXT.encode("utf-8")
    middle = len(data) // 2
    return data[:middle] + b"\xff\xfe\xc3\x28" * 40 + data[middle:]


def _nul_bytes() -> bytes:
    return OTHER_TEXT.encode("utf-8").replace("。".encode(), "。".encode() + b"\x00")


def _html_with_script() -> bytes:
    body = "".join(f"<p>{line}</p>" for line in OTHER_TEXT.splitlines() if line.strip())
    return (f"<html><head><meta charset='utf-8'><script>alert('脚本：不应入库')</script></head>"
            f"<body onload=\"steal()\">{body}<script>document.write('坏')</script></body></html>").encode()


def _formula_cells() -> bytes:
    lines = ["=cmd|' /C calc'!A0", "+HYPERLINK(\"http://x\",\"点我\")", "-1+2", "@SUM(A1:A9)"]
    return ("\n".join(lines) + "\n\n" + SHORT).encode("utf-8")


@dataclass
class Probe:
    """One bad input: its file name, its bytes, and what a correct handling stores."""

    name: str
    data: bytes
    stored: bool  # True: stored (check ``text_has``); False: refused with a message naming it
    text_has: str = ""
    text_lacks: str = ""
    value: float | None = None  # a figure of this value must be stored …
    quote: str = ""  # … with this quote


PROBES = [
    Probe("空白.txt", b"", False),
    Probe("照片.png", _png(), False),
    Probe("照片.txt", _png(), False),
    Probe("压缩包.zip", _zip(), False),
    Probe("压缩包.txt", _zip(), False),
    Probe("扫描件.pdf", _pdf(), False),
    Probe("扫描件.txt", _pdf(), False),
    Probe("gbk.txt", OTHER_TEXT.encode("gbk"), True, text_has="轴承"),
    Probe("big5.txt", opencc.OpenCC("s2t").convert(OTHER_TEXT).encode("big5", errors="ignore"), True,
          text_has="轴承"),
    Probe("utf16.txt", OTHER_TEXT.encode("utf-16"), True, text_has="轴承"),
    Probe("有空字节.txt", _nul_bytes(), False),
    Probe("只有空白.txt", " \n\t\u3000\r\n   \n".encode(), False),
    Probe("中间坏字节.txt", _invalid_utf8_mid_file(), False),
    Probe("带脚本.html", _html_with_script(), True, text_has="轴承", text_lacks="alert"),
    Probe("名字 有 空格.txt", SHORT.encode(), True, text_has="临清市"),
    Probe("../../上级目录.txt", SHORT.encode(), True, text_has="临清市"),
    Probe("一行五兆.txt", SEED_TEXT.replace("\n", "").encode() * (5 * 1024 * 1024 // len(SEED_TEXT.encode())),
          True, text_has="脱贫"),
    Probe("天文数字.txt", "聊城日报讯 今年全市完成投资9999999999999999亿元。\n".encode(), True,
          value=9999999999999999e8, quote="9999999999999999亿元"),
    Probe("公式.txt", _formula_cells(), True, text_has="=cmd|"),
]


def _counts(db: Path) -> dict:
    con = store.open_reader(db)
    try:
        return store.counts(con)
    finally:
        con.close()


def _texts(db: Path) -> str:
    """The newest page's articles and its stored text (which keeps lines no article took)."""
    con = store.open_reader(db)
    try:
        newest = ("SELECT text FROM articles WHERE ingested_at = (SELECT max(ingested_at) FROM articles) "
                  "UNION ALL SELECT text FROM pages WHERE ingested_at = (SELECT max(ingested_at) FROM pages)")
        return "\n".join(r[0] for r in con.execute(newest).fetchall())
    finally:
        con.close()


def _values(db: Path) -> list[tuple[float, str]]:
    con = store.open_reader(db)
    try:
        return con.execute("SELECT value, quote FROM facts").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seeded") / "tracker.duckdb"
    ingest_paths([SEED], db_path=db)
    return db


@pytest.fixture
def db(seeded: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store" / "tracker.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(seeded, copy)
    with store.write_session(copy):
        pass
    return copy


def _by_ingest(probe: Probe, db: Path, tmp_path: Path) -> tuple[str, str]:
    folder = tmp_path / "in" / "sub"
    folder.mkdir(parents=True)
    path = folder / probe.name  # "../../x.txt" lands two folders up, as a shell would take it
    path.write_bytes(probe.data)
    summary = ingest_paths([path], db_path=db)
    shown = Path(probe.name).name
    if summary.errors:
        return "error", summary.errors[0][1]
    return ("ok" if summary.pages else "duplicate"), shown


UPLOAD_PAGE = ROOT / "dashboard" / "app_pages" / "upload.py"


def _by_upload_page(probe: Probe, db: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.setenv(store.ENV_VAR, str(db))
    at = AppTest.from_file(str(UPLOAD_PAGE), default_timeout=120).run()
    at.file_uploader[0].set_value([(probe.name, probe.data, "application/octet-stream")])
    at = next(b for b in at.button if b.label == "开始导入").click().run()
    assert not at.exception, at.exception
    texts = [w.value for w in (*at.warning, *at.error, *at.success, *at.info)]
    assert not any("还没有选择文件" in t for t in texts), texts
    report = at.dataframe[0].value
    assert len(report) == 1
    row = report.iloc[0]
    status = {"已导入": "ok", "重复（已跳过）": "duplicate", "出错": "error"}[row["结果"]]
    return status, row["说明"] if status == "error" else row["文件"]


@pytest.mark.parametrize("route", ["ingest", "导入"])
@pytest.mark.parametrize("probe", PROBES, ids=[p.name for p in PROBES])
def test_a_bad_input_is_named_in_chinese_or_stored_correctly(probe, route, db, tmp_path, monkeypatch):
    before = _counts(db)
    if route == "ingest":
        status, said = _by_ingest(probe, db, tmp_path)
    else:
        status, said = _by_upload_page(probe, db, monkeypatch)
    shown = Path(probe.name.replace("\\", "/")).name
    after = _counts(db)
    if not probe.stored:
        assert status == "error", said
        assert shown in said and HAN.search(said.replace(shown, "")), said
        assert after == before
        return
    assert status == "ok", said
    assert after["pages"] == before["pages"] + 1
    text = _texts(db)
    assert probe.text_has in text
    if probe.text_lacks:
        assert probe.text_lacks not in text
    if probe.value is not None:
        # a DOUBLE holds 16 digits: the value within its precision, the quote as printed
        assert any(v == pytest.approx(probe.value, rel=1e-12) for v, _ in _values(db))
        assert probe.quote in {q for _, q in _values(db)}


PROBE_PATHS: list[tuple[str, Callable[[Path], list[Path]], int]] = []


def _missing(tmp_path: Path) -> list[Path]:
    return [tmp_path / "不存在的版面.txt"]


def _symlink_loop(tmp_path: Path) -> list[Path]:
    loop = tmp_path / "循环链接.txt"
    loop.symlink_to(loop)
    return [loop]


def _loop_in_a_folder(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "版面夹"
    folder.mkdir()
    (folder / "自指.txt").symlink_to(folder / "自指.txt")
    (folder / "好.txt").write_text(SHORT, encoding="utf-8")
    return [folder]


@pytest.mark.parametrize("make, name, stored", [
    (_missing, "不存在的版面.txt", 0),
    (_symlink_loop, "循环链接.txt", 0),
    (_loop_in_a_folder, "自指.txt", 1),
])
def test_a_path_that_cannot_be_read_is_named_in_chinese(make, name, stored, db, tmp_path):
    before = _counts(db)
    summary = ingest_paths(make(tmp_path), db_path=db)
    assert len(summary.errors) == 1
    message = summary.errors[0][1]
    assert name in message and HAN.search(message.replace(name, ""))
    assert summary.pages == stored and _counts(db)["pages"] == before["pages"] + stored


def test_a_thousand_small_files_are_each_stored_once(db, tmp_path):
    folder = tmp_path / "千个小文件"
    folder.mkdir()
    for i in range(1000):
        (folder / f"{i:04d}.txt").write_text(f"聊城日报讯 今年以来，临清市第{i}批新开工技改项目{i + 1}个。\n",
                                             encoding="utf-8")
    before = _counts(db)
    summary = ingest_paths([folder], db_path=db, workers=2)
    assert not summary.errors and summary.pages == 1000
    assert _counts(db)["pages"] == before["pages"] + 1000
    again = ingest_paths([folder], db_path=db)
    assert again.duplicates == 1000 and _counts(db)["pages"] == before["pages"] + 1000


def test_an_upload_over_the_size_limit_is_refused_in_chinese_naming_it(db, monkeypatch):
    copies = 21 * 1024 * 1024 // len(SEED_TEXT.encode()) + 1
    probe = Probe("太大的版面.txt", SEED_TEXT.encode() * copies, False)
    before = _counts(db)
    status, said = _by_upload_page(probe, db, monkeypatch)
    assert status == "error" and "太大的版面.txt" in said and "MB" in said and "太大" in said
    assert _counts(db) == before
