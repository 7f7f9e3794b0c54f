from declarations.models.declarations import (
    Declaration,
    Goal,
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

__all__ = [
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
