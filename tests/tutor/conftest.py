"""
The Tutor plugin (``tutor/``, tutor-contrib-panorama), tested through Tutor itself.

Tutor 21 cannot share a virtualenv with the app (its click version conflicts with Celery's), so it lives in
``.venv-tutor`` (``make tutor-venv``) and these tests, which run in the app's virtualenv, call its ``tutor``
command in subprocesses, each on a temporary ``TUTOR_ROOT``. ``tutor config save`` renders the whole
environment without Docker in about a second; the scenarios below are rendered once per session, in
parallel. No database is used.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TUTOR_EXECUTABLE = Path(os.environ.get("TUTOR_EXECUTABLE") or REPO_ROOT / ".venv-tutor" / "bin" / "tutor")
PLUGIN_SOURCE = REPO_ROOT / "tutor"

BEGIN = "# BEGIN tutor-contrib-panorama: settings of panorama-openedx"
END = "# END tutor-contrib-panorama"

# A secret that breaks naive quoting in Python, YAML and the shell (Tutor itself renders every configuration
# value as a Jinja template, so "{{" cannot appear in any Tutor value; a lone brace can).
HOSTILE_SECRET = "p\"a'ss\\word $HOME `id` ; {brace} \u00e9\\n"

# Every scenario: `tutor config save` arguments on top of the DEMO root made by `tutor plugins enable`.
SCENARIOS = {
    "free": ["--set", "PANORAMA_MODE=FREE", "--set", "PANORAMA_BUCKET=free-bucket",
             "--set", "PANORAMA_AWS_ACCESS_KEY=AKIAFREE", "--set", "PANORAMA_AWS_SECRET_ACCESS_KEY=free-secret"],
    "saas": ["--set", "PANORAMA_MODE=saas", "--set", "PANORAMA_BUCKET=saas-bucket",
             "--set", "PANORAMA_AWS_ACCESS_KEY=AKIASAAS", "--set", "PANORAMA_AWS_SECRET_ACCESS_KEY=saas-secret",
             # the seed's Fluent Bit and image keys: accepted, never injected
             "--set", "PANORAMA_RUN_K8S_FLUENTBIT=false", "--set", "PANORAMA_FLB_LOG_LEVEL=warn",
             "--set", "PANORAMA_DOCKER_IMAGE=aulasneo/panorama-elt:21.2.1"],
    "custom": [
        "--set", "PANORAMA_MODE=CUSTOM",
        "--set", "PANORAMA_BUCKET=custom-lake",
        "--set", "PANORAMA_RAW_LOGS_BUCKET=custom-logs",
        "--set", "PANORAMA_BASE_PREFIX=analytics/openedx",
        "--set", "PANORAMA_REGION=eu-west-3",
        "--set", "PANORAMA_AWS_ACCOUNT_ID=123456789012",  # YAML reads a number: the plugin writes text
        "--set", "PANORAMA_AWS_ACCESS_KEY=AKIACUSTOM",
        "--set", f"PANORAMA_AWS_SECRET_ACCESS_KEY={json.dumps(HOSTILE_SECRET)}",
        "--set", "PANORAMA_DATALAKE_DATABASE=lake_db",
        "--set", "PANORAMA_DATALAKE_WORKGROUP=lake-wg",
        "--set", "PANORAMA_CRONTAB=15 3 * * 1-5",
        "--set", "PANORAMA_USE_SPLIT_MONGO=false",
        "--set", "PANORAMA_MFE_PORT=2111",
        "--set", "PANORAMA_ENABLE_STUDENT_VIEW=false",
        "--set", "PANORAMA_DEBUG=true",
        "--set", "PANORAMA_LOGS_TOTAL_FILE_SIZE=20M",
        "--set", "PANORAMA_LOGS_UPLOAD_TIMEOUT=5m",
        "--set", "PANORAMA_LOGS_UPLOAD_CHUNK_SIZE=8M",
        "--set", "PANORAMA_FLB_LOG_LEVEL=debug",
        # app-only settings an operator sets: injected as given
        "--set", 'PANORAMA_TABLES={"auth_user": {"exclude_columns": ["email"]}, "student_courseenrollmentallowed": null}',
        "--set", "PANORAMA_TRACKING_STREAM_MAXLEN=5000",
        "--set", "PANORAMA_S3_ENDPOINT_URL=https://minio.example.com:9000",
        "--set", "PANORAMA_K8S_JOB_MEMORY_REQUEST=1Gi",
        "--set", "PANORAMA_K8S_JOB_MEMORY_LIMIT=3Gi",
        "--set", "PANORAMA_PACKAGE=panorama-openedx @ https://example.com/p.whl?a=1&b=$(id)",
        "--set", "ENABLE_HTTPS=true",
    ],
    "demo-with-secret": ["--set", "PANORAMA_AWS_ACCESS_KEY=AKIADEMO",
                         "--set", "PANORAMA_AWS_SECRET_ACCESS_KEY=demo-secret-never-injected",
                         "--set", "PANORAMA_K8S_JOB_MEMORY=2Gi"],
    "mfe-disabled": ["--set", "PANORAMA_MODE=CUSTOM", "--set", "PANORAMA_BUCKET=custom-lake",
                     "--set", "PANORAMA_MFE_ENABLED=false"],
}


def tutor_executable() -> Path:
    """The Tutor of .venv-tutor; the tests fail (never skip) without it."""
    if not (TUTOR_EXECUTABLE.is_file() and os.access(TUTOR_EXECUTABLE, os.X_OK)):
        pytest.fail(f"Tutor is not installed at {TUTOR_EXECUTABLE}: run `make tutor-venv` (Tutor lives in its own "
                    "virtualenv, .venv-tutor, because it conflicts with the app's Celery)", pytrace=False)
    return TUTOR_EXECUTABLE


def tutor_env(root: Path, **extra) -> dict:
    """The environment of a Tutor subprocess: this root, no plugin folder, no TUTOR_* override from outside."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("TUTOR_", "PANORAMA_"))}
    env.update(TUTOR_ROOT=str(root), TUTOR_PLUGINS_ROOT=str(root / "no-plugins"), **extra)
    return env


