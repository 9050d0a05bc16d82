"""
The embedded catalog: a DuckDB file with the same view names and column types as the Athena ones, reading
the local datalake's files, so an analyst runs the same SQL on a laptop.
"""
from __future__ import annotations

from pathlib import Path

from panorama_openedx.catalog.tables import CatalogError, CatalogTable
from panorama_openedx.catalog.types import duckdb_expression, view_names


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class DuckDBCatalog:
    """Views ``<prefix>_raw_<table>`` (text, as in the files) and ``<prefix>_table_<table>`` (typed)."""

    def __init__(self, path: Path, root: Path, base_prefix: str):
        self.path, self.root, self.base_prefix = Path(path), Path(root), base_prefix

    def raw_sql(self, table: CatalogTable) -> str:
        pattern = str(self.root / table.name / "**" / "*.csv")
        return (f"SELECT * FROM read_csv({_literal(pattern)}, header=true, delim=',', quote='\"', escape='\\', "
                "all_varchar=true, allow_quoted_nulls=false, hive_partitioning=true, hive_types_autocast=false, "
                "union_by_name=true)")

    def view_sql(self, table: CatalogTable) -> str:
        raw, _ = view_names(self.base_prefix, table.name)
        selected = [f'{duckdb_expression(c)} AS "{c.name}"' for c in table.columns]
        selected += [f'"{name}"' for name in table.partitions]
        return f"SELECT {', '.join(selected)} FROM \"{raw}\""

    def update(self, table: CatalogTable, keys: list[str]) -> str:  # pylint: disable=unused-argument
        """Bring one table's views in step (the files are found by the views' glob, not by key)."""
        warnings = self.sync([table])
        return warnings[0] if warnings else f"views in {self.path}"

    def update_tracking_logs(self, keys: list[str]) -> str:  # pylint: disable=unused-argument
        """The tracking-log view over ``<root>/tracking_logs`` (the local datalake folder)."""
        from panorama_openedx.catalog import tracking  # pylint: disable=import-outside-toplevel

        if not any((self.root / tracking.FOLDER).rglob("*.gz")):
            return "no tracking-log object yet"
        name = tracking.table_name(self.base_prefix)
        with self._connect() as connection:
            try:
                connection.execute(f'CREATE OR REPLACE VIEW "{name}" AS {tracking.duckdb_sql(self.root)}')
            except Exception as exc:  # duckdb.Error
                raise CatalogError(f"DuckDB view {name} in {self.path}: {exc}") from exc
        return f"view {name} in {self.path}"

    def _connect(self):
        import duckdb  # pylint: disable=import-outside-toplevel

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return duckdb.connect(str(self.path))
        except (OSError, duckdb.Error) as exc:  # e.g. the file is open in an analyst's DuckDB
            raise CatalogError(f"cannot open the DuckDB catalog {self.path}: {exc}") from exc

    def sync(self, tables: list[CatalogTable]) -> list[str]:
        """Create or replace the views of ``tables``; returns warnings (tables without files yet)."""
        import duckdb  # pylint: disable=import-outside-toplevel

        warnings = []
        with self._connect() as connection:
            for table in tables:
                raw, typed = view_names(self.base_prefix, table.name)
                if not any((self.root / table.name).rglob("*.csv")):
                    warnings.append(f"{table.name}: no file in {self.root / table.name} yet; views not created")
                    continue
                try:
                    connection.execute(f'CREATE OR REPLACE VIEW "{raw}" AS {self.raw_sql(table)}')
                    connection.execute(f'CREATE OR REPLACE VIEW "{typed}" AS {self.view_sql(table)}')
                except duckdb.Error as exc:
                    raise CatalogError(f"DuckDB views of {table.name} in {self.path}: {exc}") from exc
        return warnings
