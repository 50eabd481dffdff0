"""Real disclosures of another province (Shanghai's Putuo district, budgets and final accounts,
as PDFs and as pdftotext's -layout and -raw text) against their hand-read figures.

The documents stay in ../shared/corpus, never in this repository: where that folder is absent
(a clone without the shared material) these tests are skipped, saying so.
"""

import json
from pathlib import Path

import pytest

from ingest.gold import check_doc
from ingest.parser import parse_bytes
from ingest.vocabulary.tables import EXPECTED_TABLES

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
GOLD_FILE = CORPUS / "gold.json"
GOLD = json.loads(GOLD_FILE.read_text(encoding="utf-8")) if GOLD_FILE.exists() else {}
DOCUMENTS = sorted(name for name in GOLD if not name.startswith("_"))
ABSENT = f"SKIPPED LOUDLY: no real-disclosure corpus at {CORPUS} (it lives in ../shared, never in the repo)"

# The errors the documents really print (gold.json's `_discrepancies`), by check and figure.
PRINTED_ERRORS = {
    "04_putuo_wanli_jiedao_2023_bumen_yusuan": {
        ("change_implies_negative_prior", ("totals.fund_expenditure",))
    },
    "06_putuo_caizhengju_2024_bumen_juesuan": {("prose_agrees_with_tables", ("totals.fiscal_total",))},
    "07_putuo_guihua_ziranziyuan_2024_bumen_juesuan": {("prose_agrees_with_tables", ("totals.personnel",))},
}


def parsed(name: str) -> dict:
    return json.loads(
        json.dumps(parse_bytes((CORPUS / "shanghai-putuo" / name).read_bytes(), name), default=str)
    )


@pytest.fixture(scope="module", autouse=True)
def corpus_present():
    if not DOCUMENTS:
        pytest.skip(ABSENT)


@pytest.mark.parametrize("name", DOCUMENTS or ["corpus-absent"])
def test_every_hand_read_figure_holds(name):
    result = parsed(name)
    failures = [f"{label}: {detail}" for label, ok, detail in check_doc(GOLD[name], result) if not ok]
    assert failures == []


@pytest.mark.parametrize("name", DOCUMENTS or ["corpus-absent"])
def test_only_what_the_document_really_gets_wrong_is_an_error(name):
    errors = {
        (f["check"], tuple(f.get("figures", ())))
        for f in parsed(name)["findings"]
        if f["severity"] == "error"
    }
    assert errors == PRINTED_ERRORS.get(Path(name).stem, set())


@pytest.mark.parametrize("name", DOCUMENTS or ["corpus-absent"])
def test_every_standard_table_is_found(name):
    result = parsed(name)
    assert [u for u in result["unread"] if u["kind"] in ("table", "identity")] == []
    kinds = {t["kind"] for t in result["tables"]}
    assert set(EXPECTED_TABLES) <= kinds
