"""Counties typed by code or name: the lists' county filter and the comparison's counties.

Some 2,850 counties publish nationally: offered as a <select> or as checkboxes they were most
of each page (215 KB of a list, 400 KB of the comparison) and a wall to scroll through. A text
box takes a division code (130127), a name (高邑县) or the start of one (高邑); a name several
counties share is refused with their codes, so that nothing is guessed.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from budgets.models import County

# What separates counties typed in one box: spaces, commas and the enumeration comma.
SEPARATORS = re.compile(r"[\s,，、;；]+")


def published_counties():
    # Only counties with disclosures: their summary says so (budgets.summaries) without
    # joining every budget year.
    return County.objects.filter(summary__isnull=False)


def county_label(county):
    return f"{county.name} ({county.place or county.code or '—'})"


def county_key(county):
    """A county's value in the comparison's address: its code, or `id7` where it has none."""
    return county.code or f"id{county.pk}"


def find_county(value, counties=None):
    """The county of `counties` (those that have published) whose code or key is `value`, or
    the one county whose name is it or starts with it (高邑); a ValidationError naming them
    where several are."""
    counties = published_counties() if counties is None else counties
    value = str(value).strip()
    key = re.fullmatch(r"id(\d+)", value)
    found = counties.filter(pk=int(key[1])) if key else counties.filter(code=value)
    if found := found.first():
        return found
    named = list(counties.filter(name=value)[:6]) or list(counties.filter(name__startswith=value)[:6])
    if len(named) == 1:
        return named[0]
    if named:
        raise ValidationError(
            _("Several counties are called %(name)s: %(counties)s. Give the code of the one you mean."),
            code="ambiguous",
            params={"name": value, "counties": "; ".join(f"{county_label(c)} {c.code}" for c in named)},
        )
    raise ValidationError(
        _("No county that has published has the code or name %(value)s."),
        code="invalid_choice",
        params={"value": value},
    )


class CountyInput(forms.TextInput):
    """A text box for one county's code or name, the county it names written beside it."""

    found = None  # (value, county) as the field found it for this form, not looked up again

    def __init__(self):
        super().__init__(attrs={"size": 14, "placeholder": _("code or name, e.g. 130127")})

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        if self.found and self.found[0] == value:
            county = self.found[1]
        else:
            try:
                county = find_county(value) if value else None
            except ValidationError:
                county = None
        if county is None:
            return box
        return format_html('{} <span class="muted chosen-county">{}</span>', box, county_label(county))


class Counties:
    """The counties a comparison's address names (`county=130127&county=高邑 平乡`), each word
    looked up once a request: the field validates them, the widget shows them."""

    def __init__(self, most):
        self.most = most  # more words than this are refused before any is looked up
        self._found = {}

    def words(self, values):
        """The words of `values`, each once, those that are codes looked up in one query."""
        words = list(dict.fromkeys(w for value in values for w in SEPARATORS.split(str(value)) if w))
        if len(words) > self.most:
            return words
        codes = [w for w in words if w not in self._found and w.isdigit()]
        for county in published_counties().filter(code__in=codes) if codes else ():
            self._found[county.code] = (county, None)
        return words

    def find(self, word):
        """(county, None) or (None, the ValidationError)."""
        if word not in self._found:
            try:
                self._found[word] = (find_county(word), None)
            except ValidationError as error:
                self._found[word] = (None, error)
        return self._found[word]


class CountiesInput(forms.Widget):
    """The counties chosen, as ticked boxes to untick, and a box to add more to them; a word that
    names no single county stays in the box, beside the field's error that says why."""

    def __init__(self, counties):
        super().__init__()
        self.counties = counties

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name) or []
        return [value] if isinstance(value, str) else value

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        stem = (attrs or {}).get("id") or f"id_{name}"
        chosen, unread = [], []
        words = self.counties.words(value or [])
        for word in words if len(words) <= self.counties.most else ():
            county, _error = self.counties.find(word)
            if county is None:
                unread.append(word)
            elif county not in chosen:
                chosen.append(county)
        boxes = format_html_join(
            "",
            '<label><input type="checkbox" name="{}" value="{}" checked> {}</label>',
            ((name, county_key(c), county_label(c)) for c in chosen),
        )
        return format_html(
            '<div id="{}" class="chosen-counties">{}</div>'
            '<input type="text" name="{}" id="{}_add" class="add-counties" value="{}" placeholder="{}" '
            'aria-label="{}">',
            stem,
            boxes,
            name,
            stem,
            " ".join(unread if len(words) <= self.counties.most else words),
            _("codes or names, e.g. 130127 高邑 平乡"),
            _("Add counties"),
        )


class CountiesField(forms.Field):
    """Counties by code or name, several to a value; cleaned to their keys (county_key), in the
    order given, each once."""

    def __init__(self, most, **kwargs):
        self.counties = Counties(most)
        super().__init__(widget=CountiesInput(self.counties), **kwargs)

    def __deepcopy__(self, memo):
        # Each form gets its own copy of the field, and with it the words of its own request.
        result = super().__deepcopy__(memo)
        result.counties = result.widget.counties = Counties(self.counties.most)
        return result

    def to_python(self, value):
        words = self.counties.words(value or [])
        if len(words) > self.counties.most:
            # Refused before any is looked up: each name may cost a query.
            raise ValidationError(
                _("Compare at most %(most)s counties at a time; %(count)s are named."),
                code="too_many",
                params={"most": self.counties.most, "count": len(words)},
            )
        keys, errors = [], []
        for word in words:
            county, error = self.counties.find(word)
            if error is not None:
                errors.append(error)
            elif county_key(county) not in keys:
                keys.append(county_key(county))
        if errors:
            raise ValidationError(errors)
        return keys
