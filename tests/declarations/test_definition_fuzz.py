"""Whatever JSON an administrator types, reading it as a layout definition
gives a definition or a DefinitionError with messages, never another
exception (which the admin would show as a 500)."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from declarations.layouts.builtin import documents
from declarations.layouts.definition import DefinitionError, read
from tests.declarations.test_side_tables import COUNTY

SHIPPED = {**documents(), "county": COUNTY}


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))


PLACES = [(code, p) for code, doc in SHIPPED.items() for p in _paths(doc) if p]
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PLACES), JSON), min_size=1, max_size=3))
def test_any_change_to_a_definition_is_read_or_named(changes):
    for (code, path), value in changes:
        document = copy.deepcopy(SHIPPED[code])
        target = document
        try:
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change took that place away
        try:
            read(document)
        except DefinitionError as error:
            assert error.messages and all(isinstance(m, str) for m in error.messages)
