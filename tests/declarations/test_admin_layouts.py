"""Layouts are made and changed in the admin, without code: a definition
typed or uploaded as JSON is checked before it is kept, each change is a new
version, and a declaration prints by the version it was made under."""

import json
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from declarations.layouts.builtin import documents
from declarations.models import TableLayout
from declarations.printing import declaration as pdf
from tests.declarations.pdf_reading import body_text, table_rows
from tests.factories import make_declaration, make_user, use_layout


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root-admin", is_staff=True, is_superuser=True))
    return client


def pk(code):
    return TableLayout.objects.get(code=code).pk


def change_url(code):
    return reverse("admin:declarations_tablelayout_change", args=[pk(code)])


def _hebei_with_explanation() -> dict:
    document = documents()["hebei"]
    (table,) = [p for p in document["parts"] if p["kind"] == "indicators"]
    table["columns"].insert(4, {"field": "explanation", "label": "指标解释"})
    table["widths"] = [11, 13, 14, 18, 14, 12, 18]
    return document


def _post(admin_client, code, document, **more):
    layout = TableLayout.objects.get(code=code)
    return admin_client.post(
        change_url(code),
        {
            "document": document
            if isinstance(document, str)
            else json.dumps(document, ensure_ascii=False),
            "opened_version": layout.version,
            **more,
        },
    )


def test_the_layouts_are_listed_with_their_versions(admin_client):
    page = admin_client.get(
        reverse("admin:declarations_tablelayout_changelist")
    ).content.decode()
    for name in ["项目绩效目标表", "部门整体支出绩效目标申报表（浙江样式·分值）"]:
        assert name in page
    page = admin_client.get(change_url("hebei")).content.decode()
    assert "&quot;indicators&quot;" in page  # the definition, as JSON text
    assert "下载第 1 版" in page


def test_a_copy_is_edited_into_a_new_version_that_prints(admin_client, unit, preparer):
    response = admin_client.post(
        reverse("admin:declarations_tablelayout_changelist"),
        {"action": "copy", "_selected_action": [pk("hebei")]},
    )
    assert response.status_code == 302
    copy = TableLayout.objects.get(code="hebei-copy")
    assert copy.name.endswith("（副本）") and copy.version == 1

    response = _post(admin_client, "hebei-copy", _hebei_with_explanation())
    assert response.status_code == 302, response.content.decode()
    copy.refresh_from_db()
    assert copy.version == 2
    assert list(copy.versions.values_list("number", flat=True)) == [2, 1]

    before = make_declaration(use_layout(unit, "hebei-copy"), preparer)
    row = before.indicators.first()
    row.explanation = "按年末参保登记人数计"
    row.save()
    rows = table_rows(pdf.render_declaration(before))
    assert rows[6][:5] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "绩效指标描述",
        "指标解释",
    ]
    assert rows[7][1:5] == ["数量指标", "参保人数", "按年末参保登记人数计", "≥30万人"]

    # A later edit leaves the declaration made under version 2 as it was.
    document = _hebei_with_explanation()
    document["parts"][0]["text"] = "项目绩效目标表（修订）"
    assert _post(admin_client, "hebei-copy", document).status_code == 302
    before.refresh_from_db()
    assert before.layout_version == 2
    assert "修订" not in body_text(pdf.render_declaration(before))


def test_every_mistake_in_a_definition_is_named_and_nothing_is_kept(admin_client):
    document = _hebei_with_explanation()
    table = next(p for p in document["parts"] if p["kind"] == "indicators")
    table["widths"] = [20, 20, 20, 20, 20]
    table["columns"].append({"field": "explain", "label": "解释"})
    response = _post(admin_client, "hebei", document)
    page = response.content.decode()
    assert response.status_code == 200
    assert "定义中有 2 处需要改正" in page
    assert "列宽的个数应与栏目个数（含 lead 列）相同" in page
    assert "没有“explain”这个指标栏目" in page
    assert "&quot;explain&quot;" in page  # what was typed is kept in the box
    assert TableLayout.objects.get(code="hebei").version == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"name": "x",', "定义不是有效的 JSON：第 1 行第 14 列附近有误"),
        ("[]", "定义应为一个 JSON 对象"),
        ("", "请填写样式定义，或上传定义文件。"),
        ("[" * 100_000 + "]" * 100_000, "嵌套过深的括号"),
        ('{"name": NaN}', "含有 NaN、Infinity"),
    ],
)
def test_text_that_is_no_definition_is_refused_in_chinese(admin_client, text, message):
    page = _post(admin_client, "hebei", text).content.decode()
    assert message in page


