"""Layouts in the admin: a definition typed or uploaded as JSON, checked
before it is kept, every change a new version; copies to start a new
province's layout from, and each version to download."""

import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from declarations.bounded import OverLimit, run_bounded
from declarations.fields import unstorable
from declarations.forms.base import no_constant
from declarations.layouts import guide, pictures
from declarations.layouts.definition import DefinitionError, read
from declarations.models import TableLayout
from declarations.people import full_name
from declarations.services.errors import StaleVersion
from declarations.services.layouts import copy_layout, save_definition

# A definition is a few kilobytes (the largest shipped one is under 4 KB).
MAX_DEFINITION_BYTES = 256 * 1024


def as_text(document) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def parse_document(text: str) -> dict:
    """The JSON document of `text`, or a ValidationError that says where the
    text stops being JSON, or where it holds a character no text may hold
    (a NUL; written as \\u0000 or \\ud800, `read` names it)."""
    if found := unstorable(text):
        index = next(i for i, c in enumerate(text) if unstorable(c))
        line = text.count("\n", 0, index) + 1
        column = index - text.rfind("\n", 0, index)
        raise forms.ValidationError(
            f"定义第 {line} 行第 {column} 列含有 {found}，请删去这个字符后再保存。"
        )
    try:
        return json.loads(text, parse_constant=no_constant)
    except json.JSONDecodeError as error:
        raise forms.ValidationError(
            f"定义不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列附近有误"
            "（常见原因：少了逗号或引号，括号没有成对，或最后一项后多了逗号）。"
            "请改正后再保存。"
        ) from None
    except (ValueError, RecursionError):
        raise forms.ValidationError(
            "定义不是有效的样式定义：含有 NaN、Infinity 或嵌套过深的括号。"
            "请从“下载”得到的定义文件改起。"
        ) from None


def _checked(text: str) -> tuple[str, object]:
    """("ok", the document), ("json", why it is no JSON) or ("definition",
    the mistakes of the definition): plain data, from the child."""
    try:
        document = parse_document(text)
    except forms.ValidationError as error:
        return "json", error.messages
    try:
        read(document)
    except DefinitionError as error:
        kind = document.get("kind", "project") if isinstance(document, dict) else None
        return "definition", {"kind": kind, "mistakes": list(error.messages)}
    return "ok", document


def _checked_in_child(text: str) -> tuple[str, object]:
    """_checked in the bounded child, as every uploaded file is read: a
    definition built to be slow to parse or check costs the worker nothing."""
    try:
        return run_bounded(
            _checked,
            text,
            memory=settings.IMPORT_PARSE_MEMORY,
            seconds=settings.IMPORT_PARSE_SECONDS,
        )
    except OverLimit:
        return "json", [
            "这个定义太复杂，检查它需要的时间或内存超过了上限。"
            "请从“下载”得到的定义文件改起。"
        ]


