"""One drain of the tracking events, from the settings: what the command and the Celery task both run."""
from __future__ import annotations

from panorama_openedx.catalog import logs_catalog_for
from panorama_openedx.datalake.storage import logs_storage_for
from panorama_openedx.tracking.file_source import FileShipper
from panorama_openedx.tracking.shipper import DrainReport, StreamShipper


class NotShipping(Exception):
    """This configuration does not ship tracking events from here; the message says why."""


def drain(settings) -> DrainReport:
    """
    Ship the due tracking events to the raw-logs bucket (or the local datalake folder), then bring the
    tracking-log table of the catalog in step (raises CatalogError after a successful, acknowledged drain).
    """
    import redis  # pylint: disable=import-outside-toplevel

    if not settings.mode.ships_tracking_logs:
        raise NotShipping(f"PANORAMA_MODE is {settings.mode}: tracking events are not shipped")
    storage = logs_storage_for(settings)
    if settings.tracking_source == "file":
        report = FileShipper(settings.tracking_log_path, storage, settings.lms_host, settings.logs_total_file_size,
                             settings.logs_upload_timeout.total_seconds()).drain()
    else:
        client = redis.Redis.from_url(settings.tracking_redis_url.reveal(), socket_connect_timeout=5,
                                      socket_timeout=30)
        try:
            report = StreamShipper(client, storage, settings.lms_host, settings.logs_total_file_size,
                                   settings.logs_upload_timeout.total_seconds()).drain()
        finally:
            client.close()
    catalog = logs_catalog_for(settings, storage)
    if catalog is not None and report.objects:
        report.catalog = catalog.update_tracking_logs(report.objects)
    return report
