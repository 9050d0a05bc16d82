"""How the management commands show progress and results: one place, so export and catalog read alike."""
from panorama_openedx.export import FAILED, SKIPPED, Progress


def print_summary(stdout, report, title="Datalake"):
    """The per-table table of a run, then its warnings, failures and catalog updates."""
    stdout.write(f"\n{title} {report.destination}")
    stdout.write(f"{'table':52} {'status':8} {'rows':>10} {'files':>6} {'MB':>9} {'seconds':>8}")
    for t in report.tables:
        stdout.write(f"{t.table:52} {t.status:8} {t.rows:>10,} {t.files:>6} {t.bytes / 1e6:>9.2f} {t.seconds:>8.2f}")
    stdout.write(f"{'total':52} {'':8} {sum(t.rows for t in report.tables):>10,} "
                 f"{sum(t.files for t in report.tables):>6} {sum(t.bytes for t in report.tables) / 1e6:>9.2f} "
                 f"{sum(t.seconds for t in report.tables):>8.2f}")
    for t in report.tables:
        if t.message:
            label = t.status.upper() if t.status in (FAILED, SKIPPED) else "WARNING"
            stdout.write(f"{label}: {t.table}: {t.message}")
    for t in report.tables:
        if t.catalog:
            stdout.write(f"catalog: {t.table}: {t.catalog}")


def failure_message(report, what="Export") -> str:
    return f"{what} failed for " + ", ".join(f"{t.table} ({t.message})" for t in report.failed)


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


def progress_for(stream):
    """A bar on a terminal, lines elsewhere."""
    if stream.isatty():
        try:
            return BarProgress(stream)
        except ImportError:
            pass
    return LineProgress(stream)
