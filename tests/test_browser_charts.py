"""Charts for articles in Debian's chromium: the comparison saved as PNG and SVG, an embed inside
another site's page, a citation copied to the clipboard."""

import datetime
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from tests.base import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = ROOT / "test-artifacts"
FOUR = "county=130532&county=130130&county=130630&county=130127&department=人民政府办公室"
GAOYI = "/counties/130127-高邑县/高邑县人民政府办公室/"


def png_size(path):
    """Width and height from a PNG's IHDR chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_the_comparison_chart_saves_as_png_at_twice_its_size_and_as_svg(live_server, page, samples, tmp_path):
    page.goto(f"{live_server.url}/compare/?{FOUR}")
    figure = page.locator("#compare-chart")
    canvas = figure.locator("canvas")
    page.wait_for_function("Chart.getChart('compare-canvas') !== undefined")
    shown = canvas.evaluate("c => [c.clientWidth, c.clientHeight]")

    with page.expect_download() as download:
        figure.get_by_role("button", name="下载图表（PNG）").click()
    assert (
        download.value.suggested_filename
        == "平乡县-无极县-涞源县-高邑县-人民政府办公室-支出总计-2016-2022.png"
    )
    saved = tmp_path / "chart.png"
    download.value.save_as(saved)
    assert png_size(saved) == (2 * shown[0], 2 * shown[1])

    with page.expect_download() as download:
        figure.get_by_role("link", name="下载图表（SVG）").click()
    assert (
        download.value.suggested_filename
        == "平乡县-无极县-涞源县-高邑县-人民政府办公室-支出总计-2016-2022.svg"
    )
    saved = tmp_path / "chart.svg"
    download.value.save_as(saved)
    text = saved.read_text()
    assert ">平乡县、无极县、涞源县、高邑县 人民政府办公室：支出总计（2016—2022年）</text>" in text
    assert ">来源：平乡县人民政府办公室部门预算（2021年）；无极县人民政府办公室部门预算（2018年）；" in text
    assert page.console_errors == []


@pytest.fixture
def newsroom():
    """Another site: a small server on 127.0.0.1 (the site under test is on localhost) whose one
    page is whatever the test sets in `newsroom.article`."""

    class Article(BaseHTTPRequestHandler):
        def do_GET(self):
            body = server.article.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    server.article = ""
    server.url = f"http://127.0.0.1:{server.server_port}/article"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_an_embed_draws_inside_another_sites_page(live_server, page, samples, newsroom):
    embed = f"{live_server.url}/embed/three-costs{quote(GAOYI)}?lang=en"
    ordinary = f"{live_server.url}{quote(GAOYI)}"
    newsroom.article = (
        "<!doctype html><html><body><h1>A newsroom's article</h1>"
        f'<iframe id="embed" src="{embed}" width="800" height="520"></iframe>'
        f'<iframe id="page" src="{ordinary}" width="800" height="200"></iframe></body></html>'
    )
    assert not newsroom.url.startswith(live_server.url)
    page.goto(newsroom.url)
    frame = page.frame_locator("#embed")
    frame.locator("#three-costs-canvas").wait_for()
    assert frame.locator("figcaption").inner_text() == (
        "高邑县人民政府办公室: Three public costs, 2019, 2022 (unit: 10,000 yuan)"
    )
    drawn = page.frame(url=lambda url: "/embed/" in url)
    drawn.wait_for_function("Chart.getChart('three-costs-canvas') !== undefined")
    assert drawn.evaluate("Chart.getChart('three-costs-canvas').data.datasets[2].data") == [
        0.4,
        None,
        None,
        0.31,
    ]
    back = frame.get_by_role("link", name="The figures and their sources on County budgets ↗")
    assert back.get_attribute("href") == f"{live_server.url}{quote(GAOYI)}#three-costs-chart"
    # Every other page refuses to be framed (X-Frame-Options: DENY): the frame stays empty.
    refused = page.locator("#page").element_handle().content_frame()
    assert refused.url == "chrome-error://chromewebdata/"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "embed-in-another-site.png", full_page=True)


def test_a_figure_cited_and_copied(live_server, browser, samples, monkeypatch):
    monkeypatch.setattr("budgets.citations.timezone.localdate", lambda: datetime.date(2025, 5, 3))
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}{quote(GAOYI)}2022/")
    page.locator("#fig-totals-expenditure button.cite").click()
    box = page.locator("#cite-box")
    box.get_by_role("button", name="复制中文").click()
    link = f"{live_server.url}/counties/130127-高邑县/高邑县人民政府办公室/2022/#fig-totals-expenditure"
    expected = (
        "高邑县人民政府办公室2022年部门预算，支出总计：394.30万元。"
        f"出处：gaoyi-2022.txt，部门预算收支总表，第 83 行。{link}（2025年5月3日访问）。"
    )
    page.wait_for_function(
        "expected => navigator.clipboard.readText().then(t => t === expected)", arg=expected
    )
    assert box.locator("#cite-en").inner_text().startswith("高邑县人民政府办公室, departmental budget 2022: ")
    assert box.get_by_role("button", name="已复制").count() == 1
    # The box is a sheet along the bottom; the row it cites is marked, above it, on screen.
    row = page.locator("#fig-totals-expenditure")
    assert "citing" in row.get_attribute("class")
    cited, sheet = row.bounding_box(), box.bounding_box()
    assert cited["y"] >= 0 and cited["y"] + cited["height"] <= sheet["y"]
    assert sheet["y"] + sheet["height"] == 844 and sheet["width"] == 390
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "cite-box-phone.png")
    box.get_by_role("button", name="关闭").click()
    page.locator("tr.citing").wait_for(state="detached", timeout=2000)
    assert not box.is_visible()
    context.close()
