"""
``./manage.py lms panorama_export [--tables a,b] [--destination URL] [--dry-run]``: export the LMS tables.

Exit codes: 0 when every table was exported (missing optional tables are warnings), 1 when at least one
table failed (each is named), 2 for a wrong command line or an unusable destination.
"""
import sys

from django.core.management.base import BaseCommand, CommandError

from panorama_openedx.conf import get_settings
from panorama_openedx.datalake.storage import StorageError, storage_for
from panorama_openedx.export import FAILED, SKIPPED, Progress, export, plan, select_tables


class Command(BaseCommand):
    help = "Export the LMS tables to the Panorama datalake (local folder or S3)."

    def add_arguments(self, parser):
        parser.add_argument("--tables", default="", help="comma-separated table names (default: all)")
        parser.add_argument("--destination", default="",
                            help="file:///absolute/path or s3://bucket/prefix (default: from the settings)")
        parser.add_argument("--dry-run", action="store_true", help="print the plan (tables, target keys) only")

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
        try:
            if options["dry_run"]:
                self._print_plan(plan(specs, storage, settings.lms_host, settings.database_alias))
                return
            storage.check()
        except StorageError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        report = export(specs, storage, settings.lms_host, settings.database_alias, progress=self._progress())
        self._print_summary(report)
        if report.failed:
            raise CommandError("Export failed for " + ", ".join(
                f"{t.table} ({t.message})" for t in report.failed), returncode=1)

    def _progress(self):
        if sys.stderr.isatty():
            try:
                return BarProgress(self.stderr)
            except ImportError:
                pass
        return LineProgress(self.stderr)

    def _print_plan(self, planned):
        for item in planned:
            self.stdout.write(f"{item.table}: {len(item.keys)} file(s) {item.note}".rstrip())
            for key in item.keys:
                self.stdout.write(f"  {key}")

    def _print_summary(self, report):
        self.stdout.write(f"\nExport to {report.destination}")
        self.stdout.write(f"{'table':52} {'status':8} {'rows':>10} {'files':>6} {'MB':>9} {'seconds':>8}")
        for t in report.tables:
            self.stdout.write(f"{t.table:52} {t.status:8} {t.rows:>10,} {t.files:>6} {t.bytes / 1e6:>9.2f} "
                              f"{t.seconds:>8.2f}")
        for t in report.tables:
            if t.message:
                label = t.status.upper() if t.status in (FAILED, SKIPPED) else "WARNING"
                self.stdout.write(f"{label}: {t.table}: {t.message}")
        total_rows = sum(t.rows for t in report.tables)
        total_bytes = sum(t.bytes for t in report.tables)
        total_seconds = sum(t.seconds for t in report.tables)
        self.stdout.write(f"{'total':52} {'':8} {total_rows:>10,} {sum(t.files for t in report.tables):>6} "
                          f"{total_bytes / 1e6:>9.2f} {total_seconds:>8.2f}")


class LineProgress(Progress):
    """A plain line per finished table (logs, cron, Kubernetes)."""

    def __init__(self, stream):
        self.stream = stream

    def finish(self, report):
        self.stream.write(f"{report.table}: {report.status}, {report.rows:,} rows in {report.seconds:.1f}s")


class BarProgress(Progress):
    """A tqdm bar per table on a terminal."""

    def __init__(self, stream):
        from tqdm import tqdm  # pylint: disable=import-outside-toplevel

        self.tqdm, self.stream, self.bar = tqdm, stream, None

    def start(self, table, estimated_rows):
        output = getattr(self.stream, "_out", self.stream)  # tqdm redraws with \r: bypass Django's line wrapper
        self.bar = self.tqdm(total=estimated_rows, desc=table[:40], unit=" rows", file=output, leave=True)

    def advance(self, rows):
        if self.bar is not None:
            self.bar.update(rows)

    def finish(self, report):
        if self.bar is not None:
            self.bar.set_postfix_str(report.status)
            self.bar.close()
            self.bar = None
