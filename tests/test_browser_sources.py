"""A journalist checks a figure against the original, in Debian's chromium: a list row → its budget
year → the figure's source → the original opened there, the printed figure highlighted and in
view: a PDF in the pdf.js viewer at its page, a text at its line. In Chinese and English, on a
desktop and a 390 px phone. Then every kind of page at 390 px: wide tables scroll sideways with
their row labels fixed, and no label breaks one character per line."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from budgets.models import BudgetYear
from ingest.readers.doc import soffice
from tests.base import SAMPLES, sample_bytes
from tests.renditions import build_docx, convert_all
from tests.test_browser_pages import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_SAMPLE = "gaoyi-2022"
# (language, width, the disclosure, the figure's list, the 三公 figure followed, where it was
# printed, the figure as printed)
FLOWS = [
    pytest.param("zh-CN", 1280, "高邑县", 2022, "total", ("page", 11), "1.51", id="pdf-zh-desktop"),
    pytest.param("en", 390, "高邑县", 2022, "reception", ("page", 11), "0.31", id="pdf-en-phone"),
    # A text saved from Word: one cell per line, the figures on the lines after the row's label.
    pytest.param("en", 1280, "涞源县", 2016, "total", ("line", 1733), "113.50", id="text-en-desktop"),
    pytest.param("zh-CN", 390, "涞源县", 2016, "vehicle", ("line", 1705), "13.50", id="text-zh-phone"),
]
FOUND = {
    "zh-CN": {"page": "“{find}”已在第 {at} 页高亮标出。", "line": "“{find}”已在第 {at} 行高亮标出。"},
    "en": {"page": "“{find}” is highlighted on page {at}.", "line": "“{find}” is highlighted on line {at}."},
}
MISSING_PAGE = {
    "zh-CN": "本文件没有第 99 页，现从第 1 页显示。",
    "en": "There is no page 99 in this document; it is shown from page 1.",
}


@pytest.fixture(scope="module")
def pdf_rendition(tmp_path_factory) -> Path:
    """gaoyi-2022 as a county prints it: the Word file LibreOffice renders to PDF."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the PDF source test is SKIPPED")
    folder = tmp_path_factory.mktemp("pdf")
    docx = folder / f"{PDF_SAMPLE}.docx"
    docx.write_bytes(build_docx(sample_bytes(f"{PDF_SAMPLE}.txt"), f"{PDF_SAMPLE}.txt"))
    convert_all([docx], "pdf", folder, folder / "profile").wait(120)
    return folder / f"{PDF_SAMPLE}.pdf"