class TableLayoutForm(forms.ModelForm):
    document = forms.CharField(
        label="定义（JSON）",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 32,
                "cols": 110,
                "class": "layout-json",
                "spellcheck": "false",
            }
        ),
        help_text="各部分（parts）按打印顺序排列；保存时先检查，有误则逐条列出，"
        "不会保存。已填报的申报表继续按原来的版本打印。",
    )
    upload = forms.FileField(
        label="或上传定义文件",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        help_text="UTF-8 编码的 .json 文件，不超过 256 KB；上传后以文件内容为准。",
    )
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TableLayout
        fields = ["code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # parse_document names a NUL's line and column; Django's validator
        # would only say 不允许是用空字符串 (sic) and leave the box blank.
        self.fields["document"].validators = []
        if self.instance.pk:
            self.fields["document"].initial = as_text(self.instance.definition)
            self.fields["opened_version"].initial = self.instance.version

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        if not upload.name.lower().endswith(".json"):
            raise forms.ValidationError("请上传 .json 文件（样式定义）。")
        if upload.size > MAX_DEFINITION_BYTES:
            raise forms.ValidationError(
                f"文件有 {upload.size // 1024} KB，超过了 256 KB 的上限；"
                "样式定义通常只有几 KB，请确认选对了文件。"
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "文件不是 UTF-8 编码的文字。请用文本编辑器另存为 UTF-8 后再上传。"
            ) from None

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("upload") or cleaned.get("document") or ""
        if "upload" in self.errors:
            return cleaned
        if not text.strip():
            self.add_error("document", "请填写样式定义，或上传定义文件。")
            return cleaned
        if len(text.encode()) > MAX_DEFINITION_BYTES:
            self.add_error("document", "定义超过了 256 KB 的上限，请精简后再保存。")
            return cleaned
        outcome, document = _checked_in_child(text)
        if outcome == "json":
            self.add_error("upload" if cleaned.get("upload") else "document", document)
            return cleaned
        kind = (
            document["kind"]
            if outcome == "definition"
            else document.get("kind", "project")
        )
        # Said first: a kind changed makes the rest of the definition wrong.
        if self.instance.pk and kind is not None and kind != self.instance.kind:
            self.add_error(
                "document",
                f"这个样式是“{self.instance.get_kind_display()}”的，不能改为另一种申报类型"
                "（已选用它的主管部门会因此出错）。请复制一个新样式后再改。",
            )
            return cleaned
        if outcome == "definition":
            mistakes = document["mistakes"]
            self.add_error(
                "document", [f"定义中有 {len(mistakes)} 处需要改正：", *mistakes]
            )
            return cleaned
        if self.instance.pk:
            current = TableLayout.objects.select_related("updated_by").get(
                pk=self.instance.pk
            )
            if cleaned.get("opened_version") != current.version:
                raise forms.ValidationError(str(StaleVersion(current)))
        cleaned["definition"] = document
        if cleaned.get("upload"):
            # What is kept is the file's: show it in the box as well.
            self.data = self.data.copy()
            self.data["document"] = as_text(document)
        return cleaned


@admin.register(TableLayout)
class TableLayoutAdmin(admin.ModelAdmin):
    form = TableLayoutForm
    list_display = ["name", "code", "kind", "version", "updated_by", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["updated_by"]
    actions = ["copy"]

    class Media:
        css = {"all": ["css/admin-layouts.css"]}

    def get_readonly_fields(self, request, obj=None):
        # Declarations and departments name a layout by its code.
        return ["code", "name", "kind", "version", "versions"] if obj else []

    def get_fields(self, request, obj=None):
        shown = ["name", "kind", "version", "code"] if obj else ["code"]
        after = ["versions"] if obj else []
        return [*shown, "document", "upload", "opened_version", *after]

    @admin.display(description="历史版本")
    def versions(self, layout):
        rows = [
            format_html(
                '<li>第 {} 版 · {} · {} · <a href="{}">下载第 {} 版</a></li>',
                v.number,
                localtime(v.created_at).strftime("%Y-%m-%d %H:%M"),
                full_name(v.created_by) if v.created_by else "系统安装",
                reverse(
                    "admin:declarations_tablelayout_download_version",
                    args=[layout.pk, v.number],
                ),
                v.number,
            )
            for v in layout.versions.select_related("created_by")
        ]
        return format_html(
            '<ul class="layout-versions">{}</ul><p class="help">{}</p>',
            format_html_join("", "{}", ((r,) for r in rows)),
            "申报表按填报时的版本打印；修改定义不影响已填的申报表。",
        )

    def has_delete_permission(self, request, obj=None):
        # Every version stays for the declarations printed by it.
        return False

    def save_model(self, request, obj, form, change):
        try:
            saved = save_definition(
                obj,
                form.cleaned_data["definition"],
                by=request.user,
                expected_version=form.cleaned_data.get("opened_version"),
            )
        except StaleVersion as error:
            # Saved by someone else between the check of the form and now.
            request.layout_not_saved = error.current
            return
        obj.pk, obj.version, obj.name = saved.pk, saved.version, saved.name
        pictures.saved(saved)  # the guide's picture of it, drawn in the background

    def response_add(self, request, obj, post_url_continue=None):
        return self._response(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._response(request, obj) or super().response_change(request, obj)

    def _response(self, request, obj):
        current = getattr(request, "layout_not_saved", None)
        if current is not None:
            self.message_user(
                request,
                f"保存未成功：就在刚才，这个样式已被他人保存为第 {current.version} 版。"
                "请在下面查看最新的定义，再重新修改。",
                messages.ERROR,
            )
            return redirect("admin:declarations_tablelayout_change", obj.pk)
        self.message_user(
            request, f"“{obj.name}”现为第 {obj.version} 版。", messages.INFO
        )
        return None

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<id:object_id>/versions/<id:number>/download/",
                view(self.download_view),
                name="declarations_tablelayout_download_version",
            ),
            path(
                "<id:object_id>/download/",
                view(self.download_view),
                name="declarations_tablelayout_download",
            ),
            path(
                "guide/", view(self.guide_view), name="declarations_tablelayout_guide"
            ),
            path(
                "<id:object_id>/picture/",
                view(self.picture_view),
                name="declarations_tablelayout_picture",
            ),
            *super().get_urls(),
        ]

    def guide_view(self, request):
        """The guide to writing a definition (layouts/guide.py)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "样式定义说明",
            **guide.guide(),
        }
        return TemplateResponse(
            request, "admin/declarations/tablelayout/guide.html", context
        )

    def picture_view(self, request, object_id):
        """The first page of the layout, as drawn for the guide's gallery."""
        layout = get_object_or_404(TableLayout, pk=object_id)
        if not self.has_view_permission(request, layout):
            raise Http404
        try:
            return HttpResponse(pictures.picture(layout), content_type="image/png")
        except pictures.NotDrawn as error:
            return HttpResponse(pictures.note(str(error)), content_type="image/svg+xml")

    def download_view(self, request, object_id, number=None):
        layout = get_object_or_404(TableLayout, pk=object_id)
        if not self.has_view_permission(request, layout):
            raise Http404
        number = number or layout.version
        version = get_object_or_404(layout.versions, number=number)
        response = HttpResponse(
            as_text(version.definition) + "\n",
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{layout.code}-v{number}.json"'
        )
        return response

    @admin.action(description="复制所选样式（在副本上修改）", permissions=["add"])
    def copy(self, request, queryset):
        copies = [copy_layout(layout, by=request.user) for layout in queryset]
        for made in copies:
            self.log_addition(request, made, [{"added": {}}])
        self.message_user(
            request,
            "已复制："
            + "、".join(f"“{c.name}”（代码 {c.code}）" for c in copies)
            + "。在副本中修改后，到“组织”中为主管部门选用。",
            messages.SUCCESS,
        )
        if len(copies) == 1:
            return redirect("admin:declarations_tablelayout_change", copies[0].pk)
        return None
