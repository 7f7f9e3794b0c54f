"""Older Word formats, made a .docx by LibreOffice before they are read
(declarations.wordfiles.converting): a Word 97 .doc imports cell for cell as
the .docx it was saved from, whatever its name says, and so do RTF, web
pages and Word 2003 XML saved under a .doc name; a hostile file (a macro,
links to the network or to local files, 50 MB, a conversion that hangs)
gets a message in Chinese and holds the worker no longer than the limit.

The old files are made here, by LibreOffice from a built .docx, once a
session: every start of LibreOffice takes seconds. The set-up installs it,
so without it these tests fail rather than skip. Kingsoft's own .wps cannot
be made here; it is Word 97 inside, so a .doc renamed .wps stands for it.
"""

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from declarations.demo.department import BEIDAIHE_GOALS_2020
from declarations.demo.tables import HEBEI_2020
from declarations.models import Declaration
from declarations.spreadsheet.files import ImportFileError
from declarations.wordfiles import converting
from declarations.wordfiles.importing import is_word, read_upload
from tests.wordfiles.builders import doc_bytes, docx_book

BOOK = "2020年部门预算绩效信息"


@pytest.fixture(scope="session")
def saved(tmp_path_factory) -> dict[str, bytes]:
    """Hebei's 2020 book (part one and five tables) as a .docx, and as
    LibreOffice saves it as Word 97, RTF, a web page and Word 2003 XML."""
    folder = tmp_path_factory.mktemp("saved")
    source = folder / "book.docx"
    source.write_bytes(docx_book(HEBEI_2020, part_one=BEIDAIHE_GOALS_2020))
    files = {"docx": source.read_bytes()}
    for suffix, target in [
        ("doc", "doc"),
        ("rtf", "rtf"),
        ("html", "html"),
        ("xml", "xml:MS Word 2003 XML"),
    ]:
        _save_as(source, target)
        files[suffix] = (folder / f"book.{suffix}").read_bytes()
    return files


