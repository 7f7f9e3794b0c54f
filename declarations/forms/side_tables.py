"""The small tables a layout prints beside the indicators (项目实施进度计划,
项目预算成本构成 …): one formset each, their rows kept in
``Declaration.extra`` under the table's key, in the order typed."""

from decimal import Decimal

from django import forms

from declarations.forms.base import (
    MAX_LIST_ROWS,
    CleanForm,
    OrderedRows,
    own_field,
    row_limits,
)
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
            stored = [r for r in extra.get(part.key) or [] if isinstance(r, dict)]
            formset = side_formset_class(part)(
                data,
                prefix=part.key,
                initial=[
                    {c.key: row.get(c.key, "") for c in part.columns} for row in stored
                ],
            )
            self.tables.append((part, formset))

    def is_valid(self) -> bool:
        checked = [formset.is_valid() for _, formset in self.tables]
        return all(checked)

    def changes(self) -> DraftChanges:
        extra = self.declaration.extra
        extra = dict(extra) if isinstance(extra, dict) else {}
        for part, formset in self.tables:
            extra[part.key] = formset.kept()
        return DraftChanges(fields={"extra": extra})
