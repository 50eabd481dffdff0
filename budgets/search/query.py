"""What the search finds for the words typed, and the one text filter the lists share with it.

Every word must be found, either in the hit itself (its name) or in where it is: the place it
lies in (高邑, gaoyi, 石家庄), the department that printed it (政府办), the year (2022). So
"高邑 接待" is receptions in 高邑县: the three public costs' 公务接待费 of its departments, its
class 30217 公务接待费, its projects and indicators about receptions. A hit must hold at least
one word itself; a query of places alone finds the places and their departments.

Rows are fetched by name through the index (budgets.search.index), never by scanning a table,
and at most `LIMIT` + 1 of them, unordered: a section whose rows all fit is shown whole and
sorted; one with more shows the names that matched and a link to the list that pages through
them, filtered the same way. So the page costs the same with five disclosures or 1.4 million.
"""

import itertools
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Left, Length
from django.urls import reverse

from budgets.models import (
    INDICATOR_NAME_START,
    BudgetYear,
    County,
    Department,
    LineItem,
    PerformanceIndicator,
    SearchEntry,
)
from budgets.search import figures as named_figures
from budgets.search.index import CLASSES, PLACES
from budgets.search.text import Term, likeness, similar_query, terms_of

Kind = SearchEntry.Kind
LIMIT = 50  # rows or names shown per section
INDICATOR_LIMIT = 100  # indicators come many to a project; the page groups them
SUBSETS = 4  # ways of reading the words (which are names, which are places) tried at most
SUGGESTIONS = 8


class NameStart(Left):
    """The start of a name as indicator_name_idx holds it. On SQLite its numbers are written
    into the SQL: SQLite uses an index on an expression only where a query writes the same
    expression, and Django's `SUBSTR("name", ?, ?)` with its numbers as parameters is not the
    index's `SUBSTR("name", 1, 200)` (`/indicators/?sort=name` sorted 1.8 million indicators
    of a province-sized database, 700 ms)."""

    def __init__(self, expression):
        super().__init__(expression, INDICATOR_NAME_START)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"SUBSTR({sql}, 1, {INDICATOR_NAME_START})", params


# Names of one reading read as constants; more than this (a word such as 费) and the rows are
# asked for through the index as a subquery instead.
NAMES = 2000
ITEM_KINDS = (*CLASSES, Kind.PROJECT, Kind.GROUP, Kind.INDICATOR)
PLACE_ORDER = {Kind.PROVINCE: 0, Kind.PREFECTURE: 1, Kind.COUNTY: 2}


@dataclass(frozen=True)
class AnyOf:
    """Several terms, any of which will do (the places query asks for all words at once)."""

    terms: tuple

    def alternatives(self):
        for term in self.terms:
            yield from term.alternatives()


@dataclass
class Where:
    """What one word says about where a hit is: the counties it names (a place word), or that
    it names departments (政府办), or nothing."""

    term: Term
    places: list = field(default_factory=list)  # place entries it matches
    # The departments it names (their keys; None: more than NAMES, asked for as a subquery).
    department_ids: list | None = field(default_factory=list)

    @property
    def counties(self) -> set:
        return {e.ref for e in self.places if e.kind == Kind.COUNTY}

    @property
    def departments(self) -> bool:
        return self.department_ids is None or bool(self.department_ids)

    def q(self, to_year: str) -> Q:
        if self.counties:
            return Q(**{f"{to_year}department__county__in": sorted(self.counties)})
        if self.department_ids is not None:
            return Q(**{f"{to_year}department__in": self.department_ids})
        departments = SearchEntry.objects.filter(kind=Kind.DEPARTMENT, tokens__matches=[self.term])
        return Q(**{f"{to_year}department__in": Subquery(departments.values("ref"))})

    def list_filter(self) -> dict | None:
        """The list filter that keeps the same counties, where one does exactly."""
        counties = self.counties
        for kind, key in ((Kind.PROVINCE, "province"), (Kind.PREFECTURE, "prefecture")):
            named = [e for e in self.places if e.kind == kind]
            if len(named) == 1 and all(
                e.kind != Kind.COUNTY or named[0].text in e.place.split() for e in self.places
            ):
                return {key: named[0].text, **({"province": named[0].place} if named[0].place else {})}
        if len(counties) == 1 and not self.departments:
            county = next(e for e in self.places if e.kind == Kind.COUNTY)
            return {"county": county.code} if county.code else None
        return None