def _save_as(source: Path, target: str) -> None:
    """LibreOffice saves `source` beside it as `target` (an extension, and
    a filter after a colon)."""
    program = shutil.which("soffice")
    assert program, "LibreOffice (libreoffice-writer-nogui) comes with `make test`"
    subprocess.run(
        [
            program,
            "--headless",
            f"-env:UserInstallation={(source.parent / 'profile').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(source.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def _mht(page: bytes) -> bytes:
    """A web page in one file, as Word and WPS save one."""
    message = MIMEMultipart("related")
    message.attach(MIMEText(page.decode(), "html", "utf-8"))
    return message.as_bytes()


def _text(docx: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()


def _ole(*streams: str) -> bytes:
    """The start of an OLE file whose directory names these streams."""
    content = bytearray(doc_bytes())
    for i, name in enumerate(streams):
        encoded = name.encode("utf-16-le")
        entry = bytearray(128)
        entry[: len(encoded)] = encoded
        entry[64:66] = (len(encoded) + 2).to_bytes(2, "little")
        entry[66] = 2  # a stream
        content[512 + 128 * i : 512 + 128 * (i + 1)] = entry
    return bytes(content)


# --------------------------------------------------------------------------
# Telling the format by the content


@pytest.mark.parametrize(
    "content, kind",
    [
        (_ole("Root Entry", "1Table", "WordDocument"), converting.WORD_97),
        (_ole("Root Entry", "Workbook"), converting.EXCEL_97),
        (_ole("Root Entry", "CONTENTS"), converting.WORKS),
        (_ole("Root Entry", "EncryptedPackage"), converting.ENCRYPTED),
        (doc_bytes(), converting.OLE_OTHER),
        (
            _ole("Root Entry") + "xWordDocument".encode("utf-16-le"),
            converting.OLE_OTHER,
        ),
        (b"{\\rtf1\\ansi 2020}", converting.RTF),
        (b"\xef\xbb\xbf\r\n<!DOCTYPE html><html><body>", converting.HTML),
        (b"<html xmlns:w='urn:schemas-microsoft-com:office:word'>", converting.HTML),
        (_mht(b"<html><body>2020</body></html>"), converting.MHT),
        (
            b'<?xml version="1.0"?><?mso-application progid="Word.Document"?>'
            b"<w:wordDocument>",
            converting.WORD_XML,
        ),
        (b"PK\x03\x04", converting.DOCX),
        ("项目名称".encode(), converting.UNKNOWN),
    ],
    ids=[
        "word 97",
        "excel 97",
        "works",
        "encrypted docx",
        "ole of nothing known",
        "a name out of place",
        "rtf",
        "html",
        "word's html",
        "mht",
        "word 2003 xml",
        "docx",
        "text",
    ],
)
def test_the_format_is_told_by_the_content(content, kind):
    assert converting.kind_of(content) == kind


@pytest.mark.parametrize(
    "name, content, word",
    [
        ("表.wps", b"", True),
        ("表.rtf", b"", True),
        ("表", _ole("Root Entry", "WordDocument"), True),
        ("表", b"{\\rtf1 2020}", True),
        ("表", _ole("Root Entry", "Workbook"), False),
        ("表.xls", _ole("Root Entry", "WordDocument"), False),
    ],
)
def test_a_word_file_is_known_by_its_name_or_else_its_content(name, content, word):
    assert is_word(content, name) is word


@pytest.mark.parametrize(
    "content, said",
    [
        (_ole("Root Entry", "Workbook"), "Excel 97-2003 格式（.xls）"),
        (_ole("Root Entry", "EncryptedPackage"), "设有打开密码"),
        (doc_bytes(), "读不出其中的文档"),
    ],
    ids=["excel 97", "encrypted", "ole of nothing known"],
)
def test_an_ole_file_that_is_no_word_document_is_told_what_to_do(content, said):
    with pytest.raises(ImportFileError) as refused:
        read_upload(content, "表.doc", user=None)
    assert said in str(refused.value)
    assert "另存为" in str(refused.value)


# --------------------------------------------------------------------------
# Converted and imported


def test_a_doc_imports_cell_for_cell_as_the_docx_it_was_saved_from(saved, preparer):
    docx = read_upload(saved["docx"], f"{BOOK}.docx", user=preparer)
    doc = read_upload(saved["doc"], f"{BOOK}.doc", user=preparer)
    assert len(doc.word.found) == len(HEBEI_2020)
    assert doc.rows == docx.rows
    assert doc.word.part_one == docx.word.part_one
    assert doc.year == 2020


def test_a_doc_renamed_wps_is_read_as_word_97(saved, preparer):
    """Kingsoft's .wps is Word 97 inside: as far as can be tested here."""
    docx = read_upload(saved["docx"], f"{BOOK}.docx", user=preparer)
    wps = read_upload(saved["doc"], f"{BOOK}.wps", user=preparer)
    assert wps.rows == docx.rows


@pytest.mark.parametrize("kind", ["rtf", "html", "mht", "xml"])
def test_what_wps_and_others_save_under_a_doc_name_is_converted(saved, preparer, kind):
    content = _mht(saved["html"]) if kind == "mht" else saved[kind]
    read = read_upload(content, f"{BOOK}.doc", user=preparer)
    found = read.word.found
    assert [f.project_name for f in found] == [t["project_name"] for t in HEBEI_2020]
    if kind == "xml":
        # LibreOffice writes Word 2003 XML without the cells that continue
        # a vertical merge (Word writes them), so its rows are shifted.
        return
    assert [[r[2] for r in f.rows] for f in found] == [
        [r[2] for r in t["rows"]] for t in HEBEI_2020
    ]


def test_a_docx_named_doc_is_read_as_it_is(settings, tmp_path, saved, preparer):
    settings.WORD_CONVERTER = str(tmp_path / "soffice")  # not there
    read = read_upload(saved["docx"], f"{BOOK}.doc", user=preparer)
    assert len(read.word.found) == len(HEBEI_2020)


def test_the_import_page_previews_and_imports_a_doc(
    client, preparer, saved, monkeypatch
):
    client.force_login(preparer)
    preview = client.post(
        reverse("declaration_import"),
        {"file": SimpleUploadedFile(f"{BOOK}.doc", saved["doc"])},
    )
    assert preview.status_code == 200
    assert not preview.context["form"].errors
    assert len(preview.context["word"].found) == len(HEBEI_2020)
    # The confirm reads the .docx LibreOffice made: it converts nothing again.
    conversions = []
    monkeypatch.setattr(
        converting, "run_bounded", lambda *a, **k: conversions.append(a)
    )
    done = client.post(
        reverse("declaration_import_confirm"), {"token": preview.context["token"]}
    )
    assert done.status_code == 302
    assert list(
        Declaration.objects.order_by("pk").values_list("project_name", flat=True)
    ) == [t["project_name"] for t in HEBEI_2020]
    assert conversions == []


# --------------------------------------------------------------------------
# Hostile files


class Listener:
    """A port on 127.0.0.1 that counts the connections made to it."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.open = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.open:
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self.open = False
        self.thread.join()
        self.socket.close()


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


def _hostile_page(port: int, ran: Path, secret: Path) -> bytes:
    """A web page with a LibreOffice Basic macro, bound to its opening, that
    writes `ran` (LibreOffice's --convert-to runs none in any case: this
    holds it to that); a style sheet, an image and a frame from the port;
    and a frame and an object of a local file."""
    return f"""<html><head>
<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
<script language="StarBasic">
' $LIBRARY: Standard
' $MODULE: Module1
Sub Main
  Open "{ran}" For Output As #1
  Print #1, "the macro ran"
  Close #1
End Sub
</script></head>
<body sdonload="Standard.Module1.Main" onload="Main()">
<p>{BOOK}</p>
<img src="http://127.0.0.1:{port}/image.png">
<iframe src="http://127.0.0.1:{port}/frame.html"></iframe>
<iframe src="{secret.as_uri()}"></iframe>
<object data="{secret.as_uri()}" type="text/plain"></object>
<table><tr><td>项目名称</td><td>医保宣传经费</td></tr></table>
</body></html>""".encode()


@pytest.mark.parametrize(
    "isolated", [True, False], ids=["own namespaces", "without namespaces"]
)
def test_a_hostile_web_page_runs_no_macro_and_reaches_nothing(
    tmp_path, listener, monkeypatch, isolated
):
    """LibreOffice left to itself fetches the page's style sheet and image
    (18 connections here). Where the kernel gives no namespaces, the
    profile's proxy to nowhere alone keeps it off the network (without it:
    9 connections)."""
    if not isolated:
        monkeypatch.setattr(converting, "_unshare", None)
    ran, secret = tmp_path / "ran", tmp_path / "secret.txt"
    secret.write_text("本机的秘密")
    text = _text(converting.as_docx(_hostile_page(listener.port, ran, secret)))
    assert "医保宣传经费" in text
    assert listener.connections == 0
    assert not ran.exists()
    assert "本机的秘密" not in text


def test_fields_of_an_rtf_neither_fetch_nor_include(tmp_path, listener):
    secret = tmp_path / "secret.txt"
    secret.write_text("local secret")
    rtf = (
        "{\\rtf1\\ansi "
        "{\\field{\\*\\fldinst INCLUDEPICTURE "
        f'"http://127.0.0.1:{listener.port}/image.png" \\\\d}}{{\\fldrslt }}}}\\par '
        f'{{\\field{{\\*\\fldinst INCLUDETEXT "{secret}"}}{{\\fldrslt as saved}}}}'
        "\\par}"
    )
    text = _text(converting.as_docx(rtf.encode()))
    assert "as saved" in text
    assert "local secret" not in text
    assert listener.connections == 0


def _converter(folder: Path, script: str) -> str:
    """A stand-in for LibreOffice: a shell script."""
    converter = folder / "soffice"
    converter.write_text(f"#!/bin/sh\n{script}\n")
    converter.chmod(0o755)
    return str(converter)


def test_a_50_mb_doc_is_refused_by_its_size_before_any_conversion(
    settings, tmp_path, saved
):
    started = tmp_path / "started"
    settings.WORD_CONVERTER = _converter(tmp_path, f"touch {started}")
    with pytest.raises(ImportFileError, match="超过了 10 MB 的上限"):
        read_upload(saved["doc"] + bytes(50 * 2**20), f"{BOOK}.doc", user=None)
    assert not started.exists()


def _running(marker: str) -> list[str]:
    """The processes (not yet reaped ones aside) whose command has `marker`."""
    found = []
    for process in Path("/proc").iterdir():
        try:
            command = (process / "cmdline").read_bytes().decode(errors="replace")
            state = (process / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker in command and state != "Z":
            found.append(process.name)
    return found


@pytest.mark.parametrize(
    "isolated", [True, False], ids=["own namespaces", "without namespaces"]
)
def test_a_conversion_that_hangs_is_stopped_at_the_limit_with_what_it_started(
    settings, tmp_path, saved, monkeypatch, isolated
):
    if not isolated:
        monkeypatch.setattr(converting, "_unshare", None)
    hanging = tmp_path / "soffice"
    hanging.write_text(
        f"#!{sys.executable}\n"
        "# A LibreOffice that hangs, and starts another process that does.\n"
        "import os, time\n"
        "os.fork()\n"
        "time.sleep(600)\n"
    )
    hanging.chmod(0o755)
    settings.WORD_CONVERTER = str(hanging)
    settings.WORD_CONVERT_SECONDS = 2
    folders = set(Path(tempfile.gettempdir()).glob(f"{converting.FOLDER_PREFIX}*"))
    start = time.monotonic()
    with pytest.raises(ImportFileError) as refused:
        read_upload(saved["doc"], f"{BOOK}.doc", user=None)
    assert time.monotonic() - start < 2 + 2
    message = str(refused.value)
    assert "超过了 2 秒的上限" in message and "另存为" in message
    deadline = time.monotonic() + 2
    while _running(str(hanging)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _running(str(hanging)) == []
    assert (
        set(Path(tempfile.gettempdir()).glob(f"{converting.FOLDER_PREFIX}*")) <= folders
    )


def test_without_libreoffice_the_message_says_how_to_save_as_docx(
    settings, tmp_path, saved
):
    settings.WORD_CONVERTER = str(tmp_path / "soffice")  # not there
    with pytest.raises(ImportFileError) as refused:
        read_upload(saved["doc"], f"{BOOK}.doc", user=None)
    message = str(refused.value)
    assert "没有安装" in message and "LibreOffice" in message
    assert "选择“文件 → 另存为”，保存类型选“Word 文档（*.docx）”" in message


def test_a_file_libreoffice_cannot_convert_is_told_how_to_save_it(
    settings, tmp_path, saved
):
    settings.WORD_CONVERTER = _converter(tmp_path, "exit 0")  # writes nothing
    with pytest.raises(ImportFileError) as refused:
        read_upload(saved["doc"], f"{BOOK}.doc", user=None)
    message = str(refused.value)
    assert "Word 97-2003 格式（.doc），但无法转换为 .docx" in message
    assert converting.SAVE_AS in message


def test_folders_left_by_a_killed_worker_are_removed_by_the_next_conversion(
    settings, tmp_path, saved
):
    settings.WORD_CONVERTER = _converter(tmp_path, "exit 0")
    left = Path(tempfile.mkdtemp(prefix=converting.FOLDER_PREFIX))
    os.utime(left, (time.time() - 3600,) * 2)
    with pytest.raises(ImportFileError):
        converting.as_docx(saved["doc"])
    assert not left.exists()
