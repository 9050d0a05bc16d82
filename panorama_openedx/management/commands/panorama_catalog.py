"""
``./manage.py lms panorama_catalog [--tables a,b] [--destination URL] [--duckdb PATH]``: bring the catalog in
step with the datalake's files: Glue tables, partitions and Athena views (S3, CUSTOM mode), or the views of
the DuckDB file (local folder). Exit 1 when a table failed, 2 for a wrong command line.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from panorama_openedx.catalog import catalog_for
from panorama_openedx.conf import get_settings
from panorama_openedx.datalake.storage import storage_for
from panorama_openedx.export import select_tables, update_catalog
from panorama_openedx.management.reporting import failure_message, print_summary


class Command(BaseCommand):
    help = "Create or update the Glue/Athena (S3) or DuckDB (local folder) catalog of the Panorama datalake."

    def add_arguments(self, parser):
        parser.add_argument("--tables", default="", help="comma-separated table names (default: all)")
        parser.add_argument("--destination", default="", help="file:///absolute/path or s3://bucket/prefix")
        parser.add_argument("--duckdb", default="", help="the DuckDB file (default: <datalake>/panorama.duckdb)")

    def handle(self, *args, **options):
        settings = get_settings()
        try:
            specs = select_tables(settings.tables, [n.strip() for n in options["tables"].split(",") if n.strip()])
            storage = storage_for(settings, options["destination"] or None)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        catalog = catalog_for(settings, storage, Path(options["duckdb"]) if options["duckdb"] else None)
        if catalog is None:
            self.stdout.write(f"PANORAMA_MODE is {settings.mode}: the catalog of {storage.url} is not kept here.")
            return
        report = update_catalog(specs, storage, settings.lms_host, catalog, settings.database_alias)
        print_summary(self.stdout, report, title="Catalog of")
        if report.failed:
            raise CommandError(failure_message(report, "Catalog update"), returncode=1)
