"""
The Tutor plugin and the app agree by test: the block the plugin renders into the LMS settings, executed into a
settings namespace, gives the app's settings object (``panorama_openedx.conf.validate``) exactly the values
configured in Tutor, with the app's names and types.
"""
import ast
from datetime import timedelta
from types import SimpleNamespace

import pytest
import yaml

from panorama_openedx import conf
from panorama_openedx.settings.common import DEFAULTS
from tests.tutor.conftest import BEGIN, END, HOSTILE_SECRET, lms_namespace, load_plugin_module

PREFIX = "PANORAMA_"


def validated(site, variant="production"):
    namespace = lms_namespace(site, variant)
    result = conf.validate(SimpleNamespace(**namespace))
    return result, namespace


def block_values(site, variant="production") -> dict:
    """NAME -> value of every assignment in the plugin's block (the block is literals only)."""
    values = {}
    for node in ast.parse(site.panorama_block(variant)).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def test_every_app_setting_is_injected_or_explicitly_app_only():
    """Read at test time: a setting added to the app fails here until the plugin names it."""
    settings = load_plugin_module("settings")
    injected = {PREFIX + name for name in settings.LMS_DEFAULTS}
    app_only = {PREFIX + name: reason for name, reason in settings.APP_ONLY.items()}
    missing = sorted(set(DEFAULTS) - injected - set(app_only))
    assert not missing, (f"panorama-openedx reads {missing}, which tutor-contrib-panorama neither injects "
                         "(LMS_DEFAULTS) nor lists as app-only with a reason (APP_ONLY) in tutor/tutorpanorama/settings.py")
    unknown = sorted((injected | set(app_only)) - set(DEFAULTS))
    assert not unknown, f"tutor-contrib-panorama names {unknown}, which are not settings of panorama-openedx"
    assert not injected & set(app_only)
    assert all(reason.strip() for reason in app_only.values())
    # no Tutor-only key can collide with an app setting
    assert not {PREFIX + name for name in settings.TUTOR_ONLY} & set(DEFAULTS)


def test_app_only_settings_have_no_tutor_value():
    defaults = load_plugin_module("settings").config_defaults()
    for name in load_plugin_module("settings").APP_ONLY:
        assert defaults[PREFIX + name] is None  # None: not injected, the app's default applies


@pytest.mark.parametrize("scenario", ["demo", "free", "saas", "custom", "mfe-disabled", "without-mfe"])
@pytest.mark.parametrize("variant", ["production", "development"])
def test_rendered_settings_are_valid_and_all_known_to_the_app(rendered, scenario, variant):
    result, _ = validated(rendered[scenario], variant)
    assert result.errors == (), [error.message for error in result.errors]
    unknown = [warning.message for warning in result.warnings if warning.check_id == "panorama.W010"]
    assert not unknown
    assert set(block_values(rendered[scenario], variant)) <= set(DEFAULTS)


def test_tutor_defaults_are_the_apps_defaults(rendered):
    """DEMO with nothing configured: the plugin's block changes nothing the app would have used anyway."""
    site = rendered["demo"]
    with_block, namespace = validated(site)
    without = {name: value for name, value in namespace.items() if not name.startswith(PREFIX)}
    assert with_block.settings == conf.validate(SimpleNamespace(**without)).settings


