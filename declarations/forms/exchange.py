"""The import's upload: a spreadsheet or a Word file."""

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label="申报数据文件（.xlsx、.csv 或 Word .docx）",
        error_messages={"required": "请选择要导入的文件。", "empty": "文件是空的。"},
    )
    year = forms.IntegerField(
        label="导入为年度（仅 Word 文件）",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="留空则用文件中写明的年度；填写下一年，可把上年的绩效信息导入为本年度的草稿。",
        error_messages={
            "invalid": "年度请填写四位数字，如 2025。",
            "min_value": "年度请填写 2000–2100 之间的四位数字。",
            "max_value": "年度请填写 2000–2100 之间的四位数字。",
        },
    )
