"""Settings for the 绩效目标申报 application, read from the environment.

DATABASE_URL   unset: SQLite file db.sqlite3 beside manage.py; postgres://…: PostgreSQL
SECRET_KEY     required unless DEBUG is on
DEBUG          off unless set
ALLOWED_HOSTS  comma-separated; defaults to localhost when DEBUG is on
"""

from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-key-never-used-with-debug-off"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    # Before django_tasks_db: our `db_worker` (with leases) replaces theirs.
    "declarations",
    "indicators",
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a logged-in user unless it is marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "declarations.http.private_responses",
    "declarations.http.explained_refusals",
]

# Logins (declarations/logins.py), counting the wrong passwords of the last
# LOGIN_WINDOW_MINUTES: LOGIN_PAIR_LIMIT of one account from one address lock
# that pair, and LOGIN_ADDRESS_LIMIT from one address on LOGIN_ADDRESS_ACCOUNTS
# accounts or more lock the address, each for LOGIN_LOCK_MINUTES. An account
# is never locked for everyone: from its LOGIN_SLOWDOWN_AFTER-th wrong
# password on, its next login waits a retry-after that doubles from 1 s up to
# LOGIN_SLOWDOWN_MAX_SECONDS. An administrator unlocks in the admin (登录锁定,
# 账号放慢) or with `manage.py unlock_login`.
LOGIN_WINDOW_MINUTES = env_int("LOGIN_WINDOW_MINUTES", 15, minimum=1)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15, minimum=1)
LOGIN_PAIR_LIMIT = env_int("LOGIN_PAIR_LIMIT", 10, minimum=1)
LOGIN_ADDRESS_LIMIT = env_int("LOGIN_ADDRESS_LIMIT", 100, minimum=1)
LOGIN_ADDRESS_ACCOUNTS = env_int("LOGIN_ADDRESS_ACCOUNTS", 5, minimum=1)
LOGIN_SLOWDOWN_AFTER = env_int("LOGIN_SLOWDOWN_AFTER", 5, minimum=1)
LOGIN_SLOWDOWN_MAX_SECONDS = env_int("LOGIN_SLOWDOWN_MAX_SECONDS", 60, minimum=1)
# The variables of the old policy would now be ignored without a word.
for _gone, _instead in [
    ("LOGIN_FAILURE_LIMIT", "LOGIN_PAIR_LIMIT"),
    ("LOGIN_LOCKOUT_MINUTES", "LOGIN_LOCK_MINUTES"),
]:
    if env_str(_gone) is not None:
        raise ImproperlyConfigured(
            f"{_gone} is no longer read; set {_instead} (README, Logins)."
        )
