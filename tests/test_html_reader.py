"""The web-page reader (ingest/readers/html.py): pages written here, never copied from a
county site. The gold figures of every sample's HTML rendition are checked in
tests/test_renditions.py; here a page in an older county site's style (GB2312, the article
inside a layout table) must parse to the figures of its text, and the reader's rules are
checked one by one."""

import html

import pytest

from ingest.document import Paragraph, Row, UnreadableDocument
from ingest.loader import detect_format
from ingest.parser import parse_bytes
from ingest.readers import html as html_reader
from ingest.readers import read_document, sniff
from tests.base import sample_bytes

SAMPLE = "gaoyi-2022.txt"
_TITLE = "高邑县2022年部门预算"


def _old_site_page(text: str) -> bytes:
    """The text's paragraphs as `<p>`, each run of tab-separated lines as a table with one
    `<td>` per cell, inside the frame table and boilerplate of a county site, in GB2312."""
    article, rows = [], []
    for line in text.splitlines() + [""]:
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{_escaped(c)}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            article.append('<table class="MsoNormalTable" border="1">\n' + "\n".join(rows) + "\n</table>")
            rows = []
        if line.strip():
            article.append(f"<p class=MsoNormal>&nbsp;&nbsp;{_escaped(line)}<o:p></o:p></p>")
    page = (
        "<!-- saved from url=(0040)http://www.example.gov.cn/xxgk/2022.htm -->\n<html><head>\n"
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">\n'
        "<title>信息公开</title><script>var visits = '<p>1024</p>';</script></head>\n<body>\n"
        '<table width="100%"><tr><td><a href="/">网站首页</a></td>'
        '<td><a href="/xxgk/">信息公开</a></td></tr>\n'
        '<tr><td colspan="2"><div class="content">\n' + "\n".join(article) + "\n</div></td></tr></table>\n"
        "</body></html>"
    )
    return page.encode("gb18030")


def _escaped(text: str) -> str:
    return html.escape(text, quote=False)


def _without_sources(items: list[dict]) -> list[dict]:
    return [{key: value for key, value in item.items() if key != "source"} for item in items]


def _blocks(body: str) -> list:
    return read_document(f"<html><body>{body}</body></html>".encode(), "t.html").blocks


def _rows(body: str) -> list[tuple[str, ...]]:
    return [block.cells for block in _blocks(body) if isinstance(block, Row)]


def test_a_gb2312_page_parses_to_the_figures_of_its_text():
    text = sample_bytes(SAMPLE)
    page = _old_site_page(text.decode("utf-8"))
    assert sniff(page) == "html"
    from_page, from_text = parse_bytes(page, "gaoyi-2022.html"), parse_bytes(text, SAMPLE)
    for key in ("county", "department", "year", "totals", "three_costs"):
        assert from_page[key] == from_text[key], key
    assert from_page["line_items"]
    assert _without_sources(from_page["line_items"]) == _without_sources(from_text["line_items"])
    assert [t["kind"] for t in from_page["tables"]] == [t["kind"] for t in from_text["tables"]]


def test_blocks_are_numbered_in_reading_order_without_pages():
    document = read_document(_old_site_page(sample_bytes(SAMPLE).decode("utf-8")), "g.html")
    assert document.layout == "tsv"
    assert [block.line for block in document.blocks] == list(range(1, len(document.blocks) + 1))
    assert {block.page for block in document.blocks} == {None}
    # The frame table's links are text of their own, not a table row.
    assert document.blocks[:2] == [Paragraph("网站首页", 1), Paragraph("信息公开", 2)]


def test_colspan_and_rowspan_put_text_in_the_top_left_grid_cell():
    rows = _rows(
        "<table>"
        "<tr><th rowspan=2>科目编码</th><th rowspan=2>科目名称</th><th colspan=3>本年预算</th></tr>"
        "<tr><th>合计</th><th>基本支出</th><th>项目支出</th></tr>"
        "<tr><td rowspan=2>201</td><td>一般公共服务支出</td><td>296.93</td><td>258.93</td><td>38.00</td></tr>"
        "<tr><td>政府办公厅</td><td colspan=2>296.93</td><td>38.00</td></tr>"
        "<tr><td colspan=2>合计</td><td>394.30</td></tr>"
        "</table>"
    )
    assert rows == [
        ("科目编码", "科目名称", "本年预算", "", ""),
        ("", "", "合计", "基本支出", "项目支出"),
        ("201", "一般公共服务支出", "296.93", "258.93", "38.00"),
        ("", "政府办公厅", "296.93", "", "38.00"),
        ("合计", "", "394.30", "", ""),
    ]


