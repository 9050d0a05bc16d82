"""What `tutor plugins enable panorama` + `tutor config save` render, mode by mode (no Docker)."""
import re
import shlex
import shutil
import subprocess

import pytest
import yaml

from tests.tutor.conftest import BEGIN, REPO_ROOT, load_plugin_module, run_tutor, tutor_executable

def app_version():
    """The app's __version__, which the plugin's version and its default pin follow."""
    return re.search(r'^__version__ = "([^"]+)"', (REPO_ROOT / "panorama_openedx" / "__init__.py").read_text(),
                     re.M).group(1)


PIN = f"panorama-openedx=={app_version()}"
MODES = {"demo": "DEMO", "free": "FREE", "saas": "SAAS", "custom": "CUSTOM"}
BEAT_COMMAND = ["celery", "--app=lms.celery", "beat", "--loglevel=info", "--schedule=/openedx/beat/celerybeat-schedule"]


def test_plugin_and_app_versions_are_the_same():
    assert load_plugin_module("__about__").__version__ == app_version()


def test_the_plugin_is_listed_and_enabled(rendered):
    result = run_tutor(rendered["demo"].root, "plugins", "list")
    line = next(line for line in result.stdout.splitlines() if line.startswith("panorama"))
    assert "enabled" in line and load_plugin_module("__about__").__version__ in line


def test_config_defaults_are_the_seeds(rendered):
    defaults = load_plugin_module("settings").config_defaults()
    seed = {
        "PANORAMA_MODE": "DEMO", "PANORAMA_BUCKET": "", "PANORAMA_RAW_LOGS_BUCKET": "{{ PANORAMA_BUCKET }}",
        "PANORAMA_MFE_ENABLED": True, "PANORAMA_ENABLE_STUDENT_VIEW": True, "PANORAMA_MFE_PORT": 2100,
        "PANORAMA_CRONTAB": "55 * * * *", "PANORAMA_BASE_PREFIX": "openedx", "PANORAMA_REGION": "us-east-1",
        "PANORAMA_DATALAKE_DATABASE": "panorama", "PANORAMA_DATALAKE_WORKGROUP": "panorama",
        "PANORAMA_AWS_ACCESS_KEY": "{{ OPENEDX_AWS_ACCESS_KEY }}",
        "PANORAMA_AWS_SECRET_ACCESS_KEY": "{{ OPENEDX_AWS_SECRET_ACCESS_KEY }}",
        "PANORAMA_USE_SPLIT_MONGO": True, "PANORAMA_DEBUG": False, "PANORAMA_LOGS_TOTAL_FILE_SIZE": "50M",
        "PANORAMA_LOGS_UPLOAD_TIMEOUT": "10m", "PANORAMA_LOGS_UPLOAD_CHUNK_SIZE": "10M",
        "PANORAMA_AWS_ACCOUNT_ID": "", "PANORAMA_FLB_LOG_LEVEL": "info", "PANORAMA_RUN_K8S_FLUENTBIT": True,
        "PANORAMA_K8S_JOB_MEMORY_REQUEST": None, "PANORAMA_K8S_JOB_MEMORY_LIMIT": None,
        "PANORAMA_VERSION": app_version(), "PANORAMA_PACKAGE": "panorama-openedx=={{ PANORAMA_VERSION }}",
        "PANORAMA_MFE_REPOSITORY": "https://github.com/aulasneo/frontend-app-panorama.git",
    }
    assert {name: defaults[name] for name in seed} == seed
    assert "arn:aws:quicksight:{{ PANORAMA_REGION }}:{{ PANORAMA_AWS_ACCOUNT_ID }}:user/default/" \
        in defaults["PANORAMA_DEFAULT_USER_ARN"]
    # Tutor renders them
    root = rendered["demo"].root
    assert run_tutor(root, "config", "printvalue", "PANORAMA_PACKAGE").stdout.strip() == PIN
    assert run_tutor(rendered["custom"].root, "config", "printvalue", "PANORAMA_DEFAULT_USER_ARN").stdout.strip() \
        == "arn:aws:quicksight:eu-west-3:123456789012:user/default/local.openedx.io"


@pytest.mark.parametrize("scenario", ["demo", "free", "saas", "custom"])
def test_lms_settings_are_in_production_and_development(rendered, scenario):
    site = rendered[scenario]
    for variant in ("production", "development"):
        block = site.panorama_block(variant)
        assert f"PANORAMA_MODE = {MODES[scenario]!r}" in block
    assert site.panorama_block("production") == site.panorama_block("development")


