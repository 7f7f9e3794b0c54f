"""The national first and second indicator levels (DOMAIN.md §5).

Installed by a migration; a province extends them in the admin.
"""

from indicators.models import IndicatorLevel1, IndicatorLevel2

# (first level, aliases, required,
#  [(second level, mandatory, hard, quantitative, cost)])
TAXONOMY = [
    (
        "产出指标",
        "",
        True,
        [
            ("数量指标", True, True, True, False),
            ("质量指标", True, False, True, False),
            ("时效指标", True, False, True, False),
            ("成本指标", True, True, True, True),
        ],
    ),
    (
        "效益指标",
        "效果指标",
        True,
        [
            ("经济效益指标", False, False, False, False),
            ("社会效益指标", True, False, False, False),
            ("生态效益指标", False, False, False, False),
            ("可持续影响指标", True, False, False, False),
        ],
    ),
    (
        "满意度指标",
        "",
        True,
        [("服务对象满意度指标", True, False, True, False)],
    ),
    (
        "成本指标",
        "",
        False,
        [
            ("经济成本指标", False, False, True, True),
            ("社会成本指标", False, False, False, True),
            ("生态环境成本指标", False, False, False, True),
        ],
    ),
]


# What a second level's values are (IndicatorLevel2.value_kind).
VALUE_KINDS = {"数量指标": "count", "时效指标": "deadline"}


def install(Level1=None, Level2=None):
    """Create or correct the default levels; takes historical models in migrations."""
    Level1 = Level1 or IndicatorLevel1
    Level2 = Level2 or IndicatorLevel2
    for i, (name, aliases, required, children) in enumerate(TAXONOMY, start=1):
        level1, _ = Level1.objects.update_or_create(
            name=name,
            defaults={"aliases": aliases, "required": required, "position": i * 10},
        )
        for j, (child, mandatory, hard, quantitative, cost) in enumerate(
            children, start=1
        ):
            Level2.objects.update_or_create(
                level1=level1,
                name=child,
                defaults={
                    "position": j * 10,
                    "mandatory": mandatory,
                    "hard": hard,
                    "quantitative": quantitative,
                    "cost": cost,
                    # Not in the schema of the migration that first loads
                    # the levels; 0003 sets it.
                    **(
                        {"value_kind": VALUE_KINDS.get(child, "")}
                        if _has_field(Level2, "value_kind")
                        else {}
                    ),
                },
            )


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())
