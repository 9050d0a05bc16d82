"""
Reading one LMS table as a stream of row pages, through the LMS's own Django connection.

Memory stays bounded whatever the table size: rows come in pages from a server-side cursor (the default,
measured fastest: docs/decisions/0004), or by keyset pagination on the primary key (``WHERE pk > last
ORDER BY pk LIMIT n``: short queries, no long-held cursor on the replica). Identifiers come from the
database itself, are checked against a strict pattern and quoted; values are bound parameters.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from django.db import connections

from panorama_openedx.extract.catalogue import IDENTIFIER, TableSpec

PAGE_ROWS = 10_000


class TableError(Exception):
    """The table cannot be exported as configured; the message says why."""


class MissingTable(TableError):
    """The table does not exist in the LMS database."""


class TableReader:
    """Columns and rows of one table; partition columns come first in every row."""

    def __init__(self, spec: TableSpec, alias: str = "default", page_rows: int = PAGE_ROWS,
                 strategy: str = "server_cursor"):
        self.spec, self.alias, self.page_rows, self.strategy = spec, alias, page_rows, strategy
        self.connection = connections[alias]
        self._description = None

    def _describe(self):
        if self._description is None:
            with self.connection.cursor() as cursor:
                names = set(self.connection.introspection.table_names(cursor))
                if self.spec.name not in names:
                    raise MissingTable(f"table {self.spec.name} does not exist in the database "
                                       f"'{self.alias}' ({self.connection.settings_dict.get('NAME')})")
                description = self.connection.introspection.get_table_description(cursor, self.spec.name)
                primary_key = self._primary_key(cursor)
            self._description = ([column.name for column in description], primary_key)
            self._declared = {column.name: str(column.type_code) for column in description}
        return self._description

    def source_types(self) -> dict[str, str]:
        """Column name -> declared SQL type (MySQL's COLUMN_TYPE, e.g. ``tinyint(1)``; SQLite's declared type)."""
        self._describe()
        if self.connection.vendor != "mysql":
            return dict(self._declared)
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT COLUMN_NAME, COLUMN_TYPE FROM INFORMATION_SCHEMA.COLUMNS "
                           "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s", [self.spec.name])
            return {name: column_type.lower() for name, column_type in cursor.fetchall()}

    def _primary_key(self, cursor):
        introspection = self.connection.introspection
        if hasattr(introspection, "get_primary_key_columns"):  # Django 4.2.1+
            columns = introspection.get_primary_key_columns(cursor, self.spec.name) or []
        else:  # pragma: no cover (older Django)
            columns = [introspection.get_primary_key_column(cursor, self.spec.name)]
        return columns[0] if len(columns) == 1 and columns[0] else None

    def exists(self) -> bool:
        try:
            self._describe()
        except MissingTable:
            return False
        return True

    @property
    def columns(self) -> list[str]:
        """The exported columns, in the table's order, without partition and excluded columns."""
        names, _ = self._describe()
        for name in names:
            if not IDENTIFIER.fullmatch(name):
                raise TableError(f"{self.spec.name}.{name} is not a plain SQL identifier; it cannot be exported")
        missing = [f for f in self.spec.partition_fields if f not in names]
        if missing:
            raise TableError(f"partition field(s) {', '.join(missing)} of {self.spec.name} are not columns of "
                             f"the table (columns: {', '.join(names)})")
        skip = set(self.spec.exclude_columns) | set(self.spec.partition_fields)
        return [name for name in names if name not in skip]

    def estimated_rows(self) -> int | None:
        """A cheap row estimate for progress display (MySQL's statistics; COUNT(*) elsewhere)."""
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "mysql":
                cursor.execute("SELECT TABLE_ROWS FROM INFORMATION_SCHEMA.TABLES "
                               "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s", [self.spec.name])
            else:
                cursor.execute(f"SELECT COUNT(*) FROM {self._quote(self.spec.name)}")
            row = cursor.fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def open(self, strategy: str | None = None) -> "RowStream":
        """Start reading: the rows of (partition values..., exported columns...), page by page."""
        selected = list(self.spec.partition_fields) + self.columns
        _, primary_key = self._describe()
        strategy = strategy or self.strategy
        if strategy == "keyset" and primary_key is not None:
            return self._keyset(selected, primary_key)
        return self._server_cursor(selected)

    def _quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def _select(self, columns: list[str]) -> str:
        return f"SELECT {', '.join(self._quote(c) for c in columns)} FROM {self._quote(self.spec.name)}"

    def _execute(self, cursor, sql, params=None) -> list[str]:
        """Run the query; on MySQL, temporal and decimal values arrive as the server's own text."""
        with _server_text(self.connection):
            if params is None:
                cursor.execute(sql)
            else:
                cursor.execute(sql, params)
        return [_kind(self.connection.vendor, column) for column in cursor.description]

    def _keyset(self, selected: list[str], primary_key: str) -> "RowStream":
        extra = primary_key not in selected
        columns = selected + [primary_key] if extra else selected
        position = columns.index(primary_key)
        base, order = self._select(columns), f" ORDER BY {self._quote(primary_key)} LIMIT %s"
        after = f" WHERE {self._quote(primary_key)} > %s"

        def fetch(last):
            with self.connection.cursor() as cursor:
                if last is None:
                    kinds = self._execute(cursor, base + order, [self.page_rows])
                else:
                    kinds = self._execute(cursor, base + after + order, [last, self.page_rows])
                return kinds, cursor.fetchall()

        kinds, first = fetch(None)

        def pages(rows):
            while rows:
                last = rows[-1][position]
                yield [row[:-1] for row in rows] if extra else list(rows)
                if len(rows) < self.page_rows:
                    return
                rows = fetch(last)[1]

        return RowStream(kinds[:-1] if extra else kinds, pages(first))

    def _server_cursor(self, selected: list[str]) -> "RowStream":
        self.connection.ensure_connection()
        if self.connection.vendor == "mysql":
            from MySQLdb.cursors import SSCursor  # pylint: disable=import-outside-toplevel

            cursor = self.connection.connection.cursor(SSCursor)
        else:  # SQLite (and others) step through results without buffering them all
            cursor = self.connection.connection.cursor()
        try:
            with self.connection.wrap_database_errors:
                kinds = self._execute(cursor, self._select(selected))
        except BaseException:
            _close_quietly(cursor)
            raise

        def pages():
            try:
                while True:
                    with self.connection.wrap_database_errors:  # raw driver errors become Django's
                        rows = cursor.fetchmany(self.page_rows)
                    if not rows:
                        return
                    yield list(rows)
            finally:
                _close_quietly(cursor)

        return RowStream(kinds, pages())