@pytest.mark.parametrize("scenario,beat", [("demo", False), ("free", True), ("saas", True), ("custom", True)])
def test_beat_service_in_docker_compose_only_outside_demo(rendered, scenario, beat):
    site = rendered[scenario]
    services = site.compose()["services"]
    assert ("panorama-beat" in services) is beat
    assert "panorama-beat" not in site.compose("docker-compose.yml")["services"]  # never in `tutor dev`
    permissions = site.compose("docker-compose.yml")["services"]["permissions"]
    assert any("panorama-beat" in volume for volume in permissions["volumes"]) is beat
    assert ("/mounts/panorama-beat" in site.text("apps", "permissions", "setowners.sh")) is beat
    if beat:
        service = services["panorama-beat"]
        assert service["command"] == BEAT_COMMAND
        assert service["image"] == services["lms-worker"]["image"]
        assert service["environment"] == {"SERVICE_VARIANT": "lms",
                                          "DJANGO_SETTINGS_MODULE": "lms.envs.tutor.production"}
        assert "../../data/panorama-beat:/openedx/beat:z" in service["volumes"]
        assert "../apps/openedx/settings/lms:/openedx/edx-platform/lms/envs/tutor:roz" in service["volumes"]
        assert "deploy" not in service and "scale" not in service  # one container
        assert service["restart"] == "unless-stopped"
    # lms-worker keeps running tasks without --beat: exactly one scheduler
    assert "--beat" not in services["lms-worker"]["command"] and "-B" not in services["lms-worker"]["command"]


@pytest.mark.parametrize("scenario,beat", [("demo", False), ("free", True), ("saas", True), ("custom", True)])
def test_beat_deployment_in_kubernetes_only_outside_demo(rendered, scenario, beat):
    deployments = {doc["metadata"]["name"]: doc for doc in rendered[scenario].k8s("deployments.yml")}
    assert ("panorama-beat" in deployments) is beat
    kinds = {doc["kind"] for doc in rendered[scenario].k8s("deployments.yml")}
    assert "DaemonSet" not in kinds  # no Fluent Bit: the app ships tracking events itself
    if beat:
        beat_deployment = deployments["panorama-beat"]
        spec = beat_deployment["spec"]
        assert spec["replicas"] == 1
        assert spec["strategy"] == {"type": "Recreate"}  # a rollout never runs two beats
        pod = spec["template"]["spec"]
        assert pod["securityContext"]["runAsUser"] == 1000
        container = pod["containers"][0]
        assert container["args"] == BEAT_COMMAND
        assert container["image"] == deployments["lms-worker"]["spec"]["template"]["spec"]["containers"][0]["image"]
        mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
        volumes = {volume["name"]: volume for volume in pod["volumes"]}
        assert volumes[mounts["/openedx/beat"]] == {"name": "beat-schedule", "emptyDir": {}}  # writable by uid 1000
        assert volumes[mounts["/openedx/edx-platform/lms/envs/tutor/"]]["configMap"]["name"] == "openedx-settings-lms"
        assert spec["selector"]["matchLabels"] == beat_deployment["spec"]["template"]["metadata"]["labels"]
        env = {item["name"]: item["value"] for item in container["env"]}
        assert env == {"SERVICE_VARIANT": "lms", "DJANGO_SETTINGS_MODULE": "lms.envs.tutor.production"}
        assert not any("AWS" in item["name"] for item in container["env"])  # secrets stay in the LMS settings


def test_no_panorama_job_cronjob_or_configmap_of_the_seed(rendered):
    for scenario in ("demo", "custom"):
        site = rendered[scenario]
        jobs = site.k8s("jobs.yml")
        assert not [doc for doc in jobs if doc["kind"] == "CronJob"]
        assert "panorama-job" not in site.text("k8s", "jobs.yml")
        assert "panorama-elt" not in site.text("kustomization.yml")
        assert "panorama-job" not in site.text("local", "docker-compose.jobs.yml")


def test_package_installed_in_the_openedx_image_pinned(rendered):
    dockerfile = rendered["demo"].dockerfile()
    lines = [line for line in dockerfile.splitlines() if "install" in line and "panorama" in line]
    assert lines == [f"    $PIP_COMMAND install {PIN}"]
    # after the platform's requirements, in the python-requirements stage
    assert dockerfile.index(PIN) > dockerfile.index("requirements/edx/base.txt")


def test_package_override_is_one_quoted_word(rendered):
    dockerfile = rendered["custom"].dockerfile()
    line = next(line for line in dockerfile.splitlines() if "$PIP_COMMAND install" in line and "example.com" in line)
    assert shlex.split(line) == ["$PIP_COMMAND", "install", "panorama-openedx @ https://example.com/p.whl?a=1&b=$(id)"]


