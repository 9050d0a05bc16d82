"""
The AWS catalog: Glue tables over the S3 files, their partitions, and Athena's typed views.

Tables and partitions go through the Glue API (checked answers, batches); views need Athena SQL, and each
query is awaited until its final state. A raw table is rewritten when the file layout changes (columns
added, dropped or moved: OpenCSVSerde maps columns by position), and its view recreated; the view's SQL
hash is kept on the raw table so unchanged views cost no Athena query.
"""
from __future__ import annotations

import hashlib
import time

from panorama_openedx.catalog.tables import CatalogError, CatalogTable
from panorama_openedx.catalog.types import athena_expression, view_names
from panorama_openedx.datalake import layout

SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
PARTITION_BATCH = 100
VIEW_HASH = "panorama_view_sha1"


def _refused(exc) -> CatalogError:
    error = exc.response.get("Error", {})
    return CatalogError(f"AWS refused {exc.operation_name} ({error.get('Code')}): {error.get('Message')}")


def _aws_calls(method):
    """AWS errors become CatalogError; once AWS cannot be reached, later calls fail at once, not after retries."""
    def wrapper(self, *args, **kwargs):
        from botocore.exceptions import (  # pylint: disable=import-outside-toplevel
            BotoCoreError,
            ClientError,
            ConnectTimeoutError,
            EndpointConnectionError,
        )

        if self.unreachable:
            raise CatalogError(self.unreachable)
        try:
            return method(self, *args, **kwargs)
        except ClientError as exc:
            raise _refused(exc) from exc
        except (EndpointConnectionError, ConnectTimeoutError) as exc:
            self.unreachable = f"AWS cannot be reached: {exc}"
            raise CatalogError(self.unreachable) from exc
        except BotoCoreError as exc:
            raise CatalogError(f"AWS call failed: {exc}") from exc

    return wrapper


