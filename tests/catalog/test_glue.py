"""Glue tables, partitions and Athena views after an export to S3, on a moto server over HTTP."""
import hashlib
import io

import boto3
import pytest
from botocore.stub import Stubber
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from panorama_openedx.catalog.glue import GlueCatalog
from panorama_openedx.catalog.tables import CatalogError
from tests.export_helpers import HOST

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def exported(tmp_path, serve_modulestore, aws_datalake):
    call_command("seed_lms", "--scale", "0.01", "--modulestore-dir", str(tmp_path / "ms"), stdout=io.StringIO())
    serve_modulestore(tmp_path / "ms")
    return boto3.client("glue", region_name="us-east-1")


def export(*args):
    call_command("panorama_export", *args, stdout=io.StringIO(), stderr=io.StringIO())


def athena_queries():
    athena = boto3.client("athena", region_name="us-east-1")
    ids = athena.list_query_executions(WorkGroup="panorama")["QueryExecutionIds"]
    return [athena.get_query_execution(QueryExecutionId=i)["QueryExecution"]["Query"] for i in ids]


def partitions(glue, table):
    return sorted(tuple(p["Values"]) for p in glue.get_partitions(DatabaseName="panorama", TableName=table)["Partitions"])


def test_tables_partitions_and_views_after_an_export(exported):
    glue = exported
    export("--tables", "auth_user,courseware_studentmodule")
    users = glue.get_table(DatabaseName="panorama", Name="openedx_raw_auth_user")["Table"]
    descriptor = users["StorageDescriptor"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
                       "TABLE_NAME = 'auth_user' AND COLUMN_NAME <> 'password' ORDER BY ORDINAL_POSITION")
        columns = [row[0] for row in cursor.fetchall()]
    assert [(c["Name"], c["Type"]) for c in descriptor["Columns"]] == [(c, "string") for c in columns]
    assert descriptor["Location"] == "s3://panorama-lake/openedx/auth_user/"
    assert descriptor["SerdeInfo"] == {"SerializationLibrary": "org.apache.hadoop.hive.serde2.OpenCSVSerde",
                                       "Parameters": {"separatorChar": ",", "quoteChar": '"', "escapeChar": "\\"}}
    assert descriptor["InputFormat"] == "org.apache.hadoop.mapred.TextInputFormat"
    assert users["Parameters"]["skip.header.line.count"] == "1"
    assert users["Parameters"]["classification"] == "csv"
    assert [k["Name"] for k in users["PartitionKeys"]] == ["lms"]
    assert partitions(glue, "openedx_raw_auth_user") == [(HOST,)]
    modules = glue.get_table(DatabaseName="panorama", Name="openedx_raw_courseware_studentmodule")["Table"]
    assert [k["Name"] for k in modules["PartitionKeys"]] == ["lms", "course_id"]
    course_partitions = partitions(glue, "openedx_raw_courseware_studentmodule")
    assert len(course_partitions) == 4 and all(p[1].startswith("course-v1:") for p in course_partitions)
    located = glue.get_partition(DatabaseName="panorama", TableName="openedx_raw_courseware_studentmodule",
                                 PartitionValues=list(course_partitions[0]))["Partition"]
    assert located["StorageDescriptor"]["Location"].endswith(
        f"/courseware_studentmodule/lms={HOST}/course_id={course_partitions[0][1].replace(':', '%3A').replace('+', '%2B')}/")
    views = [q for q in athena_queries() if q.startswith("CREATE OR REPLACE VIEW")]
    assert len(views) == 2 and any('"openedx_table_auth_user"' in q for q in views)


