"""
Where each file goes: ``<prefix>/<table>/lms=<host>/[<field>=<value>/]<table>.csv``, Panorama's layout.

Values are percent-encoded with nothing kept safe, so a value can never add a path level (a legacy
``Org/Course/Run`` key stays one folder) and ``course-v1:`` keys come out exactly as Panorama writes
them (``course_id=course-v1%3AOrg%2BCode%2BRun``). Hive readers (Athena, DuckDB) decode them back.
"""
from __future__ import annotations

from urllib.parse import quote, unquote

HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"


def partition_segment(field: str, value) -> str:
    """One ``field=value`` path level; NULL and '' are Hive's default partition."""
    if value is None or value == "":
        return f"{field}={HIVE_NULL}"
    return f"{field}={quote(str(value), safe='')}"


def table_prefix(table: str, lms_host: str) -> str:
    """The folder holding every file of ``table`` for one LMS (relative to the datalake root)."""
    return f"{table}/{partition_segment('lms', lms_host)}/"


def file_key(table: str, lms_host: str, partitions: tuple = ()) -> str:
    """The key of one file; ``partitions`` is ``((field, value), ...)`` in partition order."""
    levels = "".join(partition_segment(field, value) + "/" for field, value in partitions)
    return f"{table_prefix(table, lms_host)}{levels}{table}.csv"


def partition_values(key: str) -> list[str]:
    """The decoded Hive partition values of a file key, in path order (``lms`` first)."""
    values = []
    for level in key.split("/")[1:-1]:
        value = level.split("=", 1)[1]
        values.append("" if value == HIVE_NULL else unquote(value))
    return values
