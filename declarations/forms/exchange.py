"""The spreadsheet import's upload."""

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label="申报数据文件（.xlsx 或 .csv）",
        error_messages={"required": "请选择要导入的文件。", "empty": "文件是空的。"},
    )
