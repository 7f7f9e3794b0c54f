"""Admin import/export of the indicator taxonomy (django-import-export)."""

from import_export import fields, resources
from import_export.widgets import BooleanWidget, ForeignKeyWidget, Widget

from indicators.models import IndicatorLevel1, IndicatorLevel2, LibraryEntry


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


class StateWidget(Widget):
    """待审核 / 已采用 / 已停用 in the sheet, stored as their codes."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        by_label = {label: code for code, label in LibraryEntry.State.choices}
        if not text:
            return LibraryEntry.State.PROPOSED
        if text in by_label or text in LibraryEntry.State.values:
            return by_label.get(text, text)
        raise ValueError(f"状态“{text}”无效，请填写待审核、已采用或已停用。")

    def render(self, value, obj=None, **kwargs):
        return LibraryEntry.State(value).label if value else ""


class LibraryEntryResource(resources.ModelResource):
    """The library as a sheet, one entry a row; an entry is found again by
    its 二级指标 and 指标名称, and an import names who brought it."""

    level1 = fields.Field(
        attribute="level2__level1__name", column_name="一级指标", readonly=True
    )
    level2 = fields.Field(
        attribute="level2",
        column_name="二级指标",
        widget=ForeignKeyWidget(IndicatorLevel2, field="name"),
    )
    name = fields.Field(attribute="name", column_name="指标名称")
    explanation = fields.Field(attribute="explanation", column_name="指标解释")
    unit = fields.Field(attribute="unit", column_name="计量单位")
    operator = fields.Field(attribute="operator", column_name="计算符号")
    values = fields.Field(attribute="values", column_name="常见指标值")
    basis = fields.Field(attribute="basis", column_name="指标值设定依据")
    scoring = fields.Field(attribute="scoring", column_name="评分标准")
    categories = fields.Field(attribute="categories", column_name="项目类别")
    sectors = fields.Field(attribute="sectors", column_name="行业领域")
    keywords = fields.Field(attribute="keywords", column_name="关键词")
    source = fields.Field(attribute="source", column_name="来源")
    state = fields.Field(attribute="state", column_name="状态", widget=StateWidget())

    class Meta:
        model = LibraryEntry
        import_id_fields = ["level2", "name"]
        fields = [
            "level1",
            "level2",
            "name",
            "explanation",
            "unit",
            "operator",
            "values",
            "basis",
            "scoring",
            "categories",
            "sectors",
            "keywords",
            "source",
            "state",
        ]
        skip_unchanged = True
        use_transactions = True

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def before_save_instance(self, instance, row, **kwargs):
        if self.user is not None and self.user.is_authenticated:
            instance.updated_by = self.user
