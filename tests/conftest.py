import copy
import io
import os

import pytest
from django.core.management import call_command

from tests import chromium
from tests.base import SAMPLES

# Fixtures through which a test reaches the database; a test with none of them and no django_db
# mark cannot (pytest-django refuses it), so its outcome does not depend on which database runs.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _reaches_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(item.fixturenames)
    )


def _differs_by_database(item) -> bool:
    """Reaches the database, and not through Chromium: a browser test checks what a page shows,
    and the same pages' SQL runs on PostgreSQL in the client tests."""
    return _reaches_database(item) and "browser" not in item.fixturenames


def pytest_collection_modifyitems(config, items):
    """`make test`'s PostgreSQL pass runs the tests whose outcome can depend on the database:
    the parser's and the readers' tests (half the suite) and the browser tests ran on the
    SQLite pass, and would only run again (with the browser tests, `make test` took 10 minutes
    from a fresh clone)."""
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        return
    kept = [item for item in items if _differs_by_database(item)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if not _differs_by_database(item)])
        items[:] = kept


def pytest_report_header(config):
    if "postgres" in os.environ.get("DATABASE_URL", ""):
        return "PostgreSQL pass: the tests that reach the database, not the browser tests (all ran on SQLite)"
    return None


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


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; skipped loudly where it is not installed."""
    if not os.path.exists(chromium.CHROMIUM):
        pytest.skip("chromium is not installed: browser tests SKIPPED (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
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


# The samples' parses, made once per test process: a hundred tests start from the five samples
# ingested, and a parse in its own child (ingest.tasks) is most of that time. What the command
# does with a parse is unchanged; the parser's own tests parse every time.
_SAMPLE_PARSES = {}


@pytest.fixture
def samples(settings, tmp_path, monkeypatch):
    """The five sample disclosures ingested, their files kept in a temporary MEDIA_ROOT."""
    from ingest import tasks

    settings.MEDIA_ROOT = tmp_path / "media"
    parse = tasks.parse_in_time

    def parse_once(data, name, seconds, memory_mb=None):
        key = (name, data)
        if key not in _SAMPLE_PARSES:
            _SAMPLE_PARSES[key] = parse(data, name, seconds, memory_mb)
        return copy.deepcopy(_SAMPLE_PARSES[key])

    monkeypatch.setattr(tasks, "parse_in_time", parse_once)
    call_command("ingest", *sorted(str(p) for p in SAMPLES.glob("*.txt")), stdout=io.StringIO())


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
