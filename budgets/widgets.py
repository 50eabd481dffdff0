"""Form widgets for choices by the thousand (every county of the country).

Django's CheckboxSelectMultiple builds a dict per option and renders it through a template,
some 40 µs each; the comparison offers every county that has published (up to all 2,850 of the
country) on every page. This writes the same markup with one escaped string per option, no
option groups. It escapes with the standard library's html.escape, which
django.utils.html.escape wraps in a check for lazy text that cost more than the escaping on
5,700 strings a page.
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe


class FlatChoices(BaseChoiceIterator):
    """(value, label) pairs, no groups, given to a field as they are: a plain list is walked and
    rebuilt by Django each time a field or its widget is given it, twice a page for 2,850 counties."""

    def __init__(self, pairs):
        self.pairs = list(pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self):
        return len(self.pairs)


def _chosen(widget, value) -> set[str]:
    return {str(v) for v in widget.format_value(value)}


class LongCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def render(self, name, value, attrs=None, renderer=None):
        chosen = _chosen(self, value)
        attrs = self.build_attrs(self.attrs, attrs)
        stem, name = escape(str(attrs.get("id") or "")), escape(str(name))
        boxes = []
        for index, (key, label) in enumerate(self.choices):
            label_for, box_id = (f' for="{stem}_{index}"', f' id="{stem}_{index}"') if stem else ("", "")
            checked = " checked" if str(key) in chosen else ""
            boxes.append(
                f'<div>\n    <label{label_for}><input type="checkbox" name="{name}" '
                f'value="{escape(str(key))}"{box_id}{checked}> {escape(str(label))}</label></div>'
            )
        outer = flatatt({key: attrs[key] for key in ("id", "class") if attrs.get(key)})
        return mark_safe(f"<div{outer}>{''.join(boxes)}\n</div>")
