"""Every hand-read figure of the five sample disclosures (tests/data/gold_seeds.json,
a copy of ../shared/gold/seeds.json) against what `parse_disclosure` prints."""

import json
import subprocess
import sys

import pytest

from ingest.gold import check_doc
from ingest.parser import parse_bytes
from tests.base import ROOT, SAMPLES, sample_bytes

GOLD = json.loads((ROOT / "tests" / "data" / "gold_seeds.json").read_text(encoding="utf-8"))
DOCUMENTS = sorted(name for name in GOLD if not name.startswith("_"))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_gold_figure_holds(name):
    parsed = json.loads(json.dumps(parse_bytes(sample_bytes(name), name), default=str))
    failures = [f"{label}: {detail}" for label, ok, detail in check_doc(GOLD[name], parsed) if not ok]
    assert failures == []


def test_the_gold_covers_every_sample_shipped():
    assert sorted(p.name for p in SAMPLES.glob("*.txt")) == DOCUMENTS


def test_parse_disclosure_command_prints_the_same_json():
    name = "gaoyi-2022.txt"
    result = subprocess.run(
        [sys.executable, "manage.py", "parse_disclosure", str(SAMPLES / name)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    printed = json.loads(result.stdout)
    assert all(ok for _label, ok, _detail in check_doc(GOLD[name], printed))
    assert printed == json.loads(json.dumps(parse_bytes(sample_bytes(name), name), default=str))
