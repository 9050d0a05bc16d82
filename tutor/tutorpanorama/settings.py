"""
The plugin's configuration and how it becomes settings of the LMS.

Pure Python, no Tutor import: ``plugin.py`` registers these values with Tutor, and the tests read them
directly. Every name below is a Tutor configuration key without its ``PANORAMA_`` prefix.

Three kinds of keys:

* ``LMS_DEFAULTS``: settings of the panorama-openedx app that the plugin sets, with the defaults of the
  original tutor-contrib-panorama (the "seed"), so that existing ``config.yml`` files keep their meaning.
* ``APP_ONLY``: settings of the app without a Tutor default. Their Tutor value is ``None``, which means
  "not injected: the app's own default applies" (often derived from other LMS settings at read time). An
  operator who sets one (``tutor config save --set PANORAMA_TABLES='{...}'``) gets it injected as is.
* ``TUTOR_ONLY``: values used by the plugin itself (image, MFE, Kubernetes) and the seed's Fluent Bit and
  ELT-image keys, which are accepted and never injected into the LMS.

Any other ``PANORAMA_*`` key found in the configuration is injected too (the app reports unknown names, with
the closest match, in ``manage.py check``), so a setting added to the app can be used before the plugin
names it.
"""
from __future__ import annotations

import ast
import math
import re
from typing import Any, Mapping

from tutorpanorama.__about__ import __version__

PREFIX = "PANORAMA_"
MODES = ("DEMO", "FREE", "SAAS", "CUSTOM")
BEGIN_MARKER = "# BEGIN tutor-contrib-panorama: settings of panorama-openedx"
END_MARKER = "# END tutor-contrib-panorama"
TRACKING_LOGGER = "panorama_openedx.tracking"

LMS_DEFAULTS: dict[str, Any] = {
    "MODE": "DEMO",
    "BUCKET": "",
    "RAW_LOGS_BUCKET": "{{ PANORAMA_BUCKET }}",
    "BASE_PREFIX": "openedx",
    "REGION": "us-east-1",
    "AWS_ACCOUNT_ID": "",
    "AWS_ACCESS_KEY": "{{ OPENEDX_AWS_ACCESS_KEY }}",
    "AWS_SECRET_ACCESS_KEY": "{{ OPENEDX_AWS_SECRET_ACCESS_KEY }}",
    "DATALAKE_DATABASE": "panorama",
    "DATALAKE_WORKGROUP": "panorama",
    "CRONTAB": "55 * * * *",
    "USE_SPLIT_MONGO": True,
    "MFE_ENABLED": True,
    "MFE_PORT": 2100,
    "ENABLE_STUDENT_VIEW": True,
    # The seed's template; empty while there is no account id (an ARN without one is not valid).
    "DEFAULT_USER_ARN": (
        "{% if PANORAMA_AWS_ACCOUNT_ID %}arn:aws:quicksight:{{ PANORAMA_REGION }}:{{ PANORAMA_AWS_ACCOUNT_ID }}"
        ":user/default/{{ PANORAMA_LMS_HOST or LMS_HOST }}{% endif %}"
    ),
    "DEBUG": False,
    "LOGS_TOTAL_FILE_SIZE": "50M",
    "LOGS_UPLOAD_TIMEOUT": "10m",
    "LOGS_UPLOAD_CHUNK_SIZE": "10M",
}

# App settings the plugin leaves to the app (Tutor value None), and why.
APP_ONLY: dict[str, str] = {
    "LMS_HOST": "the app takes LMS_BASE, which Tutor sets to LMS_HOST",
    "DATALAKE_DIR": "a local-folder datalake is for single-host and demo installs; Tutor deployments use S3",
    "S3_ENDPOINT_URL": "only for S3-compatible stores (MinIO, Ceph); AWS needs none",
    "DATABASE_ALIAS": "the app picks 'read_replica' when DATABASES has it, else 'default'",
    "TABLES": "changes to the exported tables are per-site choices; the app's default is Panorama's set",
    "MODULESTORE_CONFIG": "the app reads the LMS's own DOC_STORE_CONFIG, which Tutor writes",
    "TRACKING_SOURCE": "the app's default, the Redis stream, works on docker compose and Kubernetes alike",
    "TRACKING_LOG_PATH": "only read with PANORAMA_TRACKING_SOURCE = 'file'; the app's default is Tutor's path",
    "TRACKING_REDIS_URL": "the app takes the LMS's cache Redis, which Tutor configures",
    "TRACKING_STREAM_MAXLEN": "a capacity choice with a sensible app default",
    "EMBED_SESSION_MINUTES": "QuickSight session lifetime; the app's default suits most sites",
    "EMBED_ALLOWED_DOMAINS": "the app derives them from LMS_BASE and MFE_CONFIG['PANORAMA_URL'], which the plugin sets",
    "DEMO_DASHBOARDS_URL": "the provider's API address, kept by the app",
    "FREE_DASHBOARDS_URL": "the provider's API address, kept by the app",
    "SAAS_DASHBOARDS_URL": "the provider's API address, kept by the app",
    "PROVIDER_REGION": "the provider's API region, kept by the app",
    "PROVIDER_TIMEOUT": "the app's default suits the provider's API",
}

