"""Admin import/export of organizations (django-import-export)."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from declarations.models import Organization, TableLayout
from declarations.text import clean_text


class CleanRows:
    """Each cell's text cleaned as the forms clean theirs (declarations.text)
    before the row is read: a NUL came back from PostgreSQL as an error in
    English on the row."""

    def before_import_row(self, row, **kwargs):
        for key, value in row.items():
            if isinstance(value, str):
                row[key] = clean_text(value)
        super().before_import_row(row, **kwargs)


class OrganizationResource(CleanRows, resources.ModelResource):
    code = fields.Field(attribute="code", column_name="代码")
    name = fields.Field(attribute="name", column_name="名称")
    kind = fields.Field(attribute="kind", column_name="类型（department/unit）")
    parent = fields.Field(
        attribute="parent",
        column_name="上级主管部门代码",
        widget=ForeignKeyWidget(Organization, field="code"),
    )
    layout = fields.Field(
        attribute="layout",
        column_name="申报表样式代码（如 hebei、central）",
        widget=ForeignKeyWidget(TableLayout, field="code"),
    )
    checkpoint_months = fields.Field(
        attribute="checkpoint_months", column_name="资金支出计划节点（月）"
    )

    class Meta:
        model = Organization
        import_id_fields = ["code"]
        fields = ["code", "name", "kind", "parent", "layout", "checkpoint_months"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
