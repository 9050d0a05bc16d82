"""``manage.py check`` passes with the defaults and names every invalid setting, its value and what is accepted."""
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from panorama_openedx.conf import SPECS
from tests.conftest import run_manage

EXTRACTING = {"PANORAMA_MODE": "CUSTOM", "PANORAMA_BUCKET": "data-bucket"}

# setting, bad value, other settings the case needs, text the message must hold
INVALID = [
    ("PANORAMA_MODE", "DEMOX", {}, "one of DEMO, FREE, SAAS, CUSTOM"),
    ("PANORAMA_BUCKET", "My_Bucket", {}, "S3 bucket name"),
    ("PANORAMA_RAW_LOGS_BUCKET", "ab", {}, "S3 bucket name"),
    ("PANORAMA_BASE_PREFIX", "../etc", {}, "S3 key prefix"),
    ("PANORAMA_REGION", "Mars", {}, "AWS region name"),
    ("PANORAMA_AWS_ACCOUNT_ID", "12345", EXTRACTING, "12-digit AWS account id"),
    ("PANORAMA_AWS_ACCESS_KEY", 12345, {}, "a string"),
    ("PANORAMA_AWS_SECRET_ACCESS_KEY", ["not", "a", "string"], {}, "a string"),
    ("PANORAMA_DATALAKE_DATABASE", "my-db!", {}, "Glue database name"),
    ("PANORAMA_DATALAKE_WORKGROUP", "work group", {}, "Athena workgroup name"),
    ("PANORAMA_CRONTAB", "55 * * *", {}, "five-field crontab line"),
    ("PANORAMA_USE_SPLIT_MONGO", "maybe", {}, "True or False"),
    ("PANORAMA_MFE_ENABLED", "sometimes", {}, "True or False"),
    ("PANORAMA_MFE_PORT", 70000, {}, "TCP port number"),
    ("PANORAMA_ENABLE_STUDENT_VIEW", 2, {}, "True or False"),
    ("PANORAMA_DEBUG", "verbose", {}, "True or False"),
    ("PANORAMA_LOGS_TOTAL_FILE_SIZE", "50 megs", {}, "a size such as '50M'"),
    ("PANORAMA_LOGS_UPLOAD_TIMEOUT", "10 minutes", {}, "a duration such as '10m'"),
    ("PANORAMA_LOGS_UPLOAD_CHUNK_SIZE", "1M", {}, "between 5M and 5G"),
    ("PANORAMA_LMS_HOST", "https://lms.example.com/", {}, "without scheme or path"),
    ("PANORAMA_DEFAULT_USER_ARN", "arn:aws:iam::123456789012:user/x", EXTRACTING, "QuickSight user ARN"),
    ("PANORAMA_DATALAKE_DIR", "relative/lake", {}, "absolute folder path"),
    ("PANORAMA_S3_ENDPOINT_URL", "ftp://minio:9000", {}, "http(s):// URL"),
    ("PANORAMA_DATABASE_ALIAS", "replica_that_is_not_there", {}, "one of the DATABASES aliases"),
    ("PANORAMA_TABLES", {"auth_user": {"partition": ["org"]}}, {}, "unknown options ['partition']"),
    ("PANORAMA_MODULESTORE_CONFIG", {"hots": "mongo"}, {}, "DOC_STORE_CONFIG keys"),
    ("PANORAMA_TRACKING_SOURCE", "fluentbit", {}, "'stream' or 'file'"),
    ("PANORAMA_TRACKING_LOG_PATH", "logs/tracking.log", {}, "an absolute file path"),
    ("PANORAMA_TRACKING_REDIS_URL", "http://redis:6379", {}, "a redis://, rediss:// or unix:// URL"),
    ("PANORAMA_TRACKING_STREAM_MAXLEN", 10, {}, "at least 1000"),
    ("PANORAMA_EMBED_SESSION_MINUTES", 700, EXTRACTING, "between 15 and 600"),
    ("PANORAMA_EMBED_ALLOWED_DOMAINS", ["http://lms.example.com"], EXTRACTING, "https:// origins"),
    ("PANORAMA_DEMO_DASHBOARDS_URL", "", {}, "URL of the provider's demo dashboards API"),
    ("PANORAMA_FREE_DASHBOARDS_URL", "gopher://x", {"PANORAMA_MODE": "FREE", "PANORAMA_BUCKET": "lake"},
     "URL of the provider's FREE dashboards API"),
    ("PANORAMA_SAAS_DASHBOARDS_URL", "not a url", {"PANORAMA_MODE": "SAAS", "PANORAMA_BUCKET": "lake"},
     "URL of the provider's SAAS dashboards API"),
    ("PANORAMA_PROVIDER_REGION", "Europe", {"PANORAMA_MODE": "FREE", "PANORAMA_BUCKET": "lake"}, "AWS region name"),
    ("PANORAMA_PROVIDER_TIMEOUT", "0s", {}, "longer than zero"),
]
SECRET = {spec.setting for spec in SPECS if spec.secret}


