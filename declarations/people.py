"""People's names as a Chinese office writes them."""

import re

_LATIN = re.compile(r"^[A-Za-z .'-]+$")


def full_name(user) -> str:
    """Family name first and no space between (王小红, where Django's
    get_full_name gives “小红 王”); a Latin name keeps its own order; the
    user name when no name is recorded."""
    if user is None:
        return ""
    family, given = user.last_name.strip(), user.first_name.strip()
    if family and given and _LATIN.match(family + given):
        return f"{given} {family}"
    return f"{family}{given}" or user.username
