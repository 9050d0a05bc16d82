"""
One export run: catalogue → reader → CSV writer → storage, table after table.

A failing table never stops the others: its staged files are dropped (the datalake keeps what it had),
the database connection is reset if the failure came from it, and the report names the table and the
cause. Commands and Celery tasks decide when this runs; this module only does it.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from django.db import DatabaseError, connections

from panorama_openedx.catalog.tables import CatalogError, describe
from panorama_openedx.datalake import layout
from panorama_openedx.datalake.storage import Storage, StorageError
from panorama_openedx.datalake.writer import TableWriter
from panorama_openedx.extract.catalogue import TableSpec
from panorama_openedx.extract.tables import MissingTable, TableError, TableReader

log = logging.getLogger(__name__)

OK, SKIPPED, FAILED = "ok", "skipped", "failed"


@dataclass
class TableReport:
    """The outcome of one table."""

    table: str
    status: str = OK
    rows: int = 0
    bytes: int = 0
    files: int = 0
    removed: int = 0
    seconds: float = 0.0
    message: str = ""
    catalog: str = ""


@dataclass
class ExportReport:
    """The outcome of a run, table by table."""

    destination: str
    tables: list[TableReport] = field(default_factory=list)

    @property
    def failed(self) -> list[TableReport]:
        return [t for t in self.tables if t.status == FAILED]

    def as_dict(self) -> dict:
        return {"destination": self.destination, "tables": [vars(t) for t in self.tables],
                "failed": [t.table for t in self.failed]}


class Progress:
    """Receives progress; the command shows a bar on a terminal, plain log lines elsewhere."""

    def start(self, table: str, estimated_rows: int | None):
        """A table starts."""

    def advance(self, rows: int):
        """More rows were written."""

    def finish(self, report: TableReport):
        """The table is done (in any status)."""


def select_tables(specs: Iterable[TableSpec], names: list[str] | None) -> list[TableSpec]:
    """The specs named on a command line, in catalogue order; ValueError naming unknown ones."""
    specs = list(specs)
    if not names:
        return specs
    known = {spec.name for spec in specs}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"unknown table(s): {', '.join(unknown)}. Known tables: {', '.join(sorted(known))}")
    return [spec for spec in specs if spec.name in names]


def reader_for(spec: TableSpec, alias: str = "default"):
    """The reader of a table: the LMS database, or the modulestore for the course structures."""
    if spec.source == "modulestore":
        from panorama_openedx.extract.course_structures import (  # pylint: disable=import-outside-toplevel
            CourseStructureReader,
        )

        return CourseStructureReader(spec, alias)
    return TableReader(spec, alias)


def export(specs: Iterable[TableSpec], storage: Storage, lms_host: str, alias: str = "default",
           progress: Progress | None = None, reader_factory: Callable[..., TableReader] = reader_for,
           catalog=None) -> ExportReport:
    """Export every table of ``specs`` to ``storage``; bring ``catalog`` (if any) in step with what was written."""
    progress = progress or Progress()
    report = ExportReport(storage.url)
    try:
        for spec in specs:
            report.tables.append(_export_table(spec, storage, lms_host, alias, progress, reader_factory, catalog))
    finally:
        storage.close()
    return report


def _reset_connection(alias):
    try:
        connections[alias].close()
    except DatabaseError:
        pass  # already dead; Django reconnects on next use


def _export_table(spec, storage, lms_host, alias, progress, reader_factory, catalog) -> TableReport:  # noqa: C901
    started = time.perf_counter()
    result = TableReport(spec.name)
    writer = stream = None
    try:
        reader = reader_factory(spec, alias)
        columns = reader.columns
        progress.start(spec.name, reader.estimated_rows())
        stream = reader.open()
        writer = TableWriter(storage, spec.name, lms_host, spec.partition_fields, columns, stream.kinds)
        for page in stream.pages:
            writer.write(page)
            progress.advance(len(page))
        files = writer.commit()
        result.rows, result.bytes, result.files, result.removed = (
            files.rows, files.bytes, len(files.files), len(files.removed))
        result.message = "; ".join([*getattr(reader, "warnings", []), *files.warnings])
        if catalog is not None:
            result.catalog = catalog.update(describe(spec, reader), list(files.files))
    except MissingTable as exc:
        result.status = SKIPPED if spec.optional else FAILED
        result.message = f"{exc}" + (" (optional: skipped)" if spec.optional else "")
    except (TableError, StorageError) as exc:
        result.status, result.message = FAILED, str(exc)
    except CatalogError as exc:  # the files are in place; the catalog is not
        result.status, result.message = FAILED, f"catalog: {exc}"
    except DatabaseError as exc:
        result.status, result.message = FAILED, f"database error while reading {spec.name}: {exc}"
        _reset_connection(alias)  # the next table starts on a fresh connection
    except Exception as exc:  # pylint: disable=broad-except
        log.exception("Export of %s failed", spec.name)
        result.status, result.message = FAILED, f"{type(exc).__name__}: {exc}"
    finally:
        if stream is not None:
            stream.pages.close()  # the server-side cursor ends here, not whenever garbage is collected
        if writer is not None and result.status != OK:
            writer.discard()
        result.seconds = time.perf_counter() - started
    log_level = {OK: logging.DEBUG, SKIPPED: logging.WARNING, FAILED: logging.ERROR}[result.status]
    log.log(log_level, "%s %s: %s rows, %s files, %s bytes in %.1fs %s", spec.name, result.status, result.rows,
            result.files, result.bytes, result.seconds, result.message)
    progress.finish(result)
    return result


def update_catalog(specs: Iterable[TableSpec], storage: Storage, lms_host: str, catalog,
                   alias: str = "default") -> ExportReport:
    """Bring the catalog in step with the files already in the datalake (``panorama_catalog``)."""
    report = ExportReport(storage.url)
    for spec in specs:
        result = TableReport(spec.name)
        started = time.perf_counter()
        try:
            reader = reader_for(spec, alias)
            if not reader.exists():
                result.status = SKIPPED if spec.optional else FAILED
                result.message = f"table {spec.name} does not exist in the database '{alias}'"
            else:
                try:
                    keys = [key for key in storage.keys(layout.table_prefix(spec.name, lms_host))
                            if key.endswith(f"/{spec.name}.csv")]
                except StorageError as exc:  # e.g. no s3:ListBucket: the table and view still get updated
                    keys, result.message = [], f"partitions not registered: {exc}"
                result.files = len(keys)
                result.catalog = catalog.update(describe(spec, reader), keys)
        except (TableError, StorageError, CatalogError) as exc:
            result.status, result.message = FAILED, str(exc)
        except Exception as exc:  # pylint: disable=broad-except
            log.exception("Catalog update of %s failed", spec.name)
            result.status, result.message = FAILED, f"{type(exc).__name__}: {exc}"
        except DatabaseError as exc:
            result.status, result.message = FAILED, f"database error while describing {spec.name}: {exc}"
            _reset_connection(alias)
        result.seconds = time.perf_counter() - started
        report.tables.append(result)
    return report


@dataclass
class PlannedTable:
    table: str
    keys: list[str]
    note: str = ""


def plan(specs: Iterable[TableSpec], storage: Storage, lms_host: str, alias: str = "default") -> list[PlannedTable]:
    """What a run would write, without writing: the target keys per table (partitions listed from the data)."""
    planned = []
    for spec in specs:
        reader = reader_for(spec, alias)
        try:
            reader.columns  # pylint: disable=pointless-statement  (validates the table and its partitions)
        except MissingTable:
            planned.append(PlannedTable(spec.name, [], "missing" + (" (optional: skipped)" if spec.optional else "")))
            continue
        except TableError as exc:
            planned.append(PlannedTable(spec.name, [], f"cannot be exported: {exc}"))
            continue
        if not spec.partition_fields:
            planned.append(PlannedTable(spec.name, [storage.location(layout.file_key(spec.name, lms_host))]))
            continue
        connection = connections[alias]
        quoted = ", ".join(connection.ops.quote_name(f) for f in spec.partition_fields)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT {quoted} FROM {connection.ops.quote_name(spec.name)} ORDER BY {quoted}")
            values = cursor.fetchall()
        planned.append(PlannedTable(spec.name, [
            storage.location(layout.file_key(spec.name, lms_host, tuple(zip(spec.partition_fields, row))))
            for row in values
        ]))
    return planned
