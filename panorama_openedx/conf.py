"""
The one typed, immutable view of the PANORAMA_* settings.

Every other module reads its configuration through ``get_settings()``: values are parsed, derived and
validated here, once, so that a bad value is reported in one place (``manage.py check``, see
``checks.py``) with the setting's name, the value and what is accepted, instead of surfacing later as
an odd failure deep inside an export or an embed call.
"""
from __future__ import annotations

import difflib
import enum
import functools
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from panorama_openedx.extract.catalogue import TableSpec, apply_overrides
from panorama_openedx.settings.common import DEFAULTS


class Mode(str, enum.Enum):
    """How Panorama runs: who hosts the data and the dashboards."""

    DEMO = "DEMO"
    FREE = "FREE"
    SAAS = "SAAS"
    CUSTOM = "CUSTOM"

    def __str__(self):
        return self.value

    @property
    def extracts(self) -> bool:
        """Whether LMS tables are exported to the datalake in this mode."""
        return self is not Mode.DEMO

    @property
    def ships_tracking_logs(self) -> bool:
        """Whether tracking events are shipped to the raw-logs bucket in this mode."""
        return self in (Mode.SAAS, Mode.CUSTOM)


class Secret:
    """A credential that never shows itself in logs, error messages or ``repr()``."""

    __slots__ = ("_value",)
    MASK = "********"

    def __init__(self, value: str = ""):
        self._value = value or ""

    def reveal(self) -> str:
        """The clear value, for the one call that needs it (a boto3 client, a signature)."""
        return self._value

    def __bool__(self):
        return bool(self._value)

    def __eq__(self, other):
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self):
        return hash(self._value)

    def __str__(self):
        return self.MASK if self._value else ""

    def __repr__(self):
        return f"Secret({str(self)!r})"


@dataclass(frozen=True)
class Crontab:
    """A five-field crontab line (UTC), as Tutor's PANORAMA_CRONTAB gives it."""

    minute: str
    hour: str
    day_of_month: str
    month_of_year: str
    day_of_week: str

    def __str__(self):
        return " ".join((self.minute, self.hour, self.day_of_month, self.month_of_year, self.day_of_week))

    def schedule(self):
        """The Celery beat schedule for this line."""
        from celery.schedules import crontab  # pylint: disable=import-outside-toplevel

        return crontab(
            minute=self.minute,
            hour=self.hour,
            day_of_month=self.day_of_month,
            month_of_year=self.month_of_year,
            day_of_week=self.day_of_week,
        )


