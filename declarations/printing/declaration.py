"""A declaration's PDF: drafts carry a 草稿 watermark, an approved one is
rendered once and kept."""

from django.conf import settings
from django.template.loader import render_to_string

from declarations.bounded import OverLimit, time_limit
from declarations.checks import DeclarationData, pages_past_limit
from declarations.models import Declaration, Status
from declarations.printing import kept
from declarations.printing.layout import printed_table
from declarations.printing.render import html_to_pdf


class NotPrinted(Exception):
    """The table is too long to print; the message says what to do."""


def declaration_html(declaration: Declaration) -> str:
    return render_to_string(
        "pdf/declaration.html",
        {
            "table": printed_table(declaration),
            "title": declaration.title,
            "watermark": "" if declaration.status == Status.APPROVED else "草稿",
        },
    )


def render_declaration(declaration: Declaration) -> bytes:
    return html_to_pdf(declaration_html(declaration))


def declaration_pdf(declaration: Declaration) -> bytes:
    """The PDF to download; an approved one is rendered once and kept.

    Raises NotPrinted for a table estimated past PRINT_MAX_PAGES pages, or
    one whose layout takes longer than PRINT_SECONDS."""
    approved = declaration.status == Status.APPROVED
    name = kept.declaration_name(declaration) if approved else None
    if name and (data := kept.read_kept(name)):
        return data
    if pages := pages_past_limit(DeclarationData.of(declaration)):
        raise NotPrinted(
            f"这份申报表打印出来约有 {pages} 页，超过了 {settings.PRINT_MAX_PAGES} "
            "页的上限，没有生成 PDF。请精简较长的绩效指标描述、指标值确定依据等"
            "文字，或合并重复的指标行后再打印。"
        )
    try:
        with time_limit(settings.PRINT_SECONDS):
            data = render_declaration(declaration)
    except OverLimit:
        raise NotPrinted(
            f"这份申报表排版超过了 {settings.PRINT_SECONDS} 秒，没有生成 PDF。"
            "请精简较长的文字后再打印；如果表格并不长，请稍后再试。"
        ) from None
    return kept.keep(name, data) if name else data


def filename(declaration: Declaration) -> str:
    code = f"{declaration.project_code}-" if declaration.project_code else ""
    return f"{declaration.year}-{code}{declaration.project_name}.pdf".replace("/", "-")
