"""Admin import/export of the indicator taxonomy (django-import-export)."""

from import_export import fields, resources
from import_export.widgets import BooleanWidget, ForeignKeyWidget

from indicators.models import IndicatorLevel1, IndicatorLevel2


class Level1Resource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name="一级指标")
    aliases = fields.Field(attribute="aliases", column_name="别名")
    position = fields.Field(attribute="position", column_name="排序")
    required = fields.Field(
        attribute="required", column_name="每份申报至少一条", widget=BooleanWidget()
    )

    class Meta:
        model = IndicatorLevel1
        import_id_fields = ["name"]
        fields = ["name", "aliases", "position", "required"]
        skip_unchanged = True


class Level2Resource(resources.ModelResource):
    level1 = fields.Field(
        attribute="level1",
        column_name="一级指标",
        widget=ForeignKeyWidget(IndicatorLevel1, field="name"),
    )
    name = fields.Field(attribute="name", column_name="二级指标")
    aliases = fields.Field(attribute="aliases", column_name="别名")
    position = fields.Field(attribute="position", column_name="排序")
    mandatory = fields.Field(
        attribute="mandatory", column_name="必填", widget=BooleanWidget()
    )
    hard = fields.Field(
        attribute="hard", column_name="硬性指标", widget=BooleanWidget()
    )
    quantitative = fields.Field(
        attribute="quantitative", column_name="应为定量指标", widget=BooleanWidget()
    )
    cost = fields.Field(
        attribute="cost", column_name="成本类指标", widget=BooleanWidget()
    )

    class Meta:
        model = IndicatorLevel2
        import_id_fields = ["level1", "name"]
        fields = [
            "level1",
            "name",
            "aliases",
            "position",
            "mandatory",
            "hard",
            "quantitative",
            "cost",
        ]
        skip_unchanged = True