@dataclass(frozen=True)
class PanoramaSettings:  # pylint: disable=too-many-instance-attributes
    """Validated PANORAMA_* settings; build it with ``get_settings()``."""

    mode: Mode
    bucket: str
    raw_logs_bucket: str
    base_prefix: str
    region: str
    aws_account_id: str
    aws_access_key: Secret
    aws_secret_access_key: Secret
    datalake_database: str
    datalake_workgroup: str
    crontab: Crontab
    use_split_mongo: bool
    mfe_enabled: bool
    mfe_port: int
    enable_student_view: bool
    default_user_arn: str
    debug: bool
    logs_total_file_size: int
    logs_upload_timeout: timedelta
    logs_upload_chunk_size: int
    lms_host: str
    datalake_dir: Path | None
    s3_endpoint_url: str
    database_alias: str
    tables: tuple[TableSpec, ...]
    modulestore_config: Mapping[str, Any] | None
    tracking_source: str
    tracking_log_path: Path | None
    tracking_redis_url: Secret
    tracking_stream_maxlen: int
    embed_session_minutes: int
    embed_allowed_domains: tuple[str, ...]
    demo_dashboards_url: str
    free_dashboards_url: str
    saas_dashboards_url: str
    provider_region: str
    provider_timeout: timedelta

    @property
    def extracts(self) -> bool:
        """Whether this instance exports its tables (FREE, SAAS, CUSTOM)."""
        return self.mode.extracts

    @property
    def uses_local_datalake(self) -> bool:
        """The embedded default: no bucket, a local folder holds the datalake."""
        return not self.bucket and self.datalake_dir is not None

    def describe(self) -> list[tuple[str, str]]:
        """(setting name, display value) pairs, secrets masked, for humans."""
        return [(spec.setting, _display(getattr(self, spec.attr), spec.size)) for spec in SPECS]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in the settings, worded for the operator."""

    setting: str
    message: str
    hint: str = ""
    check_id: str = "panorama.E001"


@dataclass(frozen=True)
class Validation:
    """The outcome of reading the settings: the object (when valid), errors and warnings."""

    settings: PanoramaSettings | None
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


class InvalidSettings(ImproperlyConfigured):
    """Raised by ``get_settings()`` when a PANORAMA_* setting is invalid."""

    def __init__(self, errors):
        self.errors = tuple(errors)
        lines = "\n".join(f"- {error.message}" for error in self.errors)
        super().__init__(f"Invalid Panorama settings (run `manage.py check` for details):\n{lines}")


# --- parsers: raw value (Python, YAML or environment string) -> typed value, or ValueError ----------

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _text(raw) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValueError("it is not a string")
    return raw.strip()


def _pattern(regex: str, flags=0) -> Callable[[Any], str]:
    compiled = re.compile(regex, flags)

    def parse(raw):
        value = _text(raw)
        if value and not compiled.fullmatch(value):
            raise ValueError("")
        return value

    return parse


def _mode(raw) -> Mode:
    try:
        return Mode(_text(raw).upper())
    except ValueError:
        raise ValueError("") from None


def _bool(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise ValueError("")


def _port(raw) -> int:
    if isinstance(raw, bool):
        raise ValueError("")
    try:
        port = int(raw)
    except (TypeError, ValueError):
        raise ValueError("") from None
    if not 1 <= port <= 65535 or (isinstance(raw, float) and raw != port):
        raise ValueError("")
    return port


_SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?", re.I)


def _size(minimum: int, maximum: int | None = None) -> Callable[[Any], int]:
    def parse(raw) -> int:
        if isinstance(raw, bool):
            raise ValueError("")
        if isinstance(raw, int):
            size = raw
        else:
            match = _SIZE.fullmatch(_text(raw))
            if not match:
                raise ValueError("")
            size = int(float(match.group(1)) * _SIZE_UNITS[match.group(2).upper()])
        return _within(size, minimum, maximum, _human_size)

    return parse


_DURATION_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+)\s*([smhd]?)", re.I)


def _duration(raw) -> timedelta:
    if isinstance(raw, bool):
        raise ValueError("")
    if isinstance(raw, int):
        seconds = raw
    elif isinstance(raw, timedelta):
        seconds = int(raw.total_seconds())
    else:
        match = _DURATION.fullmatch(_text(raw))
        if not match:
            raise ValueError("")
        seconds = int(match.group(1)) * _DURATION_UNITS[match.group(2).lower()]
    if seconds <= 0:
        raise ValueError("it must be longer than zero")
    return timedelta(seconds=seconds)


_CRON_MACROS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}


_CRON_FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")


def _crontab(raw) -> Crontab:
    text = _text(raw)
    text = _CRON_MACROS.get(text.lower(), text)
    parts = text.split()
    if len(parts) != 5:
        raise ValueError(f"it has {len(parts)} fields instead of 5")
    from celery.schedules import crontab  # pylint: disable=import-outside-toplevel

    for name, part in zip(_CRON_FIELDS, parts):
        try:
            crontab(**{name: part})
        except (ValueError, ZeroDivisionError) as exc:
            reason = str(exc).rstrip(".")
            if "literal" in reason and name != "day_of_week":
                reason = "not a number, range or step"
            raise ValueError(f"{name.replace('_', ' ')} field {part!r}: {reason}") from None
    return Crontab(*parts)


def _secret(raw) -> Secret:
    return Secret(_text(raw))


def _prefix(raw) -> str:
    value = _text(raw).strip("/")
    segments = value.split("/")
    if not value or any(s in ("", ".", "..") or not re.fullmatch(r"[A-Za-z0-9_.-]+", s) for s in segments):
        raise ValueError("")
    return value


def _directory(raw) -> Path | None:
    value = _text(raw) if not isinstance(raw, Path) else str(raw)
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute():
        raise ValueError("a relative path would depend on the working directory of each process")
    return path


def _url(raw) -> str:
    value = _text(raw)
    if value:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("")
    return value.rstrip("/")


def _identifier(raw) -> str:
    return _pattern(r"[a-z0-9_]{1,255}")(_text(raw).lower()) or _raise_empty()


def _tables(raw) -> tuple[TableSpec, ...]:
    if isinstance(raw, str):  # from an environment variable
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError as exc:
            raise ValueError(f"it is not valid JSON: {exc}") from None
    return apply_overrides(raw)


_MONGO_KEYS = {"host", "port", "db", "user", "password", "authsource", "auth_source", "authSource", "authMechanism",
               "replicaSet", "ssl", "tls", "collection", "connectTimeoutMS", "socketTimeoutMS",
               "serverSelectionTimeoutMS"}


def _mongo_config(raw) -> Mapping[str, Any] | None:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else None
        except json.JSONDecodeError:
            raise ValueError("it is not valid JSON") from None
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValueError("it is not a dictionary")
    unknown = set(raw) - _MONGO_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    if "port" in raw:
        _port(raw["port"])
    config = dict(raw)
    if "password" in config:
        config["password"] = Secret(str(config["password"] or ""))
    return MappingProxyType(config)


def _tracking_source(raw) -> str:
    value = _text(raw).lower()
    if value not in ("stream", "file"):
        raise ValueError("")
    return value


def _redis_url(raw) -> Secret:
    value = _text(raw)
    if value and urlsplit(value).scheme not in ("redis", "rediss", "unix"):
        raise ValueError("")
    return Secret(value)


def _count(minimum: int, maximum: int | None = None):
    def parse(raw) -> int:
        if isinstance(raw, bool):
            raise ValueError("")
        try:
            value = int(str(raw).replace("_", ""))
        except ValueError:
            raise ValueError("") from None
        return _within(value, minimum, maximum, str)

    return parse


def _within(value: int, minimum: int, maximum: int | None, show: Callable[[int], str]) -> int:
    if value < minimum:
        raise ValueError(f"it is below the minimum of {show(minimum)}")
    if maximum is not None and value > maximum:
        raise ValueError(f"it is above the maximum of {show(maximum)}")
    return value


def _origins(raw) -> tuple[str, ...]:
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)):
        raise ValueError("it is not a list")
    origins = []
    for item in items:
        parts = urlsplit(_text(item).strip())
        if parts.scheme != "https" or not parts.hostname or parts.path not in ("", "/") or parts.query:
            raise ValueError(f"{item!r} is not an https:// origin")
        origins.append(f"https://{parts.netloc}")
    return tuple(dict.fromkeys(origins))


def _embedding_origins(values, source):
    """The LMS and the Panorama MFE, over https: where the dashboards are embedded."""
    host = values.get("lms_host")
    urls = [f"https://{host}"] if host else []
    mfe_config = getattr(source, "MFE_CONFIG", None) or {}
    for key in ("PANORAMA_URL", "BASE_URL"):
        parts = urlsplit(str(mfe_config.get(key) or ""))
        if parts.hostname:
            urls.append(f"https://{parts.netloc}")
    return "PANORAMA_EMBED_ALLOWED_DOMAINS", urls


def _lms_redis(values, source):
    """The LMS's own Redis: its cache (Tutor: redis://@redis:6379/1), else its Celery broker."""
    caches = getattr(source, "CACHES", {}) or {}
    candidates = [("CACHES['default']['LOCATION']", (caches.get("default") or {}).get("LOCATION"))]
    candidates += [(name, getattr(source, name, None)) for name in ("BROKER_URL", "CELERY_BROKER_URL")]
    for origin, location in candidates:
        if isinstance(location, (list, tuple)):
            location = location[0] if location else None
        if isinstance(location, str) and location.startswith(("redis://", "rediss://")):
            return origin, location
    return "PANORAMA_TRACKING_REDIS_URL", ""


