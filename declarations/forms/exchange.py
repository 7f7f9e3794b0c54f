"""The import's upload: a spreadsheet or a Word file."""

from django import forms

from declarations.forms.base import YearField


class UploadForm(forms.Form):
    file = forms.FileField(
        label="申报数据文件（.xlsx、.csv，或 Word 的 .docx、.doc、.wps）",
        error_messages={"required": "请选择要导入的文件。", "empty": "文件是空的。"},
    )
    year = YearField(
        label="导入为年度（仅 Word 文件）",
        required=False,
        help_text="留空则用文件中写明的年度；填写下一年，可把上年的绩效信息导入为本年度的草稿。",
    )


class TableChoiceForm(forms.Form):
    """The tables ticked at a Word file's preview (0 for a book's part one),
    and whether to check them again rather than import them. A confirm that
    posts no choice (`choice` absent) takes the ticks the preview showed."""

    table = forms.TypedMultipleChoiceField(coerce=int, required=False)
    choice = forms.BooleanField(required=False)  # the page posted its boxes
    recheck = forms.BooleanField(required=False)

    def __init__(self, data, *, numbers: list[int], shown: list[int]):
        super().__init__(data)
        self.fields["table"].choices = [(n, n) for n in numbers]
        self.shown = set(shown)

    def ticked(self) -> set[int]:
        """The ticked numbers; none if the post names a table the file lacks."""
        if not self.is_valid():
            return set()
        if not self.cleaned_data["choice"]:
            return self.shown
        return set(self.cleaned_data["table"])

    def rechecking(self) -> bool:
        return self.is_valid() and self.cleaned_data["recheck"]
