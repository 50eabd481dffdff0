"""A corrected figure shows its history, in Debian's chromium: the three-costs list marks the row
corrected; on the budget-year page the figure carries a "corrected" mark that leads to what it was,
what it is, when and why, and back. In Chinese and English, on a desktop and a 390 px phone."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from budgets import corrections
from budgets.models import BudgetYear, Correction, ThreeCosts
from tests.base import SAMPLES
from tests.test_browser_pages import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "县财政局2022年6月的更正公告：公务接待费为0.35万元。"
WORDS = {
    "zh-CN": {"mark": "已更正", "label": "公务接待费", "back": "查看该数字"},
    "en": {"mark": "corrected", "label": "Receptions", "back": "To the figure"},
}


@pytest.fixture
def corrected(settings, tmp_path):
    """高邑县 2022 with its receptions corrected from 0.31 to 0.35 by an editor."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("ingest", str(SAMPLES / "gaoyi-2022.txt"), stdout=io.StringIO())
    budget_year = BudgetYear.objects.get()
    editor = get_user_model().objects.create_superuser("li.xiaoming", "li@example.com", "x")
    corrections.record(budget_year.three_costs, [("reception", "0.31", "0.35")], editor, REASON)
    ThreeCosts.objects.filter(pk=budget_year.three_costs.pk).update(reception=Decimal("0.35"))
    return budget_year


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_a_corrected_figure_shows_its_history(live_server, browser, corrected, language, width):
    words = WORDS[language]
    phone = width < 500
    context = browser.new_context(
        locale=language, viewport={"width": width, "height": 844 if phone else 900}, is_mobile=phone
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/three-costs/")
    page.locator("table.list td.corrected a").click()
    page.wait_for_url(f"**{corrected.get_absolute_url()}#fig-three-costs-total")

    mark = page.locator("#three-costs-table tr[data-key='reception'] .corrected-mark")
    mark.scroll_into_view_if_needed()
    expect(mark).to_be_in_viewport(ratio=1)
    expect(mark).to_have_text(words["mark"])
    assert mark.locator("..").inner_text().startswith("0.35")
    assert "0.31 → 0.35" in mark.get_attribute("title") and REASON in mark.get_attribute("title")
    page.screenshot(path=SCREENSHOTS / f"corrected-figure-{language}-{width}.png")

    mark.click()
    correction = Correction.objects.get()
    entry = page.locator(f"#correction-{correction.pk}")
    expect(entry).to_be_in_viewport()
    expect(entry.locator(".old")).to_have_text("0.31")
    expect(entry.locator(".new")).to_have_text("0.35")
    expect(entry).to_contain_text(words["label"])
    expect(entry).to_contain_text(REASON)
    expect(entry.locator("time")).to_have_text(timezone.localtime(correction.at).strftime("%Y-%m-%d"))
    assert "li.xiaoming" not in page.content()
    page.screenshot(path=SCREENSHOTS / f"correction-history-{language}-{width}.png")

    entry.get_by_role("link", name=words["back"]).click()
    expect(page.locator("#fig-three-costs-reception")).to_be_in_viewport()
    assert errors == []
    context.close()
