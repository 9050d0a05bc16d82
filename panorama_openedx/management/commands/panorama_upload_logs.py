"""
``./manage.py lms panorama_upload_logs``: ship the due tracking events to the raw-logs bucket, exactly once.

Exit 0 when everything due was shipped (or another drainer is running), 1 when Redis or the upload failed
(nothing unshipped is acknowledged: the next run retries), 2 when this configuration ships nothing.
"""
from django.core.management.base import BaseCommand, CommandError

from panorama_openedx.catalog.tables import CatalogError
from panorama_openedx.conf import get_settings
from panorama_openedx.datalake.storage import StorageError
from panorama_openedx.tracking.drain import NotShipping, drain
from panorama_openedx.tracking.shipper import ShipperError


class Command(BaseCommand):
    help = "Ship the due tracking events to the raw-logs bucket (gzip NDJSON, exactly once)."

    def handle(self, *args, **options):
        import redis  # pylint: disable=import-outside-toplevel

        try:
            report = drain(get_settings())
        except NotShipping as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except (StorageError, ShipperError, redis.RedisError) as exc:
            raise CommandError(f"Tracking events not shipped: {exc}. Nothing unshipped was acknowledged; the "
                               "next run retries.") from exc
        except CatalogError as exc:
            raise CommandError(f"Tracking events shipped, but the catalog was not updated: {exc}. "
                               "Run panorama_catalog.") from exc
        if report.message:
            self.stdout.write(report.message)
        for key in report.objects:
            self.stdout.write(f"shipped {key}")
        self.stdout.write(f"{report.events:,} events in {len(report.objects)} object(s), {report.bytes:,} bytes; "
                          f"{report.waiting:,} waiting for a fuller or older object; {report.skipped:,} skipped "
                          "(not JSON events)")
        if report.catalog:
            self.stdout.write(f"catalog: {report.catalog}")