@dataclass
class Reading:
    """One way of reading the words: `own` must be in the hit's name, `where` say where it is."""

    own: list
    where: list
    # The indexed names holding the own words, by kind, read once (names_of); None where there
    # are more than NAMES: the rows are then asked for through the index as a subquery.
    names: dict | None = None
    codes: bool = True  # whether digits are also a class's code (the search page), or text only (lists)

    def name_q(self, field_name: str, *kinds) -> Q:
        """Rows whose `field_name` is one of the names of `kinds` (as constants, so the
        database plans the name index with them)."""
        if self.names is None:
            return Q(**{f"{field_name}__in": self.entries(kinds).values("text")})
        return Q(**{f"{field_name}__in": sorted({t for kind in kinds for t in self.names.get(kind, ())})})

    def has_names(self, *kinds) -> bool:
        return self.names is None or any(self.names.get(kind) for kind in kinds)

    def entries(self, kinds):
        """The index entries of `kinds` holding the own words; a class by its code as well."""
        classes = self.codes and set(kinds) <= set(CLASSES)
        text_terms = [t for t in self.own if not (classes and t.digits)]
        entries = SearchEntry.objects.filter(kind__in=kinds)
        if text_terms:
            entries = entries.filter(tokens__matches=text_terms)
        for term in self.own:
            if classes and term.digits:
                entries = entries.filter(code__startswith=term.word)
        return entries

    def q(self, to_year: str) -> Q:
        q = Q()
        for where in self.where:
            q &= where.q(to_year)
        return q

    def list_filters(self, years) -> dict | None:
        params = {}
        for where in self.where:
            exact = where.list_filter()
            if exact is None:
                return None
            params.update(exact)
        if len(years) == 1:
            params.update(year_min=years[0], year_max=years[0])
        elif years:
            return None
        return params


@dataclass
class Section:
    """The hits of one kind: `rows` all of them (sorted) where they fit, else the names that
    matched and the list that holds them all."""

    rows: list = field(default_factory=list)
    complete: bool = True
    names: list = field(default_factory=list)
    more_names: bool = False
    list_url: str = ""

    def __bool__(self):
        return bool(self.rows or self.names)


@dataclass
class FigureSection(Section):
    figures: list = field(default_factory=list)  # the columns: (named figure, its list), parts after

    def __bool__(self):
        return bool(self.figures)


@dataclass
class Results:
    terms: list
    years: list
    places: list = field(default_factory=list)
    more_places: bool = False
    departments: list = field(default_factory=list)
    more_departments: bool = False
    figures: FigureSection = field(default_factory=FigureSection)
    classes: Section = field(default_factory=Section)
    projects: Section = field(default_factory=Section)
    indicators: Section = field(default_factory=Section)
    where: list = field(default_factory=list)  # the words read as places, with the places
    nothing_for: list = field(default_factory=list)  # words that alone find nothing
    suggestions: list = field(default_factory=list)  # names like the words, when nothing is found

    @property
    def found(self) -> bool:
        return bool(
            self.places
            or self.departments
            or self.figures
            or self.classes
            or self.projects
            or self.indicators
        )

    @property
    def only_years(self) -> bool:
        """Only years were typed: where to look, not what."""
        return bool(self.years) and all(t.year for t in self.terms)

    @property
    def highlight(self) -> list[str]:
        """What the page marks in the names: each word as typed and as the synonyms read it."""
        return list(dict.fromkeys(v for t in self.terms for v in (t.typed, *t.variants) if not t.year))


def search(query: str) -> Results:
    terms = terms_of(query)
    years = sorted({t.year for t in terms if t.year})
    words = [t for t in terms if not t.year]
    results = Results(terms, years)
    if not words:
        return results
    wheres = _wheres(words)
    results.where = [w for w in wheres if w.counties and len(words) > 1]
    _places(results, words, wheres)
    _departments(results, words, wheres)
    readings = _readings(wheres)
    _read_names(readings)
    results.figures = _figures(readings, years)
    results.classes = _line_items(readings, years, classes=True)
    results.projects = _line_items(readings, years, classes=False)
    results.indicators = _indicators(readings, years)
    if not results.found:
        _suggest(results, words)
    return results


# --- where the words point -------------------------------------------------------------------


def _wheres(words) -> list[Where]:
    """For each word, the places it names (one query for all words) and, for words naming no
    place where two or more such words were typed, whether it names departments."""
    entries = list(
        SearchEntry.objects.filter(kind__in=PLACES, tokens__matches=[AnyOf(tuple(words))]).only(
            "kind", "text", "code", "ref", "place", "tokens"
        )
    )
    wheres = [Where(term, [e for e in entries if term.found_in(e.tokens.split())]) for term in words]
    others = [w for w in wheres if not w.counties]
    if len(others) > 1:
        for where in others:
            named = SearchEntry.objects.filter(kind=Kind.DEPARTMENT, tokens__matches=[where.term])
            ids = sorted(named.values_list("ref", flat=True)[: NAMES + 1])
            where.department_ids = None if len(ids) > NAMES else ids
    return wheres


