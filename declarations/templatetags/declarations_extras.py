from django import template
from django.urls import reverse
from django.utils.html import format_html

from declarations import people
from declarations.forms.steps import finding_target
from declarations.printing import layout

register = template.Library()

SUFFIX = "指标"


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
def plan_spans(plan):
    """The checkpoints' spans over the Hebei value grid (layout.plan_spans)."""
    return layout.plan_spans(plan or [])


@register.filter
def level_name(name: str):
    """A first- or second-level name that wraps only before its closing 指标
    (服务对象满意度 / 指标), never inside a word."""
    if name.endswith(SUFFIX) and len(name) > len(SUFFIX):
        return format_html(
            '<span class="nobr">{}</span><span class="nobr">{}</span>',
            name.removesuffix(SUFFIX),
            SUFFIX,
        )
    return format_html('<span class="nobr">{}</span>', name)
