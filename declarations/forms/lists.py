"""The copy-from-an-earlier-year form (the list's filters: declarations.filters)."""

from django import forms

from declarations.forms.base import CleanForm, YearField
from declarations.models import Declaration


class CopyForm(CleanForm):
    source = forms.ModelChoiceField(
        label="复制哪一份往年申报", queryset=Declaration.objects.none()
    )
    year = YearField(
        label="新申报年度",
        required=False,
        help_text="留空则为所选申报年度的下一年。",
        widget=forms.NumberInput(attrs={"placeholder": "所选年度的下一年"}),
    )

    def __init__(self, *args, sources=None, **kwargs):
        # Shares a page with the new-declaration form: keep the ids apart.
        kwargs.setdefault("auto_id", "copy_%s")
        super().__init__(*args, **kwargs)
        if sources is not None:
            self.fields["source"].queryset = sources
        self.fields["source"].error_messages["invalid_choice"] = (
            "请选择本单位的一份往年申报表。"
        )

    def target_year(self) -> int:
        """The year typed, or the one after the chosen declaration's."""
        return self.cleaned_data["year"] or self.cleaned_data["source"].year + 1
