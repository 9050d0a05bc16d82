"""
``./manage.py lms panorama_export [--tables a,b] [--destination URL] [--dry-run]``: export the LMS tables.

After each table, the catalog that goes with the destination is brought in step (Glue and Athena for S3 in
CUSTOM mode, the DuckDB file for a local folder). Exit codes: 0 when every table was exported (missing
optional tables are warnings), 1 when at least one table failed (each is named), 2 for a wrong command line
or an unusable destination, 3 when another export is still running.
"""
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from panorama_openedx.catalog import catalog_for
from panorama_openedx.conf import get_settings
from panorama_openedx.datalake.storage import StorageError, storage_for
from panorama_openedx.export import export, plan, select_tables
from panorama_openedx.locks import single_run
from panorama_openedx.management.reporting import failure_message, print_summary, progress_for


class Command(BaseCommand):
    help = "Export the LMS tables to the Panorama datalake (local folder or S3)."

    def add_arguments(self, parser):
        parser.add_argument("--tables", default="", help="comma-separated table names (default: all)")
        parser.add_argument("--destination", default="",
                            help="file:///absolute/path or s3://bucket/prefix (default: from the settings)")
        parser.add_argument("--dry-run", action="store_true", help="print the plan (tables, target keys) only")
        parser.add_argument("--no-catalog", action="store_true",
                            help="write the files only; bring the catalog in step later with panorama_catalog")

    def handle(self, *args, **options):
        settings = get_settings()
        names = [name.strip() for name in options["tables"].split(",") if name.strip()]
        try:
            specs = select_tables(settings.tables, names)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if not settings.extracts and not options["destination"]:
            self.stdout.write("PANORAMA_MODE is DEMO: nothing is exported. Give --destination to export anyway.")
            return
        try:
            storage = storage_for(settings, options["destination"] or None)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["dry_run"]:
            try:
                planned = plan(specs, storage, settings.lms_host, settings.database_alias)
            except DatabaseError as exc:
                raise CommandError(f"The LMS database '{settings.database_alias}' cannot be read: {exc}") from exc
            for item in planned:
                self.stdout.write(f"{item.table}: {len(item.keys)} file(s) {item.note}".rstrip())
                for key in item.keys:
                    self.stdout.write(f"  {key}")
            return
        with single_run() as acquired:
            if not acquired:
                raise CommandError("Another Panorama export is running (Celery or another command); try again "
                                   "when it has finished.", returncode=3)
            try:
                storage.check()
            except StorageError as exc:
                raise CommandError(str(exc), returncode=2) from exc
            report = export(specs, storage, settings.lms_host, settings.database_alias,
                            progress=progress_for(self.stderr),
                            catalog=None if options["no_catalog"] else catalog_for(
                                settings, storage, explicit_destination=bool(options["destination"])))
        print_summary(self.stdout, report)
        if report.failed:
            raise CommandError(failure_message(report), returncode=1)