def run_check():
    call_command("check", stdout=open("/dev/null", "w", encoding="utf-8"))  # noqa: SIM115


def test_check_passes_with_the_defaults():
    run_check()


@pytest.mark.parametrize("setting, value, context, accepted", INVALID, ids=[case[0] for case in INVALID])
def test_check_fails_on_an_invalid_value(settings, setting, value, context, accepted):
    for name, other in context.items():
        setattr(settings, name, other)
    setattr(settings, setting, value)
    with pytest.raises(SystemCheckError) as caught:
        run_check()
    message = str(caught.value)
    assert f"{setting} = " in message
    assert accepted in message
    if setting in SECRET:
        assert "<hidden>" in message and repr(value) not in message
    else:
        assert repr(value) in message


def test_every_setting_has_an_invalid_case():
    from panorama_openedx.settings.common import DEFAULTS  # pylint: disable=import-outside-toplevel

    assert {case[0] for case in INVALID} == set(DEFAULTS)


@pytest.mark.parametrize("mode", ["FREE", "SAAS", "CUSTOM"])
def test_an_extracting_mode_needs_a_bucket_or_a_folder(settings, mode):
    settings.PANORAMA_MODE = mode
    with pytest.raises(SystemCheckError, match=r"panorama.E002.*neither PANORAMA_BUCKET nor PANORAMA_DATALAKE_DIR"):
        run_check()
    settings.PANORAMA_DATALAKE_DIR = "/srv/panorama/lake"
    run_check()


def test_an_extracting_mode_needs_the_lms_host(settings):
    settings.PANORAMA_MODE = "FREE"
    settings.PANORAMA_BUCKET = "data-bucket"
    settings.LMS_BASE = None
    with pytest.raises(SystemCheckError, match=r"panorama.E003.*neither PANORAMA_LMS_HOST nor LMS_BASE"):
        run_check()


def test_shipping_from_the_stream_needs_a_redis(settings):
    settings.PANORAMA_MODE = "SAAS"
    settings.PANORAMA_BUCKET = "data-bucket"
    settings.BROKER_URL = "amqp://guest@rabbit//"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with pytest.raises(SystemCheckError, match=r"panorama.E006.*no Redis is known"):
        run_check()
    settings.PANORAMA_TRACKING_SOURCE = "file"
    run_check()


def test_half_a_credential_pair_is_an_error(settings):
    settings.PANORAMA_AWS_ACCESS_KEY = "AKIAONLYHALF"
    with pytest.raises(SystemCheckError, match=r"panorama.E004.*PANORAMA_AWS_SECRET_ACCESS_KEY is empty") as caught:
        run_check()
    assert "AKIAONLYHALF" not in str(caught.value)


def test_manage_py_check_exits_non_zero_on_a_bad_environment_value():
    """The full path: environment → stand-in ENV_TOKENS → production plugin settings → system check."""
    result = run_manage("check", env={"PANORAMA_MODE": "BOGUS", "PANORAMA_LOGS_UPLOAD_TIMEOUT": "0m"})
    assert result.returncode == 1
    assert "PANORAMA_MODE = 'BOGUS' is not valid: expected one of DEMO, FREE, SAAS, CUSTOM." in result.stderr
    assert "PANORAMA_LOGS_UPLOAD_TIMEOUT = '0m' is not valid (it must be longer than zero)" in result.stderr
    ok = run_manage("check", env={"PANORAMA_MODE": "free", "PANORAMA_BUCKET": "data-bucket"})
    assert ok.returncode == 0, ok.stderr


def test_panorama_settings_command_prints_validated_values_with_secrets_masked():
    result = run_manage("panorama_settings", env={"PANORAMA_AWS_ACCESS_KEY": "AKIAVISIBLE",
                                                  "PANORAMA_AWS_SECRET_ACCESS_KEY": "topsecret"})
    assert result.returncode == 0, result.stderr
    assert "AKIAVISIBLE" not in result.stdout and "topsecret" not in result.stdout
    assert "PANORAMA_LOGS_TOTAL_FILE_SIZE    50M (52428800 bytes)" in result.stdout
    failed = run_manage("panorama_settings", env={"PANORAMA_MFE_PORT": "0"})
    assert failed.returncode == 1 and "PANORAMA_MFE_PORT = '0' is not valid" in failed.stderr