@pytest.fixture
def disclosures(settings, tmp_path, pdf_rendition):
    """Two disclosures: gaoyi-2022 from its PDF, laiyuan-2016 from its text."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("ingest", str(SAMPLES / "laiyuan-2016.txt"), str(pdf_rendition), stdout=io.StringIO())


def new_page(browser, language, width):
    phone = width < 500
    context = browser.new_context(
        locale=language, viewport={"width": width, "height": 844 if phone else 900}, is_mobile=phone
    )
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


@pytest.mark.parametrize(("language", "width", "county", "year", "key", "where", "printed"), FLOWS)
def test_a_list_row_leads_to_the_figure_in_the_original(
    live_server, browser, disclosures, language, width, county, year, key, where, printed
):
    budget_year = BudgetYear.objects.get(department__county__name=county, year=year)
    page = new_page(browser, language, width)
    page.goto(f"{live_server.url}/three-costs/")
    page.locator(f"table.list tbody a[href^='{budget_year.get_absolute_url()}']").first.click()
    page.wait_for_url(f"**{budget_year.get_absolute_url()}*")

    source = page.locator(f"#three-costs-table tr[data-key='{key}'] .src a")
    source.scroll_into_view_if_needed()
    source.click()
    kind, at = where
    highlight = page.locator(
        f".page[data-page-number='{at}'] .textLayer .figure-highlight"
        if kind == "page"
        else ".text-line.target .figure-highlight"
    ).first
    highlight.wait_for(timeout=20_000)
    assert highlight.inner_text() == printed
    expect(highlight).to_be_in_viewport(ratio=1)
    if kind == "line":
        assert page.locator(".text-line.target").first.get_attribute("id") == f"L{at}"
    if kind == "page":
        assert page.locator("#pdf-page-number").inner_text() == str(at)
    assert page.locator("#find-status").inner_text() == FOUND[language][kind].format(find=printed, at=at)
    page.screenshot(path=SCREENSHOTS / f"source-{kind}-{language}-{width}.png")
    if kind == "page":
        # A page the PDF does not have: said so, the document shown from its first page.
        page.goto(page.url.replace(f"page={at}", "page=99"))
        expect(page.locator("#find-status")).to_have_text(MISSING_PAGE[language])
        expect(page.locator("#pdf-page-number")).to_have_text("1")
    assert page.console_errors == []
    page.context.close()


PAGE_TYPES = {
    "home": "/",
    "places": "/places/",
    "county": "{county}",
    "department": "{department}",
    "budget year": "{budget_year}",
    "budget years": "/budget-years/",
    "line items": "/line-items/",
    "three costs": "/three-costs/",
    "indicators": "/indicators/",
    "compare": "/compare/",
    "rankings": "/rankings/",
    "search": "/search/?q=接待",
    "source, text": "{text_source}",
}

# Table cells whose visible text breaks about a character per line: at least three characters,
# fewer than two and a half to a line on average (a label wrapped as 其中：一般公共预 / 算 is fine).
SQUEEZED_CELLS = """() => [...document.querySelectorAll("table th, table td")].filter(cell => {
  if (!cell.offsetWidth) return false;
  const tops = new Set();
  let characters = 0;
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(".visually-hidden")) continue;
    for (let i = 0; i < node.data.length; i++) {
      if (!node.data[i].trim()) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      if (!rect.width) continue;
      characters++;
      tops.add(Math.round(rect.top));
    }
  }
  return characters >= 3 && tops.size > 1 && characters / tops.size < 2.5;
}).map(cell => cell.innerText.trim())"""

# Each table wider than its box, scrolled to its right end: where its first row's label is,
# against the box's left edge (negative once it has scrolled out of view; a label that is not
# the first column, behind a code, stops at the edge too).
LABELS_AFTER_SCROLL = """() => [...document.querySelectorAll(".table-scroll")]
  .filter(box => box.offsetWidth && box.scrollWidth > box.clientWidth + 4)
  .map(box => {
    box.scrollLeft = box.scrollWidth;
    const label = box.querySelector("tbody th[scope=row]") || box.querySelector("tbody tr").firstElementChild;
    return Math.round(label.getBoundingClientRect().left - box.getBoundingClientRect().left);
  })"""


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_page_at_phone_width_keeps_labels_readable_and_fixed(live_server, browser, samples, language):
    budget_year = BudgetYear.objects.get(department__county__name="高邑县", year=2022)
    places = {
        "county": budget_year.department.county.get_absolute_url(),
        "department": budget_year.department.get_absolute_url(),
        "budget_year": budget_year.get_absolute_url(),
        "text_source": f"/documents/{budget_year.source_document.pk}/?line=392&find=0.31",
    }
    page = new_page(browser, language, 390)
    scrolled_tables = 0
    for name, path in PAGE_TYPES.items():
        page.goto(live_server.url + path.format(**places))
        page.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")
        assert page.evaluate(SQUEEZED_CELLS) == [], name
        offsets = page.evaluate(LABELS_AFTER_SCROLL)
        assert min(offsets, default=0) >= 0, (name, offsets)
        scrolled_tables += len(offsets)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    # The budget-year page's tables are wider than a phone: the check above did scroll some.
    assert scrolled_tables >= 3
    page.goto(live_server.url + places["budget_year"] + "#three-costs-section")
    page.locator("table.figures#three-costs-table").evaluate("t => t.parentElement.scrollLeft = 10000")
    page.screenshot(path=SCREENSHOTS / f"phone-three-costs-{language}.png")
    assert page.console_errors == []
    page.context.close()
