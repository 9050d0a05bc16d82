"""Making the datalake queryable: Glue tables and Athena views on S3, or a DuckDB file for a local folder."""
from __future__ import annotations

from pathlib import Path


def catalog_for(settings, storage, duckdb_path: Path | None = None, explicit_destination: bool = False):
    """
    The catalog that goes with a storage: DuckDB for a local folder; Glue and Athena for the configured S3
    datalake in CUSTOM mode (never for another S3 destination, which would repoint the production tables; in
    FREE and SAAS the provider keeps the catalog); None otherwise.
    """
    from panorama_openedx.conf import Mode  # pylint: disable=import-outside-toplevel
    from panorama_openedx.datalake.storage import LocalStorage, S3Storage  # pylint: disable=import-outside-toplevel

    if isinstance(storage, LocalStorage):
        from panorama_openedx.catalog.duckdb import DuckDBCatalog  # pylint: disable=import-outside-toplevel

        if duckdb_path is None:
            default_root = settings.datalake_dir / settings.base_prefix if settings.datalake_dir else None
            duckdb_path = (settings.datalake_dir if storage.root == default_root else storage.root) / "panorama.duckdb"
        return DuckDBCatalog(duckdb_path, storage.root, settings.base_prefix)
    configured = not explicit_destination or (storage.bucket == settings.bucket
                                              and storage.prefix == settings.base_prefix.strip("/"))
    if isinstance(storage, S3Storage) and settings.mode is Mode.CUSTOM and configured:
        from panorama_openedx import aws  # pylint: disable=import-outside-toplevel
        from panorama_openedx.catalog.glue import GlueCatalog  # pylint: disable=import-outside-toplevel

        return GlueCatalog(aws.client(settings, "glue"), aws.client(settings, "athena"), settings.datalake_database,
                           settings.datalake_workgroup, storage.bucket, storage.prefix, settings.base_prefix)
    return None


def logs_catalog_for(settings, storage):
    """The catalog of the tracking logs: DuckDB beside a local datalake; Glue for the raw-logs bucket in CUSTOM."""
    from panorama_openedx.conf import Mode  # pylint: disable=import-outside-toplevel
    from panorama_openedx.datalake.storage import LocalStorage, S3Storage  # pylint: disable=import-outside-toplevel

    if isinstance(storage, LocalStorage):
        from panorama_openedx.catalog.duckdb import DuckDBCatalog  # pylint: disable=import-outside-toplevel

        return DuckDBCatalog(storage.root / "panorama.duckdb", storage.root, settings.base_prefix)
    if isinstance(storage, S3Storage) and settings.mode is Mode.CUSTOM:
        from panorama_openedx import aws  # pylint: disable=import-outside-toplevel
        from panorama_openedx.catalog.glue import GlueCatalog  # pylint: disable=import-outside-toplevel

        return GlueCatalog(aws.client(settings, "glue"), aws.client(settings, "athena"), settings.datalake_database,
                           settings.datalake_workgroup, storage.bucket, storage.prefix, settings.base_prefix)
    return None