def test_spans_of_zero_and_odd_values_are_read_as_browsers_read_them():
    rows = _rows(
        "<table>"
        "<tr><td rowspan=0>甲</td><td colspan=0>乙</td><td colspan='2px'>丙</td></tr>"
        "<tr><td>丁</td><td colspan=abc>戊</td></tr>"
        "<tr><td rowspan=9>己</td><td>庚</td></tr>"
        "</table>"
    )
    assert rows == [("甲", "乙", "丙", ""), ("", "丁", "戊", ""), ("", "己", "庚", "")]


def test_header_and_footer_rows_print_where_a_browser_prints_them():
    rows = _rows(
        "<table><tfoot><tr><td>合计</td><td>3</td></tr></tfoot>"
        "<tbody><tr><td>一</td><td>1</td></tr></tbody>"
        "<thead><tr><th>项目</th><th>金额</th></tr></thead>"
        "<tr><td>二</td><td>2</td></tr></table>"
    )
    assert rows == [("项目", "金额"), ("一", "1"), ("二", "2"), ("合计", "3")]


def test_cells_keep_indentation_and_drop_source_whitespace():
    rows = _rows(
        "<table><caption>部门预算支出总表</caption>"
        "<tr><td>\n  项目  </td><td>&nbsp;</td></tr>"
        "<tr><td>&nbsp;&nbsp;政务公开</td><td> 1.00 </td></tr>"
        "<tr><td>\u3000\u3000信息化\n建设</td><td><p>2.00</p><p>（含结转）</p></td></tr>"
        "<tr><td>&nbsp;</td><td></td></tr>"
        "</table>"
    )
    assert rows == [
        ("项目", ""),
        ("  政务公开", "1.00"),
        ("\u3000\u3000信息化建设", "2.00\n（含结转）"),
    ]
    assert _blocks("<table><caption>部门预算支出总表</caption><tr><td>a</td><td>b</td></tr></table>")[0] == (
        Paragraph("部门预算支出总表", 1)
    )


def test_text_becomes_one_paragraph_per_visual_line():
    blocks = _blocks(
        "<div>高邑县人民政府办公室<br>2022年部门\n预算</div>"
        "<h2>\u3000一、部门职责</h2><p>Budget  of\nthe <b>county</b>&nbsp;office</p>"
        "<ul><li>第一项</li><li>第二项</li></ul><pre>一行\n  二行</pre>"
    )
    assert [block.text for block in blocks] == [
        "高邑县人民政府办公室",
        "2022年部门预算",
        "一、部门职责",
        "Budget of the county office",
        "第一项",
        "第二项",
        "一行",
        "二行",
    ]


def test_scripts_styles_navigation_and_hidden_text_are_dropped():
    blocks = _blocks(
        "<script>document.write('<p>统计</p>')</script><style>p { color: red }</style>"
        "<nav><a>首页</a></nav><div role=navigation>栏目</div><noscript>请启用脚本</noscript>"
        "<div hidden>隐藏</div><p style='DISPLAY: none'>不显示</p><!-- 注释 -->"
        "<form><input value=搜索><select><option>县政府</option></select>"
        "<p>单位：万元</p></form>"
    )
    assert blocks == [Paragraph("单位：万元", 1)]


def test_a_one_column_table_is_a_frame_not_a_table():
    blocks = _blocks(
        "<table><tr><td><h1>部门预算</h1><p>单位：万元</p></td></tr><tr><td>说明</td></tr></table>"
    )
    assert blocks == [Paragraph("部门预算", 1), Paragraph("单位：万元", 2), Paragraph("说明", 3)]


