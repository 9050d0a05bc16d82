"""
Settings of the stand-in LMS: a Django project that loads panorama-openedx exactly as the LMS does
(entry points, ``get_plugin_apps``, ``add_plugins``) over tables with the LMS's real schemas.

Environment:
- ``DATABASE_URL``: ``mysql://user:pass@host:port/name`` or ``sqlite:///path`` (default: the embedded
  SQLite file ``var/lms.sqlite3``);
- ``LMS_HOST``: the LMS host (``LMS_BASE``), default ``local.openedx.io``;
- ``LMS_STUB_ENTERPRISE``: ``false`` leaves the edx-enterprise tables out, as in an LMS without it;
- any ``PANORAMA_*``: passed to the plugin as the LMS YAML would (``ENV_TOKENS``).
"""
import os
import secrets
from pathlib import Path

from edx_django_utils.plugins import add_plugins, get_plugin_apps

from lms_stub.database_url import database_from_url

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LMS_STUB_VAR", REPO_ROOT / "var"))
PROJECT_TYPE = "lms.djangoapp"

SECRET_KEY = os.environ.get("LMS_STUB_SECRET_KEY", "stand-in-lms-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

LMS_BASE = os.environ.get("LMS_HOST", "local.openedx.io")
LMS_ROOT_URL = f"https://{LMS_BASE}"
AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None

DATABASES = {
    "default": database_from_url(os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lms.sqlite3'}")),
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "rest_framework",
    "lms_stub.core",
]
if os.environ.get("LMS_STUB_ENTERPRISE", "true").lower() not in ("0", "false", "no", "off"):
    INSTALLED_APPS.append("lms_stub.enterprise")
INSTALLED_APPS.extend(get_plugin_apps(PROJECT_TYPE))  # as lms/envs/common.py does
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Rebuilds the JWT cookie the MFEs send in two halves (edx-drf-extensions), as the LMS does.
    "edx_rest_framework_extensions.auth.jwt.middleware.JwtAuthCookieMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "lms_stub.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
STATIC_URL = "/static/"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}


def _signing_keys():
    """An RSA key pair made at start-up: the LMS signs the MFEs' JWTs with its private JWK (RS512)."""
    import json  # pylint: disable=import-outside-toplevel

    from cryptography.hazmat.primitives.asymmetric import rsa  # pylint: disable=import-outside-toplevel
    from jwt.algorithms import RSAAlgorithm  # pylint: disable=import-outside-toplevel

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = {**json.loads(RSAAlgorithm.to_jwk(key)), "kid": "stand-in"}
    public = {**json.loads(RSAAlgorithm.to_jwk(key.public_key())), "kid": "stand-in"}
    return json.dumps(private), json.dumps({"keys": [public]})


_PRIVATE_JWK, _PUBLIC_JWKS = _signing_keys()
# JWTs as the LMS issues them to the MFEs. Without JWT_PUBLIC_SIGNING_JWK_SET, edx-drf-extensions
# would accept any signature (it verifies against an empty key set); the LMS always sets it.
JWT_AUTH = {
    "JWT_PRIVATE_SIGNING_JWK": _PRIVATE_JWK,
    "JWT_PUBLIC_SIGNING_JWK_SET": _PUBLIC_JWKS,
    "JWT_SIGNING_ALGORITHM": "RS512",
    "JWT_ISSUERS": [{"ISSUER": f"{LMS_ROOT_URL}/oauth2", "AUDIENCE": "lms-key",
                     "SECRET_KEY": os.environ.get("LMS_STUB_JWT_SECRET") or secrets.token_urlsafe(32)}],
    "JWT_ALGORITHM": "HS256",
    "JWT_AUTH_COOKIE": "edx-jwt-cookie",
    "JWT_AUTH_COOKIE_HEADER_PAYLOAD": "edx-jwt-cookie-header-payload",
    "JWT_AUTH_COOKIE_SIGNATURE": "edx-jwt-cookie-signature",
    "JWT_AUTH_HEADER_PREFIX": "JWT",
    "JWT_DECODE_HANDLER": "edx_rest_framework_extensions.auth.jwt.decoder.jwt_decode_handler",
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"panorama_openedx": {"handlers": ["console"], "level": "INFO"}},
}

# The split modulestore as Tutor configures it. No MongoDB runs here: with LMS_STUB_MONGOMOCK=true the
# stand-in serves these documents from mongomock, loaded from the files seed_lms writes (var/modulestore).
DOC_STORE_CONFIG = {
    "host": os.environ.get("MONGODB_HOST", "mongodb"), "port": int(os.environ.get("MONGODB_PORT", "27017")),
    "db": "openedx", "user": None, "password": None, "collection": "modulestore", "ssl": False,
    "authsource": "admin", "replicaSet": None, "connect": False,
}
MODULESTORE = {"default": {"ENGINE": "xmodule.modulestore.mixed.MixedModuleStore", "OPTIONS": {"mappings": {}, "stores": [
    {"NAME": "split", "ENGINE": "xmodule.modulestore.split_mongo.split_draft.DraftVersioningModuleStore",
     "DOC_STORE_CONFIG": DOC_STORE_CONFIG, "OPTIONS": {}},
]}}}
LMS_STUB_MONGOMOCK = os.environ.get("LMS_STUB_MONGOMOCK", "").lower() in ("1", "true", "yes", "on")

# Celery as the LMS configures it (old setting names); beat entries are added by the plugins.
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", BROKER_URL)
CELERYBEAT_SCHEDULE = {}

# The LMS's tracking backends (lms/envs/common.py); the plugin adds its own beside them.
EVENT_TRACKING_BACKENDS = {
    "tracking_logs": {
        "ENGINE": "eventtracking.backends.routing.RoutingBackend",
        "OPTIONS": {"backends": {"logger": {"ENGINE": "eventtracking.backends.logger.LoggerBackend",
                                            "OPTIONS": {"name": "tracking", "max_event_size": 50000}}},
                    "processors": []},  # the LMS adds track.shim's legacy-field processors here
    },
}

# The YAML of a real LMS; here, the PANORAMA_* variables of the environment.
ENV_TOKENS = {name: value for name, value in os.environ.items() if name.startswith("PANORAMA_")}

add_plugins(__name__, PROJECT_TYPE, "common")  # end of lms/envs/common.py
add_plugins(__name__, PROJECT_TYPE, "production")  # end of lms/envs/production.py
