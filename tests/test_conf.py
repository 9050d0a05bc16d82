"""The typed settings object: defaults, derived values, parsing, immutability and secrecy."""
import dataclasses
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from panorama_openedx import conf
from panorama_openedx.conf import InvalidSettings, Mode, Secret, get_settings, validate


def lms(**values):
    """A bare LMS settings object: only what a test gives, plus one database."""
    values.setdefault("DATABASES", {"default": {}})
    values.setdefault("BROKER_URL", "redis://redis:6379/0")
    return SimpleNamespace(**values)


def test_defaults():
    result = validate(lms(LMS_BASE="lms.example.com"))
    assert result.errors == () and result.warnings == ()
    s = result.settings
    assert s.mode is Mode.DEMO and not s.extracts
    assert (s.bucket, s.raw_logs_bucket, s.base_prefix, s.region) == ("", "", "openedx", "us-east-1")
    assert (s.datalake_database, s.datalake_workgroup) == ("panorama", "panorama")
    assert str(s.crontab) == "55 * * * *"
    assert s.use_split_mongo and s.mfe_enabled and s.enable_student_view and not s.debug
    assert s.mfe_port == 2100
    assert s.logs_total_file_size == 50 * 1024**2
    assert s.logs_upload_timeout == timedelta(minutes=10)
    assert s.logs_upload_chunk_size == 10 * 1024**2
    assert s.lms_host == "lms.example.com"
    assert s.default_user_arn == ""
    assert s.datalake_dir is None and s.s3_endpoint_url == ""
    assert s.database_alias == "default"
    assert not s.aws_access_key and not s.aws_secret_access_key


def test_derived_defaults_follow_the_settings_they_come_from():
    s = validate(lms(
        LMS_BASE="lms.example.com", AWS_ACCESS_KEY_ID="AKIALMS", AWS_SECRET_ACCESS_KEY="lms-secret",
        DATABASES={"default": {}, "read_replica": {}}, PANORAMA_MODE="custom", PANORAMA_BUCKET="data-bucket",
        PANORAMA_REGION="eu-west-1", PANORAMA_AWS_ACCOUNT_ID="123456789012",
    )).settings
    assert s.mode is Mode.CUSTOM
    assert s.raw_logs_bucket == "data-bucket"
    assert s.aws_access_key.reveal() == "AKIALMS"
    assert s.aws_secret_access_key.reveal() == "lms-secret"
    assert s.default_user_arn == "arn:aws:quicksight:eu-west-1:123456789012:user/default/lms.example.com"
    assert s.database_alias == "read_replica"
    assert s.tracking_redis_url.reveal() == "redis://redis:6379/0"  # the LMS's Celery broker
    cached = validate(lms(CACHES={"default": {"LOCATION": "redis://:pw@cache:6379/1"}})).settings
    assert cached.tracking_redis_url.reveal() == "redis://:pw@cache:6379/1"  # the LMS's cache first
    assert "pw" not in repr(cached) and "pw@" not in dict(cached.describe())["PANORAMA_TRACKING_REDIS_URL"]


def test_explicit_values_win_over_derived_ones():
    s = validate(lms(
        LMS_BASE="lms.example.com", AWS_ACCESS_KEY_ID="AKIALMS", AWS_SECRET_ACCESS_KEY="lms-secret",
        DATABASES={"default": {}, "read_replica": {}}, PANORAMA_BUCKET="data-bucket",
        PANORAMA_RAW_LOGS_BUCKET="logs-bucket", PANORAMA_AWS_ACCESS_KEY="AKIAPANO",
        PANORAMA_AWS_SECRET_ACCESS_KEY="pano-secret", PANORAMA_LMS_HOST="courses.example.org:8000",
        PANORAMA_DEFAULT_USER_ARN="arn:aws:quicksight:us-east-1:210987654321:user/default/reader",
        PANORAMA_DATABASE_ALIAS="default",
    )).settings
    assert s.raw_logs_bucket == "logs-bucket"
    assert s.aws_access_key.reveal() == "AKIAPANO"
    assert s.lms_host == "courses.example.org:8000"
    assert s.default_user_arn.endswith(":user/default/reader")
    assert s.database_alias == "default"


@pytest.mark.parametrize("raw, size", [
    ("50M", 50 * 1024**2), ("512K", 512 * 1024), ("1G", 1024**3), ("10MB", 10 * 1024**2),
    ("10MiB", 10 * 1024**2), ("1.5M", int(1.5 * 1024**2)), (1048576, 1048576), (" 2m ", 2 * 1024**2),
    ("4096", 4096),
])
def test_sizes(raw, size):
    assert validate(lms(PANORAMA_LOGS_TOTAL_FILE_SIZE=raw)).settings.logs_total_file_size == size


@pytest.mark.parametrize("raw, seconds", [
    ("10m", 600), ("30s", 30), ("1h", 3600), ("2d", 172800), (45, 45), ("90", 90), ("5M", 300),
])
def test_durations(raw, seconds):
    assert validate(lms(PANORAMA_LOGS_UPLOAD_TIMEOUT=raw)).settings.logs_upload_timeout.total_seconds() == seconds


@pytest.mark.parametrize("raw, value", [
    (True, True), (False, False), ("true", True), ("False", False), ("yes", True), ("off", False), (1, True),
    (0, False), ("1", True),
])
def test_booleans_from_python_yaml_or_environment(raw, value):
    assert validate(lms(PANORAMA_DEBUG=raw)).settings.debug is value