def _raise_empty():
    raise ValueError("it is empty")


def _required(parse: Callable[[Any], str]) -> Callable[[Any], str]:
    def required(raw):
        return parse(raw) or _raise_empty()

    return required


# --- what each setting is: its attribute, parser, accepted values and derived default --------------

@dataclass(frozen=True)
class _Spec:
    attr: str
    setting: str
    parse: Callable[[Any], Any]
    accepted: str
    # When the raw value is None or "": (name of the setting the value comes from, raw value).
    derive: Callable[[dict, Any], tuple[str, Any]] | None = None
    secret: bool = False
    # Modes in which the setting is used; elsewhere a bad value is only a warning.
    used_in: tuple[Mode, ...] = tuple(Mode)
    size: bool = False


def _from_bucket(values, source):
    return "PANORAMA_BUCKET", values.get("bucket", "")


def _from_lms(name):
    def derive(values, source):
        return name, getattr(source, name, None)

    return derive


def _default_arn(values, source):
    region, account, host = values.get("region"), values.get("aws_account_id"), values.get("lms_host")
    if region and account and host:
        return "PANORAMA_DEFAULT_USER_ARN", f"arn:aws:quicksight:{region}:{account}:user/default/{host}"
    return "PANORAMA_DEFAULT_USER_ARN", ""


