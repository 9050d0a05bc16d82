"""The LMS's own plugin loader (edx_django_utils.plugins) finds and wires panorama_openedx."""
import subprocess
import sys
import types

from django.urls import URLResolver, resolve, reverse
from django.urls.resolvers import RegexPattern
from edx_django_utils.plugins import add_plugins, get_plugin_apps, get_plugin_url_patterns

from panorama_openedx.settings.common import DEFAULTS

LMS = "lms.djangoapp"


def _settings_module(name, **values):
    """A settings module as the LMS builds it: add_plugins() imports it by name."""
    module = types.ModuleType(name)
    module.__dict__.update(values)
    sys.modules[name] = module
    return module


def test_entry_point_registers_the_app_config():
    assert "panorama_openedx.apps.PanoramaOpenedxConfig" in get_plugin_apps(LMS)


def test_urls_are_mounted_under_panorama_with_their_namespace():
    patterns = [p for p in get_plugin_url_patterns(LMS) if p.namespace == "panorama"]
    assert len(patterns) == 1
    assert isinstance(patterns[0], URLResolver)
    assert isinstance(patterns[0].pattern, RegexPattern)
    assert patterns[0].pattern.regex.pattern == "^panorama/"
    # The stand-in LMS includes the plugin URLs exactly as lms/urls.py does.
    assert reverse("panorama:get-panorama-mode") == "/panorama/api/get-panorama-mode"
    assert resolve("/panorama/api/get-panorama-mode").namespace == "panorama"


def test_common_settings_apply_every_default():
    module = _settings_module("fake_lms_common", LMS_BASE="lms.example.com")
    add_plugins("fake_lms_common", LMS, "common")
    for name, value in DEFAULTS.items():
        assert getattr(module, name) == value, name
    assert module.PANORAMA_MODE == "DEMO"
    assert module.PANORAMA_CRONTAB == "55 * * * *"
    assert module.PANORAMA_LOGS_TOTAL_FILE_SIZE == "50M"


def test_common_settings_keep_values_already_set():
    module = _settings_module("fake_lms_preset", PANORAMA_MODE="CUSTOM", PANORAMA_BUCKET="my-bucket")
    add_plugins("fake_lms_preset", LMS, "common")
    assert module.PANORAMA_MODE == "CUSTOM"
    assert module.PANORAMA_BUCKET == "my-bucket"
    assert module.PANORAMA_BASE_PREFIX == "openedx"


def test_production_settings_take_the_yaml_values():
    module = _settings_module("fake_lms_production", ENV_TOKENS={
        "PANORAMA_MODE": "SAAS", "PANORAMA_BUCKET": "yaml-bucket", "PANORAMA_MFE_PORT": 2200, "OTHER": 1,
    })
    add_plugins("fake_lms_production", LMS, "common")
    add_plugins("fake_lms_production", LMS, "production")
    assert module.PANORAMA_MODE == "SAAS"
    assert module.PANORAMA_BUCKET == "yaml-bucket"
    assert module.PANORAMA_MFE_PORT == 2200
    assert module.PANORAMA_CRONTAB == "55 * * * *"
    assert not hasattr(module, "OTHER")


def test_production_settings_work_without_env_tokens():
    module = _settings_module("fake_lms_no_yaml")
    add_plugins("fake_lms_no_yaml", LMS, "production")
    assert module.PANORAMA_MODE == "DEMO"


def test_no_platform_module_is_imported_at_load_time():
    """
    Importing every plugin module must not pull in edx-platform (absent here, and slow in the LMS); the
    wiring (apps, conf, checks, settings) does not even need edx-django-utils.
    """
    code = (
        "import sys, django; from django.conf import settings;"
        "settings.configure(INSTALLED_APPS=['django.contrib.admin', 'django.contrib.auth', 'django.contrib.contenttypes',"
        " 'django.contrib.messages', 'django.contrib.sessions', 'panorama_openedx'], SECRET_KEY='x'); django.setup();"
        "import panorama_openedx.apps, panorama_openedx.conf, panorama_openedx.checks,"
        " panorama_openedx.settings.common, panorama_openedx.settings.production;"
        "platform = {'lms', 'cms', 'openedx', 'xmodule', 'common'};"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in platform | {'edx_django_utils'});"
        "import panorama_openedx.urls, panorama_openedx.admin, panorama_openedx.tasks;"
        "bad += sorted(m for m in sys.modules if m.split('.')[0] in platform);"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
