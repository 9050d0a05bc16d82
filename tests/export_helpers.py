"""Reading an exported datalake back, independently of the code that wrote it."""
import csv
import datetime
import hashlib
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import duckdb
from django.db import connection

HOST = "local.openedx.io"


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows with Python's csv module and the documented dialect."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, escapechar="\\", doublequote=False))
    return rows[0], rows[1:]


def null_mask(path: Path, columns: list[str]) -> list[tuple[bool, ...]]:
    """Which fields are NULL (not ""), read by DuckDB with allow_quoted_nulls=false."""
    types = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
    relation = duckdb.sql(
        f"SELECT * FROM read_csv('{path}', header=true, delim=',', quote='\"', escape='\\', auto_detect=false, "
        f"allow_quoted_nulls=false, columns={{{types}}})")
    return [tuple(value is None for value in row) for row in relation.fetchall()]


def expected_text(value) -> str:
    """The documented text of a database value, after the reader's escape rule."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return value.replace("\r", "\\r").replace("\n", "\\n")


def primary_key(table: str) -> str:
    with connection.cursor() as cursor:
        return connection.introspection.get_primary_key_column(cursor, table)


def database_rows(table: str, columns: list[str], key: str) -> dict:
    """Rows of the database by the text of their primary key."""
    quote = connection.ops.quote_name
    position = columns.index(key)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}")
        return {str(row[position]): row for row in cursor.fetchall()}


def partition_values(path: Path) -> dict[str, str]:
    """field -> decoded value, from the Hive folders of a file's path."""
    return {part.split("=", 1)[0]: unquote(part.split("=", 1)[1]) for part in path.parts if "=" in part}


def compare_table(root: Path, table: str) -> int:
    """Every file of ``table`` against the database, value by value; returns the rows checked."""
    files = sorted((root / table).rglob(f"{table}.csv"))
    assert files, f"no file for {table}"
    checked = 0
    for path in files:
        header, rows = read_csv(path)
        partitions = {k: v for k, v in partition_values(path.relative_to(root)).items() if k != "lms"}
        columns = header + list(partitions)
        pk = primary_key(table)
        expected = database_rows(table, columns, pk)
        nulls = null_mask(path, header)
        for row, mask in zip(rows, nulls):
            key = row[header.index(pk)]
            db_row = expected[key]
            for column, text, is_null, value in zip(header, row, mask, db_row):
                assert is_null == (value is None), f"{table}.{column} id={key}: NULL mismatch"
                if isinstance(value, float):
                    assert float(text) == value, f"{table}.{column} id={key}: {text!r} != {value!r}"
                else:
                    assert text == expected_text(value), f"{table}.{column} id={key}: {text!r} != {value!r}"
            for position, (field, folder_value) in enumerate(partitions.items()):
                assert db_row[len(header) + position] == folder_value
            checked += 1
        assert len(rows) == len(nulls)
    return checked


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``root`` with its digest and modification time."""
    return {str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}
