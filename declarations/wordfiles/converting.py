"""Older Word formats, and what WPS saves under a Word name, made a .docx by
LibreOffice (`soffice --headless --convert-to docx`) before the .docx reader
sees them.

The format is told by the content, never by the name: a .doc may be Word 97
(an OLE compound file with a WordDocument stream), RTF, a web page or Word
2003 XML, as WPS and other programs save them; a .wps may be Kingsoft's
(Word 97 inside) or Microsoft Works'. A .docx, whatever its name, goes to
the reader as it is.

LibreOffice is a large program reading a file anyone may upload, so it runs
in the bounded child (declarations.bounded), and from there:
- with WORD_CONVERT_SECONDS to finish, its whole process group killed past
  them, and an address space of WORD_CONVERT_MEMORY;
- in its own network and process namespaces where the kernel lets an
  ordinary user have them: no network at all, and nothing it starts
  outlives it; elsewhere a proxy that leads nowhere;
- with a fresh profile in a temporary folder, removed afterwards, that
  turns off macros (LibreOffice Basic and VBA; --convert-to opens a file
  without running them anyway) and the updating of links, and an
  environment of its own (no proxy variables, no HOME of the worker's);
- each format through its own import filter only, and only the converted
  .docx is read back.
"""

import ctypes
import email
import logging
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import suppress
from pathlib import Path

from django.conf import settings

from declarations.bounded import OverLimit, run_bounded
from declarations.processes import die_with_parent
from declarations.spreadsheet.files import ImportFileError, too_large_message

logger = logging.getLogger(__name__)

DOCX = "docx"
WORD_97 = "doc"  # Word 97-2003, and Kingsoft WPS's own .wps
WORKS = "wps"  # Microsoft Works
RTF = "rtf"
HTML = "html"
MHT = "mht"  # a web page in one file, as Word and WPS save it
WORD_XML = "xml"  # Word 2003 XML
EXCEL_97 = "xls"
ENCRYPTED = "encrypted"  # a .docx with a password to open it
OLE_OTHER = "ole"  # an OLE file of no kind read here
UNKNOWN = ""

# The formats LibreOffice converts, each with the one import filter it may
# use and the name a person knows it by.
FILTERS = {
    WORD_97: "MS Word 97",
    WORKS: "MS_Works",
    RTF: "Rich Text Format",
    HTML: "HTML (StarWriter)",
    MHT: "HTML (StarWriter)",  # its page, taken out of the MIME parts
    WORD_XML: "MS Word 2003 XML",
}
NAMES = {
    WORD_97: "Word 97-2003 格式（.doc）",
    WORKS: "Works 格式（.wps）",
    RTF: "RTF 格式",
    HTML: "HTML 网页格式",
    MHT: "MHT 单一网页格式",
    WORD_XML: "Word 2003 XML 格式",
}

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"

SAVE_AS = (
    "请在 Word 或 WPS 中打开它，选择“文件 → 另存为”，保存类型选"
    "“Word 文档（*.docx）”，再上传新文件。"
)
REFUSED = {
    EXCEL_97: "这是 Excel 97-2003 格式（.xls）的表格，不是 Word 文档。请在 Excel 或 "
    "WPS 中打开它，“另存为”Excel 工作簿（*.xlsx）后再上传。",
    ENCRYPTED: "这个文件设有打开密码，系统无法读取。请在 Word 或 WPS 中打开它，"
    "取消密码后“另存为”Word 文档（*.docx），再上传新文件。",
    OLE_OTHER: "这个文件像是 Word 97-2003 格式（.doc），但读不出其中的文档（文件可能"
    "已损坏，或是其他软件的文件）。" + SAVE_AS,
}

