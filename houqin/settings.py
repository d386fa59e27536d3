"""Houqin settings, read from the environment with strict parsers (12-factor).

Every knob is an environment variable prefixed HOUQIN_; an optional `.env` file in the project root
is read first. Rules that vary by district or school are data (core.Policy), not settings.
"""

import os
import sys
from pathlib import Path

import dj_database_url

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def _read_dotenv(path: Path) -> None:
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


_read_dotenv(BASE_DIR / ".env")


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


DEBUG = env_bool("HOUQIN_DEBUG", False)
TESTING = env_bool("HOUQIN_TESTING", "pytest" in sys.modules)
SECRET_KEY = env("HOUQIN_SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING) and env_bool("HOUQIN_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("HOUQIN_SECRET_KEY must be set in production")
    # A stable per-checkout key so sessions survive restarts of a local install.
    _key_file = BASE_DIR / "var" / "secret_key"
    if _key_file.exists():
        SECRET_KEY = _key_file.read_text().strip()
    else:
        from django.core.management.utils import get_random_secret_key

        SECRET_KEY = get_random_secret_key()
        try:
            _key_file.parent.mkdir(parents=True, exist_ok=True)
            _key_file.write_text(SECRET_KEY)
        except OSError:
            pass

ALLOWED_HOSTS = [h.strip() for h in env("HOUQIN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("HOUQIN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
SITE_URL = env("HOUQIN_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "ninja",
    "houqin.core",
    "houqin.accounts",
    "houqin.orgs",
    "houqin.stock",
    "houqin.assets",
    "houqin.procurement",
    "houqin.safety",
    "houqin.visitors",
    "houqin.security",
    "houqin.health",
    "houqin.canteen",
    "houqin.transport",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "houqin.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "houqin.core.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "houqin.urls"
WSGI_APPLICATION = "houqin.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["houqin.accounts.backends.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "houqin.core.context_processors.shell",
            ],
        },
    },
]

# Database: SQLite under ./var by default; HOUQIN_DATABASE_URL selects another (postgresql://…).
DATA_DIR = Path(env("HOUQIN_DATA_DIR", str(BASE_DIR / "var")))
DATABASE_URL = env("HOUQIN_DATABASE_URL", f"sqlite:///{DATA_DIR / 'houqin.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("HOUQIN_DB_CONN_MAX_AGE", 60))
SQLITE_SYNCHRONOUS = env("HOUQIN_SQLITE_SYNCHRONOUS", "NORMAL").upper()
if SQLITE_SYNCHRONOUS not in {"NORMAL", "FULL"}:
    raise ImproperlyConfigured(f"HOUQIN_SQLITE_SYNCHRONOUS must be NORMAL or FULL, got {SQLITE_SYNCHRONOUS!r}")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # NORMAL is safe in WAL mode (a power cut may lose the last commits, never corrupt); FULL syncs every commit.
        "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous={SQLITE_SYNCHRONOUS}; PRAGMA foreign_keys=ON;",
    }
    _db["TEST"] = {"NAME": env("HOUQIN_TEST_SQLITE_NAME", "") or None}
else:
    _db.setdefault("OPTIONS", {})
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "houqin.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Login security (G7): lockout after N failures in a row, idle timeout.
HOUQIN_LOGIN_MAX_FAILURES = env_int("HOUQIN_LOGIN_MAX_FAILURES", 5)
HOUQIN_LOGIN_LOCK_MINUTES = env_int("HOUQIN_LOGIN_LOCK_MINUTES", 15)
HOUQIN_API_TOKEN_DAYS = env_int("HOUQIN_API_TOKEN_DAYS", 30)
SESSION_COOKIE_AGE = env_int("HOUQIN_SESSION_IDLE_MINUTES", 30) * 60
# Idle timeout: SessionIdleMiddleware refreshes the session (and its expiry) at most once a minute, so the cookie
# age measures idle time without a database write on every request.
HOUQIN_SESSION_TOUCH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("HOUQIN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

HOUQIN_UPLOAD_MAX_MB = env_int("HOUQIN_UPLOAD_MAX_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = HOUQIN_UPLOAD_MAX_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_PER_PAGE = 50
HOUQIN_PAGE_SIZE = env_int("HOUQIN_PAGE_SIZE", 50)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "filters": {"request_id": {"()": "houqin.core.middleware.RequestIdLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("HOUQIN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
