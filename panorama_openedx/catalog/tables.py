"""What a catalog needs to know of an exported table: its file columns and partition columns, typed."""
from __future__ import annotations

from dataclasses import dataclass

from panorama_openedx.catalog.types import VARCHAR, Column, view_type


class CatalogError(Exception):
    """The catalog could not be brought in step; the message says which table and why."""


@dataclass(frozen=True)
class CatalogTable:
    """One exported table as the catalogs see it: columns in file order, then the Hive partitions."""

    name: str
    columns: tuple[Column, ...]
    partitions: tuple[str, ...]  # ``lms`` first, then the table's field partitions

    def partition_columns(self) -> tuple[Column, ...]:
        return tuple(Column(name, VARCHAR) for name in self.partitions)


def describe(spec, reader) -> CatalogTable:
    """The catalog view of ``spec``, with the column types its reader finds in the source."""
    types = reader.source_types()
    columns = tuple(Column(name, view_type(types.get(name, ""))) for name in reader.columns)
    return CatalogTable(spec.name, columns, ("lms", *spec.partition_fields))