def _readings(wheres) -> list[Reading]:
    """Which words are the hit's own and which say where it is. A word naming a place says
    where (高邑 接待: receptions in 高邑县, not names holding 高邑), unless only places were typed;
    a word naming departments may be either (政府办 接待: receptions of the 政府办, or names
    holding both). Most own words first; at least one word is the hit's own."""
    places = [w for w in wheres if w.counties]
    others = [w for w in wheres if not w.counties]
    if not others:
        return [Reading([w.term for w in wheres], [])]
    readings = []
    for size in range(len(others), 0, -1):
        for own in itertools.combinations(others, size):
            rest = [w for w in others if w not in own]
            if all(w.departments for w in rest):
                readings.append(Reading([w.term for w in own], places + rest))
    return readings[:SUBSETS]


def _places(results, words, wheres) -> None:
    """Provinces, prefectures and counties that every word names (石家庄 高邑 → 高邑县)."""
    every = [e for e in wheres[0].places if all(any(e is p for p in w.places) for w in wheres[1:])]
    every.sort(key=lambda e: (PLACE_ORDER[e.kind], e.code or "", e.place, e.text))
    results.places = [(entry, _place_url(entry)) for entry in every[:LIMIT]]
    results.more_places = len(every) > LIMIT


def _place_url(entry) -> str:
    if entry.kind == Kind.PROVINCE:
        return reverse("budgets:province-detail", args=[entry.text])
    if entry.kind == Kind.PREFECTURE:
        return reverse("budgets:prefecture-detail", args=[entry.place, entry.text])
    return County(pk=entry.ref, code=entry.code or None, name=entry.text).get_absolute_url()


def _departments(results, words, wheres) -> None:
    """Departments whose names (or a name they were printed under) hold every word that is not
    their place: 高邑 政府办 → 高邑县人民政府办公室; 高邑 alone → the departments of 高邑县."""
    q = Q()
    for where in wheres:
        named = Q(
            pk__in=SearchEntry.objects.filter(kind=Kind.DEPARTMENT, tokens__matches=[where.term]).values(
                "ref"
            )
        )
        q &= (named | Q(county__in=sorted(where.counties))) if where.counties else named
    rows = list(
        Department.objects.filter(q)
        .select_related("county")
        .order_by("county__code", "name", "pk")[: LIMIT + 1]
    )
    results.more_departments = len(rows) > LIMIT
    marks = [v for t in words for v in t.variants]
    results.departments = [
        (d, [a for a in d.aliases if any(m in a.lower() for m in marks)]) for d in rows[:LIMIT]
    ]


# --- hits with rows --------------------------------------------------------------------------


def _read_names(readings) -> None:
    """The names each reading's own words find, by kind: one query (two where a word is digits,
    which classes read as a code). A kind without names then costs no query at all."""
    for reading in readings:
        groups = [ITEM_KINDS]
        if reading.codes and any(t.digits for t in reading.own):
            groups = [CLASSES, tuple(k for k in ITEM_KINDS if k not in CLASSES)]
        names = {}
        for kinds in groups:
            found = list(reading.entries(kinds).values_list("kind", "text")[: NAMES + 1])
            if len(found) > NAMES:
                names = None
                break
            for kind, name in found:
                names.setdefault(kind, set()).add(name)
        reading.names = names


def _fetch(queryset, limit):
    """The keys of at most limit + 1 rows, in no order (ordering them all is what a list page
    is for): where there are more, the page shows names, and no row need be read."""
    keys = list(queryset.order_by().values_list("pk", flat=True)[: limit + 1])
    return keys[:limit], len(keys) > limit


def _collect(readings, fetch, limit):
    """The keys of the rows of every reading, each once; whether there were more than the limit."""
    keys, more = {}, False
    for reading in readings:
        found, over = fetch(reading, limit)
        more = more or over
        keys.update(dict.fromkeys(found))
    return list(keys), more or len(keys) > limit


def _read(model, keys, *related):
    """The rows of a section that fits the page, with what their links need: one query."""
    return list(model.objects.filter(pk__in=keys).select_related(*related).order_by())


def _place_key(budget_year):
    """Counties in the national list's order (by code), then department, latest year first."""
    return (
        budget_year.department.county.code or "~",
        budget_year.department.county.name,
        budget_year.department.name,
        -budget_year.year,
        budget_year.kind,
        budget_year.level,
    )