# Credentials: injected only in the modes where the LMS uses them, and only when set.
SECRETS = ("AWS_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY")

# Values for the plugin itself: never written into the LMS settings.
TUTOR_DEFAULTS: dict[str, Any] = {
    "VERSION": __version__,
    "PACKAGE": "panorama-openedx=={{ PANORAMA_VERSION }}",
    "MFE_REPOSITORY": "https://github.com/aulasneo/frontend-app-panorama.git",
    "MFE_VERSION": "release/ulmo/20260629",
    "FLB_LOG_LEVEL": "info",
    "RUN_K8S_FLUENTBIT": True,
    "K8S_JOB_MEMORY": None,
    "K8S_JOB_MEMORY_REQUEST": None,
    "K8S_JOB_MEMORY_LIMIT": None,
}

# Keys of the seed that have no meaning any more (no ELT or Fluent Bit image, no header fork): accepted in
# config.yml, never injected.
LEGACY_IGNORED = (
    "DOCKER_IMAGE",
    "LOGS_DOCKER_IMAGE",
    "ADD_HEADER_LINK",
    "ADD_DASHBOARD_LINK",
    "K8S_JOB_BACKOFF_LIMIT",
    "K8S_JOB_ACTIVE_DEADLINE_SECONDS",
    "K8S_CRON_STARTING_DEADLINE_SECONDS",
    "FLB_STORE_LIMIT",
    "FLB_TAIL_MEMORY_LIMIT",
    "FLB_LINE_MAX_SIZE",
)

TUTOR_ONLY = frozenset(TUTOR_DEFAULTS) | frozenset(LEGACY_IGNORED)

# Fluent Bit's log levels (PANORAMA_FLB_LOG_LEVEL) as Python logging levels of the app's tracking shipper.
FLB_LOG_LEVELS = {
    "off": "CRITICAL",
    "error": "ERROR",
    "warn": "WARNING",
    "warning": "WARNING",
    "info": "INFO",
    "debug": "DEBUG",
    "trace": "DEBUG",
}


class ConfigError(ValueError):
    """A PANORAMA_* value the plugin cannot use; the message names the key."""


def config_defaults() -> dict[str, Any]:
    """Every configuration default of the plugin, prefixed (the app-only settings are None)."""
    defaults = {PREFIX + name: value for name, value in LMS_DEFAULTS.items()}
    defaults.update({PREFIX + name: None for name in APP_ONLY})
    defaults.update({PREFIX + name: value for name, value in TUTOR_DEFAULTS.items()})
    return defaults


def lms_setting_names() -> list[str]:
    """The app settings the plugin knows (LMS_DEFAULTS then APP_ONLY), prefixed."""
    return [PREFIX + name for name in (*LMS_DEFAULTS, *APP_ONLY)]


def mode_of(config: Mapping[str, Any]) -> str:
    """PANORAMA_MODE, upper-cased and checked."""
    raw = config.get(PREFIX + "MODE", LMS_DEFAULTS["MODE"])
    mode = str(raw).strip().upper() if raw is not None else ""
    if mode not in MODES:
        raise ConfigError(f"PANORAMA_MODE = {raw!r} is not valid: expected one of {', '.join(MODES)}.")
    return mode


def tracking_log_level(config: Mapping[str, Any]) -> str:
    """The Python logging level of the app's tracking shipper, from the seed's PANORAMA_FLB_LOG_LEVEL."""
    raw = config.get(PREFIX + "FLB_LOG_LEVEL", TUTOR_DEFAULTS["FLB_LOG_LEVEL"])
    if raw is False:  # YAML 1.1 reads an unquoted `off` as False
        raw = "off"
    level = FLB_LOG_LEVELS.get(str(raw).strip().lower())
    if level is None:
        raise ConfigError(
            f"PANORAMA_FLB_LOG_LEVEL = {raw!r} is not valid: expected one of {', '.join(FLB_LOG_LEVELS)}."
        )
    return level


