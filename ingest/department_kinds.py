"""The kind of a department (财政局, 街道办事处 …) from its name, by the list kept as data in
ingest.vocabulary.department_kinds. The loader stores it on the Department; the admin edits it."""

from functools import cache

from ingest.vocabulary.department_kinds import DEPARTMENT_KINDS


def kind_of(name: str) -> str:
    """The kind whose ending `name` has, the longest ending winning; "" (unknown) for none.
    上海市普陀区财政局 → 财政局; 上海市普陀区人民政府万里街道办事处 → 街道办事处."""
    name = (name or "").strip()
    for ending, kind in _endings():
        if name.endswith(ending):
            return kind
    return ""


@cache
def _endings() -> tuple[tuple[str, str], ...]:
    pairs = [(ending, kind) for kind, endings in DEPARTMENT_KINDS.items() for ending in endings]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))