def test_local_checkout_can_be_mounted(rendered, tmp_path):
    """`tutor mounts add /path/to/panorama-openedx`: built into the image and bind-mounted, beat included."""
    checkout = tmp_path / "panorama-openedx"
    checkout.mkdir()
    root = tmp_path / "root"
    shutil.copytree(rendered["free"].root, root, ignore=shutil.ignore_patterns("env"))
    run_tutor(root, "mounts", "add", str(checkout))
    dockerfile = (root / "env" / "build" / "openedx" / "Dockerfile").read_text()
    assert 'RUN $PIP_COMMAND install -e "/mnt/panorama-openedx"' in dockerfile
    assert PIN not in dockerfile  # the checkout instead of the release, not both
    prod = yaml.safe_load((root / "env" / "local" / "docker-compose.prod.yml").read_text())
    assert f"{checkout}:/mnt/panorama-openedx:z" in prod["services"]["panorama-beat"]["volumes"]
    assert f"{checkout}:/mnt/panorama-openedx:z" in prod["services"]["lms-worker"]["volumes"]


@pytest.mark.parametrize("scenario", ["demo", "free", "saas", "custom"])
def test_panorama_mfe_registered_with_tutor_mfe(rendered, scenario):
    site = rendered[scenario]
    dockerfile = site.text("plugins", "mfe", "build", "mfe", "Dockerfile")
    assert "https://github.com/aulasneo/frontend-app-panorama.git#release/ulmo/20260629" in dockerfile
    assert "@mfe_panorama" in site.text("plugins", "mfe", "apps", "mfe", "Caddyfile")
    port = 2111 if scenario == "custom" else 2100
    assert f"{port}:8002 # panorama" in site.text("dev", "docker-compose.yml")


def test_mfe_url_uses_the_sites_scheme(rendered):
    http = rendered["demo"]
    https = rendered["custom"]
    assert 'MFE_CONFIG["PANORAMA_URL"] = "http://apps.local.openedx.io/panorama/"' in http.lms_settings()
    assert 'MFE_CONFIG["PANORAMA_URL"] = "https://apps.local.openedx.io/panorama/"' in https.lms_settings()
    # development: the MFE's own port
    assert 'MFE_CONFIG["PANORAMA_URL"] = "http://apps.local.openedx.io:2100/panorama/"' in http.lms_settings("development")
    assert 'MFE_CONFIG["PANORAMA_URL"] = "http://apps.local.openedx.io:2111/panorama/"' \
        in https.lms_settings("development")
    # after tutor-mfe's MFE_CONFIG, so that it is not overwritten
    text = https.lms_settings()
    assert text.index('MFE_CONFIG["PANORAMA_URL"]') > text.index("MFE_CONFIG = {")


def test_mfe_not_registered_when_disabled(rendered):
    site = rendered["mfe-disabled"]
    assert "frontend-app-panorama" not in site.text("plugins", "mfe", "build", "mfe", "Dockerfile")
    assert "@mfe_panorama" not in site.text("plugins", "mfe", "apps", "mfe", "Caddyfile")
    assert "# panorama" not in site.text("dev", "docker-compose.yml")
    for variant in ("production", "development"):
        assert "PANORAMA_URL" not in site.lms_settings(variant)
        assert "PANORAMA_MFE_ENABLED = False" in site.panorama_block(variant)
    # the app itself is still installed and configured
    assert PIN in site.dockerfile()
    assert "panorama-beat" in site.compose()["services"]


def test_without_the_mfe_plugin(rendered):
    site = rendered["without-mfe"]
    assert not (site.env / "plugins" / "mfe").exists()
    for variant in ("production", "development"):
        text = site.lms_settings(variant)
        assert "PANORAMA_URL" not in text and "MFE_CONFIG" not in text
        assert "PANORAMA_MODE = 'CUSTOM'" in site.panorama_block(variant)
    assert "panorama-beat" in site.compose()["services"]


def test_without_tutor_mfe_installed(rendered, tmp_path):
    """tutor-mfe not importable at all: the plugin loads, renders, and registers no MFE."""
    root = tmp_path / "no-tutormfe"
    shutil.copytree(rendered["without-mfe"].root, root, ignore=shutil.ignore_patterns("env"))
    block = "import sys\nfor name in ('tutormfe', 'tutormfe.hooks', 'tutormfe.plugin'):\n    sys.modules[name] = None"
    result = run_tutor(root, "config", "save", python_prelude=block)
    assert result.returncode == 0
    assert BEGIN in (root / "env" / "apps" / "openedx" / "settings" / "lms" / "production.py").read_text()
    listed = run_tutor(root, "plugins", "list", python_prelude=block).stdout
    assert re.search(r"^panorama\s.*enabled", listed, re.M)


