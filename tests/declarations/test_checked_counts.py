"""Each write keeps on the table how many errors and warnings the checks
find, which the lists and the desk filter and count by."""

from declarations.services import drafts
from tests.factories import make_declaration


def test_a_new_table_keeps_the_count_of_what_its_checks_find(unit, preparer):
    clean = make_declaration(unit, preparer)
    clean.refresh_from_db()
    assert (clean.error_count, clean.warning_count) == (0, 0)
    empty = make_declaration(unit, preparer, project_code="B", goals=[], rows=[])
    empty.refresh_from_db()
    assert empty.error_count >= 2  # no goals, no indicators


def test_a_saved_step_counts_again(unit, preparer):
    declaration = make_declaration(unit, preparer)
    saved = drafts.save_changes(
        declaration.pk,
        expected_version=declaration.version,
        by=preparer,
        changes=drafts.DraftChanges(fields={}, goals=[]),
    )
    saved.refresh_from_db()
    assert saved.error_count == 1  # 请至少填写一条绩效目标
    assert saved.version == declaration.version + 1  # counting is not a new version