def run_tutor(root: Path, *args, check=True, python_prelude: str | None = None, **extra_env):
    """Run `tutor ARGS` on ``root``; with ``python_prelude``, run Tutor's main() after that Python code."""
    executable = tutor_executable()
    if python_prelude is None:
        command = [str(executable), *args]
    else:
        code = f"{python_prelude}\nimport sys\nfrom tutor.commands.cli import main\nsys.argv = ['tutor', *{list(args)!r}]\nmain()"
        command = [str(executable.parent / "python"), "-c", code]
    result = subprocess.run(command, cwd=root, env=tutor_env(root, **extra_env), capture_output=True, text=True,
                            timeout=120, check=False)
    if check and result.returncode != 0:
        pytest.fail(f"`tutor {' '.join(args)}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
                    pytrace=False)
    return result


@dataclass
class Rendered:
    """One rendered Tutor environment."""

    root: Path

    @property
    def env(self) -> Path:
        return self.root / "env"

    def text(self, *parts) -> str:
        return self.env.joinpath(*parts).read_text(encoding="utf-8")

    def lms_settings(self, variant="production") -> str:
        return self.text("apps", "openedx", "settings", "lms", f"{variant}.py")

    def panorama_block(self, variant="production") -> str:
        return extract_block(self.lms_settings(variant))

    def compose(self, name="docker-compose.prod.yml") -> dict:
        return yaml.safe_load(self.text("local", name))

    def k8s(self, name) -> list[dict]:
        return [doc for doc in yaml.safe_load_all(self.text("k8s", name)) if doc]

    def dockerfile(self) -> str:
        return self.text("build", "openedx", "Dockerfile")


def extract_block(settings_text: str) -> str:
    """The lines the plugin rendered, markers included; exactly one block."""
    assert settings_text.count(BEGIN) == 1 and settings_text.count(END) == 1, "the plugin's block is missing or repeated"
    start = settings_text.index(BEGIN)
    return settings_text[start:settings_text.index(END, start) + len(END)]


def literal_assignments(python_text: str, names) -> dict:
    """
    The top-level ``NAME = <literal>`` and ``NAME["key"] = <literal>`` statements of a settings file for the
    given names (e.g. Tutor's CACHES, tutor-mfe's MFE_CONFIG and the plugin's MFE_CONFIG["PANORAMA_URL"]).
    """
    values: dict = {}
    for node in ast.parse(python_text).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target = node.targets[0]
        try:
            if isinstance(target, ast.Name) and target.id in names:
                values[target.id] = ast.literal_eval(node.value)
            elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) \
                    and target.value.id in names and target.value.id in values:
                values[target.value.id][ast.literal_eval(target.slice)] = ast.literal_eval(node.value)
        except ValueError:  # not a literal (e.g. a variable on the right): not needed here
            continue
    return values


def lms_namespace(rendered: Rendered, variant="production") -> dict:
    """
    What the LMS's settings module holds for Panorama: Tutor's YAML (LMS_BASE, DATABASES, AWS keys...), Tutor's
    CACHES and MFE_CONFIG, then the plugin's block executed on top.
    """
    namespace = dict(yaml.safe_load(rendered.text("apps", "openedx", "config", "lms.env.yml")))
    text = rendered.lms_settings(variant)
    namespace.update(literal_assignments(text, {"CACHES", "MFE_CONFIG"}))
    namespace["LOGGING"] = {"version": 1, "handlers": {}, "loggers": {"tracking": {"handlers": ["console"]}}}
    exec(compile(extract_block(text), f"{variant}.py (panorama block)", "exec"), namespace)  # pylint: disable=exec-used
    namespace.pop("__builtins__", None)
    return namespace


def _render(base: Path, target: Path, args) -> None:
    shutil.copytree(base, target, ignore=shutil.ignore_patterns("env"))
    run_tutor(target, "config", "save", *args)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict[str, Rendered]:
    """
    Each scenario rendered: "demo" is the root `tutor plugins enable mfe panorama` makes (DEMO mode, the
    defaults); every other one copies its config.yml and runs `tutor config save --set ...`.
    """
    top = tmp_path_factory.mktemp("tutor")
    base = top / "demo"
    base.mkdir()
    run_tutor(base, "plugins", "enable", "mfe", "panorama")
    roots = {"demo": Rendered(base)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(_render, base, top / name, args) for name, args in SCENARIOS.items()}
        futures["without-mfe"] = pool.submit(_without_mfe, base, top / "without-mfe")
        for name, future in futures.items():
            future.result()
            roots[name] = Rendered(top / name)
    return roots


def _without_mfe(base: Path, target: Path) -> None:
    """A CUSTOM site without the tutor-mfe plugin: `tutor plugins disable mfe`."""
    shutil.copytree(base, target, ignore=shutil.ignore_patterns("env"))
    run_tutor(target, "plugins", "disable", "mfe")
    run_tutor(target, "config", "save", "--set", "PANORAMA_MODE=CUSTOM", "--set", "PANORAMA_BUCKET=custom-lake")


def load_plugin_module(name: str):
    """A pure module of the plugin (no Tutor import), loaded from the source tree into this interpreter."""
    if str(PLUGIN_SOURCE) not in sys.path:
        sys.path.insert(0, str(PLUGIN_SOURCE))
    return __import__(f"tutorpanorama.{name}", fromlist=[name])