def test_a_definition_file_is_uploaded_and_downloaded(admin_client):
    document = _hebei_with_explanation()
    upload = SimpleUploadedFile(
        "hebei.json", json.dumps(document, ensure_ascii=False).encode("utf-8-sig")
    )
    response = _post(admin_client, "hebei", "", upload=upload)
    assert response.status_code == 302
    response = admin_client.get(
        reverse("admin:declarations_tablelayout_download", args=[pk("hebei")])
    )
    assert response["Content-Disposition"] == 'attachment; filename="hebei-v2.json"'
    assert json.loads(response.content) == document
    first = admin_client.get(
        reverse(
            "admin:declarations_tablelayout_download_version", args=[pk("hebei"), 1]
        )
    )
    assert "explanation" not in first.content.decode()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("layout.txt", b"{}", "请上传 .json 文件"),
        ("layout.json", b"\xff\xfe{", "文件不是 UTF-8 编码的文字"),
        ("layout.json", b" " * (256 * 1024 + 1), "超过了 256 KB 的上限"),
    ],
)
def test_an_upload_that_is_no_definition_file_is_refused(
    admin_client, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    page = _post(admin_client, "hebei", "", upload=upload).content.decode()
    assert message in page
    assert TableLayout.objects.get(code="hebei").version == 1


def test_a_layout_saved_by_someone_else_since_is_not_overwritten(admin_client):
    opened = TableLayout.objects.get(code="hebei").version
    assert _post(admin_client, "hebei", _hebei_with_explanation()).status_code == 302
    document = _hebei_with_explanation()
    document["name"] = "我的改动"
    response = admin_client.post(
        change_url("hebei"),
        {
            "document": json.dumps(document, ensure_ascii=False),
            "opened_version": opened,
        },
    )
    page = response.content.decode()
    assert "保存未成功：这份内容已被" in page and "现为第 2 版" in page
    assert "我的改动" in page  # still in the box
    assert TableLayout.objects.get(code="hebei").version == 2


def test_only_staff_open_the_layouts(client, preparer):
    client.force_login(preparer)
    response = client.get(
        reverse("admin:declarations_tablelayout_download", args=[pk("hebei")])
    )
    assert response.status_code == 302  # to the admin's login


def test_a_shipped_fix_reaches_layouts_no_administrator_has_saved(admin_client):
    from declarations.services.layouts import install_builtin

    shipped = documents()
    for code in ["tianjin", "zhejiang"]:  # as an earlier release installed them
        older = json.loads(json.dumps(shipped[code]))
        older["parts"][0]["text"] = "旧版标题"
        TableLayout.objects.filter(code=code).update(definition=older)
    _post(admin_client, "zhejiang", {**shipped["zhejiang"], "name": "本局改过的"})

    assert install_builtin() == ["tianjin"]
    tianjin, zhejiang = (
        TableLayout.objects.get(code=c) for c in ["tianjin", "zhejiang"]
    )
    assert (tianjin.version, tianjin.definition) == (2, shipped["tianjin"])
    assert zhejiang.name == "本局改过的" and zhejiang.version == 2
    assert install_builtin() == []


def test_a_layouts_kind_cannot_change(admin_client):
    document = {**documents()["hebei"], "kind": "department_wide"}
    page = _post(admin_client, "hebei", document).content.decode()
    assert "不能改为另一种申报类型" in page
    assert TableLayout.objects.get(code="hebei").version == 1


def test_a_long_code_is_copied_twice_under_two_codes(db):
    from declarations.services.layouts import copy_layout, save_definition

    long = save_definition(TableLayout(code="x" * 32), documents()["hebei"], by=None)
    first, second = copy_layout(long, by=None), copy_layout(long, by=None)
    assert (first.code, second.code) == ("x" * 27 + "-copy", "x" * 26 + "-copy2")


def test_a_definition_is_read_and_checked_in_the_bounded_child(
    admin_client, monkeypatch, tmp_path
):
    """As every uploaded file: what reading it costs stays in the child."""
    from declarations.admin import layouts as admin_layouts

    seen = tmp_path / "pid"
    real = admin_layouts.read

    def recording(document):
        seen.write_text(str(os.getpid()))
        return real(document)

    monkeypatch.setattr(admin_layouts, "read", recording)
    page = _post(admin_client, "hebei", '{"name": "x", "parts": 1}').content.decode()
    assert "定义中有" in page
    assert int(seen.read_text()) != os.getpid()


def test_a_definition_past_the_childs_time_gets_a_message(
    admin_client, monkeypatch, settings
):
    from declarations.admin import layouts as admin_layouts

    settings.IMPORT_PARSE_SECONDS = 0.5
    monkeypatch.setattr(admin_layouts, "read", lambda document: time.sleep(5))
    page = _post(admin_client, "hebei", documents()["hebei"]).content.decode()
    assert "这个定义太复杂" in page
    assert TableLayout.objects.get(code="hebei").version == 1