FOLDER_PREFIX = "jixiao-word-"
# Files LibreOffice writes past this size are cut off: a converted
# declaration book is a few hundred KB.
MAX_WRITTEN = 64 * 2**20
# The profile every conversion starts from: no macro runs (LibreOffice
# Basic, or VBA turned into it), VBA is not even loaded, links (included
# files, linked images) are never updated, and any connection goes to a
# proxy on a port where nothing listens.
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{items}
</oor:items>
"""
SETTINGS = [
    ("Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("Office.Writer/Filter/Import/VBA", "Load", "false"),
    ("Office.Writer/Filter/Import/VBA", "Executable", "false"),
    ("Office.Writer/Content/Update", "Link", "0"),  # never
    ("Office.Writer/Content/Update", "Field", "false"),
    ("Office.Writer/Content/Update", "Chart", "false"),
    ("Inet/Settings", "ooInetProxyType", "1"),  # manual
    ("Inet/Settings", "ooInetNoProxy", ""),
    *(
        setting
        for scheme in ("HTTP", "HTTPS", "FTP")
        for setting in (
            ("Inet/Settings", f"ooInet{scheme}ProxyName", "127.0.0.1"),
            ("Inet/Settings", f"ooInet{scheme}ProxyPort", "9"),
        )
    ),
]

# <sched.h>
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000


def kind_of(content: bytes) -> str:
    """The format of a file, from its first bytes (and an OLE file's
    stream names)."""
    if content.startswith(ZIP_SIGNATURE):
        return DOCX
    if content.startswith(OLE_SIGNATURE):
        for stream, kind in (
            ("WordDocument", WORD_97),
            ("Workbook", EXCEL_97),
            ("Book", EXCEL_97),
            ("EncryptedPackage", ENCRYPTED),
            ("CONTENTS", WORKS),
        ):
            if _has_stream(content, stream):
                return kind
        return OLE_OTHER
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{\\rtf"):
        return RTF
    if head.startswith(b"mime-version:") or b"multipart/related" in head[:512]:
        return MHT
    if b"<w:worddocument" in head or b'progid="word.document"' in head:
        return WORD_XML
    if head.startswith((b"<html", b"<!doctype html")) or b"<html" in head:
        return HTML
    return UNKNOWN


def _has_stream(content: bytes, name: str) -> bool:
    """Whether an OLE file's directory has a stream or storage of this name.

    A directory entry is 128 bytes, aligned to 128, that start with the name
    in UTF-16 and give its length in bytes (with the closing zero) at 64."""
    wanted = name.encode("utf-16-le")
    length = (len(wanted) + 2).to_bytes(2, "little")
    start = content.find(wanted, 512)
    while start != -1:
        if start % 128 == 0 and content[start + 64 : start + 66] == length:
            return True
        start = content.find(wanted, start + 1)
    return False


def as_docx(content: bytes) -> bytes:
    """The upload as a .docx: one as it is (or a file of no format known
    here, for the reader to say what is wrong with it), an older Word
    format converted by LibreOffice. Refuses with a message that says
    what to do."""
    if message := too_large_message(len(content)):
        raise ImportFileError(message)
    kind = kind_of(content)
    if kind in REFUSED:
        raise ImportFileError(REFUSED[kind])
    if kind not in FILTERS:
        return content
    program = shutil.which(settings.WORD_CONVERTER)
    if program is None:
        raise ImportFileError(
            f"这个文件是 {NAMES[kind]}，本系统只能直接读取 .docx：服务器上没有安装"
            "转换旧格式所用的 LibreOffice（可请系统管理员安装）。" + SAVE_AS
        )
    _forget_old_folders()
    work = tempfile.mkdtemp(prefix=FOLDER_PREFIX)
    try:
        return run_bounded(
            _convert,
            content,
            kind,
            program,
            work,
            # The child's own limit: LibreOffice's is set when it starts.
            memory=settings.WORD_CONVERT_MEMORY,
            # Past its time the child kills LibreOffice and says so; this
            # margin is for that.
            seconds=settings.WORD_CONVERT_SECONDS + 5,
        )
    except OverLimit as over:
        raise ImportFileError(
            _failed(kind) if over.memory else _too_slow(kind)
        ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _forget_old_folders() -> None:
    """Removes the folders of conversions whose worker was killed before
    it could (none is used for more than a minute)."""
    long_ago = time.time() - 10 * 60
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        with suppress(OSError):
            if folder.stat().st_mtime < long_ago:
                shutil.rmtree(folder)


def _failed(kind: str) -> str:
    return (
        f"这个文件是 {NAMES[kind]}，但无法转换为 .docx（文件可能已损坏、设有密码"
        "或过于复杂）。" + SAVE_AS
    )


def _too_slow(kind: str) -> str:
    return (
        f"这个文件是 {NAMES[kind]}，转换为 .docx 超过了 "
        f"{settings.WORD_CONVERT_SECONDS} 秒的上限，已停止转换。" + SAVE_AS
    )


def _convert(content: bytes, kind: str, program: str, folder: str) -> bytes:
    """In the bounded child: LibreOffice converts the file in `folder`."""
    work = Path(folder)
    source = work / f"upload.{'html' if kind == MHT else kind}"
    source.write_bytes(_page_of(content) if kind == MHT else content)
    profile = work / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_profile())
    # Seen from its own process namespace, LibreOffice's parent is 0.
    parent = 0 if _isolate() else os.getpid()
    with (work / "soffice.log").open("wb") as log:
        process = subprocess.Popen(
            [
                program,
                "--headless",
                "--norestore",
                "--nologo",
                "--nolockcheck",
                "--nodefault",
                f"-env:UserInstallation={profile.as_uri()}",
                f"--infilter={FILTERS[kind]}",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(work / "out"),
                str(source),
            ],
            cwd=work,
            env={"PATH": "/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8"},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            preexec_fn=lambda: _limits(parent),
        )
        try:
            process.wait(settings.WORD_CONVERT_SECONDS)
        except subprocess.TimeoutExpired:
            raise ImportFileError(_too_slow(kind)) from None
        finally:
            # What it started goes with it (soffice.bin, started by oosplash).
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    converted = work / "out" / "upload.docx"
    if not converted.is_file():
        logger.warning(
            "LibreOffice did not convert a %s file (exit %s): %s",
            kind,
            process.returncode,
            (work / "soffice.log").read_bytes()[-2000:].decode(errors="replace"),
        )
        raise ImportFileError(_failed(kind))
    return converted.read_bytes()


def _page_of(content: bytes) -> bytes:
    """The web page of a single-file web page (MHT): its first HTML part."""
    message = email.message_from_bytes(content)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part.get_payload(decode=True) or b""
    return b""


def _profile() -> str:
    items = "\n".join(
        f'<item oor:path="/org.openoffice.{path}"><prop oor:name="{name}" '
        f'oor:op="fuse"><value>{value}</value></prop></item>'
        for path, name, value in SETTINGS
    )
    return PROFILE.format(items=items)


def _isolate() -> bool:
    """Puts this (single-threaded) child into new user, network and
    process namespaces, so that what it starts next has no network and
    takes everything it starts along when it ends. False where the kernel
    does not let this user have them."""
    uid, gid = os.getuid(), os.getgid()
    if _unshare is None or _unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWPID):
        return False
    # The same user and group inside as outside (unmapped, they would be
    # nobody's; files are still the worker's).
    try:
        for name, text in (
            ("setgroups", "deny"),
            ("uid_map", f"{uid} {uid} 1"),
            ("gid_map", f"{gid} {gid} 1"),
        ):
            with open(f"/proc/self/{name}", "w") as file:
                file.write(text)
    except OSError:
        pass
    return True


def _limits(parent: int) -> None:
    """In LibreOffice's process, before it starts."""
    die_with_parent(parent)
    memory = settings.WORD_CONVERT_MEMORY
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_WRITTEN, MAX_WRITTEN))


def _find_unshare():
    try:
        return ctypes.CDLL(None, use_errno=True).unshare
    except (OSError, AttributeError):
        return None


_unshare = _find_unshare()
