"""
One table's files: rows go to the file of their partition, encoded by the CSV contract.

A table with field partitions is read once in primary-key order and its rows are spread over one
staging file per partition. Open handles are capped (least recently used closed first, reopened in
append mode), so memory stays bounded however many courses there are. Nothing reaches the datalake
before ``commit()``, which publishes every file and removes the files of partitions that no longer
exist.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from panorama_openedx.datalake import csv_format, layout
from panorama_openedx.datalake.storage import Staged, Storage, StorageError

MAX_OPEN_FILES = 64


@dataclass
class WrittenFile:
    staged: Staged
    rows: int = 0
    bytes: int = 0


@dataclass
class TableFiles:
    """What a committed table left in the datalake."""

    rows: int = 0
    bytes: int = 0
    files: dict[str, int] = field(default_factory=dict)  # key -> rows
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class TableWriter:
    """Writes the rows of one table (partition values first in each row) to staged files."""

    def __init__(self, storage: Storage, table: str, lms_host: str, partition_fields: tuple[str, ...],
                 columns: list[str], kinds: list[str] | None = None, max_open: int = MAX_OPEN_FILES):
        """``kinds``: what each row value holds (partition values first), as ``extract.tables`` reports."""
        self.storage, self.table, self.lms_host = storage, table, lms_host
        self.partition_fields, self.columns = partition_fields, columns
        self.encoders = None
        if kinds is not None:
            self.encoders = [csv_format.encoder_for(kind) for kind in kinds[len(partition_fields):]]
        self.max_open = max_open
        self._files: dict[str, WrittenFile] = {}  # by key
        self._open: OrderedDict[str, object] = OrderedDict()
        self._header = csv_format.header(columns).encode("utf-8")

    def write(self, rows: list[tuple]):
        """Append rows; each row holds its partition values first, then ``columns``."""
        width = len(self.partition_fields)
        if not width:
            self._append((), rows)
            return
        groups: dict[tuple, list] = {}
        for row in rows:
            groups.setdefault(row[:width], []).append(row[width:])
        for values, group in groups.items():
            self._append(values, group)

    def _append(self, values: tuple, rows: list):
        # Files are keyed by their path: values that share a folder (NULL and '') share the file.
        key = layout.file_key(self.table, self.lms_host, tuple(zip(self.partition_fields, values)))
        written = self._files.get(key)
        if written is None:
            written = self._files[key] = WrittenFile(self.storage.stage(key))
        data = csv_format.encode_rows(rows, self.encoders).encode("utf-8")
        self._handle(key, written).write(data)
        written.rows += len(rows)
        written.bytes += len(data)

    def _handle(self, key: str, written: WrittenFile):
        handle = self._open.get(key)
        if handle is not None:
            self._open.move_to_end(key)
            return handle
        if len(self._open) >= self.max_open:
            _, oldest = self._open.popitem(last=False)
            oldest.close()
        fresh = not written.staged.path.exists()
        handle = written.staged.path.open("ab", buffering=256 * 1024)
        if fresh:
            handle.write(self._header)
            written.bytes += len(self._header)
        self._open[key] = handle
        return handle

    def _close_all(self):
        while self._open:
            self._open.popitem()[1].close()

    def commit(self) -> TableFiles:
        """Publish every file, then remove the table's files that this run did not write."""
        if not self.partition_fields and not self._files:
            self._append((), [])  # an empty table still gets its file, with the header
        self._close_all()
        result = TableFiles()
        for written in self._files.values():
            written.staged.commit()
            result.files[written.staged.key] = written.rows
            result.rows += written.rows
            result.bytes += written.bytes
        prefix = layout.table_prefix(self.table, self.lms_host)
        try:
            stale = [key for key in self.storage.keys(prefix)
                     if key.endswith(f"/{self.table}.csv") and key not in result.files]
            self.storage.delete(stale)
            result.removed = stale
        except StorageError as exc:  # the new files are in place; only the clean-up is missing
            result.warnings.append(f"stale partition files were not removed: {exc}")
        return result

    def discard(self):
        """Drop every staged file; the datalake keeps what it had."""
        self._close_all()
        for written in self._files.values():
            written.staged.discard()
        self._files.clear()
