"""`make loadtest`: a department's staff on the app at once, on this machine.

Makes a throwaway PostgreSQL database (jixiao_loadtest) with a year of
10,000 declarations, starts gunicorn (4 workers, production settings, on
127.0.0.1 only) and a task worker, and runs 20 users for 60 s: 16 preparers
browse their list, open tables and entry pages, save and submit; 4
reviewers open their queue and review pages and approve. Each user waits
THINK seconds on average between clicks, as a person reading the page does.
A second run adds one hostile user who, from four tabs at once (four
processes), uploads the worst Word files and spreadsheet bombs and posts
oversized forms; a
third runs the same users without pauses, for the most the machine
answers. Then it times `backup` of the 10,000 declarations and `restore`
into a second empty database. Prints p50/p95 per page, requests/s, errors
and worker memory; asserts nothing.
"""

import http.client
import io
import multiprocessing
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts import hostile_files  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("LOADTEST_POSTGRES", "postgres://root@127.0.0.1:5432")
DATABASE = "jixiao_loadtest"
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
THINK = float(os.environ.get("LOADTEST_THINK", "1.0"))
WORKERS = int(os.environ.get("WORKERS", "4"))
PASSWORD = "Year@2027-load"  # declarations/demo/year.py
PAGES_WITH_A_GOAL = ["list", "detail", "entry"]
_FORK = multiprocessing.get_context("fork")
APPROVAL = {"decision": "approve", "grade": "良", "comment": ""}


# --- the installation --------------------------------------------------------


def _admin_sql(*statements):
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as db:
        for statement in statements:
            db.execute(statement)


def _fresh_database(name):
    _admin_sql(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, *args):
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - started, done.stdout.strip()


class Installation:
    def __init__(self):
        self.work = Path(tempfile.mkdtemp(prefix="jixiao-loadtest-"))
        self.port = _free_port()
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"{SERVER}/{DATABASE}",
            "MEDIA_ROOT": str(self.work / "media"),
            "LOG_LEVEL": "ERROR",
        }
        self.processes = []

    def prepare(self):
        _fresh_database(DATABASE)
        _manage(self.env, "migrate", "--noinput")
        seconds, said = _manage(self.env, "load_year", "--declarations", "10000")
        print(f"{said} ({seconds:.1f} s)")
        _manage(self.env, "collectstatic", "--noinput", "-v", "0")

    def start(self):
        log = open(self.work / "server.log", "w")  # noqa: SIM115
        self.gunicorn = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--config=config/gunicorn.py",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=60",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
        )
        # As `make serve` runs it: below the web workers, so that laying
        # out books after approvals never holds up a page.
        self.worker = worker = subprocess.Popen(
            ["nice", "-n", "10", sys.executable, str(ROOT / "manage.py"), "db_worker"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
        )
        self.processes = [self.gunicorn, worker]
        for _ in range(100):
            try:
                if Session(self.port).get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn did not start; see {self.work / 'server.log'}")

    def worker_pids(self):
        children = Path(f"/proc/{self.gunicorn.pid}/task/{self.gunicorn.pid}/children")
        return [int(p) for p in children.read_text().split()]

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _cpu_seconds(pid):
    """CPU time of a process and of its children that ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _resident_mib(pid):
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


# --- a user's browser ----------------------------------------------------------


class Session:
    """One user's connection and cookies; redirects are not followed, so each
    figure is one request."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Referer"] = "http://127.0.0.1/"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # the server closed it: open a new one
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, content.decode(errors="replace")

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields, files=None):
        if files is None:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            kind = "application/x-www-form-urlencoded"
        else:
            body, kind = _multipart(fields, files)
        return self.request("POST", path, body, {"Content-Type": kind})

    def log_in(self, username, figures, think):
        # People arrive over the first seconds, not all in the same instant.
        time.sleep(random.uniform(0, 5 * think))
        self.get("/accounts/login/")
        credentials = {"username": username, "password": PASSWORD}
        status, _ = _timed(
            figures, "login", {302}, self.post, "/accounts/login/", credentials
        )
        if status != 302:
            raise RuntimeError(f"{username} could not log in ({status})")