def test_second_run_adds_only_new_partitions_and_keeps_views(exported):
    glue = exported
    export("--tables", "courseware_studentmodule")
    before = glue.get_table(DatabaseName="panorama", Name="openedx_raw_courseware_studentmodule")["Table"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE courseware_studentmodule SET course_id = 'course-v1:NewX+NEW1+2026' WHERE id <= 3")
    export("--tables", "courseware_studentmodule")
    after = partitions(glue, "openedx_raw_courseware_studentmodule")
    assert len(after) == 5 and (HOST, "course-v1:NewX+NEW1+2026") in after
    table = glue.get_table(DatabaseName="panorama", Name="openedx_raw_courseware_studentmodule")["Table"]
    assert table["VersionId"] == before["VersionId"], "an unchanged table is not rewritten"
    assert len([q for q in athena_queries() if q.startswith("CREATE OR REPLACE VIEW")]) == 1


def test_a_column_added_then_dropped_updates_the_table_and_the_view(exported):
    glue = exported
    export("--tables", "student_courseaccessrole")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE student_courseaccessrole ADD COLUMN granted_at datetime(6) NULL")
    try:
        export("--tables", "student_courseaccessrole")
        columns = glue.get_table(DatabaseName="panorama", Name="openedx_raw_student_courseaccessrole")[
            "Table"]["StorageDescriptor"]["Columns"]
        assert columns[-1]["Name"] == "granted_at"
        views = [q for q in athena_queries() if "openedx_table_student_courseaccessrole" in q]
        assert len(views) == 2 and "date_parse(NULLIF(\"granted_at\", '')" in views[-1]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE student_courseaccessrole DROP COLUMN granted_at")
    export("--tables", "student_courseaccessrole")
    columns = glue.get_table(DatabaseName="panorama", Name="openedx_raw_student_courseaccessrole")[
        "Table"]["StorageDescriptor"]["Columns"]
    assert "granted_at" not in [c["Name"] for c in columns]
    views = [q for q in athena_queries() if "openedx_table_student_courseaccessrole" in q]
    assert len(views) == 3 and "granted_at" not in views[-1]
    parameters = glue.get_table(DatabaseName="panorama", Name="openedx_raw_student_courseaccessrole")["Table"][
        "Parameters"]
    assert parameters["panorama_view_sha1"] == hashlib.sha1(views[-1].encode()).hexdigest()


def test_glue_error_exits_non_zero_and_names_the_action(exported):
    exported.delete_database(Name="panorama")
    with pytest.raises(CommandError) as caught:
        export("--tables", "auth_user")
    assert "auth_user (catalog: AWS refused " in str(caught.value)
    assert "EntityNotFoundException" in str(caught.value)
    assert caught.value.returncode == 1


def test_panorama_catalog_rebuilds_from_the_files(exported):
    export("--tables", "auth_user,courseware_studentmodule")
    exported.delete_table(DatabaseName="panorama", Name="openedx_raw_courseware_studentmodule")
    out = io.StringIO()
    call_command("panorama_catalog", "--tables", "courseware_studentmodule", stdout=out)
    assert "catalog: courseware_studentmodule: Glue table created, 4 partition(s) added" in out.getvalue()
    assert len(partitions(exported, "openedx_raw_courseware_studentmodule")) == 4


def test_athena_failure_is_reported_with_its_reason():
    """moto answers SUCCEEDED to every query; a failed query is played by botocore's Stubber on the real model."""
    athena = boto3.client("athena", region_name="us-east-1")
    catalog = GlueCatalog(None, athena, "panorama", "panorama", "b", "p", "openedx", poll_seconds=0)
    with Stubber(athena) as stub:
        stub.add_response("start_query_execution", {"QueryExecutionId": "q-1"},
                          {"QueryString": "CREATE OR REPLACE VIEW x AS SELECT 1",
                           "QueryExecutionContext": {"Database": "panorama"}, "WorkGroup": "panorama"})
        stub.add_response("get_query_execution", {"QueryExecution": {"Status": {"State": "RUNNING"}}},
                          {"QueryExecutionId": "q-1"})
        stub.add_response("get_query_execution", {"QueryExecution": {"Status": {
            "State": "FAILED", "StateChangeReason": "line 1:8: Column 'x' cannot be resolved"}}},
            {"QueryExecutionId": "q-1"})
        with pytest.raises(CatalogError, match="Athena query FAILED: line 1:8: Column 'x' cannot be resolved"):
            catalog.run_query("CREATE OR REPLACE VIEW x AS SELECT 1")
        stub.assert_no_pending_responses()


def test_a_failed_view_is_retried_by_the_next_run(exported, monkeypatch):
    """The view hash is stored only once Athena created the view: a failure leaves it to the next run."""
    from panorama_openedx.catalog.glue import GlueCatalog as Catalog  # pylint: disable=import-outside-toplevel

    original = Catalog.run_query

    def failing(self, sql):
        if sql.startswith("CREATE OR REPLACE VIEW"):
            raise CatalogError("Athena query FAILED: simulated")
        return original(self, sql)

    monkeypatch.setattr(Catalog, "run_query", failing)
    with pytest.raises(CommandError, match="Athena query FAILED: simulated"):
        export("--tables", "auth_user")
    monkeypatch.setattr(Catalog, "run_query", original)
    assert "panorama_view_sha1" not in exported.get_table(DatabaseName="panorama", Name="openedx_raw_auth_user")[
        "Table"]["Parameters"]
    export("--tables", "auth_user")
    assert [q for q in athena_queries() if '"openedx_table_auth_user"' in q]


def test_an_explicit_s3_destination_does_not_touch_the_production_catalog(exported, aws_datalake):
    aws_datalake.create_bucket(Bucket="scratch-bucket")
    export("--tables", "auth_user", "--destination", "s3://scratch-bucket/try")
    assert exported.get_tables(DatabaseName="panorama")["TableList"] == []
    assert aws_datalake.list_objects_v2(Bucket="scratch-bucket")["KeyCount"] == 1
