from declarations.models.declarations import (
    EDITABLE_STATUSES,
    INCOME_LABELS,
    MAX_INDICATOR_ROWS,
    SPENDING_LABELS,
    Declaration,
    DeclarationKind,
    Goal,
    Grade,
    IndicatorRow,
    ProjectAttribute,
    Status,
    default_year,
)
from declarations.models.department import (
    DepartmentGoals,
    GoalItem,
    SafeguardMeasure,
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
    "INCOME_LABELS",
    "MAX_INDICATOR_ROWS",
    "SPENDING_LABELS",
    "DeclarationKind",
    "DepartmentGoals",
    "GoalItem",
    "SafeguardMeasure",
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
    "default_year",
]