def test_crontab_macro_and_schedule():
    s = validate(lms(PANORAMA_CRONTAB="@daily")).settings
    assert str(s.crontab) == "0 0 * * *"
    schedule = validate(lms(PANORAMA_CRONTAB="*/15 2-4 * * mon-fri")).settings.crontab.schedule()
    assert schedule.minute == {0, 15, 30, 45}
    assert schedule.hour == {2, 3, 4}
    assert schedule.day_of_week == {1, 2, 3, 4, 5}


def test_local_datalake_folder():
    s = validate(lms(PANORAMA_MODE="FREE", LMS_BASE="lms.example.com", PANORAMA_DATALAKE_DIR="/srv/lake")).settings
    assert s.datalake_dir == Path("/srv/lake") and s.uses_local_datalake
    s3 = validate(lms(PANORAMA_MODE="FREE", LMS_BASE="lms.example.com", PANORAMA_BUCKET="lake-bucket")).settings
    assert not s3.uses_local_datalake


def test_modes():
    assert [m.extracts for m in Mode] == [False, True, True, True]
    assert [m.ships_tracking_logs for m in Mode] == [False, False, True, True]


def test_secrets_never_show():
    source = lms(LMS_BASE="lms.example.com", PANORAMA_AWS_ACCESS_KEY="AKIASECRETVALUE",
                 PANORAMA_AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG")
    s = validate(source).settings
    for text in (repr(s), str(s), repr(s.describe()), str(s.aws_secret_access_key), f"{s.aws_access_key}"):
        assert "AKIASECRETVALUE" not in text and "wJalrXUtnFEMI" not in text
    assert dict(s.describe())["PANORAMA_AWS_SECRET_ACCESS_KEY"] == "********"
    assert repr(Secret("")) == "Secret('')" and not Secret("")
    assert s.aws_secret_access_key.reveal() == "wJalrXUtnFEMI/K7MDENG"


def test_an_invalid_secret_is_reported_without_its_value():
    result = validate(lms(PANORAMA_AWS_SECRET_ACCESS_KEY=["wJalrXUtnFEMI"], PANORAMA_AWS_ACCESS_KEY="AKIA"))
    assert len(result.errors) == 1
    assert "PANORAMA_AWS_SECRET_ACCESS_KEY = <hidden>" in result.errors[0].message
    assert "wJalrXUtnFEMI" not in repr(result)


def test_settings_object_is_immutable():
    s = validate(lms()).settings
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.mode = Mode.CUSTOM


def test_unknown_setting_is_a_warning_with_a_suggestion():
    result = validate(lms(PANORAMA_BUKET="x"))
    assert result.errors == ()
    assert [w.check_id for w in result.warnings] == ["panorama.W010"]
    assert "Did you mean PANORAMA_BUCKET?" in result.warnings[0].hint


def test_a_bad_value_of_a_custom_only_setting_is_a_warning_in_other_modes():
    result = validate(lms(PANORAMA_DEFAULT_USER_ARN="arn:aws:quicksight:us-east-1::user/default/lms"))
    assert result.errors == ()
    assert "PANORAMA_DEFAULT_USER_ARN" in result.warnings[0].message
    custom = validate(lms(PANORAMA_MODE="CUSTOM", PANORAMA_BUCKET="data-bucket", LMS_BASE="lms.example.com",
                          PANORAMA_DEFAULT_USER_ARN="arn:aws:quicksight:us-east-1::user/default/lms"))
    assert [e.setting for e in custom.errors] == ["PANORAMA_DEFAULT_USER_ARN"]


def test_every_error_is_reported_at_once():
    result = validate(lms(PANORAMA_MODE="BOGUS", PANORAMA_MFE_PORT="http", PANORAMA_CRONTAB="never"))
    assert {e.setting for e in result.errors} == {"PANORAMA_MODE", "PANORAMA_MFE_PORT", "PANORAMA_CRONTAB"}
    assert result.settings is None


def test_get_settings_is_cached_and_follows_setting_changes(settings):
    first = get_settings()
    assert get_settings() is first
    settings.PANORAMA_MFE_PORT = 2200
    assert get_settings().mfe_port == 2200


def test_get_settings_raises_with_every_message(settings):
    settings.PANORAMA_MODE = "BOGUS"
    settings.PANORAMA_DEBUG = "loud"
    with pytest.raises(InvalidSettings) as caught:
        get_settings()
    assert "PANORAMA_MODE = 'BOGUS'" in str(caught.value)
    assert "PANORAMA_DEBUG = 'loud'" in str(caught.value)


def test_specs_cover_every_default_and_field():
    assert [spec.setting for spec in conf.SPECS] == [name for name, _ in validate(lms()).settings.describe()]


def test_custom_mode_on_s3_without_an_account_id_warns():
    result = validate(lms(PANORAMA_MODE="CUSTOM", PANORAMA_BUCKET="data-bucket", LMS_BASE="lms.example.com"))
    assert result.errors == ()
    assert [w.check_id for w in result.warnings] == ["panorama.W003"]
    local = validate(lms(PANORAMA_MODE="CUSTOM", PANORAMA_DATALAKE_DIR="/srv/lake", LMS_BASE="lms.example.com"))
    assert local.warnings == ()


def test_bucket_and_folder_together_warn_that_the_folder_is_ignored():
    result = validate(lms(PANORAMA_MODE="FREE", PANORAMA_BUCKET="data-bucket", PANORAMA_DATALAKE_DIR="/srv/lake",
                          LMS_BASE="lms.example.com"))
    assert [w.check_id for w in result.warnings] == ["panorama.W002"]
    assert not result.settings.uses_local_datalake