def test_configured_values_reach_the_settings_object(rendered):
    site = rendered["custom"]
    for variant in ("production", "development"):
        result, namespace = validated(site, variant)
        assert result.errors == ()
        settings = result.settings
        assert settings.mode is conf.Mode.CUSTOM
        assert settings.bucket == "custom-lake"
        assert settings.raw_logs_bucket == "custom-logs"
        assert settings.base_prefix == "analytics/openedx"
        assert settings.region == "eu-west-3"
        assert settings.aws_account_id == "123456789012"
        assert settings.aws_access_key.reveal() == "AKIACUSTOM"
        assert settings.aws_secret_access_key.reveal() == HOSTILE_SECRET
        assert settings.datalake_database == "lake_db"
        assert settings.datalake_workgroup == "lake-wg"
        assert str(settings.crontab) == "15 3 * * 1-5"
        assert settings.use_split_mongo is False
        assert settings.mfe_enabled is True
        assert settings.mfe_port == 2111
        assert settings.enable_student_view is False
        assert settings.debug is True
        assert settings.logs_total_file_size == 20 * 1024**2
        assert settings.logs_upload_timeout == timedelta(minutes=5)
        assert settings.logs_upload_chunk_size == 8 * 1024**2
        assert settings.default_user_arn == "arn:aws:quicksight:eu-west-3:123456789012:user/default/local.openedx.io"
        # app-only settings, set by the operator through Tutor
        assert settings.s3_endpoint_url == "https://minio.example.com:9000"
        assert settings.tracking_stream_maxlen == 5000
        tables = {spec.name: spec for spec in settings.tables}
        assert "email" in tables["auth_user"].exclude_columns
        assert "student_courseenrollmentallowed" not in tables
        # derived by the app from what Tutor writes
        assert settings.lms_host == "local.openedx.io"
        assert settings.tracking_redis_url.reveal() == "redis://@redis:6379/1"
        assert settings.database_alias == "default"
        if hasattr(settings, "embed_allowed_domains"):  # issue 5: from MFE_CONFIG["PANORAMA_URL"]
            mfe = "https://apps.local.openedx.io" + (":2111" if variant == "development" else "")
            assert mfe in settings.embed_allowed_domains
        # PANORAMA_FLB_LOG_LEVEL=debug: the level of the app's tracking shipper
        assert namespace["LOGGING"]["loggers"]["panorama_openedx.tracking"] == {"level": "DEBUG"}
        assert namespace["LOGGING"]["loggers"]["tracking"] == {"handlers": ["console"]}  # left alone


def test_block_holds_exactly_what_the_operator_set(rendered):
    """Every PANORAMA_* app setting of config.yml is in the block with the same value (text stays text)."""
    site = rendered["custom"]
    user_config = yaml.safe_load((site.root / "config.yml").read_text())
    values = block_values(site)
    checked = 0
    for name, value in user_config.items():
        if name in DEFAULTS:
            expected = str(value) if name == "PANORAMA_AWS_ACCOUNT_ID" else value
            assert values[name] == expected, name
            assert type(values[name]) is type(expected), name
            checked += 1
    assert checked >= 20


def test_secrets_only_where_the_lms_needs_them(rendered):
    demo = rendered["demo-with-secret"]
    for variant in ("production", "development"):
        names = block_values(demo, variant)
        assert "PANORAMA_AWS_ACCESS_KEY" not in names and "PANORAMA_AWS_SECRET_ACCESS_KEY" not in names
    for scenario, secret in (("free", "free-secret"), ("saas", "saas-secret")):
        assert block_values(rendered[scenario])["PANORAMA_AWS_SECRET_ACCESS_KEY"] == secret
    # nowhere else in any rendered file: not in docker-compose, Kubernetes manifests or ConfigMaps of their own
    for scenario, secret in (("demo-with-secret", "demo-secret-never-injected"), ("saas", "saas-secret"),
                             ("free", "free-secret")):
        holders = sorted(str(path.relative_to(rendered[scenario].env)) for path in rendered[scenario].env.rglob("*")
                         if path.is_file() and secret in path.read_text(errors="replace"))
        expected = [] if scenario.startswith("demo") else [
            "apps/openedx/settings/lms/development.py", "apps/openedx/settings/lms/production.py"]
        assert holders == expected
    # empty keys are not written: the app then uses the LMS's AWS_ACCESS_KEY_ID or the default credential chain
    assert "PANORAMA_AWS_ACCESS_KEY" not in block_values(rendered["mfe-disabled"])


def test_seed_fluent_bit_and_image_keys_are_accepted_not_injected(rendered):
    site = rendered["saas"]
    values = block_values(site)
    for name in ("PANORAMA_FLB_LOG_LEVEL", "PANORAMA_RUN_K8S_FLUENTBIT", "PANORAMA_DOCKER_IMAGE", "PANORAMA_VERSION",
                 "PANORAMA_PACKAGE", "PANORAMA_K8S_JOB_MEMORY_REQUEST"):
        assert name not in values
    _, namespace = validated(site)
    assert namespace["LOGGING"]["loggers"]["panorama_openedx.tracking"]["level"] == "WARNING"  # "warn"
    assert block_values(site)["PANORAMA_MODE"] == "SAAS"  # "saas" normalised


def test_block_is_delimited_by_markers(rendered):
    block = rendered["demo"].panorama_block()
    assert block.startswith(BEGIN) and block.endswith(END)
