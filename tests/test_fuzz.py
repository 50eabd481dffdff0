"""Property: every reader and the parser either return a result or refuse the input with the
project's one refusal error and a clear one-line message; never another exception.

The inputs are Hypothesis strategies of tests/fuzz.py: the samples mutated, and Office, PDF,
web-page and zip files built and made hostile. `make test` runs a short campaign, the same on
every run (derandomized, no example database); `make fuzz` runs a long one
(scripts/fuzz.py). FUZZ_EXAMPLES sets how many inputs each property here draws.
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.parser import parse_bytes
from ingest.readers import read_document
from ingest.readers.archive import read_archive
from tests import fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 200))

settings.register_profile(
    "short-campaign",
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
campaign = settings.get_profile("short-campaign")


def assert_survives(function, data: bytes, name: str) -> None:
    result = fuzz.outcome(function, data, name)
    assert result.kind != "crash", f"{name}: {result.detail}"
    if result.kind == "refused":
        assert fuzz.is_clear_message(result.detail), repr(result.detail)


@campaign
@given(fuzz.mutated_samples())
def test_parser_survives_mutated_samples(file):
    name, data = file
    assert_survives(parse_bytes, data, name)


# Building Office files and bombs costs more than mutating text: fewer of them.
@settings(campaign, max_examples=max(EXAMPLES // 4, 10))
@given(fuzz.generated_files())
def test_readers_and_parser_survive_generated_files(file):
    name, data = file
    if name.endswith(".zip"):
        assert_survives(lambda data, _name: read_archive(data), data, name)
    else:
        assert_survives(read_document, data, name)
        assert_survives(parse_bytes, data, name)


# Bytes behind each format's magic number: every reader gets garbage of its own kind.
MAGIC = [b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html><table>", b""]


@settings(campaign, max_examples=max(EXAMPLES // 2, 10))
@given(st.sampled_from(MAGIC), st.binary(max_size=4096))
def test_readers_survive_random_bytes(magic, rest):
    assert_survives(read_document, magic + rest, "random")


@pytest.mark.parametrize("name, data", fuzz.crasher_files(), ids=lambda value: str(value)[:40])
def test_inputs_that_once_crashed_now_parse_or_are_refused(name, data):
    assert_survives(parse_bytes, data, name)
