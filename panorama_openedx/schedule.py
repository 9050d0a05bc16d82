"""
The beat schedule of the export, resolved when beat asks rather than when settings load.

Tutor writes PANORAMA_CRONTAB and PANORAMA_MODE after the plugins' settings have run (decision 0002),
so the entry registered in CELERYBEAT_SCHEDULE carries this schedule object, which reads the validated
settings each time beat checks it: the crontab in FREE, SAAS and CUSTOM modes, never in DEMO.
"""
import logging

from celery.schedules import BaseSchedule, schedstate

log = logging.getLogger(__name__)

IDLE_CHECK_SECONDS = 3600.0

EXPORT_TASK = "panorama_openedx.tasks.export_datalake"
EXPORT_ENTRY = "panorama-export"


class PanoramaExportSchedule(BaseSchedule):
    """PANORAMA_CRONTAB while the mode extracts; otherwise never due."""

    def _crontab(self):
        from django.core.exceptions import ImproperlyConfigured  # pylint: disable=import-outside-toplevel

        from panorama_openedx.conf import get_settings  # pylint: disable=import-outside-toplevel

        try:
            settings = get_settings()
        except ImproperlyConfigured as exc:  # beat runs every LMS periodic task: never stop it
            log.error("Panorama export not scheduled: %s", exc)
            return None
        if not settings.extracts:
            return None
        schedule = settings.crontab.schedule()
        schedule.app = self._app or schedule.app
        return schedule

    def is_due(self, last_run_at):
        crontab = self._crontab()
        if crontab is None:
            return schedstate(is_due=False, next=IDLE_CHECK_SECONDS)
        return crontab.is_due(last_run_at)

    def remaining_estimate(self, last_run_at):
        crontab = self._crontab()
        if crontab is None:
            from datetime import timedelta  # pylint: disable=import-outside-toplevel

            return timedelta(seconds=IDLE_CHECK_SECONDS)
        return crontab.remaining_estimate(last_run_at)

    def __reduce__(self):
        return (self.__class__, ())

    def __eq__(self, other):
        return isinstance(other, PanoramaExportSchedule)

    def __hash__(self):
        return hash(self.__class__)

    def __repr__(self):
        return "<PanoramaExportSchedule: PANORAMA_CRONTAB when PANORAMA_MODE exports>"


def beat_entry():
    """The CELERYBEAT_SCHEDULE entry (the LMS's Celery reads the old, upper-case setting names)."""
    return {"task": EXPORT_TASK, "schedule": PanoramaExportSchedule(), "options": {"queue": "edx.lms.core.default"}}