# The guard refuses a locked or slowed-down login before any password is
# checked.
AUTHENTICATION_BACKENDS = [
    "declarations.logins.LoginGuard",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "declarations.context_processors.navigation",
                "declarations.context_processors.post_limits",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL"), sqlite_path=BASE_DIR / "db.sqlite3"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords: at least 8 characters of three kinds, not like the user's name,
# not a common password or a common word with a year added, each refused
# with a message in Chinese (declarations/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "declarations.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "declarations.passwords.CharacterKindsValidator"},
    {"NAME": "declarations.passwords.CommonWordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed from the npm registry by `npm ci`; never committed.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Generated files (kept PDFs); never served directly, only through views that
# check who may read them.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# Where `manage.py backup` writes its archives unless told otherwise.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))

# Background work (printing after approval, the department book) runs in
# `manage.py db_worker` processes that share the database; no broker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker renews the lease of the task it runs every TASK_HEARTBEAT_SECONDS;
# a task whose lease is older than TASK_LEASE_SECONDS lost its worker and is
# queued again (printing, packing, an import) at most TASK_REQUEUES times,
# else it fails and its page says so (declarations/leases.py).
TASK_HEARTBEAT_SECONDS = env_int("TASK_HEARTBEAT_SECONDS", 30, minimum=1)
TASK_LEASE_SECONDS = env_int(
    "TASK_LEASE_SECONDS", 180, minimum=2 * TASK_HEARTBEAT_SECONDS + 1
)
TASK_REQUEUES = env_int("TASK_REQUEUES", 3, minimum=0)
# Changes of a department's book within this many seconds are laid out once.
BOOK_LAYOUT_DELAY = env_int("BOOK_LAYOUT_DELAY", 10)
# A book not yet prepared is laid out during the download up to this many
# tables; a larger one is prepared in the background and the page says so.
BOOK_RENDER_IN_REQUEST_MAX = env_int("BOOK_RENDER_IN_REQUEST_MAX", 30)
# A table estimated to print past this many pages cannot be submitted, and
# its draft PDF is refused with a message (a table of 416 pages took 55 s).
PRINT_MAX_PAGES = env_int("PRINT_MAX_PAGES", 50)
# Laying out one PDF during a request stops after this many seconds.
PRINT_SECONDS = env_int("PRINT_SECONDS", 30)
# Processes that lay out the parts of a large book at once (0: one per core).
PRINT_PROCESSES = env_int("PRINT_PROCESSES", 0)

# Spreadsheet import limits: a larger file gets a clear message, never a 500.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 2**20)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20000)
# What an .xlsx (a zip) may unpack to: 20,000 full rows take about 40 MB.
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 100 * 2**20)
# A file is parsed in a child process that may grow by this much and live
# this long; 20,000 rows of 25 filled columns take about 2 s and 90 MB.
IMPORT_PARSE_MEMORY = env_int("IMPORT_PARSE_MEMORY", 200 * 2**20)
IMPORT_PARSE_SECONDS = env_int("IMPORT_PARSE_SECONDS", 10)
# A .doc, .wps, RTF or web page is made a .docx by LibreOffice (the program
# of WORD_CONVERTER; Debian's libreoffice-writer-nogui), in a process killed
# after WORD_CONVERT_SECONDS (a cold start takes 2 to 3 s) and limited to
# WORD_CONVERT_MEMORY of address space (it starts within 500 MB). With the
# reading after it, a request stays within gunicorn's 60 s.
WORD_CONVERTER = env_str("WORD_CONVERTER", "soffice")
WORD_CONVERT_SECONDS = env_int("WORD_CONVERT_SECONDS", 40, minimum=1)
WORD_CONVERT_MEMORY = env_int("WORD_CONVERT_MEMORY", 2**30)
# An upload whose preview is not confirmed is removed after this many hours.
IMPORT_UPLOAD_HOURS = env_int("IMPORT_UPLOAD_HOURS", 24)
# Declarations one import may bring (the 20,000 rows' spirit); an import of
# more than IMPORT_IN_REQUEST_MAX is written by a task worker, with a page
# that follows it, instead of within the request.
IMPORT_MAX_DECLARATIONS = env_int("IMPORT_MAX_DECLARATIONS", 20000)
IMPORT_IN_REQUEST_MAX = env_int("IMPORT_IN_REQUEST_MAX", 100)
# Reading an upload is heavy work: one at a time per user, and at most
# HEAVY_UPLOADS_AT_ONCE in all, so that of the WORKERS web workers (gunicorn's
# --workers, 4 by default) a quarter always serve pages.
WEB_WORKERS = env_int("WORKERS", 4, minimum=1)
HEAVY_UPLOADS_AT_ONCE = env_int(
    "HEAVY_UPLOADS_AT_ONCE", max(1, WEB_WORKERS - -(-WEB_WORKERS // 4)), minimum=1
)
# How long a request's hold on an upload counts at most (gunicorn kills a
# request after 60 s; a killed worker's hold then lapses by itself).
HEAVY_UPLOAD_SECONDS = 90
# After a file refused as unreadable or wrong, its user waits this many
# times the time it took before the next upload (under half a second: none).
HEAVY_UPLOAD_REST = 2
# The largest page a form allows (200 indicator rows of 1,300 characters)
# posts 0.8 MB and 2,010 fields: the forms post multipart, a Chinese
# character 3 bytes. Form-encoded it would be 9, and Python decodes that at
# about 85 bytes of memory a byte: 2 MB so cost a worker 170 MB, 4 MB 320.
# Past these limits a post gets a page that says what to do, and
# static/js/limits.js stops it in the browser, the text still on the page.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 2**19  # 1.5 MB
DATA_UPLOAD_MAX_NUMBER_FIELDS = 3000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 2**20

# Admin import/export (organizations, taxonomy): all or nothing, formulas escaped.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "jixiao@localhost")

# Deployed behind HTTPS unless told otherwise; DEBUG (the dev server) never is.
HTTPS = env_bool("HTTPS", not DEBUG)
# Links to other sites carry no path of this one (Django's default, stated).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind the proxy, the address a login is counted against is the one the
# proxy forwards (nginx: X-Forwarded-For $proxy_add_x_forwarded_for), as
# declarations.http.client_address reads it.
SESSION_COOKIE_HTTPONLY = True
# Pages run only this site's own files: no inline script or style anywhere
# (behaviour lives in static/js, looks in static/css), nothing from elsewhere.
# Bootstrap draws its form icons as data: SVGs from its stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "declarations.views.general.csrf_failure"