def _default_alias(values, source):
    databases = getattr(source, "DATABASES", {}) or {}
    return "PANORAMA_DATABASE_ALIAS", "read_replica" if "read_replica" in databases else "default"


_BUCKET = r"(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"
_HOST = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?"
_ARN = r"arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:user/[A-Za-z0-9_.@+=,-]+/[^\s]+"
_QUICKSIGHT = (Mode.CUSTOM,)

SPECS: tuple[_Spec, ...] = (
    _Spec("mode", "PANORAMA_MODE", _mode, "one of DEMO, FREE, SAAS, CUSTOM"),
    _Spec("bucket", "PANORAMA_BUCKET", _pattern(_BUCKET), "an empty string or an S3 bucket name "
          "(3-63 characters: lower-case letters, digits, '.', '-')"),
    _Spec("raw_logs_bucket", "PANORAMA_RAW_LOGS_BUCKET", _pattern(_BUCKET), "an S3 bucket name, or None "
          "for PANORAMA_BUCKET", derive=_from_bucket),
    _Spec("base_prefix", "PANORAMA_BASE_PREFIX", _prefix, "a non-empty S3 key prefix such as 'openedx' "
          "(letters, digits, '_', '.', '-', segments separated by '/')"),
    _Spec("region", "PANORAMA_REGION", _required(_pattern(r"[a-z]{2}(-[a-z]+)+-\d+")),
          "an AWS region name such as 'us-east-1'"),
    _Spec("aws_account_id", "PANORAMA_AWS_ACCOUNT_ID", _pattern(r"\d{12}"),
          "an empty string or a 12-digit AWS account id", used_in=_QUICKSIGHT),
    _Spec("aws_access_key", "PANORAMA_AWS_ACCESS_KEY", _secret, "a string",
          derive=_from_lms("AWS_ACCESS_KEY_ID"), secret=True),
    _Spec("aws_secret_access_key", "PANORAMA_AWS_SECRET_ACCESS_KEY", _secret, "a string",
          derive=_from_lms("AWS_SECRET_ACCESS_KEY"), secret=True),
    _Spec("datalake_database", "PANORAMA_DATALAKE_DATABASE", _identifier,
          "a Glue database name (letters, digits and '_')"),
    _Spec("datalake_workgroup", "PANORAMA_DATALAKE_WORKGROUP", _required(_pattern(r"[A-Za-z0-9._-]{1,128}")),
          "an Athena workgroup name (letters, digits, '.', '_', '-')"),
    _Spec("crontab", "PANORAMA_CRONTAB", _crontab, "a five-field crontab line such as '55 * * * *' "
          "(minute hour day-of-month month day-of-week) or @hourly/@daily/@weekly/@monthly/@yearly"),
    _Spec("use_split_mongo", "PANORAMA_USE_SPLIT_MONGO", _bool, "True or False"),
    _Spec("mfe_enabled", "PANORAMA_MFE_ENABLED", _bool, "True or False"),
    _Spec("mfe_port", "PANORAMA_MFE_PORT", _port, "a TCP port number (1-65535)"),
    _Spec("enable_student_view", "PANORAMA_ENABLE_STUDENT_VIEW", _bool, "True or False"),
    _Spec("debug", "PANORAMA_DEBUG", _bool, "True or False"),
    _Spec("logs_total_file_size", "PANORAMA_LOGS_TOTAL_FILE_SIZE", _size(1024),
          "a size such as '50M' (a byte count, or a number with K, M or G: binary units), at least 1K",
          size=True),
    _Spec("logs_upload_timeout", "PANORAMA_LOGS_UPLOAD_TIMEOUT", _duration,
          "a duration such as '10m' (seconds, or a number with s, m, h or d), longer than zero"),
    _Spec("logs_upload_chunk_size", "PANORAMA_LOGS_UPLOAD_CHUNK_SIZE", _size(5 * 1024**2, 5 * 1024**3),
          "a size such as '10M' between 5M and 5G (the S3 multipart part limits)", size=True),
    _Spec("lms_host", "PANORAMA_LMS_HOST", _pattern(_HOST),
          "the LMS host name, optionally with ':port', without scheme or path (None: LMS_BASE)",
          derive=_from_lms("LMS_BASE")),
    _Spec("default_user_arn", "PANORAMA_DEFAULT_USER_ARN", _pattern(_ARN),
          "a QuickSight user ARN such as 'arn:aws:quicksight:us-east-1:123456789012:user/default/<name>'",
          derive=_default_arn, used_in=_QUICKSIGHT),
    _Spec("datalake_dir", "PANORAMA_DATALAKE_DIR", _directory, "an empty string or an absolute folder path"),
    _Spec("s3_endpoint_url", "PANORAMA_S3_ENDPOINT_URL", _url,
          "an empty string or an http(s):// URL of an S3-compatible service"),
    _Spec("database_alias", "PANORAMA_DATABASE_ALIAS", _required(_pattern(r"[A-Za-z0-9_-]+")),
          "the name of a database in DATABASES (None: 'read_replica' when it exists, else 'default')",
          derive=_default_alias),
    _Spec("tables", "PANORAMA_TABLES", _tables, "a dictionary {table: {'partition_fields': [...], "
          "'exclude_columns': [...], 'optional': bool} or None to stop exporting it} (JSON text accepted)"),
    _Spec("modulestore_config", "PANORAMA_MODULESTORE_CONFIG", _mongo_config,
          "None (the LMS's DOC_STORE_CONFIG) or a dictionary of DOC_STORE_CONFIG keys (host, port, db, user, "
          "password, authsource, replicaSet, ssl, collection, ...timeoutMS)", secret=True),
    _Spec("tracking_source", "PANORAMA_TRACKING_SOURCE", _tracking_source, "'stream' or 'file'"),
    _Spec("tracking_log_path", "PANORAMA_TRACKING_LOG_PATH", _directory, "an absolute file path"),
    _Spec("tracking_redis_url", "PANORAMA_TRACKING_REDIS_URL", _redis_url,
          "a redis://, rediss:// or unix:// URL (None: the LMS's cache or Celery broker Redis)",
          derive=_lms_redis, secret=True),
    _Spec("tracking_stream_maxlen", "PANORAMA_TRACKING_STREAM_MAXLEN", _count(1000),
          "a number of events, at least 1000"),
    _Spec("embed_session_minutes", "PANORAMA_EMBED_SESSION_MINUTES", _count(15, 600),
          "a number of minutes between 15 and 600 (QuickSight's limits)", used_in=_QUICKSIGHT),
    _Spec("embed_allowed_domains", "PANORAMA_EMBED_ALLOWED_DOMAINS", _origins,
          "a list of https:// origins (None: https://<LMS host> and the origin of MFE_CONFIG['PANORAMA_URL'])",
          derive=_embedding_origins, used_in=_QUICKSIGHT),
    _Spec("demo_dashboards_url", "PANORAMA_DEMO_DASHBOARDS_URL", _required(_url),
          "the http(s):// URL of the provider's demo dashboards API", used_in=(Mode.DEMO,)),
    _Spec("free_dashboards_url", "PANORAMA_FREE_DASHBOARDS_URL", _required(_url),
          "the http(s):// URL of the provider's FREE dashboards API", used_in=(Mode.FREE,)),
    _Spec("saas_dashboards_url", "PANORAMA_SAAS_DASHBOARDS_URL", _required(_url),
          "the http(s):// URL of the provider's SAAS dashboards API", used_in=(Mode.SAAS,)),
    _Spec("provider_region", "PANORAMA_PROVIDER_REGION", _required(_pattern(r"[a-z]{2}(-[a-z]+)+-\d+")),
          "an AWS region name such as 'us-east-1'", used_in=(Mode.FREE, Mode.SAAS)),
    _Spec("provider_timeout", "PANORAMA_PROVIDER_TIMEOUT", _duration,
          "a duration such as 30 or '30s' (seconds, or a number with s, m, h or d), longer than zero",
          used_in=(Mode.DEMO, Mode.FREE, Mode.SAAS)),
)

