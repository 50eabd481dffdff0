import io
import os
import shutil

import pytest
from django.core.management import call_command

from tests.base import SAMPLES


@pytest.fixture(autouse=True)
def _default_language():
    # A request's language stays active in the thread after it; each test starts in the
    # site's default language, as a new visitor does.
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests find static files where they live.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; skipped loudly where it is not installed."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed: browser tests SKIPPED (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def samples(settings, tmp_path):
    """The five sample disclosures ingested, their files kept in a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("ingest", *sorted(str(p) for p in SAMPLES.glob("*.txt")), stdout=io.StringIO())


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
