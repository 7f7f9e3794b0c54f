"""The text of a Word paragraph as it prints: its runs read through the
wrappers Word puts around them (tracked changes, fields, content controls,
hyperlinks, smart tags), its tabs, breaks, hyphens and symbols as
characters, and the text boxes anchored in it apart, once each.

Deleted and moved-away text, a field's code, a content control's prompt
and the small text over ruby characters do not print, and are not read.
Walked without recursion, however deeply fields and controls nest.
"""

import re

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def mark_deleted(p) -> bool:
    mark = p.find(f"{W}pPr/{W}rPr")
    return mark is not None and (
        mark.find(f"{W}del") is not None or mark.find(f"{W}moveFrom") is not None
    )


def placeholder(sdt) -> bool:
    """A content control left empty, showing its prompt."""
    return _on(sdt.find(f"{W}sdtPr/{W}showingPlcHdr"))


def _on(node) -> bool:
    """A Word switch (w:b, w:checked …): on when present, unless its value
    says off."""
    return node is not None and node.get(f"{W}val", "1") not in ("0", "false", "off")


# What a paragraph holds but does not print: its settings (a tab stop is a
# w:tab too), deleted and moved-away text, the small text over ruby
# characters, a content control's settings.
_UNPRINTED = {
    f"{W}pPr",
    f"{W}rPr",
    f"{W}del",
    f"{W}moveFrom",
    f"{W}rt",
    f"{W}sdtPr",
    f"{W}sdtEndPr",
}
_CHARACTERS = {
    f"{W}tab": "\t",
    f"{W}ptab": "\t",
    f"{W}cr": "\n",
    f"{W}noBreakHyphen": "-",
    f"{W}softHyphen": "",  # shown only where a line breaks at it
}


def inline(p) -> tuple[str, bool, list]:
    """A paragraph's text as printed, whether a page break is in it, and
    the text boxes (w:txbxContent) anchored in it."""
    parts, boxes = [], []
    page_break = p.find(f"{W}pPr/{W}pageBreakBefore") is not None
    # Per complex field open here, whether its result has begun: what comes
    # before (its code, and the results of fields nested in the code) is
    # never printed.
    results: list[bool] = []
    in_code = 0
    pending = [iter(p)]
    while pending:
        node = next(pending[-1], None)
        if node is None:
            pending.pop()
            continue
        tag = node.tag
        if tag == f"{W}fldChar":
            kind = node.get(f"{W}fldCharType")
            if kind == "begin":
                box = node.find(f"{W}ffData/{W}checkBox")
                if box is not None and not in_code:
                    parts.append(_check_box(box))
                results.append(False)
                in_code += 1
            elif kind == "separate" and results and not results[-1]:
                results[-1] = True
                in_code -= 1
            elif kind == "end" and results and not results.pop():
                in_code -= 1
        elif tag in _UNPRINTED or (tag == f"{W}sdt" and placeholder(node)):
            continue
        elif tag == f"{W}txbxContent":
            if not in_code:
                boxes.append(node)
        elif tag == f"{MC}AlternateContent":
            # A text box, written for readers that know text boxes
            # (mc:Choice) and again for those that do not (mc:Fallback).
            chosen = node.find(f"{MC}Choice")
            if chosen is None:
                chosen = node.find(f"{MC}Fallback")
            if chosen is not None:
                pending.append(iter(chosen))
        elif (character := _character(node)) is not None:
            page_break = page_break or (
                tag == f"{W}br" and node.get(f"{W}type") == "page"
            )
            if not in_code:
                parts.append(character)
        else:
            pending.append(iter(node))
    return "".join(parts), page_break, boxes


def _character(node) -> str | None:
    """What an element of a run prints; None for what is no character."""
    if node.tag == f"{W}t":
        return node.text or ""
    if node.tag == f"{W}br":
        # A page or column break ends no line: Paragraph.page_break notes
        # the first.
        return "\n" if node.get(f"{W}type") in (None, "textWrapping") else ""
    if node.tag == f"{W}sym":
        return _symbol(node)
    return _CHARACTERS.get(node.tag)


def _check_box(box) -> str:
    """A form field check box (FORMCHECKBOX) as it shows."""
    checked = box.find(f"{W}checked")
    if checked is None:
        checked = box.find(f"{W}default")
    return "☒" if _on(checked) else "☐"


# The characters of the symbol fonts that forms use, by the font's code
# (Word writes F0FE for Wingdings' 0xFE): check boxes, ≥ and ≤, Greek.
SYMBOL_FONTS = {
    "wingdings": {
        0x6E: "■",
        0x6F: "□",
        0x71: "❑",
        0x78: "⌧",
        0xA8: "□",
        0xA1: "○",
        0x6C: "●",
        0xFB: "✗",
        0xFC: "✓",
        0xFD: "☒",
        0xFE: "☑",
    },
    "wingdings 2": {0x4F: "✗", 0x50: "✓", 0x52: "☑", 0x53: "☒", 0x54: "☒", 0xA3: "□"},
    "symbol": {
        **{ord(c): c for c in "0123456789!#%&()+,./:;<=>?[]"},
        **dict(zip(range(0x41, 0x5B), "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ", strict=True)),
        **dict(zip(range(0x61, 0x7B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ", strict=True)),
        0x2D: "-",
        0xA3: "≤",
        0xB3: "≥",
        0xB9: "≠",
        0xBB: "≈",
        0xB1: "±",
        0xB4: "×",
        0xB8: "÷",
        0xB0: "°",
        0xB7: "•",
        0xD6: "√",
        0xA5: "∞",
    },
}
_HEX = re.compile(r"[0-9A-Fa-f]{1,4}")


def _symbol(sym) -> str:
    """A w:sym's character; nothing for a symbol not known to look like one."""
    code = sym.get(f"{W}char", "")
    if not _HEX.fullmatch(code):
        return ""
    code = int(code, 16)
    font = SYMBOL_FONTS.get(sym.get(f"{W}font", "").strip().lower())
    if font is not None:
        return font.get(code - 0xF000 if code >= 0xF000 else code, "")
    # In any other font the code is the character, but in the private
    # area, where symbol fonts not known here put theirs.
    return chr(code) if code < 0xE000 and chr(code).isprintable() else ""