# PanoramaSettings declares its fields in this order for describe(); keep both lists complete.
assert {spec.attr for spec in SPECS} == set(PanoramaSettings.__dataclass_fields__)  # noqa: S101
assert {spec.setting for spec in SPECS} == set(DEFAULTS)  # noqa: S101


def validate(source=None) -> Validation:
    """Read, derive and check every PANORAMA_* setting of ``source`` (default: Django's settings)."""
    source = django_settings if source is None else source
    values: dict[str, Any] = {}
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for spec in SPECS:
        raw = getattr(source, spec.setting, DEFAULTS[spec.setting])
        origin = spec.setting
        if raw in (None, "") and spec.derive:
            origin, raw = spec.derive(values, source)
        try:
            values[spec.attr] = spec.parse(raw)
        except ValueError as exc:
            values[spec.attr] = None
            problem = _invalid(spec, origin, raw, str(exc))
            mode = values.get("mode")
            (errors if mode is None or mode in spec.used_in else warnings).append(problem)
    _cross_checks(values, source, errors, warnings)
    warnings.extend(_unknown_settings(source))
    settings = None if errors else PanoramaSettings(**values)
    return Validation(settings, tuple(errors), tuple(warnings))


@functools.lru_cache(maxsize=None)
def get_settings() -> PanoramaSettings:
    """The validated settings; raises InvalidSettings naming every bad value."""
    result = validate()
    if result.errors:
        raise InvalidSettings(result.errors)
    return result.settings