class GlueCatalog:
    """Glue database ``database``; data under ``s3://bucket/prefix``; Athena in ``workgroup``."""

    def __init__(self, glue, athena, database: str, workgroup: str, bucket: str, prefix: str, base_prefix: str,
                 poll_seconds: float = 0.5, timeout_seconds: float = 300):
        self.glue, self.athena = glue, athena
        self.database, self.workgroup = database, workgroup
        self.bucket, self.prefix, self.base_prefix = bucket, prefix.strip("/"), base_prefix
        self.poll_seconds, self.timeout_seconds = poll_seconds, timeout_seconds
        self.unreachable = ""

    def location(self, relative: str) -> str:
        return f"s3://{self.bucket}/{self.prefix}/{relative}" if self.prefix else f"s3://{self.bucket}/{relative}"

    def table_input(self, table: CatalogTable) -> dict:
        raw, _ = view_names(self.base_prefix, table.name)
        return {
            "Name": raw,
            "TableType": "EXTERNAL_TABLE",
            "Parameters": {"EXTERNAL": "TRUE", "areColumnsQuoted": "false", "classification": "csv",
                           "columnsOrdered": "true", "compressionType": "none", "delimiter": ",",
                           "skip.header.line.count": "1", "typeOfData": "file"},
            "PartitionKeys": [{"Name": name, "Type": "string"} for name in table.partitions],
            "StorageDescriptor": {
                "Columns": [{"Name": c.name, "Type": "string"} for c in table.columns],
                "Location": self.location(f"{table.name}/"),
                "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                "SerdeInfo": {"SerializationLibrary": SERDE,
                              "Parameters": {"separatorChar": ",", "quoteChar": '"', "escapeChar": "\\"}},
            },
        }

    def view_sql(self, table: CatalogTable) -> str:
        raw, typed = view_names(self.base_prefix, table.name)
        selected = [f'{athena_expression(c)} AS "{c.name}"' for c in table.columns]
        selected += [f'"{name}"' for name in table.partitions]
        return f'CREATE OR REPLACE VIEW "{typed}" AS SELECT {", ".join(selected)} FROM "{self.database}"."{raw}"'

    @_aws_calls
    def sync_table(self, table: CatalogTable) -> str:
        """Create or update the raw table and, when needed, its view; returns what was done."""
        from botocore.exceptions import ClientError  # pylint: disable=import-outside-toplevel

        wanted = self.table_input(table)
        view = self.view_sql(table)
        digest = hashlib.sha1(view.encode()).hexdigest()  # noqa: S324 (a change marker, not security)
        try:
            try:
                current = self.glue.get_table(DatabaseName=self.database, Name=wanted["Name"])["Table"]
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "EntityNotFoundException":
                    raise
                current = None
            if current is None:
                self.glue.create_table(DatabaseName=self.database, TableInput=wanted)
                action = "created"
            elif [k["Name"] for k in current.get("PartitionKeys", [])] != list(table.partitions):
                # Glue cannot change partition keys in place: the table (not the data) is rebuilt.
                self.glue.delete_table(DatabaseName=self.database, Name=wanted["Name"])
                self.glue.create_table(DatabaseName=self.database, TableInput=wanted)
                action = "recreated (partitions changed)"
            elif (_columns(current) != _columns(wanted)
                  or current.get("StorageDescriptor", {}).get("Location") != wanted["StorageDescriptor"]["Location"]
                  or current.get("Parameters", {}).get(VIEW_HASH) != digest):
                self.glue.update_table(DatabaseName=self.database, TableInput=wanted)
                action = "updated"
            else:
                return "unchanged"
        except ClientError as exc:
            raise _refused(exc) from exc
        self.run_query(view)
        # Only now is the view in step: a failed view query is retried by the next run.
        wanted["Parameters"][VIEW_HASH] = digest
        try:
            self.glue.update_table(DatabaseName=self.database, TableInput=wanted)
        except ClientError as exc:
            raise _refused(exc) from exc
        return action

    @_aws_calls
    def update(self, table: CatalogTable, keys: list[str]) -> str:
        """Bring the raw table, its view and the partitions of these file keys in step."""
        action = self.sync_table(table)
        added = self.add_partitions(table, keys)
        return f"Glue table {action}, {added} partition(s) added"

    @_aws_calls
    def update_tracking_logs(self, keys: list[str]) -> str:
        """The JSON tracking-log table over ``tracking_logs/`` of this bucket, and the partitions of ``keys``."""
        from botocore.exceptions import ClientError  # pylint: disable=import-outside-toplevel

        from panorama_openedx.catalog import tracking  # pylint: disable=import-outside-toplevel

        wanted = tracking.glue_table_input(tracking.table_name(self.base_prefix), self.location(f"{tracking.FOLDER}/"))
        try:
            current = self.glue.get_table(DatabaseName=self.database, Name=wanted["Name"])["Table"]
            descriptor, target = current.get("StorageDescriptor", {}), wanted["StorageDescriptor"]
            if (_columns(current) != _columns(wanted) or descriptor.get("Location") != target["Location"]
                    or descriptor.get("SerdeInfo", {}).get("SerializationLibrary")
                    != target["SerdeInfo"]["SerializationLibrary"]
                    or [k["Name"] for k in current.get("PartitionKeys", [])] != list(tracking.PARTITIONS)):
                self.glue.update_table(DatabaseName=self.database, TableInput=wanted)  # not on every drain
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "EntityNotFoundException":
                raise
            self.glue.create_table(DatabaseName=self.database, TableInput=wanted)
        added = self._register(wanted, {tuple(layout.partition_values(key)): self.location(key.rsplit("/", 1)[0] + "/")
                                        for key in keys})
        return f"Glue table {wanted['Name']}, {added} partition(s) added"

    def _register(self, table_input: dict, wanted: dict) -> int:
        """BatchCreatePartition for the partitions Glue does not have yet; per-partition errors reported."""
        raw = table_input["Name"]
        existing = {tuple(p["Values"]) for page in self.glue.get_paginator("get_partitions").paginate(
            DatabaseName=self.database, TableName=raw) for p in page["Partitions"]}
        missing = [values for values in wanted if values not in existing]
        descriptor = table_input["StorageDescriptor"]
        for first in range(0, len(missing), PARTITION_BATCH):
            batch = missing[first:first + PARTITION_BATCH]
            answer = self.glue.batch_create_partition(DatabaseName=self.database, TableName=raw, PartitionInputList=[
                {"Values": list(values), "StorageDescriptor": {**descriptor, "Location": wanted[values]}}
                for values in batch])
            errors = [e for e in answer.get("Errors", [])
                      if e.get("ErrorDetail", {}).get("ErrorCode") != "AlreadyExistsException"]
            if errors:
                detail = errors[0]["ErrorDetail"]
                raise CatalogError(f"Glue refused {len(errors)} partition(s) of {raw}, e.g. "
                                   f"{errors[0].get('PartitionValues')}: {detail.get('ErrorCode')}: "
                                   f"{detail.get('ErrorMessage')}")
        return len(missing)

    @_aws_calls
    def add_partitions(self, table: CatalogTable, keys: list[str]) -> int:
        """Register the partitions of these file keys that Glue does not have yet; returns how many."""
        return self._register(self.table_input(table), {
            tuple(layout.partition_values(key)): self.location(key.rsplit("/", 1)[0] + "/") for key in keys})

    @_aws_calls
    def run_query(self, sql: str) -> str:
        """Run one Athena query and wait for its end; raise with Athena's reason unless it succeeded."""
        from botocore.exceptions import ClientError  # pylint: disable=import-outside-toplevel

        try:
            query = self.athena.start_query_execution(
                QueryString=sql, QueryExecutionContext={"Database": self.database}, WorkGroup=self.workgroup)
            deadline = time.monotonic() + self.timeout_seconds
            while True:
                status = self.athena.get_query_execution(
                    QueryExecutionId=query["QueryExecutionId"])["QueryExecution"]["Status"]
                if status["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                    break
                if time.monotonic() > deadline:
                    raise CatalogError(f"Athena query {query['QueryExecutionId']} still {status['State']} after "
                                       f"{self.timeout_seconds:.0f} s: {sql[:80]}...")
                time.sleep(self.poll_seconds)
        except ClientError as exc:
            raise _refused(exc) from exc
        if status["State"] != "SUCCEEDED":
            raise CatalogError(f"Athena query {status['State']}: {status.get('StateChangeReason', 'no reason given')} "
                               f"({sql[:80]}...)")
        return query["QueryExecutionId"]


def _columns(table_input: dict) -> list:
    return [(c["Name"], c["Type"]) for c in table_input.get("StorageDescriptor", {}).get("Columns", [])]
