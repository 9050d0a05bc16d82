"""
Defaults of every PANORAMA_* setting, applied at the end of the LMS's common settings.

Tutor writes its PANORAMA_* values *after* the plugins' settings have run, so a default that depends
on another setting (the raw-logs bucket, the AWS keys, the default user ARN, the LMS host, the
database alias) cannot be computed here: it is stored as ``None`` and resolved by
``panorama_openedx.conf`` when the settings object is built (docs/decisions/0002).
"""

DEFAULTS = {
    "PANORAMA_MODE": "DEMO",
    "PANORAMA_BUCKET": "",
    "PANORAMA_RAW_LOGS_BUCKET": None,  # None: PANORAMA_BUCKET
    "PANORAMA_BASE_PREFIX": "openedx",
    "PANORAMA_REGION": "us-east-1",
    "PANORAMA_AWS_ACCOUNT_ID": "",
    "PANORAMA_AWS_ACCESS_KEY": None,  # None: the LMS's AWS_ACCESS_KEY_ID
    "PANORAMA_AWS_SECRET_ACCESS_KEY": None,  # None: the LMS's AWS_SECRET_ACCESS_KEY
    "PANORAMA_DATALAKE_DATABASE": "panorama",
    "PANORAMA_DATALAKE_WORKGROUP": "panorama",
    "PANORAMA_CRONTAB": "55 * * * *",
    "PANORAMA_USE_SPLIT_MONGO": True,
    "PANORAMA_MFE_ENABLED": True,
    "PANORAMA_MFE_PORT": 2100,
    "PANORAMA_ENABLE_STUDENT_VIEW": True,
    "PANORAMA_DEFAULT_USER_ARN": None,  # None: arn:aws:quicksight:{REGION}:{AWS_ACCOUNT_ID}:user/default/{LMS host}
    "PANORAMA_DEBUG": False,
    "PANORAMA_LOGS_TOTAL_FILE_SIZE": "50M",
    "PANORAMA_LOGS_UPLOAD_TIMEOUT": "10m",
    "PANORAMA_LOGS_UPLOAD_CHUNK_SIZE": "10M",
    "PANORAMA_LMS_HOST": None,  # None: LMS_BASE
    "PANORAMA_DATALAKE_DIR": "",
    "PANORAMA_S3_ENDPOINT_URL": "",
    "PANORAMA_DATABASE_ALIAS": None,  # None: "read_replica" when DATABASES has it, else "default"
    "PANORAMA_TABLES": {},  # changes to the default tables: {table: {options} or None}
    "PANORAMA_MODULESTORE_CONFIG": None,  # None: the LMS's split-store DOC_STORE_CONFIG; a dict overrides its keys
    "PANORAMA_TRACKING_SOURCE": "stream",  # "stream" (Redis, any deployment) or "file" (the tracking log)
    "PANORAMA_TRACKING_LOG_PATH": "/openedx/data/logs/tracking.log",
    "PANORAMA_TRACKING_REDIS_URL": None,  # None: the LMS's Redis (its cache, else its Celery broker)
    "PANORAMA_TRACKING_STREAM_MAXLEN": 1_000_000,  # events kept in the stream at most (approximately)
    "PANORAMA_EMBED_SESSION_MINUTES": 60,  # lifetime of a QuickSight embedding session (15-600)
    "PANORAMA_EMBED_ALLOWED_DOMAINS": None,  # None: https://<LMS host> and the Panorama MFE's origin
    "PANORAMA_DEMO_DASHBOARDS_URL": "https://panorama-get-demo-dashboards.aulasneo.link/get-demo-dashboards",
    "PANORAMA_FREE_DASHBOARDS_URL": "https://panorama-get-free-dashboards.aulasneo.link/get-free-dashboards",
    "PANORAMA_SAAS_DASHBOARDS_URL": "https://panorama-get-saas-dashboards.aulasneo.link/get-saas-dashboards",
    "PANORAMA_PROVIDER_REGION": "us-east-1",  # SigV4 region of the FREE/SAAS dashboards API
    "PANORAMA_PROVIDER_TIMEOUT": 30,  # seconds to wait for the provider's dashboards API
}


STREAM_BACKEND = {"ENGINE": "panorama_openedx.tracking.backend.RedisStreamBackend", "OPTIONS": {}}


def add_tracking_backend(settings):
    """
    Put the Redis-stream backend where it receives what the tracking log receives: inside the LMS's
    ``tracking_logs`` routing backend, after its legacy-field processors; at the top level otherwise.
    """
    backends = getattr(settings, "EVENT_TRACKING_BACKENDS", None)
    if not isinstance(backends, dict):
        return
    routed = (backends.get("tracking_logs") or {}).get("OPTIONS", {}).get("backends")
    (routed if isinstance(routed, dict) else backends).setdefault("panorama_stream", dict(STREAM_BACKEND))


def plugin_settings(settings):
    """Set each default that the settings module does not define yet, and add the export to Celery beat."""
    for name, value in DEFAULTS.items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
    from panorama_openedx.schedule import beat_entries  # pylint: disable=import-outside-toplevel

    add_tracking_backend(settings)
    schedule = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERYBEAT_SCHEDULE = {}
    for name, entry in beat_entries().items():
        schedule.setdefault(name, entry)