def _multipart(fields, files):
    boundary = secrets.token_hex(16)
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, data) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class _FormFields(HTMLParser):
    """The fields of the page's form that carries a version, as the browser
    would post them unchanged."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._textarea, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = []
            self.forms.append(self._form)
        if self._form is None or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file") or (
                kind in ("checkbox", "radio") and "checked" not in a
            ):
                return
            self._form.append(
                [
                    a["name"],
                    a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                ]
            )
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
            self._form.append(self._textarea)
        elif tag == "select":
            self._select = [a["name"], None]
        elif (
            tag == "option"
            and self._select is not None
            and (self._select[1] is None or "selected" in a)
        ):
            self._select[1] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self._form.append([self._select[0], self._select[1] or ""])
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def form_fields(page):
    parser = _FormFields()
    parser.feed(page)
    for form in parser.forms:
        if any(name == "version" for name, _ in form):
            return form
    return None


# --- the users -----------------------------------------------------------------


class Figures:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(int)

    def record(self, page, seconds, ok):
        with self.lock:
            self.times[page].append(seconds)
            if not ok:
                self.errors[page] += 1


def _timed(figures, page, expected, call, *args):
    started = time.perf_counter()
    status, content = call(*args)
    figures.record(page, time.perf_counter() - started, status in expected)
    return status, content


def _pause(think):
    if think:
        time.sleep(random.uniform(0.5 * think, 1.5 * think))


def preparer(port, username, tables, figures, until, think):
    """Browse, save and now and then submit one of the unit's tables."""
    session = Session(port)
    session.log_in(username, figures, think)
    drafts = [pk for pk, status in tables if status == "draft"]
    while time.monotonic() < until:
        _timed(figures, "list", {200}, session.get, "/declarations/")
        _pause(think)
        pk = random.choice(tables)[0]
        _timed(figures, "detail", {200}, session.get, f"/declarations/{pk}/")
        _pause(think)
        if not drafts:
            continue
        pk = random.choice(drafts)
        step = random.choice(["basic", "indicators"])
        url = f"/declarations/{pk}/edit/{step}/"
        status, page = _timed(figures, "entry", {200}, session.get, url)
        _pause(think)
        fields = form_fields(page) if status == 200 else None
        if fields:
            fields = [tuple(f) for f in fields] + [("stay", "1")]
            _timed(figures, "save", {302}, session.post, url, fields)
            _pause(think)
        if random.random() < 0.15:
            _timed(
                figures,
                "submit",
                {302},
                session.post,
                f"/declarations/{pk}/submit/",
                {},
            )
            drafts.remove(pk)
            _pause(think)


def reviewer(port, username, figures, until, think):
    """Open the queue, read a submitted table and approve it."""
    session = Session(port)
    session.log_in(username, figures, think)
    while time.monotonic() < until:
        status, page = _timed(figures, "review queue", {200}, session.get, "/review/")
        waiting = re.findall(r'href="/declarations/(\d+)/review/"', page)
        _pause(think)
        if not waiting:
            continue
        url = f"/declarations/{random.choice(waiting)}/review/"
        _timed(figures, "review page", {200}, session.get, url)
        _pause(think)
        _timed(figures, "approve", {302}, session.post, url, APPROVAL)
        _pause(think)


def _bomb():
    """An .xlsx whose sheet unpacks to 95 MB (under the 100 MB limit), so it
    is parsed, in a bounded child, until a limit stops it."""
    return hostile_files.sheet_of(hostile_files.far_cell("A2", ["单位代码"]), 95)


def _hostile_files():
    """The worst uploads: every Word file of hostile_files, and the bomb."""
    word = [
        (f"{name}.docx", build())
        for name, build in hostile_files.WORST_WORD_FILES.items()
    ]
    return [*word, ("炸弹.xlsx", _bomb())]


def hostile(port, username, draft, until, uploads, tab, report):
    """One tab of the hostile user: upload the worst files and post
    oversized forms, without pause. A tab is a process of its own, and its
    bodies are encoded once: a hostile user is another machine, and its
    encoding must not take the measuring threads' turn at the interpreter.
    For the same reason it runs below everything else: on a real site its
    CPU is its own machine's, not the server's."""
    os.nice(19)
    figures = Figures()
    session = Session(port)
    session.log_in(username, figures, 0)
    session.get("/declarations/import/")
    # Past the 1.5 MB a post may carry: 230,000 characters form-encoded.
    form = "application/x-www-form-urlencoded"
    big = urllib.parse.urlencode({"project_name": "大" * 230_000, "version": "1"})
    many = urllib.parse.urlencode({f"field{i}": "x" for i in range(5000)})
    upload_posts = [
        ("/declarations/import/", *_multipart({}, {"file": f}), "hostile: upload")
        for f in uploads
    ]
    url = f"/declarations/{draft}/edit/basic/"
    form_posts = [
        (url, big.encode(), form, "hostile: 2 MB post"),
        (url, many.encode(), form, "hostile: 5,000 fields"),
    ]
    expected = {200, 400, 413}
    turn = tab
    while time.monotonic() < until:
        upload = upload_posts[turn % len(upload_posts)]
        turn += 1
        for path, body, kind, page in [upload, *form_posts]:
            post = ("POST", path, body, {"Content-Type": kind})
            _timed(figures, page, expected, session.request, *post)
    report.put((dict(figures.times), dict(figures.errors)))


# --- a run -------------------------------------------------------------------


def _tables_of(usernames):
    with psycopg.connect(f"{SERVER}/{DATABASE}") as db:
        rows = db.execute(
            """SELECT u.username, d.id, d.status
               FROM auth_user u
               JOIN declarations_membership m ON m.user_id = u.id
               JOIN declarations_declaration d ON d.organization_id = m.organization_id
               WHERE u.username = ANY(%s) AND d.year = 2027""",
            [usernames],
        ).fetchall()
    tables = defaultdict(list)
    for username, pk, status in rows:
        tables[username].append((pk, status))
    return tables


