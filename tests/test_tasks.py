"""The export as a Celery task, run by a real worker on Redis, and its beat entry."""
import io
from datetime import datetime, timedelta, timezone

import pytest
from celery.beat import Scheduler
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.core.management import call_command

from lms_stub.celery import APP
from panorama_openedx.schedule import (
    EXPORT_ENTRY,
    EXPORT_TASK,
    IDLE_CHECK_SECONDS,
    LOGS_ENTRY,
    LOGS_TASK,
    PanoramaExportSchedule,
    TrackingLogsSchedule,
)
from panorama_openedx.locks import single_run
from panorama_openedx.tasks import ExportFailed, export_datalake, upload_tracking_logs
from tests.export_helpers import HOST, compare_table

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lake(tmp_path, settings, serve_modulestore):
    call_command("seed_lms", "--scale", "0.01", "--modulestore-dir", str(tmp_path / "ms"), stdout=io.StringIO())
    serve_modulestore(tmp_path / "ms")
    settings.PANORAMA_MODE = "SAAS"
    settings.PANORAMA_DATALAKE_DIR = str(tmp_path / "lake")
    settings.LMS_BASE = HOST
    return tmp_path / "lake" / "openedx"


@pytest.fixture
def worker(redis_client):  # pylint: disable=unused-argument
    """A real Celery worker in this process, on the Redis broker."""
    import celery.contrib.testing.tasks  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import

    with start_worker(APP, pool="solo", perform_ping_check=True, shutdown_timeout=30,
                      queues=["celery", "edx.lms.core.default"]):  # the LMS workers consume the latter
        yield APP


def test_worker_runs_the_export(lake, worker):
    result = export_datalake.delay(tables=["auth_user", "courseware_studentmodule"]).get(timeout=120)
    assert [t["table"] for t in result["tables"]] == ["auth_user", "courseware_studentmodule"]
    assert result["failed"] == []
    assert compare_table(lake, "auth_user") == 500
    assert compare_table(lake, "courseware_studentmodule") == sum(t["rows"] for t in result["tables"][1:])


def test_task_fails_when_a_table_fails(lake, worker, settings):
    settings.PANORAMA_TABLES = {"a_required_table": {}}
    with pytest.raises(ExportFailed, match="Export failed for a_required_table"):
        export_datalake.delay(tables=["a_required_table", "auth_user"]).get(timeout=120)
    assert (lake / f"auth_user/lms={HOST}/auth_user.csv").is_file()


def test_task_does_nothing_in_demo_mode(lake, worker, settings):
    settings.PANORAMA_MODE = "DEMO"
    assert export_datalake.delay().get(timeout=60) == {"skipped": "PANORAMA_MODE is DEMO"}
    assert not lake.exists()


def test_beat_entries_are_in_the_lms_schedule():
    entry = django_settings.CELERYBEAT_SCHEDULE[EXPORT_ENTRY]
    assert entry["task"] == EXPORT_TASK == export_datalake.name
    assert isinstance(entry["schedule"], PanoramaExportSchedule)
    logs = django_settings.CELERYBEAT_SCHEDULE[LOGS_ENTRY]
    assert logs["task"] == LOGS_TASK == upload_tracking_logs.name
    assert isinstance(logs["schedule"], TrackingLogsSchedule)


def test_logs_schedule_runs_every_minute_only_when_logs_ship(settings, tmp_path):
    schedule = TrackingLogsSchedule()
    two_minutes_ago = datetime.now(timezone.utc) - timedelta(minutes=2)
    settings.PANORAMA_DATALAKE_DIR = str(tmp_path)
    for mode, due in (("DEMO", False), ("FREE", False), ("SAAS", True), ("CUSTOM", True)):
        settings.PANORAMA_MODE = mode
        assert schedule.is_due(two_minutes_ago)[0] is due, mode
    assert schedule.is_due(datetime.now(timezone.utc))[0] is False


def test_schedule_follows_the_crontab_and_the_mode(settings, tmp_path):
    schedule = PanoramaExportSchedule()
    settings.PANORAMA_DATALAKE_DIR = str(tmp_path)
    settings.PANORAMA_CRONTAB = "*/5 * * * *"
    long_ago = datetime.now(timezone.utc) - timedelta(minutes=11)
    settings.PANORAMA_MODE = "DEMO"
    assert schedule.is_due(long_ago) == (False, IDLE_CHECK_SECONDS)
    for mode in ("FREE", "SAAS", "CUSTOM"):
        settings.PANORAMA_MODE = mode
        assert schedule.is_due(long_ago)[0] is True
        assert schedule.is_due(datetime.now(timezone.utc))[0] is False
        assert schedule.remaining_estimate(datetime.now(timezone.utc)) <= timedelta(minutes=5)


def test_beat_sends_the_due_export_to_the_worker(lake, worker):
    """Celery's own beat scheduler, ticking once with the entry overdue, and the worker exporting."""
    scheduler = Scheduler(app=APP, lazy=False)
    entry = scheduler.schedule[EXPORT_ENTRY]
    entry.last_run_at = datetime.now(timezone.utc) - timedelta(days=1)
    scheduler.tick()
    for _ in range(600):
        if (lake / f"student_courseenrollment/lms={HOST}/student_courseenrollment.csv").is_file() and \
                (lake / f"enterprise_pendingenterprisecustomeruser/lms={HOST}").is_dir():
            break
        import time  # pylint: disable=import-outside-toplevel

        time.sleep(0.1)
    assert compare_table(lake, "student_courseenrollment") > 0


def test_an_export_does_not_overlap_a_running_one(lake, worker):
    with single_run() as acquired:
        assert acquired
        assert export_datalake.delay(tables=["auth_user"]).get(timeout=60) == {"skipped": "another export is running"}
    assert not lake.exists()
    assert export_datalake.delay(tables=["auth_user"]).get(timeout=60)["failed"] == []


def test_invalid_settings_never_stop_beat(settings, caplog):
    """Beat runs every periodic task of the LMS: a bad PANORAMA_* value only unschedules the export."""
    settings.PANORAMA_CRONTAB = "not a crontab"
    schedule = PanoramaExportSchedule()
    assert schedule.is_due(datetime.now(timezone.utc) - timedelta(days=1)) == (False, IDLE_CHECK_SECONDS)
    assert "Panorama task not scheduled: Invalid Panorama settings" in caplog.text


def test_the_command_refuses_to_overlap_a_running_export(lake):
    from django.core.management.base import CommandError  # pylint: disable=import-outside-toplevel

    with single_run():
        with pytest.raises(CommandError) as caught:
            call_command("panorama_export", "--tables", "auth_user", stdout=io.StringIO(), stderr=io.StringIO())
    assert caught.value.returncode == 3 and "Another Panorama export is running" in str(caught.value)
    assert not lake.exists()