_DEPENDENCIES = {"LMS_BASE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "DATABASES", "MFE_CONFIG"}


@receiver(setting_changed)
def _forget_settings(setting, **kwargs):  # pylint: disable=unused-argument
    """Tests and reloads change settings at run time: rebuild the object on next use."""
    if setting.startswith("PANORAMA_") or setting in _DEPENDENCIES:
        get_settings.cache_clear()


def _invalid(spec: _Spec, origin: str, raw, reason: str) -> Problem:
    shown = "<hidden>" if spec.secret else repr(raw)
    where = spec.setting if origin == spec.setting else f"{spec.setting} (taken from {origin})"
    because = f" ({reason})" if reason else ""
    return Problem(
        setting=spec.setting,
        message=f"{where} = {shown} is not valid{because}: expected {spec.accepted}.",
        hint=f"Fix {origin} in the LMS settings (Tutor: `tutor config save --set {origin}=...`).",
    )


def _cross_checks(values, source, errors, warnings):
    mode = values.get("mode")
    if mode is not None and mode.extracts:
        if values.get("bucket") == "" and values.get("datalake_dir") is None:
            errors.append(Problem(
                "PANORAMA_BUCKET",
                f"PANORAMA_MODE = '{mode}' exports data, but neither PANORAMA_BUCKET nor PANORAMA_DATALAKE_DIR "
                "is set: there is nowhere to write the datalake.",
                "Set PANORAMA_BUCKET to an S3 bucket, or PANORAMA_DATALAKE_DIR to a local folder.",
                "panorama.E002",
            ))
        if values.get("lms_host") == "":
            errors.append(Problem(
                "PANORAMA_LMS_HOST",
                f"PANORAMA_MODE = '{mode}' exports data, but neither PANORAMA_LMS_HOST nor LMS_BASE is set: "
                "every datalake path holds lms=<LMS host>.",
                "Set PANORAMA_LMS_HOST (or LMS_BASE) to the LMS host name, e.g. 'lms.example.com'.",
                "panorama.E003",
            ))
    access, secret = values.get("aws_access_key"), values.get("aws_secret_access_key")
    if access is not None and secret is not None and bool(access) != bool(secret):
        missing = "PANORAMA_AWS_SECRET_ACCESS_KEY" if access else "PANORAMA_AWS_ACCESS_KEY"
        errors.append(Problem(
            missing,
            f"{missing} is empty while its pair is set: AWS credentials need both the access key and the secret.",
            "Set both, or neither to use the default AWS credential chain (instance role, environment).",
            "panorama.E004",
        ))
    if (mode is not None and mode.ships_tracking_logs and values.get("tracking_source") == "stream"
            and values.get("tracking_redis_url") is not None and not values["tracking_redis_url"]):
        errors.append(Problem(
            "PANORAMA_TRACKING_REDIS_URL",
            f"PANORAMA_MODE = '{mode}' ships tracking events from a Redis stream, but no Redis is known: "
            "PANORAMA_TRACKING_REDIS_URL is empty and the LMS's cache and Celery broker are not Redis.",
            "Set PANORAMA_TRACKING_REDIS_URL (redis://host:6379/0), or PANORAMA_TRACKING_SOURCE = 'file'.",
            "panorama.E006",
        ))
    alias = values.get("database_alias")
    databases = getattr(source, "DATABASES", {}) or {}
    if alias and alias not in databases:
        errors.append(Problem(
            "PANORAMA_DATABASE_ALIAS",
            f"PANORAMA_DATABASE_ALIAS = {alias!r} is not valid: expected one of the DATABASES aliases "
            f"({', '.join(sorted(databases)) or 'none defined'}).",
            "Use 'default', or the alias of the LMS read replica.",
            "panorama.E005",
        ))
    if values.get("bucket") and values.get("datalake_dir") is not None:
        warnings.append(Problem(
            "PANORAMA_DATALAKE_DIR",
            "PANORAMA_DATALAKE_DIR is ignored because PANORAMA_BUCKET is set: the datalake goes to S3.",
            "Clear one of the two settings.",
            "panorama.W002",
        ))
    if mode is Mode.CUSTOM and values.get("bucket") and values.get("aws_account_id") == "":
        warnings.append(Problem(
            "PANORAMA_AWS_ACCOUNT_ID",
            "PANORAMA_MODE = 'CUSTOM' with an S3 datalake but PANORAMA_AWS_ACCOUNT_ID is empty: QuickSight "
            "dashboards cannot be embedded.",
            "Set PANORAMA_AWS_ACCOUNT_ID to the 12-digit id of the AWS account that owns the dashboards.",
            "panorama.W003",
        ))
    for signed in (Mode.FREE, Mode.SAAS):
        url = values.get(f"{signed.value.lower()}_dashboards_url") or ""
        if mode is signed and url.startswith("http://"):
            warnings.append(Problem(
                f"PANORAMA_{signed.value}_DASHBOARDS_URL",
                f"PANORAMA_{signed.value}_DASHBOARDS_URL is plain http: the signed requests and the embed URLs "
                "of the answers can be read and replayed on the way.",
                "Use the provider's https:// address.",
                "panorama.W004",
            ))


def _unknown_settings(source):
    names = [name for name in dir(source) if name.startswith("PANORAMA_") and name not in DEFAULTS]
    for name in sorted(names):
        close = difflib.get_close_matches(name, DEFAULTS, n=1)
        yield Problem(
            name,
            f"{name} is not a Panorama setting and is ignored.",
            f"Did you mean {close[0]}?" if close else "See the Settings section of the README for the list.",
            "panorama.W010",
        )


def _human_size(size: int) -> str:
    for unit in ("T", "G", "M", "K"):
        if size >= _SIZE_UNITS[unit] and size % _SIZE_UNITS[unit] == 0:
            return f"{size // _SIZE_UNITS[unit]}{unit}"
    return f"{size} bytes"


def _without_userinfo(value):
    """URLs and URIs are shown without ``user:password@``."""
    return re.sub(r"//[^/@\s]*@", "//********@", value) if isinstance(value, str) else value


def _display(value, size: bool = False) -> str:
    if size:
        return f"{_human_size(value)} ({value} bytes)"
    if isinstance(value, timedelta):
        return f"{int(value.total_seconds())}s"
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={'********' if k == 'password' else _without_userinfo(v)}" for k, v in value.items())
    if isinstance(value, str) and "://" in value:
        return _without_userinfo(value)
    if isinstance(value, tuple) and value and isinstance(value[0], TableSpec):
        return f"{len(value)} tables: " + ", ".join(spec.name for spec in value)
    return str(value) if value not in (None, "") and str(value) else "(not set)"