def test_k8s_job_memory(rendered):
    assert rendered["free"].text("k8s", "override.yml").strip() == ""
    assert "k8s/override.yml" not in rendered["free"].text("kustomization.yml")
    custom = rendered["custom"].k8s("override.yml")
    assert custom == [{
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "lms-job"},
        "spec": {"template": {"spec": {"containers": [
            {"name": "lms", "resources": {"requests": {"memory": "1Gi"}, "limits": {"memory": "3Gi"}}}]}}},
    }]
    assert "- path: k8s/override.yml" in rendered["custom"].text("kustomization.yml")
    # the seed's single PANORAMA_K8S_JOB_MEMORY fills both
    legacy = rendered["demo-with-secret"].k8s("override.yml")[0]
    assert legacy["spec"]["template"]["spec"]["containers"][0]["resources"] == {
        "requests": {"memory": "2Gi"}, "limits": {"memory": "2Gi"}}


def test_invalid_mode_fails_config_save_naming_the_setting(rendered, tmp_path):
    root = tmp_path / "bad"
    shutil.copytree(rendered["demo"].root, root, ignore=shutil.ignore_patterns("env"))
    result = run_tutor(root, "config", "save", "--set", "PANORAMA_MODE=PAID", check=False)
    assert result.returncode != 0
    assert "PANORAMA_MODE = 'PAID' is not valid: expected one of DEMO, FREE, SAAS, CUSTOM" in result.stdout + result.stderr
    result = run_tutor(root, "config", "save", "--set", "PANORAMA_MODE=FREE", "--set", "PANORAMA_FLB_LOG_LEVEL=loud",
                       check=False)
    assert result.returncode != 0
    assert "PANORAMA_FLB_LOG_LEVEL = 'loud' is not valid" in result.stdout + result.stderr


def test_launch_builds_the_openedx_image():
    """`tutor local launch` must build openedx and mfe: the stock images have neither the app nor the MFE."""
    code = ("from tutor import hooks; import tutorpanorama.plugin;"
            "print(hooks.Filters.IMAGES_BUILD_REQUIRED.apply([], 'local'), hooks.Filters.IMAGES_BUILD_REQUIRED.apply("
            "[], 'dev'))")
    result = subprocess.run([str(tutor_executable().parent / "python"), "-c", code], capture_output=True,
                            text=True, check=True, timeout=60)
    # tutor dev builds its own openedx-dev image; the mfe image holds the Panorama MFE (enabled by default)
    assert result.stdout.split() == ["['openedx',", "'mfe']", "[]"]


def save_one(rendered, tmp_path, setting, value):
    """`tutor config save --set SETTING=VALUE` on a copy of the default site: (result, its root)."""
    root = tmp_path / "root"
    shutil.copytree(rendered["demo"].root, root, ignore=shutil.ignore_patterns("env"))
    return run_tutor(root, "config", "save", "--set", f"{setting}={value}", check=False), root


@pytest.mark.parametrize("setting, value, message", [
    ("PANORAMA_AWS_ACCOUNT_ID", "001234567012", "PANORAMA_AWS_ACCOUNT_ID = 175304202: YAML did not read this as text"),
    ("PANORAMA_BASE_PREFIX", "0755", "PANORAMA_BASE_PREFIX = 493: YAML did not read this as text"),
    ("PANORAMA_BUCKET", "yes", "PANORAMA_BUCKET = True: YAML did not read this as text"),
    ("PANORAMA_MFE_ENABLED", "enabled", "PANORAMA_MFE_ENABLED = 'enabled' is not valid: expected True or False"),
    ("PANORAMA_MFE_PORT", "2100.5", "PANORAMA_MFE_PORT = 2100.5 is not a port number"),
    ("PANORAMA_K8S_JOB_MEMORY", "2048", "PANORAMA_K8S_JOB_MEMORY = 2048 is not a memory quantity with a unit"),
])
def test_values_yaml_would_change_are_refused_with_their_name(rendered, tmp_path, setting, value, message):
    result, _ = save_one(rendered, tmp_path, setting, value)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


@pytest.mark.parametrize("setting, value, rendered_line", [
    ("PANORAMA_FLB_LOG_LEVEL", "off", "setdefault('panorama_openedx.tracking', {})[\"level\"] = 'CRITICAL'"),
    ("PANORAMA_LOGS_UPLOAD_TIMEOUT", "600", "PANORAMA_LOGS_UPLOAD_TIMEOUT = 600"),
    ("PANORAMA_AWS_ACCOUNT_ID", '"001234567012"', "PANORAMA_AWS_ACCOUNT_ID = '001234567012'"),
])
def test_values_yaml_reads_otherwise_but_safely(rendered, tmp_path, setting, value, rendered_line):
    result, root = save_one(rendered, tmp_path, setting, value)
    assert result.returncode == 0, result.stderr
    assert rendered_line in (root / "env" / "apps" / "openedx" / "settings" / "lms" / "production.py").read_text()
