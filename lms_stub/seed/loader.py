"""
Bulk loading into the stand-in's database: multi-row INSERTs in batches, constraint checks off.

mysqlclient turns ``executemany`` of an ``INSERT ... VALUES`` into multi-row statements, which is what
makes a million ``courseware_studentmodule`` rows load in seconds rather than minutes.
"""
from __future__ import annotations

import itertools
import time
from typing import Iterable, Sequence

from django.db import connections, transaction

BATCH_ROWS = 2000


class BulkLoader:
    """Empties and fills tables of one database alias."""

    def __init__(self, alias: str = "default", batch_rows: int = BATCH_ROWS):
        self.connection = connections[alias]
        self.batch_rows = batch_rows

    def clear(self, tables: Sequence[str]):
        """Empty the tables (all of them, whatever references what)."""
        quote = self.connection.ops.quote_name
        with self.connection.constraint_checks_disabled(), self.connection.cursor() as cursor:
            for table in tables:
                if self.connection.vendor == "mysql":
                    cursor.execute(f"TRUNCATE TABLE {quote(table)}")
                else:
                    cursor.execute(f"DELETE FROM {quote(table)}")

    def load(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> tuple[int, float]:
        """Insert every row; return (row count, seconds)."""
        quote = self.connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns)))
        started, count = time.perf_counter(), 0
        rows = iter(rows)
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            if self.connection.vendor == "mysql":
                cursor.execute("SET SESSION foreign_key_checks = 0, unique_checks = 0")
            try:
                while batch := list(itertools.islice(rows, self.batch_rows)):
                    cursor.executemany(sql, batch)
                    count += len(batch)
            finally:
                if self.connection.vendor == "mysql":
                    cursor.execute("SET SESSION foreign_key_checks = 1, unique_checks = 1")
        return count, time.perf_counter() - started
