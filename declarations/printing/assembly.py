"""One PDF from parts laid out apart (`render.rendering_parts`): their pages
in order, the page numbers, the bookmarks and the links between parts.

Fonts once: every part embeds its own subsets of the two faces, about 300 KB
a part, mostly the empty glyphs WeasyPrint keeps so that glyph numbers stay
those of the whole font. Since the numbers are the font's own, one subset of
a face serves every part: the join lays out one page holding every character
of the book in both faces and points every part's pages at those two
subsets, once it has checked that they hold every glyph the part draws (a
part whose glyphs they lack keeps its own).

A part cannot number its own pages, since it is laid out before anyone knows
how many pages come before it. The numbers are written afterwards, in the
face, size and place that print.css gives the footer, read off that same
page, whose footer holds every character a page number needs.
"""

import html
import io
import re
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)

from declarations.printing.render import POINTS_PER_PIXEL, Rendered

# The footer of print.css, with every character a page number can need.
_FOOTER_CHARACTERS = "第 0123456789 页 共 页"


_FONT = NameObject("/JxPageNo")


def footer(number: int, total: int) -> str:
    return f"第 {number} 页 共 {total} 页"


class FontsNeeded(Exception):
    """Parts written without font programs draw glyphs the shared subsets
    lack (a face or a character the fonts page did not have): they are to
    be laid out again with their own fonts."""

    def __init__(self, parts: list[int]):
        super().__init__(parts)
        self.parts = parts


@dataclass
class Bookmark:
    title: str
    page: int  # 0-based, in the joined document
    children: list["Bookmark"] = field(default_factory=list)


@dataclass
class PageLink:
    page: int  # 0-based, in the joined document
    rect: tuple[float, float, float, float]
    target: int  # 0-based page it leads to


def fonts_page(text: str) -> str:
    """The page whose fonts the joined parts share: every character of
    `text` (what the parts print; their HTML will do) in the text face and
    in the heading face, and the footer with every character of a page
    number."""
    characters = "".join(sorted(set(html.unescape(text)) - set("<>\n\r\t")))
    characters = html.escape(characters)
    return (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="print.css"><style>'
        f'@page {{ @bottom-center {{ content: "{_FOOTER_CHARACTERS}" }} }}'
        "p { word-break: break-all; white-space: pre-wrap; margin: 0 }</style></head>"
        f'<body><p>{characters}</p><p class="title">{characters}</p></body></html>'
    )


