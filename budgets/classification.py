"""English names of the classification codes (功能分类 and 部门经济分类), for the English pages.

The names come from budgets/data/classification.csv, a copy of the project's reference list
(kind, code, name_zh, name_en, parent_code, source). Its English names are unverified
translations, so they only ever stand beside what a document printed, never instead of it:
in English a class reads "General public services (一般公共服务支出)" with the printed name in
brackets; in Chinese it reads as printed. Charts (budgets/charts.py), the search page and the
`class_name` template filter call `class_name()`.
"""

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

CSV_PATH = Path(__file__).resolve().parent / "data" / "classification.csv"


@cache
def _names():
    """{(kind, code): name_en} and {(kind, name_zh): name_en}, read once per process."""
    by_code, by_name = {}, {}
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["name_en"]:
                by_code[(row["kind"], row["code"])] = row["name_en"]
                by_name.setdefault((row["kind"], row["name_zh"]), row["name_en"])
    return by_code, by_name


@cache
def reference_names():
    """{(kind, code): (name_zh, name_en)} of the whole reference list: the search finds a class
    by these as well as by the name a document printed."""
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        return {(row["kind"], row["code"]): (row["name_zh"], row["name_en"]) for row in rows}


def english_name(kind, code, printed_name=""):
    """The reference list's English name of a class, "" when it has none. A line printed
    without a code is named only when its printed name is exactly the reference's name."""
    by_code, by_name = _names()
    if code:
        return by_code.get((kind, code), "")
    return by_name.get((kind, (printed_name or "").strip()), "")


def _english():
    return (get_language() or "").startswith("en")


def class_name(kind, code, printed_name):
    """What a page calls a class in the current language: the printed name in Chinese,
    "English (printed name)" in English where the reference list knows the code."""
    if not _english():
        return printed_name
    english = english_name(kind, code, printed_name)
    if not english:
        return printed_name
    return f"{english} ({printed_name})" if printed_name else english


def class_label(kind, code, printed_name):
    """The code and name together, as chart axes and search results show a class:
    "201 一般公共服务支出", or "201 General public services (一般公共服务支出)" in English."""
    return f"{code} {class_name(kind, code, printed_name)}".strip()