def _list_url(route, readings, years, **params) -> str:
    """The list with the hits of the first reading, where its filters say exactly that."""
    filters = readings[0].list_filters(years) if readings else None
    if filters is None:
        return ""
    return reverse(route) + "?" + urlencode({**{k: v for k, v in params.items() if v}, **filters})


def _figures(readings, years) -> FigureSection:
    """The named figures the words name (接待 → 公务接待费; 三公经费 → the total and its parts),
    with their value in each budget year where the words place them."""
    by_reading = [(reading, named_figures.matching(reading.own)) for reading in readings]
    by_reading = [(reading, found) for reading, found in by_reading if found]
    if not by_reading:
        return FigureSection()
    shown = sorted({f for _r, found in by_reading for f in found}, key=named_figures.FIGURES.index)

    def fetch(pair, limit):
        reading, found = pair
        printed = Q()
        for figure in found:
            printed |= Q(**{f"{figure.column}__isnull": False})
        queryset = BudgetYear.objects.filter(printed, reading.q(""))
        if years:
            queryset = queryset.filter(year__in=years)
        return _fetch(queryset, limit)

    keys, more = _collect(by_reading, fetch, LIMIT)
    if not keys:
        return FigureSection()
    first = by_reading[0][0]
    section = FigureSection(
        figures=[(f, _list_url(_figure_list(f), [first], years, sort=_sort_key(f))) for f in shown],
        complete=not more,
    )
    section.list_url = section.figures[0][1]
    if not more:
        budget_years = _read(BudgetYear, keys, "department__county", "three_costs")
        section.rows = [
            (b, [(f, f.value(b), f.doubted(b)) for f in shown]) for b in sorted(budget_years, key=_place_key)
        ]
    return section


def _figure_list(figure) -> str:
    return "budgets:three-costs" if figure.in_three_costs else "budgets:budget-years"


def _sort_key(figure) -> str:
    """The list's sort on the figure, largest first, where the list sorts by it."""
    from budgets.filters import BudgetYearFilter, ThreeCostsFilter  # the filters use text_filter below

    sorting = (ThreeCostsFilter if figure.in_three_costs else BudgetYearFilter).base_filters["sort"]
    key = next((param for param, path in sorting.param_map.items() if path == figure.field.name), None)
    return f"-{key}" if key else ""


def _line_items(readings, years, *, classes: bool) -> Section:
    """Lines of the classification tables (by name or code prefix) or projects (by name)."""
    kinds = CLASSES if classes else (Kind.PROJECT,)

    def own(reading):
        q = Q(kind__in=kinds) & reading.name_q("name", *kinds)
        for term in reading.own:
            if classes and term.digits:
                q &= Q(code__startswith=term.word)
        return q

    def fetch(reading, limit):
        queryset = LineItem.objects.filter(own(reading), reading.q("budget_year__"))
        if years:
            queryset = queryset.filter(budget_year__year__in=years)
        return _fetch(queryset, limit)

    readings = [r for r in readings if r.has_names(*kinds)]
    if not readings:
        return Section()
    items, more = _collect(readings, fetch, LIMIT)
    if not items:
        return Section()
    first = readings[0]
    # A list holds one kind at a time: classes are listed by each name found (their links).
    section = Section(
        complete=not more,
        list_url=""
        if classes
        else _list_url(
            "budgets:line-items",
            [first],
            years,
            kind=LineItem.Kind.PROJECT,
            q=" ".join(t.typed for t in first.own),
        ),
    )
    if more:
        names, section.more_names = _name_entries(first, kinds)
        section.names = [
            (
                entry,
                _list_url(
                    "budgets:line-items", [first], years, kind=entry.kind, code=entry.code, q=entry.text
                ),
            )
            for entry in names
        ]
    else:
        items = _read(LineItem, items, "budget_year__department__county")
        section.rows = sorted(items, key=lambda i: (*_place_key(i.budget_year), i.kind, i.position, i.pk))
    return section


def _name_entries(reading, kinds):
    """The distinct names that matched, each printed somewhere still (a replaced disclosure
    leaves its names in the index until the next rebuild)."""
    entries = reading.entries(kinds)
    if kinds == (Kind.INDICATOR,):
        printed = PerformanceIndicator.objects.alias(start=NameStart("name")).filter(
            start=NameStart(OuterRef("text")), name=OuterRef("text")
        )
    elif kinds == (Kind.GROUP,):
        printed = PerformanceIndicator.objects.filter(group=OuterRef("text"))
    else:
        printed = LineItem.objects.filter(name=OuterRef("text"))
    # A scalar subquery with LIMIT 1, not EXISTS: PostgreSQL would make EXISTS a join that reads
    # every row of a name printed a million times; this stops at the first.
    rows = list(
        entries.annotate(printed=Subquery(printed.order_by().values("pk")[:1]))
        .filter(printed__isnull=False)
        .order_by(Length("text"), "text", "code")[: LIMIT + 1]
    )
    return rows[:LIMIT], len(rows) > LIMIT


