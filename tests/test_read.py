"""loaders.read: any common encoding in, simplified text out; a Chinese message for a bad file.

Small bad inputs live in tests/fixtures/read/ (a GBK web page saved as .txt, a Big5 page, a PDF
and a PNG renamed .txt); large ones are generated in tmp_path at run time.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.read import (
    MAX_PAGE_BYTES,
    PageError,
    _traditional_only,
    decode_page,
    html_to_text,
    looks_like_page,
    read_page,
    to_simplified,
)

FIXTURES = Path(__file__).parent / "fixtures" / "read"
SEEDS = Path(__file__).parent.parent / "seeds"

LINQING = "临清市公共资源交易中心开展首次跨区域远程异地评标,节约费用3万余元。"
LINQING_TRADITIONAL = "臨清市公共資源交易中心開展首次跨區域遠程異地評標,節約費用3萬餘元。"

ENCODED_PAGES = [
    ("utf-8", LINQING.encode("utf-8")),
    ("utf-8 with BOM", LINQING.encode("utf-8-sig")),
    ("utf-16 LE with BOM", codecs.BOM_UTF16_LE + LINQING.encode("utf-16-le")),
    ("utf-16 BE with BOM", codecs.BOM_UTF16_BE + LINQING.encode("utf-16-be")),
    ("utf-16 LE without BOM", LINQING.encode("utf-16-le")),
    ("utf-16 BE without BOM", LINQING.encode("utf-16-be")),
    ("gb18030", LINQING.encode("gb18030")),
    ("gbk", LINQING.encode("gbk")),
    ("gb2312", LINQING.encode("gb2312")),
    ("big5 traditional", LINQING_TRADITIONAL.encode("big5")),
    ("utf-8 traditional", LINQING_TRADITIONAL.encode("utf-8")),
]


@pytest.mark.parametrize(("encoding", "data"), ENCODED_PAGES, ids=[e for e, _ in ENCODED_PAGES])
def test_every_common_encoding_reads_as_the_same_simplified_text(encoding: str, data: bytes) -> None:
    assert decode_page(data, "page.txt") == LINQING


FOLDED = [
    ("今年前５月全国一般公共预算收入同比下降１３．６％", "今年前5月全国一般公共预算收入同比下降13.6%"),
    ("山东黄金矿业（莱州）有限公司", "山东黄金矿业(莱州)有限公司"),
    ("保基层运转，强基层治理。", "保基层运转,强基层治理。"),
    ("□\u3000本报记者\u3000王德纯", "□ 本报记者 王德纯"),
    ("共2万亿\u200b元\r\n直达市县基层", "共2万亿元\n直达市县基层"),
    ("“三公”经费从严控制、《若干措施》。", "“三公”经费从严控制、《若干措施》。"),
]


@pytest.mark.parametrize(("text", "expected"), FOLDED)
def test_full_width_ascii_folds_and_chinese_punctuation_stays(text: str, expected: str) -> None:
    assert decode_page(text.encode("utf-8"), "page.txt") == expected


def test_big5_fixture_becomes_simplified() -> None:
    text = read_page(FIXTURES / "linqing_big5.txt")
    assert text.startswith("临清市远程异地评标“朋友圈”扩容")
    assert "临清市公共资源交易中心已累计开展远程异地评标60余场次" in text


def test_simplified_page_with_a_stray_traditional_character_is_left_alone() -> None:
    text = "乾隆年间,臨清是运河重镇。" + "临清市公共资源交易中心已累计开展远程异地评标60余场次。" * 10
    assert to_simplified(text) == text


def test_seed_pages_read_unchanged_apart_from_folding() -> None:
    raw = (SEEDS / "000_97d967b9aa75d6b6.txt").read_text(encoding="utf-8")
    text = read_page(SEEDS / "000_97d967b9aa75d6b6.txt")
    assert raw.count("，") > 0
    assert "，" not in text
    assert text.count(",") == raw.count("，") + raw.count(",")
    assert "## 95万元“金融活水”救活一家小微企业" in text


def test_truncated_utf8_drops_only_the_broken_tail() -> None:
    data = "已授信专项抗疫贷16户金额3478万元。".encode() + "田传军".encode()[:-1]
    assert decode_page(data, "cut.txt") == "已授信专项抗疫贷16户金额3478万元。田传"


def test_web_page_saved_as_txt_is_read_as_html() -> None:
    text = read_page(FIXTURES / "saved_page.txt")
    assert text == (
        "## 临清市远程异地评标“朋友圈”扩容\n\n"
        "本报讯(记者 赵艳君)7月24日,临清市公共资源交易中心和崇州市公共资源交易中心"
        "开展首次跨区域远程异地评标。\n\n"
        "■ 本报记者 赵琦\n本报通讯员 张生\n\n"
        "截至目前,共完成远程异地评标12次,节约费用3万余元&差旅时间。"
    )


HTML_CASES = [
    ("<p>共2万亿</p><p>元,直达市县基层</p>", "共2万亿\n\n元,直达市县基层"),
    ("<h2>既要业绩红,又要党旗红</h2><div>3个多月前</div>", "## 既要业绩红,又要党旗红\n\n3个多月前"),
    ("<h4>目击</h4>山东新闻专栏", "目击\n\n山东新闻专栏"),
    ("<p>营收&#20013;&#x6587;&lt;1亿&gt;</p><script>alert('<p>x</p>')</script>", "营收中文<1亿>"),
    ("<body><style>p{}</style><p>治理权\n  限不够</p></body>", "治理权限不够"),
    ("<div>□ 本报记者 王德纯<br/>本报通讯员 张生</div>", "□ 本报记者 王德纯\n本报通讯员 张生"),
]


@pytest.mark.parametrize(("markup", "expected"), HTML_CASES)
def test_html_blocks_become_paragraphs(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


def test_html_with_only_entities_still_counts_as_chinese() -> None:
    assert decode_page(b"<p>&#20849;2&#19975;&#20159;&#20803;</p>", "e.html") == "共2万亿元"


def _message(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(PageError) as caught:
        read_page(path)
    assert caught.value.path == str(path)
    return caught.value.message


BAD_PAGES = [
    ("empty.txt", b"", "empty.txt 是空文件"),
    ("blank.txt", b" \r\n\r\n\t", "blank.txt 是空文件"),
    ("bom_only.txt", codecs.BOM_UTF8, "bom_only.txt 是空文件"),
    ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "report.txt 不是文本版面（看起来是 PDF 文件）"),
    ("page.txt", b"PK\x03\x04\x14\x00[Content_Types].xml word/document.xml", "（看起来是 Word 文档）"),
    ("sheet.txt", b"PK\x03\x04\x14\x00\x06\x00xl/workbook.xml", "（看起来是 Excel 表格）"),
    ("img.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF", "（看起来是 JPEG 图片）"),
    ("renamed.txt", bytes(range(256)) * 4, "renamed.txt 不是文本版面（看起来是二进制文件）"),
    ("english.txt", b"Quarterly report: revenue up 4.8%.\n", "english.txt 中没有中文正文"),
    (
        "mixed.txt",
        ("共2万亿元,直达市县基层。" * 5).encode("utf-8").replace("万".encode(), b"\xff\x80"),
        "无法识别 mixed.txt 的编码：第 1 行（第 5 个字节）起的字节 FF 80",
    ),
    (
        "mojibake.txt",
        ("共2万亿元,直达市县基层。" * 5).encode("utf-8").replace("直达".encode(), "直达".encode("gbk")),
        "无法识别 mojibake.txt 的编码",
    ),
]


@pytest.mark.parametrize(("name", "data", "expected"), BAD_PAGES, ids=[n for n, _, _ in BAD_PAGES])
def test_bad_page_gets_a_chinese_message_naming_the_file(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    message = _message(tmp_path, name, data)
    assert expected in message
    assert name in message
    assert "：请" in message


@pytest.mark.parametrize(("fixture", "kind"), [("scan.txt", "PDF 文件"), ("photo.txt", "PNG 图片")])
def test_binary_fixtures_renamed_txt(fixture: str, kind: str) -> None:
    with pytest.raises(PageError) as caught:
        read_page(FIXTURES / fixture)
    assert caught.value.message == f"{fixture} 不是文本版面（看起来是 {kind}）：请先转成 .txt 或 .html 再导入"


def test_a_stray_bad_byte_in_utf8_is_dropped() -> None:
    data = "已授信专项抗疫贷16户".encode() + b"\xff" + "金额3478万元。".encode()
    assert decode_page(data, "slip.txt") == "已授信专项抗疫贷16户金额3478万元。"


def test_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(PageError) as caught:
        read_page(path)
    assert caught.value.message == f"找不到文件 {path}：请检查路径"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(PageError) as caught:
        read_page(tmp_path)
    assert caught.value.message.startswith(f"{tmp_path} 是一个文件夹")


def test_file_one_byte_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.write("共2万亿元。".encode())
        out.truncate(MAX_PAGE_BYTES + 1)
    with pytest.raises(PageError) as caught:
        read_page(path)
    assert caught.value.message.startswith("huge.txt 超过 50 MB")
    assert caught.value.message.endswith("请拆分后导入")


def test_bytes_over_the_limit_are_refused_by_decode_page_too() -> None:
    assert "big.txt 超过 50 MB" in looks_like_page(b" " * (MAX_PAGE_BYTES + 1), "big.txt")


def test_looks_like_page_checks_content_not_extension() -> None:
    assert looks_like_page(LINQING.encode("gbk"), "page.pdf") is None
    assert looks_like_page(b"%PDF-1.4", "page.txt") == (
        "page.txt 不是文本版面（看起来是 PDF 文件）：请先转成 .txt 或 .html 再导入"
    )


@given(st.binary(max_size=300))
def test_any_bytes_give_text_or_page_error(data: bytes) -> None:
    try:
        text = decode_page(data, "fuzz.txt")
    except PageError as exc:
        assert "fuzz.txt" in exc.message
    else:
        assert isinstance(text, str)
        assert "\x00" not in text


@pytest.mark.parametrize("text", ["111111元", "2021年共3478万元", "元"])
def test_gbk_digits_do_not_vouch_for_the_rare_letter_its_bytes_spell_in_utf8(text: str) -> None:
    """GBK 元 (D4 AA) is also valid UTF-8 for the Armenian Ԫ; the digits around it are ASCII in both."""
    assert decode_page(text.encode("gbk"), "g.txt") == text


@given(st.text(alphabet="临清市公共资源交易中心共万亿元直达县基层,。“”、12345 \n", min_size=1, max_size=200))
def test_gbk_and_utf8_of_the_same_text_read_alike(text: str) -> None:
    try:
        expected = decode_page(text.encode("utf-8"), "u.txt")
    except PageError:
        return
    assert decode_page(text.encode("gbk"), "g.txt") == expected


def test_a_bad_encoding_is_located_by_line_and_byte(tmp_path: Path) -> None:
    data = "临清市今年投资3478万元。\n".encode() * 2 + "第三行".encode("utf-16-le") * 40
    message = _message(tmp_path, "slip.txt", data)
    assert "第 3 行" in message and "另存为 UTF-8" in message


def test_a_symlink_loop_is_reported_as_a_loop_not_as_missing(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(PageError) as caught:
        read_page(a)
    assert "循环的符号链接" in caught.value.message and "找不到" not in caught.value.message


def test_a_link_to_nothing_names_its_target(tmp_path: Path) -> None:
    link = tmp_path / "page.txt"
    link.symlink_to(tmp_path / "gone.txt")
    with pytest.raises(PageError) as caught:
        read_page(link)
    assert "失效的符号链接" in caught.value.message and "gone.txt" in caught.value.message


def test_a_saved_page_with_meta_tags_is_dated_and_named_by_them(tmp_path):
    from loaders.pipeline import extract_file

    page = tmp_path / "8209615.html"
    page.write_text(
        '<html><head><meta charset="utf-8"><title>聊城32个项目集中签约_大众网</title>'
        '<meta name="PubDate" content="2020-08-03 07:30"><meta name="ContentSource" content="大众日报">'
        '<meta property="og:url" content="https://paper.dzwww.com/dzrb/content/20200803/A03.htm"></head>'
        '<body><div class="nav"><a href="/">首页</a> | <a href="/sd">山东新闻</a></div>'
        "<h1>聊城32个项目集中签约</h1><p>本报讯 今年以来,全市新签约项目32个,总投资386亿元。</p>"
        '<div class="side-hot"><a href="/n/1">青岛港集装箱吞吐量增长12%</a></div></body></html>',
        encoding="utf-8")
    result = extract_file(page)
    [article] = result.articles
    assert (article.title, article.published, article.date_source, article.paper) == (
        "聊城32个项目集中签约", "2020-08-03", "html", "大众日报")
    assert article.url == "https://paper.dzwww.com/dzrb/content/20200803/A03.htm"
    assert sorted(f.quote for f in result.facts) == ["32个", "32个", "386亿元"]  # none from the sidebar
    assert {f.period_year for f in result.facts} == {2020}


def test_every_traditional_only_character_is_one_opencc_simplifies_and_gb2312_lacks() -> None:
    """The data file that tells a traditional page must agree with the converter that simplifies it."""
    chars = sorted(_traditional_only())
    simplified = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    kept = [c for c, s in zip(chars, simplified, strict=True) if c == s]
    assert len(chars) > 4000 and len(kept) <= 2  # 甦 and 礆 are their own simplified form in OpenCC 1.4
    for char in chars:
        with pytest.raises(UnicodeEncodeError):
            char.encode("gb2312")
