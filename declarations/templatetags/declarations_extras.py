from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from declarations import people
from declarations.forms.steps import finding_target
from declarations.layouts.versions import definition_of
from declarations.printing import cells

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's name, family name first (王小红): people.full_name."""
    return people.full_name(user)


@register.simple_tag
def fix_url(finding, declaration) -> str:
    """The entry page and control where a finding is put right, or ""."""
    target = finding_target(finding)
    if target is None:
        return ""
    step, anchor = target
    return reverse("declaration_step", args=[declaration.pk, step]) + "#" + anchor


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def field_of(form, name: str):
    """The bound field `name` of a form, for columns a layout names."""
    return form[name]


def _cell_attrs(cell) -> str:
    attrs = ""
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    return attrs


@register.simple_tag
def pdf_cell(cell) -> str:
    """One cell of a printed table (printing.cells.PrintedCell) as HTML."""
    tag = "th" if cell.header else "td"
    attrs = _cell_attrs(cell)
    if cell.css:
        attrs += format_html(' class="{}"', cell.css)
    return mark_safe(f"<{tag}{attrs}>{cells.as_html(cell)}</{tag}>")


@register.simple_tag
def screen_cell(cell) -> str:
    """One cell of the table on the pages, named by data-cell."""
    tag = "th" if cell.header else "td"
    attrs = _cell_attrs(cell)
    if cell.name:
        attrs += format_html(' data-cell="{}"', cell.name)
    if cell.css == "num" and not cell.header:
        attrs += ' class="text-nowrap"'
    return mark_safe(f"<{tag}{attrs}>{cells.as_screen_html(cell)}</{tag}>")


@register.filter
def uses_column(declaration, name: str) -> bool:
    """Whether the declaration's layout prints the indicator column `name`."""
    return name in definition_of(declaration).row_columns()


@register.filter
def layout_name(declaration) -> str:
    return definition_of(declaration).name
