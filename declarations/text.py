"""Text as it enters the app, from a form, an import or the admin: line
breaks made plain and control characters dropped.

Word pastes a line break as \\v, Excel keeps \\x0b and \\x1f in cells, and a
browser sends CRLF: stored as they came, they broke the Excel export for
everyone (openpyxl refuses 28 of the 33 control characters) and a NUL made
PostgreSQL refuse the whole statement. Tabs stay.
"""

import re

_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Line breaks as \\n, no other control character."""
    return _CONTROLS.sub("", _BREAKS.sub("\n", value))


def clean_value(value):
    """A submitted value: a string, a list of strings, or anything else as is."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_text(v) if isinstance(v, str) else v for v in value]
    return value
