#!/usr/bin/env python3
"""`make screenshots`: every screenshot of README.md made again, in docs/screenshots/.

On a database and MEDIA_ROOT of its own in a temporary folder (never db.sqlite3 or media/):
migrate, load the divisions, ingest the samples and, so that the PDF viewer can be shown, the
PDF that LibreOffice renders from gaoyi-2022's Word rendition (tests/renditions.py), in place of
that year's text. `manage.py runserver --noreload` serves it on 127.0.0.1 with DEBUG off and the
collected static files (whitenoise), and Playwright drives Debian's chromium, launched as the
browser tests launch it (which sends budgets.localhost to that server), in Chinese and English,
1280 px and 390 px wide. Each screenshot is the viewport, one element or a stretch of a page,
never a whole page.
"""

import io
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.load import HOST, free_port  # noqa: E402
from tests import chromium  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
# The name the browser gives the server: citations, permalinks and embed snippets show an address
# that stays the same from run to run (the port changes) and reads as the example it is.
SITE = "budgets.localhost"
PDF_SAMPLE = "gaoyi-2022"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LANGUAGES = {"zh": "zh-CN", "en": "en"}


def main() -> int:
    started = time.monotonic()
    # A run stopped from outside still stops its server and removes its folder.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="screenshots-") as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"{SITE},{HOST}",
        }
        env.pop("HTTPS", None)
        os.environ.update(env)
        places = load(Path(folder))
        with Server(env) as server:
            made = shoot(server, places)
    for path in made:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    print(f"{len(made)} screenshots in {time.monotonic() - started:.0f} s")
    return 0


def load(folder: Path) -> dict:
    """The samples and one PDF in the temporary database; the addresses the screenshots need."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from budgets.models import BudgetYear

    quiet = io.StringIO()
    call_command("migrate", verbosity=0)
    call_command("load_divisions", stdout=quiet)
    samples = sorted(str(p) for p in (ROOT / "samples").glob("*.txt"))
    call_command("ingest", *samples, stdout=quiet, stderr=quiet)
    call_command("ingest", "--replace", str(pdf_rendition(folder)), stdout=quiet, stderr=quiet)
    call_command("build_dataset", stdout=quiet)
    gaoyi = BudgetYear.objects.get(department__county__name="高邑县", year=2022, kind="budget")
    if gaoyi.source_document.format != "pdf":
        raise SystemExit(f"{PDF_SAMPLE}.pdf was not saved in place of the text:\n{quiet.getvalue()}")
    places = {"budget_year": gaoyi.get_absolute_url()}
    connections.close_all()
    return places


def pdf_rendition(folder: Path) -> Path:
    """gaoyi-2022 as a county prints it: its Word rendition, which LibreOffice renders to PDF."""
    from ingest.readers.doc import soffice
    from tests.renditions import build_docx, convert_all

    if soffice() is None:
        raise SystemExit("LibreOffice is needed for the PDF screenshot: make system installs it")
    docx = folder / f"{PDF_SAMPLE}.docx"
    docx.write_bytes(build_docx((ROOT / "samples" / f"{PDF_SAMPLE}.txt").read_bytes(), docx.name))
    convert_all([docx], "pdf", folder, folder / "profile").wait(120)
    return folder / f"{PDF_SAMPLE}.pdf"


class Server:
    """`manage.py runserver --noreload` on a free port of 127.0.0.1, stopped however the run ends."""

    def __init__(self, env):
        self.env = env
        self.base = f"http://{HOST}:{free_port()}"

    def __enter__(self):
        address = self.base.removeprefix("http://")
        command = [sys.executable, "manage.py", "runserver", "--noreload", address]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urlopen(f"{self.base}/", timeout=10):
                    return self
            except (URLError, ConnectionError):
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("the server did not answer within 60 s")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def shoot(server: Server, places: dict) -> list[Path]:
    """Each screen in each language; the files made, in order."""
    from playwright.sync_api import sync_playwright

    made = []
    with sync_playwright() as playwright:
        browser = chromium.launch(
            playwright, f"--host-resolver-rules=MAP {SITE} {server.base.removeprefix('http://')}"
        )
        try:
            for language, locale in LANGUAGES.items():
                for screen in SCREENS:
                    path = OUT / f"{screen.__name__.removeprefix('shoot_').replace('_', '-')}-{language}.png"
                    shoot_one(browser, locale, screen, places, path)
                    made.append(path)
        finally:
            browser.close()
    return made


def shoot_one(browser, locale: str, screen, places: dict, path: Path) -> None:
    """One screen in a browser context of its own (a phone's for the *_phone screens); a page that
    logs an error stops the run."""
    phone = screen.__name__.endswith("_phone")
    context = browser.new_context(
        base_url=f"http://{SITE}",
        locale=locale,
        viewport=PHONE if phone else DESKTOP,
        is_mobile=phone,
        device_scale_factor=2 if phone else 1,
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        screen(page, places, path)
    finally:
        context.close()
    if errors:
        raise SystemExit(f"{path.name}: the page reported errors: {errors}")


def visit(page, address: str) -> None:
    page.goto(address)
    page.wait_for_load_state("networkidle")


def to_top(page, selector: str, margin: int = 8) -> None:
    """Scroll the page until the element is `margin` pixels below the viewport's top."""
    page.locator(selector).first.evaluate(
        "(element, margin) => window.scrollBy(0, element.getBoundingClientRect().top - margin)", margin
    )


def between(page, path: Path, top: str, bottom: str, below: int = 12) -> None:
    """The page's full width from a little above one element to `below` pixels under another."""
    first = page.locator(top).first.bounding_box()
    last = page.locator(bottom).first.bounding_box()
    scrolled = page.evaluate("window.scrollY")
    y = max(0, first["y"] + scrolled - 12)
    height = last["y"] + scrolled + last["height"] + below - y
    page.screenshot(
        path=path,
        full_page=True,
        clip={"x": 0, "y": y, "width": page.viewport_size["width"], "height": height},
    )


def shoot_search(page, places, path):
    """接待 typed into the header's box: the receptions of the three public costs, year by year."""
    visit(page, "/")
    page.locator(".site-search input").fill("接待")
    page.locator(".site-search input").press("Enter")
    page.wait_for_load_state("networkidle")
    between(page, path, "body", "#figures .figure-lists")


def shoot_budget_year(page, places, path):
    """gaoyi-2022's page from its top to its totals: what it is, where it comes from, what it
    printed, its totals with their sources."""
    visit(page, places["budget_year"])
    between(page, path, "body", "#totals-table")


def shoot_cite(page, places, path):
    """The receptions at their permalink (the row marked), with their source, and their cite box."""
    visit(page, places["budget_year"] + "#fig-three-costs-reception")
    to_top(page, "#fig-three-costs-reception", 40)  # just above the box, which the browser centres
    page.locator("#fig-three-costs-reception button.cite").click()
    page.locator("#cite-box #cite-zh").filter(has_text="公务接待费").wait_for()
    page.screenshot(path=path)


def shoot_source_pdf(page, places, path):
    """The receptions' source opened: the PDF at its page, the printed figure highlighted."""
    visit(page, places["budget_year"] + "#fig-three-costs-reception")
    page.locator("#fig-three-costs-reception .src a").click()
    page.locator(".textLayer .figure-highlight").first.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=path)


