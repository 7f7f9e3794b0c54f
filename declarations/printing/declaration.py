"""A declaration's PDF: drafts carry a 草稿 watermark, an approved one is
rendered once and kept."""

from django.template.loader import render_to_string

from declarations.models import Declaration, Status
from declarations.printing import kept
from declarations.printing.layout import printed_table
from declarations.printing.render import html_to_pdf


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
    """The PDF to download; an approved one is rendered once and kept."""
    if declaration.status != Status.APPROVED:
        return render_declaration(declaration)
    name = kept.declaration_name(declaration)
    return kept.read_kept(name) or kept.keep(name, render_declaration(declaration))


def filename(declaration: Declaration) -> str:
    code = f"{declaration.project_code}-" if declaration.project_code else ""
    return f"{declaration.year}-{code}{declaration.project_name}.pdf".replace("/", "-")
