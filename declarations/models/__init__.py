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
    Period,
    ProjectAttribute,
    Status,
    default_year,
)
from declarations.models.department import (
    DepartmentGoals,
    GoalItem,
    SafeguardMeasure,
)
from declarations.models.desk import (
    Aspect,
    Deadline,
    Notification,
    OpinionTemplate,
    ReviewQuestion,
)
from declarations.models.imports import ImportJob, UploadInProgress
from declarations.models.layouts import LayoutKind, TableLayout, TableLayoutVersion
from declarations.models.logins import AccountSlowdown, LoginFailure, LoginLock
from declarations.models.organizations import (
    Layout,
    Membership,
    Organization,
    Role,
)
from declarations.models.tasks import TaskLease
from declarations.models.workflow import (
    Action,
    DeclarationEvent,
    RowComment,
    Submission,
)

__all__ = [
    "ImportJob",
    "UploadInProgress",
    "Aspect",
    "Deadline",
    "Notification",
    "OpinionTemplate",
    "ReviewQuestion",
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
    "LayoutKind",
    "TableLayout",
    "TableLayoutVersion",
    "AccountSlowdown",
    "LoginFailure",
    "LoginLock",
    "TaskLease",
    "Declaration",
    "Goal",
    "IndicatorRow",
    "Layout",
    "Membership",
    "Organization",
    "Period",
    "ProjectAttribute",
    "Role",
    "Status",
    "default_year",
]
