"""
`tutor {local,k8s} do panorama-*` and the init tasks.

Tutor runs a job as `docker compose ... run --rm lms-job sh -e -c SCRIPT`. A stand-in `docker` on PATH (this
machine has no Docker) records every call, answers `compose ls` and, for the plugin's own jobs, runs SCRIPT with
the real `sh` in a sandbox whose `./manage.py` records its arguments: what reaches manage.py is what Tutor, Jinja
and the shell made of the operator's words. (Tutor's own init scripts are only recorded, never run.)
"""
import json
import os
import shlex
import sys

import pytest

from tests.tutor.conftest import load_plugin_module, run_tutor

HOSTILE = ("a,b'; touch pwned-1; echo '$(touch pwned-2) `touch pwned-3` \"quoted\" \\ "
           "{{ MYSQL_ROOT_PASSWORD }} {% if true %}x{% endif %} {# c #} & | > pwned-4\nnext line")

FAKE_DOCKER = """#!{python}
import json, os, subprocess, sys
args = sys.argv[1:]
with open(os.environ["FAKE_DOCKER_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
if "ls" in args:
    print("[]")
    sys.exit(0)
if "run" in args and os.environ.get("FAKE_DOCKER_EXECUTE") == "1":
    i = args.index("sh")
    assert args[i:i + 3] == ["sh", "-e", "-c"], args
    service = args[i - 1]
    sys.exit(subprocess.run(["sh", "-e", "-c", args[i + 3]], cwd=os.environ["FAKE_DOCKER_SANDBOX"],
                            env={{**os.environ, "FAKE_SERVICE": service}}).returncode)
"""

MANAGE_STUB = """#!{python}
import json, os, sys
with open("calls.jsonl", "a") as calls:
    calls.write(json.dumps({{"service": os.environ["FAKE_SERVICE"], "argv": sys.argv[1:]}}) + "\\n")
"""


@pytest.fixture
def docker(tmp_path):
    """Run Tutor jobs through the stand-in docker; yields a function returning (docker calls, manage.py calls)."""
    bin_dir, sandbox = tmp_path / "bin", tmp_path / "sandbox"
    bin_dir.mkdir()
    sandbox.mkdir()
    (bin_dir / "docker").write_text(FAKE_DOCKER.format(python=sys.executable))
    (sandbox / "manage.py").write_text(MANAGE_STUB.format(python=sys.executable))
    for path in (bin_dir / "docker", sandbox / "manage.py"):
        path.chmod(0o755)
    log = tmp_path / "docker.jsonl"

    def run(root, *args, check=True, execute=True):
        """Tutor with the stand-in docker; job scripts run in the sandbox only with ``execute``."""
        for path in (log, sandbox / "calls.jsonl"):
            path.unlink(missing_ok=True)
        result = run_tutor(root, *args, check=check, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
                           FAKE_DOCKER_LOG=str(log), FAKE_DOCKER_SANDBOX=str(sandbox),
                           FAKE_DOCKER_EXECUTE="1" if execute else "0")
        docker_calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
        calls_file = sandbox / "calls.jsonl"
        manage_calls = [json.loads(line) for line in calls_file.read_text().splitlines()] if calls_file.exists() else []
        return result, docker_calls, manage_calls

    run.sandbox = sandbox
    return run


def job_scripts(docker_calls):
    return [(call[call.index("sh") - 1], call[call.index("sh") + 3]) for call in docker_calls if "run" in call]


def test_export_arguments_reach_manage_py_intact(rendered, docker):
    result, calls, manage = docker(rendered["custom"].root, "local", "do", "panorama-export", "--tables", HOSTILE,
                                   "--destination", "s3://bucket/pre fix", "--dry-run", "--no-catalog")
    assert manage == [{"service": "lms-job", "argv": [
        "lms", "panorama_export", f"--tables={HOSTILE}", "--destination=s3://bucket/pre fix", "--dry-run",
        "--no-catalog"]}]
    assert not list(docker.sandbox.glob("pwned*"))
    assert [service for service, _ in job_scripts(calls)] == ["lms-job"]
    assert result.returncode == 0


def test_export_without_arguments_and_option_like_values(rendered, docker):
    _, _, manage = docker(rendered["free"].root, "local", "do", "panorama-export")
    assert manage == [{"service": "lms-job", "argv": ["lms", "panorama_export"]}]
    _, _, manage = docker(rendered["free"].root, "local", "do", "panorama-export", "--tables=--dry-run")
    assert manage[0]["argv"] == ["lms", "panorama_export", "--tables=--dry-run"]  # a value, not an option


