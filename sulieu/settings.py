"""The one settings module: every value comes from an environment variable with a safe default.

See sulieu/config.py for the helpers and README.md for the variables.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sulieu.config import (
    BASE_DIR,
    data_dir,
    database_config,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    replica_config,
    secret_key,
)

DATA_DIR = data_dir()
SECRET_KEY = secret_key(DATA_DIR)
# Where the key lives (never importable into the archive: archive.safepaths).
SECRET_KEY_FILE = env_str("SULIEU_SECRET_KEY_FILE", str(DATA_DIR / "secret_key"))
DEBUG = env_bool("SULIEU_DEBUG", False)
ALLOWED_HOSTS = env_list("SULIEU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SULIEU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "orgs",
    "archive",
    "search",
    "reading",
    "interop",
    "oversight",
    "contests",
    "books",
    "portal",
    # back office
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Last: its ready() customises Wagtail's registries after Wagtail has filled them.
    "sulieu",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sulieu.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sulieu.security.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.fastpath.CachedArticleMiddleware",  # last: anonymous GETs of cached articles skip page routing
]

ROOT_URLCONF = "sulieu.urls"
WSGI_APPLICATION = "sulieu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Overrides of third-party templates (Wagtail branding) live here.
        "DIRS": [BASE_DIR / "sulieu" / "overrides"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_config(DATA_DIR)}
# Search and reading pages may read from a streaming replica (core/replica.py); writes always go to default.
if (_replica := replica_config(DATA_DIR, env_str("SULIEU_REPLICA_DATABASE_URL", ""))) is not None:
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Search index (search/backends): FTS5 on SQLite, tsvector/GIN on PostgreSQL, chosen by the database in use.
SULIEU_SEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database.DatabaseBackend", "OPTIONS": {}}}

# Archive limits and pipeline (README → Settings).
SULIEU_ARCHIVE_MAX_BYTES = env_int("SULIEU_ARCHIVE_MAX_BYTES", 1024 * 1024 * 1024)  # largest file ingested
SULIEU_MAX_UNZIPPED_BYTES = env_int("SULIEU_MAX_UNZIPPED_BYTES", 300 * 1024 * 1024)  # DOCX/ODT unpacked
SULIEU_MAX_IMAGE_PIXELS = env_int("SULIEU_MAX_IMAGE_PIXELS", 120_000_000)
SULIEU_PIPELINE_INLINE = env_bool("SULIEU_PIPELINE_INLINE", True)  # cheap steps follow in the same task
SULIEU_FIXITY_INTERVAL_DAYS = env_float("SULIEU_FIXITY_INTERVAL_DAYS", 7.0, minimum=0.001)
# How often a worker looks for work that a killed or vanished process held (its lease ran out or it died).
SULIEU_RECOVER_SECONDS = env_float("SULIEU_RECOVER_SECONDS", 60.0, minimum=0.5)
SULIEU_OCR_LANGUAGES = env_str("SULIEU_OCR_LANGUAGES", "vie")  # tesseract languages, "vie+eng"
SULIEU_OCR_ENGINE = env_str("SULIEU_OCR_ENGINE", "archive.ocr.tesseract.tesseract_page")  # dotted path of the page OCR

CACHES = {
    "default": {
        # File-based so that every server process and the worker share counters (login throttle).
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}
# Contest rate-limit counters (contests/ratelimit.py): in Redis/Valkey, shared by every process and machine,
# when SULIEU_REDIS_URL is set (a contest day); otherwise in each process's memory.
CACHES["contests"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("SULIEU_REDIS_URL")}
    if env_str("SULIEU_REDIS_URL") else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                         "LOCATION": "contests"}
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["sulieu.auth.ThrottledModelBackend"]
# Login throttling (orgs/logins.py): per user name, and per address for unknown names only.
LOGIN_THROTTLE_ATTEMPTS = env_int("SULIEU_LOGIN_ATTEMPTS", 5)
LOGIN_THROTTLE_ADDRESS_ATTEMPTS = env_int("SULIEU_LOGIN_ADDRESS_ATTEMPTS", 20)
LOGIN_THROTTLE_DELAY = env_int("SULIEU_LOGIN_DELAY_SECONDS", 60)
LOGIN_THROTTLE_MAX_DELAY = env_int("SULIEU_LOGIN_MAX_DELAY_SECONDS", 3600)
LOGIN_THROTTLE_WINDOW = env_int("SULIEU_LOGIN_WINDOW_SECONDS", 86400)
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
TRUSTED_PROXIES = env_list("SULIEU_TRUSTED_PROXIES", [])
try:
    for _proxy in TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy, strict=False)
except ValueError as exc:
    raise ImproperlyConfigured(f"SULIEU_TRUSTED_PROXIES: {exc}") from None
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "/"

# Cookies are Secure whenever the site is served over HTTPS; `sulieu serve` on loopback HTTP turns
# this off explicitly (SULIEU_SECURE_COOKIES=0) because browsers drop Secure cookies on plain http.
SECURE_COOKIES = env_bool("SULIEU_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_REFERRER_POLICY = "same-origin"
# HSTS on HTTPS responses whenever cookies are Secure (the site is meant to be reached over HTTPS only).
SECURE_HSTS_SECONDS = env_int("SULIEU_HSTS_SECONDS", 31536000) if SECURE_COOKIES else 0
# Content-Security-Policy (django-csp, sulieu/security.py; README → Security headers): our own scripts,
# styles and images only. No inline script or style, no eval: behaviour lives in static files
# (sulieu/static/sulieu/site.js for the small shared bits), htmx is told not to inject its indicator
# <style> nor eval (meta htmx-config in the base templates). NONCE is there for an inline <script> or
# <style> that must stay: give it nonce="{{ request.csp_nonce }}" (the header names a nonce only when a
# page used one: the item page's OpenSeadragon <style>, reading/templates/reading/item.html).
# img-src data:/blob: for OpenSeadragon, which may draw a page through a blob URL.
CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, NONCE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [SELF],
    "form-action": [SELF],
}
# SULIEU_CSP_REPORT_ONLY=1 sends the same policies as Content-Security-Policy-Report-Only (the browser
# reports violations in its console instead of blocking): for trying a customised template.
SULIEU_CSP_REPORT_ONLY = env_bool("SULIEU_CSP_REPORT_ONLY", False)
CONTENT_SECURITY_POLICY = None if SULIEU_CSP_REPORT_ONLY else {"DIRECTIVES": CSP_DIRECTIVES}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CSP_DIRECTIVES} if SULIEU_CSP_REPORT_ONLY else None
# The back office has its own policy (sulieu/security.py). Wagtail 8.0's admin cannot run under the
# strict one: its form widgets write inline <script>s (ImageChooser, PageChooser, DateTimeChooser,
# InlinePanel; rendered without the request, so they cannot carry a nonce), and its jQuery inserts
# inline scripts and styles when a chooser modal or a new inline form opens (wagtail/wagtail#1288, #7053).
# So under /admin/ scripts and styles may be inline ('unsafe-inline'; no nonce there, as a nonce would
# switch 'unsafe-inline' off), but inline event handlers (onclick=, onerror=: the usual injected payload)
# stay forbidden (script-src-attr 'none'), no eval, and every source is still our own. The login and
# password-reset pages, which anyone can reach, keep the strict policy.
SULIEU_CSP_ADMIN = {
    "PREFIXES": ["/admin/"],
    "STRICT_PREFIXES": ["/admin/login/", "/admin/password_reset/"],
    "DIRECTIVES": {
        **CSP_DIRECTIVES,
        "script-src": [SELF, UNSAFE_INLINE],
        "script-src-attr": [NONE],
        "style-src": [SELF, UNSAFE_INLINE],
    },
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sulieu" / "locale"]
TIME_ZONE = env_str("SULIEU_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["sulieu.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Originals and derivatives of the archive (content-addressed, see archive.storage).
# SULIEU_FILES_DIR puts them on a store that several machines share (each keeps its own data directory).
FILES_ROOT = Path(env_str("SULIEU_FILES_DIR", "") or DATA_DIR / "files").expanduser().resolve()
MEDIA_URL = "/media/"
MEDIA_ROOT = FILES_ROOT / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = env_bool("SULIEU_STATIC_FINDERS", False)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp")
# E-mail (reminders): written to files under the data directory until an SMTP backend is configured.
EMAIL_BACKEND = env_str("SULIEU_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("SULIEU_DEFAULT_FROM_EMAIL", "sulieu@localhost")

# Background work: Django's tasks API on the database backend (django-tasks-db). More workers on more
# machines is a matter of running `sulieu worker` there. SULIEU_TASKS_IMMEDIATE=1 runs tasks inline.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("SULIEU_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default", "ocr", "index"],
    }
}

WAGTAIL_SITE_NAME = "Sử liệu"
WAGTAILADMIN_USER_LOGIN_FORM = "sulieu.forms.SulieuLoginForm"
WAGTAILADMIN_BASE_URL = env_str("SULIEU_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAILDOCS_EXTENSIONS = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no requests to outside services
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain",
                    "level": env_str("SULIEU_CONSOLE_LOG_LEVEL", "WARNING")},
        "file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": str(DATA_DIR / "logs" / "sulieu.log"),
            "maxBytes": 10 * 1024 * 1024,
            "backupCount": 5,
            "formatter": "plain",
            "encoding": "utf-8",
        },
    },
    "root": {"handlers": ["console", "file"], "level": env_str("SULIEU_LOG_LEVEL", "WARNING")},
    "loggers": {
        "sulieu": {"level": env_str("SULIEU_LOG_LEVEL", "INFO"), "propagate": True},
    },
}