def _close_quietly(cursor):
    """Close a streaming cursor; on a dead connection there is nothing left to drain."""
    try:
        cursor.close()
    except Exception:  # pylint: disable=broad-except
        pass


@dataclass
class RowStream:
    """An open read: what kind of value each column holds, and the pages of rows."""

    kinds: list[str]
    pages: Iterator[list[tuple]]


# Column kinds, for the encoder: "text" (str), "number" (int, float), "timestamp:<fraction digits>"
# (the server's 'YYYY-MM-DD HH:MM:SS[.f]' text), "verbatim" (server text already in the file format:
# DATE, TIME, DECIMAL), "any" (Python values of any type).
def _kind(vendor: str, description) -> str:
    if vendor != "mysql":
        return "any"
    from MySQLdb.constants import FIELD_TYPE  # pylint: disable=import-outside-toplevel

    type_code, scale = description[1], description[5]
    if type_code in (FIELD_TYPE.DATETIME, FIELD_TYPE.TIMESTAMP):
        return f"timestamp:{scale or 0}"
    if type_code in (FIELD_TYPE.DATE, FIELD_TYPE.TIME, FIELD_TYPE.DECIMAL, FIELD_TYPE.NEWDECIMAL):
        return "verbatim"
    if type_code in (FIELD_TYPE.VARCHAR, FIELD_TYPE.VAR_STRING, FIELD_TYPE.STRING, FIELD_TYPE.JSON):
        return "text"
    if type_code in (FIELD_TYPE.TINY, FIELD_TYPE.SHORT, FIELD_TYPE.LONG, FIELD_TYPE.LONGLONG, FIELD_TYPE.INT24,
                     FIELD_TYPE.FLOAT, FIELD_TYPE.DOUBLE):
        return "number"
    return "any"  # BLOB/TEXT (text or bytes by charset), BIT, YEAR, ...


@contextmanager
def _server_text(connection):
    """
    While a MySQL query starts, map temporal and decimal columns to plain text: mysqlclient fixes each
    column's converter when the result is created, so parsing into Python objects (slow, and lossy for
    decimals) is skipped for that result only. Other queries are unaffected.
    """
    if connection.vendor != "mysql":
        yield
        return
    from MySQLdb.constants import FIELD_TYPE  # pylint: disable=import-outside-toplevel

    converter = connection.connection.converter
    types = (FIELD_TYPE.DATETIME, FIELD_TYPE.TIMESTAMP, FIELD_TYPE.DATE, FIELD_TYPE.TIME,
             FIELD_TYPE.DECIMAL, FIELD_TYPE.NEWDECIMAL)
    saved = {t: converter[t] for t in types if t in converter}
    try:
        for t in types:
            converter[t] = str
        yield
    finally:
        for t in types:
            converter.pop(t, None)
        converter.update(saved)
