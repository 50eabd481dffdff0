"""docs/benchmarks.md, shared by the measuring scripts (`make bench`, `make load`): each writes
its own section and keeps the others."""

from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(section: str, text: str, report: Path = REPORT) -> None:
    """Replace the section headed `section` (a `## ` line, which `text` starts with) of the
    report, or add it at the end; the other sections stay as they are."""
    old = report.read_text(encoding="utf-8") if report.exists() else "# Benchmarks\n\n"
    start = old.find(section)
    if start < 0:
        report.write_text(old.rstrip() + "\n\n" + text, encoding="utf-8")
        return
    end = old.find("\n## ", start + len(section))
    report.write_text(old[:start] + text + (old[end + 1 :] if end >= 0 else ""), encoding="utf-8")
