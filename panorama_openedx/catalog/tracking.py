"""
The tracking-log table: one definition of its columns for Glue (OpenX JSON SerDe over the gzip NDJSON
objects) and for DuckDB (``read_json`` over the same layout), partitioned by lms, year, month and day.
"""
from __future__ import annotations

import re

# (column, Glue/Hive type, DuckDB type)
COLUMNS = (
    ("time", "string", "VARCHAR"), ("username", "string", "VARCHAR"), ("event_type", "string", "VARCHAR"),
    ("event_source", "string", "VARCHAR"), ("name", "string", "VARCHAR"), ("page", "string", "VARCHAR"),
    ("session", "string", "VARCHAR"), ("agent", "string", "VARCHAR"), ("host", "string", "VARCHAR"),
    ("ip", "string", "VARCHAR"), ("referer", "string", "VARCHAR"), ("accept_language", "string", "VARCHAR"),
    ("event", "string", "JSON"),
    ("context", "struct<course_id:string,user_id:bigint,org_id:string,path:string>",
     "STRUCT(course_id VARCHAR, user_id BIGINT, org_id VARCHAR, path VARCHAR)"),
)
PARTITIONS = ("lms", "year", "month", "day")
FOLDER = "tracking_logs"


def table_name(base_prefix: str) -> str:
    return f"{re.sub(r'[^a-z0-9_]', '_', base_prefix.lower())}_tracking_logs"


def glue_table_input(name: str, location: str) -> dict:
    """The Glue TableInput: JSON SerDe, the common fields as columns, ``event`` kept as JSON text."""
    return {
        "Name": name,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {"EXTERNAL": "TRUE", "classification": "json", "compressionType": "gzip"},
        "PartitionKeys": [{"Name": p, "Type": "string"} for p in PARTITIONS],
        "StorageDescriptor": {
            "Columns": [{"Name": c, "Type": t} for c, t, _ in COLUMNS],
            "Location": location,
            "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
            "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            "SerdeInfo": {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe",
                          "Parameters": {"ignore.malformed.json": "true", "case.insensitive": "true"}},
        },
    }


def duckdb_sql(root) -> str:
    """A DuckDB query over the local objects with the same columns (``event`` as JSON text)."""
    pattern = str(root / FOLDER / "**" / "*.gz").replace("'", "''")
    columns = ", ".join(f"'{c}': '{d}'" for c, _, d in COLUMNS)
    # ``event`` is an object in server events and a string holding JSON in browser events: both become the
    # JSON text (as Athena's JSON SerDe gives a string column).
    unwrap = """CASE WHEN json_type("event") = 'VARCHAR' THEN "event"->>'$' ELSE CAST("event" AS VARCHAR) END"""
    selected = ", ".join(f'{unwrap} AS "event"' if c == "event" else f'"{c}"' for c, _, _ in COLUMNS)
    return (f"SELECT {selected}, lms, year, month, day FROM read_json('{pattern}', format='newline_delimited', "
            f"columns={{{columns}}}, hive_partitioning=true, hive_types_autocast=false, ignore_errors=true)")
