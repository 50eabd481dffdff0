import subprocess
import sys

import pytest

from tests.base import ROOT


def run(path):
    return subprocess.run(
        [sys.executable, "manage.py", "parse_disclosure", str(path)], cwd=ROOT, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 40, "binary"),
        ("第一章\n\n那是最美好的时代，那是最糟糕的时代。\n".encode() * 100, "not a budget disclosure"),
        ("第一章\n那是最美好的时代。\n".encode("gb18030") * 100, "not a budget disclosure"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    ],
)
def test_unreadable_input_is_one_line_and_exit_status_1(tmp_path, content, message):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = run(path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_a_missing_file_is_named(tmp_path):
    result = run(tmp_path / "nope.txt")
    assert result.returncode == 1
    assert "nope.txt" in result.stderr and "Traceback" not in result.stderr