def shoot_chart(page, places, path):
    """The three public costs' chart: title, unit, table, source and download buttons."""
    visit(page, places["budget_year"])
    page.locator("#three-costs-chart").screenshot(path=path)


def shoot_embed(page, places, path):
    """The same chart's embed snippet, opened."""
    visit(page, places["budget_year"])
    page.locator("#three-costs-chart details.embed-code summary").click()
    page.locator("#three-costs-chart .chart-actions").screenshot(path=path)


LIST = "/line-items/?code=201&children=1"


def scroll_table_to(page, table: str, column: str) -> None:
    """Scroll a wide table sideways until `column`'s cells start where the fixed row labels end."""
    page.locator(table).evaluate(
        """(table, column) => {
             const box = table.parentElement, label = table.querySelector("tbody tr > :first-child");
             const cell = table.querySelector(column);
             box.scrollLeft = cell.offsetLeft - label.offsetWidth;
           }""",
        column,
    )


def shoot_list(page, places, path):
    """Class 201 with the classes under it, from the title to the sixth row: filters, download links,
    and each row's year linked to its budget year."""
    visit(page, LIST)
    between(page, path, "h1", "table.list tbody tr:nth-child(6)", below=1)


COMPARE = "/compare/?county=130532&county=130130&county=130630&county=130127&department=人民政府办公室"


def shoot_compare(page, places, path):
    """The four sample counties' 人民政府办公室 side by side, down to the three public costs."""
    visit(page, COMPARE)
    between(page, path, "body", "#compare-table tr[data-key='three_costs']", below=1)


def shoot_budget_year_phone(page, places, path):
    """The totals at 390 px, scrolled sideways: the row labels stay, the cite marks beside them."""
    visit(page, places["budget_year"])
    scroll_table_to(page, "#totals-table", "tbody td.previous")
    to_top(page, "#totals-table")
    page.screenshot(path=path)


def shoot_list_phone(page, places, path):
    """The list at 390 px under its download links, scrolled to the names: the county stays."""
    visit(page, LIST)
    scroll_table_to(page, "table.list", "tbody tr > :nth-child(6)")
    to_top(page, "#result-count")
    page.screenshot(path=path)


SCREENS = [
    shoot_search,
    shoot_budget_year,
    shoot_cite,
    shoot_source_pdf,
    shoot_chart,
    shoot_embed,
    shoot_list,
    shoot_compare,
    shoot_budget_year_phone,
    shoot_list_phone,
]


if __name__ == "__main__":
    sys.exit(main())
