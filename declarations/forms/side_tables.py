"""The small tables a layout prints beside the indicators (项目实施进度计划,
项目预算成本构成 …): one formset each, their rows kept in
``Declaration.extra`` under the table's key, in the order typed."""

import contextlib
from dataclasses import replace
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from declarations.fields import OWN_MONEY
from declarations.forms.base import (
    MAX_LIST_ROWS,
    CleanForm,
    OrderedRows,
    own_field,
    row_limits,
)
from declarations.layouts.placement import fill_years
from declarations.services.drafts import DraftChanges


class SideRowsFormSet(OrderedRows, forms.BaseFormSet):
    def kept(self) -> list[dict]:
        """The rows to keep, in order, as stored: texts, a blank cell "",
        untouched spare rows and deleted rows left out."""
        rows = []
        for form in self.ordered_forms:
            row = {
                key: _stored(value)
                for key, value in form.cleaned_data.items()
                if key not in {"ORDER", "DELETE"}
            }
            if any(row.values()):
                rows.append(row)
        return rows


def _stored(value) -> str:
    """A cell as kept and printed: amounts with two decimals, dates as
    2026-03-31, text as typed."""
    if value in (None, ""):
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def side_formset_class(part):
    fields = {}
    for column in part.columns:
        field = own_field(column)
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs["rows"] = 2
        fields[column.key] = field
    form_class = type("SideRowForm", (CleanForm,), fields)
    return forms.formset_factory(
        form_class,
        formset=SideRowsFormSet,
        extra=1,
        can_order=True,
        can_delete=True,
        **row_limits(MAX_LIST_ROWS),
    )


class SideTables:
    """The 附表 step: every side table of the layout, valid and saved together."""

    prefix = "side"

    def __init__(self, data, declaration, parts):
        self.declaration = declaration
        extra = declaration.extra if isinstance(declaration.extra, dict) else {}
        self.tables = []
        for part in parts:
            part = _labelled(part, declaration.year)
            stored = [r for r in extra.get(part.key) or [] if isinstance(r, dict)]
            formset = side_formset_class(part)(
                data,
                prefix=part.key,
                initial=[
                    {c.key: row.get(c.key, "") for c in part.columns} for row in stored
                ],
            )
            self.tables.append((part, formset, _totals(part, formset)))

    def is_valid(self) -> bool:
        checked = [formset.is_valid() for _, formset, _ in self.tables]
        return all(checked)

    def changes(self) -> DraftChanges:
        extra = self.declaration.extra
        extra = dict(extra) if isinstance(extra, dict) else {}
        for part, formset, _ in self.tables:
            extra[part.key] = formset.kept()
        return DraftChanges(fields={"extra": extra})


def _labelled(part, year: int):
    """The table with its title and column labels as printed for the
    declaration's year ({year-1} is the year before)."""
    columns = tuple(replace(c, label=fill_years(c.label, year)) for c in part.columns)
    return replace(part, text=fill_years(part.text, year), columns=columns)


def _totals(part, formset) -> list[str]:
    """The 合计 row under the table, summed from the amounts as shown (as
    typed, on a page shown again with errors): "合计" in the first column, a
    sum under each summed column; [] where no column is summed."""
    if not any(c.total for c in part.columns):
        return []
    sums = dict.fromkeys((c.key for c in part.columns if c.total), Decimal(0))
    for form in formset.forms:
        if form["DELETE"].value():
            continue
        for key in sums:
            value = form[key].value()
            with contextlib.suppress(ValidationError):  # the cell says why
                sums[key] += OWN_MONEY.parse(value) or 0
    return ["合计"] + [
        f"{sums[c.key]:.2f}" if c.total else "" for c in part.columns[1:]
    ]