def test_catalog_and_check_jobs(rendered, docker):
    _, _, manage = docker(rendered["custom"].root, "local", "do", "panorama-catalog", "--tables", "auth_user;id")
    assert manage == [{"service": "lms-job", "argv": ["lms", "panorama_catalog", "--tables=auth_user;id"]}]
    _, _, manage = docker(rendered["custom"].root, "local", "do", "panorama-check")
    assert manage == [{"service": "lms-job", "argv": ["lms", "panorama_check"]}]


def test_failing_command_fails_the_job(rendered, docker):
    (docker.sandbox / "manage.py").write_text(f"#!{sys.executable}\nimport sys\nsys.exit(3)\n")
    result, _, _ = docker(rendered["custom"].root, "local", "do", "panorama-export", check=False)
    assert result.returncode != 0


@pytest.mark.parametrize("scenario,expected", [
    ("demo", []),
    ("free", [["lms", "panorama_check"]]),
    ("saas", [["lms", "panorama_check"]]),
    ("custom", [["lms", "panorama_check"], ["lms", "panorama_catalog"]]),
])
def test_init_tasks_by_mode(rendered, docker, scenario, expected):
    _, calls, manage = docker(rendered[scenario].root, "local", "do", "init", "--limit", "panorama")
    assert [call["argv"] for call in manage] == expected
    scripts = job_scripts(calls)
    assert len(scripts) == (1 if expected else 0)  # DEMO: no job at all
    for service, script in scripts:
        assert service == "lms-job"
        assert "makemigrations" not in script and "migrate" not in script


def test_init_task_runs_after_tutors_lms_init(rendered, docker):
    """Tutor's own lms init (which runs the migrations, the app's included) comes first."""
    # Tutor's own scripts are recorded, never run here
    _, calls, _ = docker(rendered["free"].root, "local", "do", "init", execute=False)
    scripts = [script for service, script in job_scripts(calls) if service == "lms-job"]
    migrate = next(i for i, script in enumerate(scripts) if "./manage.py lms migrate" in script)
    panorama = next(i for i, script in enumerate(scripts) if "panorama_check" in script)
    assert migrate < panorama


def test_do_commands_are_listed_for_local_dev_and_k8s(rendered):
    root = rendered["demo"].root
    for context in ("local", "dev", "k8s"):
        listing = run_tutor(root, context, "do", "--help").stdout
        for name in ("panorama-export", "panorama-catalog", "panorama-check"):
            assert name in listing, (context, name)
    export_help = run_tutor(root, "k8s", "do", "panorama-export", "--help").stdout
    for option in ("--tables", "--destination", "--dry-run", "--no-catalog"):
        assert option in export_help


def test_script_builder_quotes_every_word():
    jobs = load_plugin_module("jobs")
    script = jobs.export_script(tables=HOSTILE, destination="", dry_run=True, no_catalog=False)
    # each "{" is a Jinja expression that renders back to "{"; undone here, the shell sees exactly the words
    unescaped = script.replace('{{ "{" }}', "{")
    assert shlex.split(unescaped) == ["./manage.py", "lms", "panorama_export", f"--tables={HOSTILE}", "--dry-run"]
    assert "{{ MYSQL" not in script and "{%" not in script and "{#" not in script
    assert jobs.check_script() == "./manage.py lms panorama_check"
    assert jobs.catalog_script(tables="a b") == "./manage.py lms panorama_catalog '--tables=a b'"


def test_python_literal_rendering_is_safe():
    settings = load_plugin_module("settings")
    for value in ('a"b', "a'b\\c", "line\nbreak", "\u00e9\u4e2d", "{{ x }}", 0, -1, 2.5, True, None,
                  {"k": ["v", 1, None]}, []):
        text = settings.python_literal(value)
        assert eval(text, {"__builtins__": {}}) == value  # pylint: disable=eval-used
    import datetime  # pylint: disable=import-outside-toplevel

    for bad in (datetime.date(2026, 1, 1), float("inf"), {1: "x"}, object()):
        with pytest.raises(settings.ConfigError):
            settings.python_literal(bad, "PANORAMA_X")


def test_a_failed_connection_check_does_not_stop_the_launch(rendered, docker):
    """panorama_check fails (exit 1): the init says so and goes on; a failed catalog still stops it."""
    (docker.sandbox / "manage.py").write_text(
        f"#!{sys.executable}\nimport sys\nsys.exit(1 if sys.argv[1:] == ['lms', 'panorama_check'] else 0)\n")
    result, _, _ = docker(rendered["custom"].root, "local", "do", "init", "--limit", "panorama", check=False)
    assert result.returncode == 0
    assert "some connections failed" in result.stdout + result.stderr
    (docker.sandbox / "manage.py").write_text(
        f"#!{sys.executable}\nimport sys\nsys.exit(1 if sys.argv[1:] == ['lms', 'panorama_catalog'] else 0)\n")
    result, _, _ = docker(rendered["custom"].root, "local", "do", "init", "--limit", "panorama", check=False)
    assert result.returncode != 0
