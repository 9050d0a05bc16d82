"""
Celery tasks. They only decide to run; the work is ``panorama_openedx.export``.

The task name is fixed so that the beat entry and manual calls keep working across refactors.
"""
import logging

from celery import shared_task

from panorama_openedx.catalog import catalog_for
from panorama_openedx.conf import get_settings
from panorama_openedx.datalake.storage import storage_for
from panorama_openedx.export import export, select_tables
from panorama_openedx.locks import single_run
from panorama_openedx.schedule import EXPORT_TASK, LOGS_TASK

log = logging.getLogger(__name__)


class ExportFailed(Exception):
    """Some tables failed; the task fails too, so that monitoring sees it."""


@shared_task(name=EXPORT_TASK, ignore_result=False)
def export_datalake(tables=None, destination=None):
    """Export the tables (all by default) to the datalake; returns the report as a dict."""
    settings = get_settings()
    if not settings.extracts and not destination:
        log.info("PANORAMA_MODE is %s: the export does not run", settings.mode)
        return {"skipped": f"PANORAMA_MODE is {settings.mode}"}
    specs = select_tables(settings.tables, tables)
    with single_run() as acquired:
        if not acquired:
            log.warning("Another Panorama export is still running: this one is skipped")
            return {"skipped": "another export is running"}
        storage = storage_for(settings, destination)
        report = export(specs, storage, settings.lms_host, settings.database_alias,
                        catalog=catalog_for(settings, storage, explicit_destination=bool(destination)))
    if report.failed:
        raise ExportFailed("Export failed for " + ", ".join(f"{t.table} ({t.message})" for t in report.failed))
    return report.as_dict()


@shared_task(name=LOGS_TASK, ignore_result=False)
def upload_tracking_logs():
    """Ship the due tracking events (the same drain as ``panorama_upload_logs``)."""
    from panorama_openedx.tracking.drain import NotShipping, drain  # pylint: disable=import-outside-toplevel

    try:
        report = drain(get_settings())
    except NotShipping as exc:
        log.info("%s", exc)
        return {"skipped": str(exc)}
    return {"objects": report.objects, "events": report.events, "waiting": report.waiting,
            "skipped": report.skipped, "message": report.message}