def join(
    parts: list[Rendered],
    *,
    fonts: Rendered,
    title: str,
    bookmarks: list[Bookmark],
    links: list[PageLink],
    numbered_from: int = 0,
) -> bytes:
    """The parts' pages in order; pages from `numbered_from` on carry
    “第 X 页 共 Y 页”. `fonts` is the rendered `fonts_page` of what the
    parts print. The parts' own links and bookmarks are dropped: the caller
    gives those of the whole document."""
    shared = _shared_fonts(fonts)
    readers, lacking = [], []
    for index, part in enumerate(parts):
        reader = PdfReader(io.BytesIO(part.pdf))
        kept_own = _use_shared_fonts(reader, shared.faces)
        if kept_own and part.fonts_left_out:
            lacking.append(index)
        readers.append(reader)
    if lacking:
        raise FontsNeeded(lacking)
    writer = PdfWriter()
    for reader in readers:
        for page in reader.pages:
            writer.add_page(page, excluded_keys=("/Annots",))
    total = len(writer.pages)
    if numbered_from < total:
        _number_pages(writer, shared.footer, numbered_from, total)
    for link in links:
        writer.add_annotation(
            link.page, Link(rect=link.rect, target_page_index=link.target)
        )
    _add_bookmarks(writer, bookmarks, parent=None)
    writer.add_metadata({"/Title": title, "/Producer": "WeasyPrint, pypdf"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_bookmarks(writer, bookmarks, parent):
    for mark in bookmarks:
        item = writer.add_outline_item(
            title=mark.title, page_number=mark.page, parent=parent
        )
        _add_bookmarks(writer, mark.children, parent=item)


def _number_pages(writer: PdfWriter, face, first: int, total: int) -> None:
    font = face.font.clone(writer)
    # Each page's own drawing runs between q and Q, so that the number is
    # drawn in the page's untouched coordinates whatever the page left set.
    save = writer._add_object(_stream(b"q\n"))
    for number in range(first, total):
        page = writer.pages[number]
        resources = page["/Resources"].get_object()
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        resources["/Font"].get_object()[_FONT] = font
        contents = page.get("/Contents")
        drawn = contents.get_object() if contents is not None else ArrayObject()
        drawn = list(drawn) if isinstance(drawn, ArrayObject) else [contents]
        text = face.text(footer(number + 1, total), page.mediabox.width)
        stamp = writer._add_object(_stream(b"Q\n" + text))
        page[NameObject("/Contents")] = ArrayObject([save, *drawn, stamp])


def _stream(data: bytes) -> StreamObject:
    stream = StreamObject()
    stream.set_data(data)
    return stream


@dataclass
class _FooterFace:
    """The footer's font as WeasyPrint embedded it, its glyphs and widths,
    and where print.css puts the footer's baseline."""

    font: object  # IndirectObject of the Type0 font
    glyphs: dict[str, int]
    widths: dict[int, float]  # glyph -> width in thousandths of the size
    default_width: float
    size: float  # points
    baseline: float  # points from the bottom of the page

    def text(self, line: str, page_width: float) -> bytes:
        glyphs = [self.glyphs[c] for c in line]
        width = (
            sum(self.widths.get(g, self.default_width) for g in glyphs)
            * self.size
            / 1000
        )
        x = (float(page_width) - width) / 2
        code = "".join(f"{g:04x}" for g in glyphs)
        return (
            f"BT {_FONT} {self.size:.4f} Tf 1 0 0 1 {x:.4f} {self.baseline:.4f} Tm "
            f"<{code}> Tj ET\n"
        ).encode()


@dataclass
class _Face:
    font: object  # IndirectObject of the Type0 font
    glyphs: set[int]


@dataclass
class _SharedFonts:
    faces: dict[str, _Face]  # by font name without its subset tag
    footer: _FooterFace
    reader: PdfReader  # holds the objects above


def _face_name(font) -> str:
    return str(font["/BaseFont"]).split("+")[-1]


def _descendant(font):
    return font["/DescendantFonts"][0].get_object()


def _shared_fonts(fonts: Rendered) -> _SharedFonts:
    """The fonts of the fonts page, and the glyphs, size and baseline
    WeasyPrint gave its footer."""
    reader = PdfReader(io.BytesIO(fonts.pdf))
    page = reader.pages[0]
    fonts = page["/Resources"]["/Font"].get_object()
    faces = {}
    for name in fonts:
        font = fonts.raw_get(name)
        descendant = _descendant(font.get_object())
        faces[_face_name(font.get_object())] = _Face(
            font, set(_widths(descendant.get("/W", [])))
        )
    return _SharedFonts(faces, _footer(page, fonts), reader)


def _footer(page, fonts) -> _FooterFace:
    """The footer is drawn last on the page: its text is the last TJ."""
    drawing = page.get_contents().get_data().decode("latin-1")
    *_, (name, size) = re.findall(r"/(\S+) ([\d.]+) Tf", drawing)
    *_, y = re.findall(r"1 0 0 -1 [\d.]+ ([\d.]+) Tm", drawing)
    *_, line = re.findall(r"\[([^\]]*)\] TJ", drawing)
    codes = "".join(re.findall(r"<([0-9a-f]+)>", line))
    glyphs = [int(codes[i : i + 4], 16) for i in range(0, len(codes), 4)]
    if len(glyphs) != len(_FOOTER_CHARACTERS):
        raise RuntimeError("页码字体读取失败：页脚字形与字符数不一致。")
    font = fonts.raw_get(f"/{name}")
    descendant = _descendant(font.get_object())
    scale = POINTS_PER_PIXEL
    return _FooterFace(
        font=font,
        glyphs=dict(zip(_FOOTER_CHARACTERS, glyphs, strict=True)),
        widths=_widths(descendant.get("/W", [])),
        default_width=float(descendant.get("/DW", 1000)),
        size=float(size) * scale,
        baseline=float(page.mediabox.height) - float(y) * scale,
    )


def _use_shared_fonts(reader: PdfReader, faces: dict[str, _Face]) -> int:
    """Point the part's pages at the shared subsets that hold its glyphs;
    how many of its fonts keep their own program."""
    done, kept_own = set(), 0
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font")
        if fonts is None or id(fonts.get_object()) in done:
            continue
        fonts = fonts.get_object()
        done.add(id(fonts))
        for name in list(fonts):
            font = fonts[name].get_object()
            if "/DescendantFonts" not in font:
                continue
            shared = faces.get(_face_name(font))
            used = set(_widths(_descendant(font).get("/W", [])))
            if shared is not None and used <= shared.glyphs:
                fonts[NameObject(name)] = shared.font
            else:
                kept_own += 1
    return kept_own


def _widths(array) -> dict[int, float]:
    """A CID font's /W array: `c [w1 w2 …]` or `c_first c_last w`."""
    widths: dict[int, float] = {}
    items = list(array)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], list):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        else:
            for glyph in range(first, int(items[i + 1]) + 1):
                widths[glyph] = float(items[i + 2])
            i += 3
    return widths