_QUANTITY = re.compile(r"\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)")


def memory_quantity(name: str, value: Any) -> str | None:
    """A Kubernetes memory quantity with its unit ('2Gi', '512Mi'); a bare number would mean bytes."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _QUANTITY.fullmatch(value.strip()):
        raise ConfigError(f"{name} = {value!r} is not a memory quantity with a unit, such as '2Gi' or '512Mi' "
                          "(a bare number would be bytes).")
    return value.strip()


def lms_settings(config: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """
    The (name, value) pairs written into the LMS settings, in a stable order.

    None means "not injected". The AWS keys are left out in DEMO mode (the LMS reads no AWS service there)
    and when empty (the app then uses the LMS's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the default
    credential chain).
    """
    mode = mode_of(config)
    known = lms_setting_names()
    others = sorted(
        name for name in config
        if name.startswith(PREFIX) and name not in known and name[len(PREFIX):] not in TUTOR_ONLY
    )
    pairs = []
    for name in (*known, *others):
        value = config.get(name)
        if value is None:
            continue
        short = name[len(PREFIX):]
        if short in SECRETS and (mode == "DEMO" or value == ""):
            continue
        if short == "MODE":
            value = mode
        elif isinstance(LMS_DEFAULTS.get(short), str) and not isinstance(value, str):
            value = _text_setting(short, value)
        pairs.append((name, value))
    return pairs


# Text settings for which the app also takes a plain number (bytes, seconds).
NUMBERS_ACCEPTED = ("LOGS_TOTAL_FILE_SIZE", "LOGS_UPLOAD_TIMEOUT", "LOGS_UPLOAD_CHUNK_SIZE")


def _text_setting(short: str, value: Any) -> Any:
    """
    A text setting that YAML read as something else. A 12-digit account id is taken back as text, and
    sizes and durations stay numbers (the app reads bytes and seconds); any other number may already have
    lost its form (YAML 1.1 reads ``0755`` as octal 493), and a boolean was a word (``off``, ``yes``), so the
    operator is asked to quote it.
    """
    number = isinstance(value, int) and not isinstance(value, bool)
    if short == "AWS_ACCOUNT_ID" and number and len(str(value)) == 12:
        return str(value)
    if short in NUMBERS_ACCEPTED and number:
        return value
    name = PREFIX + short
    raise ConfigError(
        f"{name} = {value!r}: YAML did not read this as text, and its original form may be lost. Quote it: "
        f"tutor config save --set '{name}=\"...\"' (or quote it in config.yml)."
    )


def render_lms_settings(config: Mapping[str, Any]) -> str:
    """The Python block of the ``openedx-lms-common-settings`` patch, between two marker comments."""
    lines = [BEGIN_MARKER]
    for name, value in lms_settings(config):
        lines.append(f"{name} = {python_literal(value, name)}")
    level = tracking_log_level(config)
    lines.append("# PANORAMA_FLB_LOG_LEVEL: the level of the app's tracking-event shipper (no Fluent Bit any more)")
    lines.append(f'LOGGING.setdefault("loggers", {{}}).setdefault({TRACKING_LOGGER!r}, {{}})["level"] = {level!r}')
    lines.append(END_MARKER)
    return "\n".join(lines)


def python_literal(value: Any, name: str = "value") -> str:
    """
    ``value`` as Python source that evaluates to an equal value, whatever its characters.

    Strings go through ``repr``, so quotes, backslashes, newlines and braces in a password cannot break
    out of the literal; only YAML's plain types are accepted (a date or an infinite number would not
    survive the trip), and every result is checked by evaluating it back.
    """
    _check_plain(value, name)
    text = repr(value)
    if ast.literal_eval(text) != value:  # pragma: no cover - repr of plain types always round-trips
        raise ConfigError(f"{name}: {value!r} cannot be written as a Python literal.")
    return text


def _check_plain(value: Any, name: str) -> None:
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigError(f"{name} = {value!r} is not a finite number.")
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_plain(item, name)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ConfigError(f"{name}: the key {key!r} is not a string.")
            _check_plain(item, name)
        return
    raise ConfigError(
        f"{name} = {value!r} is a {type(value).__name__}, which cannot be an LMS setting: quote it in config.yml "
        "(e.g. --set 'NAME=\"2026-01-01\"')."
    )