def _indicators(readings, years) -> Section:
    """Indicators by the project or activity they measure or by their own name, grouped under
    the project as the budget-year page prints them."""

    def fetch(reading, limit):
        queryset = _by_indicator_names(PerformanceIndicator.objects.all(), reading).filter(
            reading.q("budget_year__")
        )
        if years:
            queryset = queryset.filter(budget_year__year__in=years)
        return _fetch(queryset, limit)

    readings = [r for r in readings if r.has_names(Kind.GROUP, Kind.INDICATOR)]
    if not readings:
        return Section()
    indicators, more = _collect(readings, fetch, INDICATOR_LIMIT)
    if not indicators:
        return Section()
    first = readings[0]
    section = Section(
        complete=not more,
        list_url=_list_url("budgets:indicators", [first], years, q=" ".join(t.typed for t in first.own)),
    )
    if more:
        groups, more_groups = _name_entries(first, (Kind.GROUP,))
        names, more_names = _name_entries(first, (Kind.INDICATOR,))
        section.names = [
            (entry, _list_url("budgets:indicators", [first], years, q=entry.text))
            for entry in (groups + names)[:LIMIT]
        ]
        section.more_names = more_groups or more_names
        return section
    grouped = {}
    indicators = _read(PerformanceIndicator, indicators, "budget_year__department__county")
    for indicator in sorted(indicators, key=lambda i: (*_place_key(i.budget_year), i.position, i.pk)):
        grouped.setdefault((indicator.budget_year, indicator.group), []).append(indicator)
    section.rows = [(budget_year, group, rows) for (budget_year, group), rows in grouped.items()]
    return section


# --- nothing found ---------------------------------------------------------------------------


def _suggest(results, words) -> None:
    """What exists: the words that alone find nothing, and names like them."""
    alone = {
        term.word: SearchEntry.objects.filter(tokens__matches=[term]).exists()
        or bool(named_figures.matching([term]))
        for term in words
    }
    results.nothing_for = [t for t in words if not alone[t.word]] if len(words) > 1 else []
    lacking = [t for t in words if not alone[t.word]] or words
    candidates = {}
    for term in lacking:
        for entry in (
            SearchEntry.objects.filter(tokens__matches=similar_query(term))
            .exclude(kind=Kind.DEPARTMENT)
            .only("kind", "text")[:200]
        ):
            score = likeness(term.word, entry.text)
            if score > candidates.get(entry.text, 0):
                candidates[entry.text] = score
    ranked = sorted(candidates, key=lambda name: (-candidates[name], len(name), name))
    results.suggestions = ranked[:SUGGESTIONS]


def _by_indicator_names(queryset, reading):
    """Indicators whose project or activity, or own name, is one of the reading's names. The
    name is reached by its start, which is what its index holds on PostgreSQL (budgets.models).
    On SQLite the start stays Django's `Left`, its numbers parameters that SQLite does not match
    to the index: matched, SQLite looked up every row of every name before the list's order
    (`/indicators/?q=满意度` at SCALE=0.05: 28 → 623 ms), where it found the page's rows walking
    that order."""
    by_name = reading.name_q("name", Kind.INDICATOR)
    if reading.names is None:
        start = reading.entries([Kind.INDICATOR]).annotate(start=Left("text", INDICATOR_NAME_START))
        by_start = Q(start_of_name__in=start.values("start"))
    else:
        starts = {t[:INDICATOR_NAME_START] for t in reading.names.get(Kind.INDICATOR, ())}
        by_start = Q(start_of_name__in=sorted(starts))
    return queryset.alias(start_of_name=Left("name", INDICATOR_NAME_START)).filter(
        reading.name_q("group", Kind.GROUP) | (by_start & by_name)
    )


def text_filter(queryset, words: str):
    """The lists' `?q=` (budgets.filters): line items whose name, indicators whose project or
    activity or own name, holds every word, by the same index and synonyms as the search page;
    no place or year reading, the lists have filters of their own for those."""
    terms = terms_of(words)
    if not terms:
        return queryset
    reading = Reading(terms, [], codes=False)
    _read_names([reading])
    if queryset.model is LineItem:
        return queryset.filter(reading.name_q("name", *CLASSES, Kind.PROJECT))
    return _by_indicator_names(queryset, reading)