def run(installation, title, *, think, with_hostile=False):
    figures = Figures()
    preparers = [f"year{d:02d}_{u}_tb" for d in range(4) for u in range(4)]
    reviewers = [f"year{d:02d}_sh" for d in range(4)]
    tables = _tables_of(preparers)
    until = time.monotonic() + SECONDS
    threads = [
        threading.Thread(
            target=preparer,
            args=(installation.port, name, tables[name], figures, until, think),
        )
        for name in preparers
    ] + [
        threading.Thread(
            target=reviewer, args=(installation.port, name, figures, until, think)
        )
        for name in reviewers
    ]
    tabs = []
    if with_hostile:
        # A preparer of another department, on one of its own drafts.
        name = "year10_0_tb"
        draft = next(pk for pk, s in _tables_of([name])[name] if s == "draft")
        uploads = _hostile_files()
        report = _FORK.Queue()
        tabs = [
            _FORK.Process(
                target=hostile,
                args=(installation.port, name, draft, until, uploads, tab, report),
            )
            for tab in range(4)
        ]
    memory = []

    def sample():
        while time.monotonic() < until:
            pids = installation.worker_pids()
            memory.append([_resident_mib(p) for p in pids])
            time.sleep(0.5)

    threads.append(threading.Thread(target=sample))
    started = time.monotonic()
    worker_cpu = _cpu_seconds(installation.worker.pid)
    for t in [*tabs, *threads]:
        t.start()
    for t in threads:
        t.join()
    for _ in tabs:
        times, errors = report.get()
        for page, seconds in times.items():
            figures.times[page] += seconds
            figures.errors[page] += errors.get(page, 0)
    for t in tabs:
        t.join()
    elapsed = time.monotonic() - started
    p95s = _report(title, figures, elapsed, memory)
    worker_cpu = _cpu_seconds(installation.worker.pid) - worker_cpu
    print(
        f"  the task worker (printing after approvals) used {worker_cpu:.0f} s of CPU"
    )
    return p95s


def _report(title, figures, elapsed, memory):
    print(f"\n{title}")
    total = sum(len(t) for t in figures.times.values())
    errors = sum(figures.errors.values())
    print(
        f"  {total} requests in {elapsed:.0f} s = {total / elapsed:.1f} requests/s,"
        f" {errors} errors"
    )
    print(f"  {'page':<24}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}")
    p95s = {}
    for page, times in sorted(figures.times.items()):
        ms = sorted(t * 1000 for t in times)
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        p95s[page] = p95
        goal = "  (goal < 300)" if page in PAGES_WITH_A_GOAL else ""
        print(
            f"  {page:<24}{len(ms):>6}{statistics.median(ms):>9.0f}{p95:>9.0f}"
            f"{ms[-1]:>9.0f}{figures.errors[page]:>8}{goal}"
        )
    peak_worker = max((max(s) for s in memory if s), default=0)
    peak_sum = max((sum(s) for s in memory), default=0)
    print(
        f"  worker memory: largest {peak_worker:.0f} MiB,"
        f" all {WORKERS} together {peak_sum:.0f} MiB at most"
    )
    return p95s


def _time_backup(installation):
    backups = installation.work / "backups"
    seconds, _ = _manage(installation.env, "backup", "-o", str(backups))
    (archive,) = backups.glob("*.tar.gz")
    print(
        f"\nbackup (PostgreSQL, pg_dump): {seconds:.1f} s (goal < 30 s),"
        f" {archive.stat().st_size / 2**20:.1f} MiB"
    )
    restored = f"{DATABASE}_restore"
    _fresh_database(restored)
    env = {
        **installation.env,
        "DATABASE_URL": f"{SERVER}/{restored}",
        "MEDIA_ROOT": str(installation.work / "restored-media"),
    }
    seconds, said = _manage(env, "restore", str(archive))
    print(f"restore into an empty database: {seconds:.1f} s (goal < 30 s)\n  {said}")
    _admin_sql(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')


def main():
    installation = Installation()
    print(
        f"load test on {os.cpu_count()} cores: gunicorn with {WORKERS} workers,"
        " PostgreSQL"
    )
    installation.prepare()
    installation.start()
    try:
        normal = run(
            installation,
            f"20 users, {THINK:.1f} s between clicks, {SECONDS} s",
            think=THINK,
        )
        hostile_run = run(
            installation,
            "the same 20 users and one hostile user in four tabs (the worst Word"
            f" files, sheet bombs, oversized posts), {SECONDS} s",
            think=THINK,
            with_hostile=True,
        )
        print(
            "  the 20 users' p95 without and with the hostile user (goal: with"
            " ≤ 2 × without):"
        )
        pages = [*PAGES_WITH_A_GOAL, "save", "submit", "review page", "approve"]
        for page in pages:
            if page in normal and page in hostile_run:
                print(
                    f"    {page:<14}{normal[page]:>7.0f} ms{hostile_run[page]:>7.0f} ms"
                    f"  × {hostile_run[page] / normal[page]:.2f}"
                )
        run(
            installation,
            f"20 users without pauses, {SECONDS} s (the most this machine answers)",
            think=0,
        )
    finally:
        installation.stop()
    _time_backup(installation)
    _admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


if __name__ == "__main__":
    main()
