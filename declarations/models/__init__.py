from declarations.models.declarations import (
    EDITABLE_STATUSES,
    Declaration,
    Goal,
    Grade,
    IndicatorRow,
    ProjectAttribute,
    Status,
)
from declarations.models.organizations import (
    DEFAULT_CHECKPOINTS,
    Layout,
    Membership,
    Organization,
    Role,
)
from declarations.models.workflow import (
    Action,
    DeclarationEvent,
    RowComment,
    Submission,
)

__all__ = [
    "EDITABLE_STATUSES",
    "Action",
    "DeclarationEvent",
    "Grade",
    "RowComment",
    "Submission",
    "DEFAULT_CHECKPOINTS",
    "Declaration",
    "Goal",
    "IndicatorRow",
    "Layout",
    "Membership",
    "Organization",
    "ProjectAttribute",
    "Role",
    "Status",
]
