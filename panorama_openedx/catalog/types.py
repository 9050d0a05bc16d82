"""
One mapping from the LMS's column types to the typed views' columns, shared by Athena and DuckDB.

The raw tables hold every column as text (Athena's OpenCSVSerde reads nothing else); the typed views
``<prefix>_table_<table>`` cast them. The view types follow Panorama's, so its dashboards keep working:
integers of every size and booleans (``tinyint(1)``) are BIGINT (0/1), decimals and floats DOUBLE, text
VARCHAR; unlike Panorama, dates, times and years get their own formats instead of becoming NULL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BIGINT, DOUBLE, VARCHAR, TIMESTAMP, DATE, TIME = "BIGINT", "DOUBLE", "VARCHAR", "TIMESTAMP", "DATE", "TIME"

_INTEGER = re.compile(r"(tiny|small|medium|big)?int(eger)?\b|bool(ean)?$|year\b|bit\b|serial")
_FLOAT = re.compile(r"(decimal|numeric|dec|fixed|float|double|real)\b")
_TIMESTAMP = re.compile(r"(datetime|timestamp)\b")


def view_type(source_type: str) -> str:
    """The typed-view column type of a source column type (``COLUMN_TYPE`` or SQLite's declared type)."""
    text = (source_type or "").strip().lower()
    if _TIMESTAMP.match(text):
        return TIMESTAMP
    if text.startswith("date"):
        return DATE
    if text.startswith("time"):
        return TIME
    if _INTEGER.match(text):
        return BIGINT
    if _FLOAT.match(text):
        return DOUBLE
    return VARCHAR  # char, varchar, text, longtext, json, uuid, enum, blobs (hex)


@dataclass(frozen=True)
class Column:
    """An exported column: its name and its type in the typed view."""

    name: str
    type: str


# How each dialect turns the raw text ``{value}`` into a typed value (Athena is Trino SQL).
_CASTS = {
    "athena": {TIMESTAMP: "TRY(date_parse({value}, '%Y-%m-%d %H:%i:%s.%f'))",
               DATE: "TRY(CAST(date_parse({value}, '%Y-%m-%d') AS DATE))",
               TIME: "TRY(CAST({value} AS TIME))"},
    "duckdb": {TIMESTAMP: "TRY_STRPTIME({value}, '%Y-%m-%d %H:%M:%S.%f')",
               DATE: "TRY_CAST({value} AS DATE)",
               TIME: "TRY_CAST({value} AS TIME)"},
}


def expression(column: Column, dialect: str) -> str:
    """SQL turning a raw text column into its typed value; '' is NULL for non-text types."""
    name = f'"{column.name}"'
    if column.type == VARCHAR:
        return name
    template = _CASTS[dialect].get(column.type, "TRY_CAST({value} AS {type})")
    return template.format(value=f"NULLIF({name}, '')", type=column.type)


def athena_expression(column: Column) -> str:
    return expression(column, "athena")


def duckdb_expression(column: Column) -> str:
    """DuckDB's twin (its files tell NULL from '', so '' stays '' for text, as in Athena)."""
    return expression(column, "duckdb")


def view_names(base_prefix: str, table: str) -> tuple[str, str]:
    """Panorama's names: ``<prefix>_raw_<table>`` and ``<prefix>_table_<table>`` (prefix made an identifier)."""
    prefix = re.sub(r"[^a-z0-9_]", "_", base_prefix.lower())
    return f"{prefix}_raw_{table}", f"{prefix}_table_{table}"
