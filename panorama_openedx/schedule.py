"""
Beat schedules that read the validated settings when beat asks, rather than when settings load.

Tutor writes PANORAMA_CRONTAB and PANORAMA_MODE after the plugins' settings have run (decision 0002), so the
entries registered in CELERYBEAT_SCHEDULE carry these schedule objects: the export follows PANORAMA_CRONTAB in
FREE, SAAS and CUSTOM modes; the tracking-log drain runs every minute in SAAS and CUSTOM. Neither ever fires
in a mode that does not use it, and an invalid setting unschedules them without stopping beat.
"""
import logging
from datetime import timedelta

from celery.schedules import BaseSchedule, schedstate, schedule

log = logging.getLogger(__name__)

IDLE_CHECK_SECONDS = 3600.0
LOGS_INTERVAL = timedelta(minutes=1)

EXPORT_TASK = "panorama_openedx.tasks.export_datalake"
EXPORT_ENTRY = "panorama-export"
LOGS_TASK = "panorama_openedx.tasks.upload_tracking_logs"
LOGS_ENTRY = "panorama-upload-logs"


class _SettingsSchedule(BaseSchedule):
    """A schedule chosen from the settings at each check; None means never due."""

    def _inner(self, settings):
        raise NotImplementedError

    def _current(self):
        from django.core.exceptions import ImproperlyConfigured  # pylint: disable=import-outside-toplevel

        from panorama_openedx.conf import get_settings  # pylint: disable=import-outside-toplevel

        try:
            settings = get_settings()
        except ImproperlyConfigured as exc:  # beat runs every LMS periodic task: never stop it
            log.error("Panorama task not scheduled: %s", exc)
            return None
        inner = self._inner(settings)
        if inner is not None:
            inner.app = self._app or inner.app
        return inner

    def is_due(self, last_run_at):
        inner = self._current()
        if inner is None:
            return schedstate(is_due=False, next=IDLE_CHECK_SECONDS)
        return inner.is_due(last_run_at)

    def remaining_estimate(self, last_run_at):
        inner = self._current()
        if inner is None:
            return timedelta(seconds=IDLE_CHECK_SECONDS)
        return inner.remaining_estimate(last_run_at)

    def __reduce__(self):
        return (self.__class__, ())

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(self.__class__)


class PanoramaExportSchedule(_SettingsSchedule):
    """PANORAMA_CRONTAB while the mode extracts; otherwise never due."""

    def _inner(self, settings):
        return settings.crontab.schedule() if settings.extracts else None

    def __repr__(self):
        return "<PanoramaExportSchedule: PANORAMA_CRONTAB when PANORAMA_MODE exports>"


class TrackingLogsSchedule(_SettingsSchedule):
    """Every minute while the mode ships tracking events; otherwise never due."""

    def _inner(self, settings):
        return schedule(LOGS_INTERVAL) if settings.mode.ships_tracking_logs else None

    def __repr__(self):
        return "<TrackingLogsSchedule: every minute when PANORAMA_MODE ships tracking logs>"


def beat_entries():
    """The CELERYBEAT_SCHEDULE entries (the LMS's Celery reads the old, upper-case setting names)."""
    options = {"queue": "edx.lms.core.default"}
    return {
        EXPORT_ENTRY: {"task": EXPORT_TASK, "schedule": PanoramaExportSchedule(), "options": options},
        LOGS_ENTRY: {"task": LOGS_TASK, "schedule": TrackingLogsSchedule(), "options": options},
    }
