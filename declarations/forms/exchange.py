"""The import's upload: a spreadsheet or a Word file."""

from django import forms

from declarations.forms.base import YearField


class UploadForm(forms.Form):
    file = forms.FileField(
        label="申报数据文件（.xlsx、.csv 或 Word .docx）",
        error_messages={"required": "请选择要导入的文件。", "empty": "文件是空的。"},
    )
    year = YearField(
        label="导入为年度（仅 Word 文件）",
        required=False,
        help_text="留空则用文件中写明的年度；填写下一年，可把上年的绩效信息导入为本年度的草稿。",
    )