@pytest.mark.parametrize(
    ("declaration", "encoding"),
    [
        ('<meta charset="gbk">', "gbk"),
        ('<meta http-equiv=Content-Type content="text/html; charset=GB2312">', "gb2312"),
        ('<?xml version="1.0" encoding="gb2312"?>', "gb2312"),
        ("", "gb18030"),
        ("", "utf-8-sig"),
        ('<meta charset="utf-8">', "gbk"),  # a wrong declaration: the bytes are not UTF-8
        ('<meta charset="x-gbk">', "gbk"),
    ],
)
def test_the_encoding_is_detected(declaration, encoding):
    page = f"{declaration}<html><head><title>预算</title></head><body><p>{_TITLE}</p></body></html>"
    document = read_document(page.encode(encoding), "p.html")
    assert document.blocks == [Paragraph(_TITLE, 1)]


def test_a_utf16_page_with_a_bom_is_read():
    page = "<!DOCTYPE html><html><body><p>部门预算</p></body></html>".encode("utf-16")
    assert sniff(page) == "html"
    assert read_document(page, "p.html").blocks == [Paragraph("部门预算", 1)]


@pytest.mark.parametrize(
    "start",
    [
        b"<!DOCTYPE html>",
        b"\xef\xbb\xbf \r\n<HTML lang=zh>",
        b"<!-- saved from url=(0030)http://example.gov.cn/ -->\r\n<html>",
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">',
        b"\n\n<table border=1>",
        "<html><head><meta charset=gbk><title>高邑县</title>".encode("gbk"),
    ],
)
def test_web_pages_are_told_by_their_first_tag(start):
    assert sniff(start + b"<p>x</p>") == "html"


@pytest.mark.parametrize("data", [sample_bytes(SAMPLE), "<附件1>部门预算\n".encode(), b"<p>not a page"])
def test_text_is_not_taken_for_a_web_page(data):
    assert sniff(data) == "text"


def test_uploads_accept_web_pages():
    assert detect_format(b"<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"


@pytest.mark.parametrize(
    "page",
    [
        b"<html></html>",
        b"<!DOCTYPE html><html><head><title>Budget</title></head><body>\n \xc2\xa0</body></html>",
        b"<html><body><script>var x = 1;</script>"
        b"<table><tr><td>&nbsp;</td><td></td></tr></table></body></html>",
    ],
)
def test_a_page_without_text_is_refused(page):
    with pytest.raises(UnreadableDocument, match="^the web page holds no text$"):
        read_document(page, "empty.html")


@pytest.mark.parametrize("span", ["colspan=1001", "rowspan=5000", "colspan=" + "9" * 5000])
def test_a_span_beyond_the_limit_is_refused(span):
    refusal = r"^a table cell has (col|row)span=\d+; at most 1000 are accepted$"
    with pytest.raises(UnreadableDocument, match=refusal):
        read_document(f"<table><tr><td {span}>x</td><td>y</td></tr></table>".encode(), "span.html")


def test_tables_spanning_too_many_cells_are_refused():
    rows = "<tr><td colspan=1000>x</td></tr>" * (html_reader.MAX_GRID_CELLS // 1000 + 1)
    with pytest.raises(UnreadableDocument, match=r"^the page's tables span more than 200,000 cells"):
        read_document(f"<table>{rows}</table>".encode(), "grid.html")


def test_a_narrow_row_cannot_widen_the_grid_past_the_limit():
    # Few spanned cells, but one wide row makes every row that wide.
    rows = "<tr><td colspan=1000>x</td></tr>" + "<tr><td>y</td></tr>" * 300
    with pytest.raises(UnreadableDocument, match="cells"):
        read_document(f"<table>{rows}</table>".encode(), "grid.html")


def test_a_page_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(html_reader, "MAX_BYTES", 1024 * 1024)
    page = b"<html><body>" + b"<p>x</p>" * 200_000 + b"</body></html>"
    with pytest.raises(
        UnreadableDocument, match="^the web page is larger than 1 MB, the limit for web pages$"
    ):
        read_document(page, "big.html")
