"""Reviewing several declarations at once (批量审核): one grade to approve
them, or one comment to return them. Each goes through its own transition,
with its own row lock and checks, so that one refused never holds up or
undoes the others; the result says which went through and why the others
did not."""

from dataclasses import dataclass, field

from declarations.models import Declaration, Grade
from declarations.selectors import readable_declarations
from declarations.services import workflow
from declarations.services.errors import DomainError, NotAllowed

# More than this in one post is refused before anything is done.
BATCH_LIMIT = 200


@dataclass
class BatchResult:
    done: list[Declaration] = field(default_factory=list)
    refused: list[tuple[Declaration, str]] = field(default_factory=list)
    unknown: int = 0  # ids the user may not read, or that do not exist


def _each(user, ids, transition) -> BatchResult:
    if len(ids) > BATCH_LIMIT:
        raise DomainError(
            f"一次最多处理 {BATCH_LIMIT} 份申报表，现在选了 {len(ids)} 份，请分批处理。"
        )
    declarations = readable_declarations(user, ids)
    result = BatchResult(unknown=len(set(ids)) - len(declarations))
    for declaration in declarations:
        try:
            transition(declaration)
        except (DomainError, NotAllowed) as refused:
            result.refused.append((declaration, str(refused)))
        else:
            declaration.refresh_from_db(fields=["status", "grade"])
            result.done.append(declaration)
    return result


def approve_many(ids: list[int], *, by, grade: str, comment: str = "") -> BatchResult:
    if grade not in Grade.values:
        raise DomainError("批量审核通过时请选择综合评定等级（优、良、中、差）。")
    return _each(
        by,
        ids,
        lambda d: workflow.approve(d, by=by, grade=grade, comment=comment),
    )


def return_many(ids: list[int], *, by, comment: str) -> BatchResult:
    if not comment.strip():
        raise DomainError(
            "批量退回时请写明退回意见，每份申报表的填报人都会看到这条意见。"
        )
    return _each(
        by,
        ids,
        lambda d: workflow.return_for_revision(
            d, by=by, comment=comment, row_comments={}
        ),
    )
