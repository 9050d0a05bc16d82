"""Shipped tracking events are queryable: the DuckDB view (local) and the Glue JSON table (moto)."""
import io
import json
import time

import boto3
import duckdb
import pytest
from django.core.management import call_command

from panorama_openedx.tracking.backend import STREAM
from tests.conftest import REDIS_URL

HOST = "lms.example.com"


def add_events(client, count):
    for n in range(count):
        client.xadd(STREAM, {"event": json.dumps({
            "name": "play_video", "event_type": "play_video", "event_source": "browser", "username": f"learner{n}",
            "time": "2026-12-04T10:00:00.000000+00:00", "event": json.dumps({"id": "v1", "currentTime": n}),
            "context": {"course_id": "course-v1:O+C+R", "user_id": n, "org_id": "O", "path": "/event"}})})


def ship_to_s3(shipping, redis_client, count):
    """Events older than the 1 s upload timeout, drained into the raw-logs bucket on moto."""
    shipping.PANORAMA_RAW_LOGS_BUCKET = "panorama-lake"
    add_events(redis_client, count)
    time.sleep(1.1)
    call_command("panorama_upload_logs", stdout=io.StringIO())


@pytest.fixture
def shipping(settings, tmp_path):
    settings.PANORAMA_MODE = "CUSTOM"
    settings.PANORAMA_TRACKING_REDIS_URL = REDIS_URL
    settings.PANORAMA_LOGS_UPLOAD_TIMEOUT = "1s"
    settings.LMS_BASE = HOST
    return settings


def test_duckdb_view_returns_the_shipped_events(shipping, redis_client, tmp_path):
    shipping.PANORAMA_DATALAKE_DIR = str(tmp_path)
    add_events(redis_client, 12)
    time.sleep(1.1)
    out = io.StringIO()
    call_command("panorama_upload_logs", stdout=out)
    assert f"catalog: view openedx_tracking_logs in {tmp_path / 'panorama.duckdb'}" in out.getvalue()
    with duckdb.connect(str(tmp_path / "panorama.duckdb"), read_only=True) as db:
        rows = db.execute("SELECT name, username, context.course_id, context.user_id, lms, year, month, day, "
                          "json_extract(event::JSON, '$.currentTime')::INT FROM openedx_tracking_logs "
                          "ORDER BY context.user_id").fetchall()
        per_day = db.execute("SELECT context.course_id, year || '-' || month || '-' || day AS day, count(*) "
                             "FROM openedx_tracking_logs WHERE name = 'play_video' GROUP BY ALL").fetchall()
    assert len(rows) == 12
    assert rows[3] == ("play_video", "learner3", "course-v1:O+C+R", 3, HOST, "2026", "12", "04", 3)
    assert per_day == [("course-v1:O+C+R", "2026-12-04", 12)]  # "video plays per course per day"


def test_glue_json_table_and_partitions(shipping, redis_client, aws_datalake):
    ship_to_s3(shipping, redis_client, 5)
    glue = boto3.client("glue", region_name="us-east-1")
    table = glue.get_table(DatabaseName="panorama", Name="openedx_tracking_logs")["Table"]
    descriptor = table["StorageDescriptor"]
    assert descriptor["SerdeInfo"]["SerializationLibrary"] == "org.openx.data.jsonserde.JsonSerDe"
    assert descriptor["Location"] == "s3://panorama-lake/tracking_logs/"
    assert [c["Name"] for c in descriptor["Columns"]] == [
        "time", "username", "event_type", "event_source", "name", "page", "session", "agent", "host", "ip",
        "referer", "accept_language", "event", "context"]
    assert [k["Name"] for k in table["PartitionKeys"]] == ["lms", "year", "month", "day"]
    partitions = glue.get_partitions(DatabaseName="panorama", TableName="openedx_tracking_logs")["Partitions"]
    assert [p["Values"] for p in partitions] == [[HOST, "2026", "12", "04"]]
    assert partitions[0]["StorageDescriptor"]["Location"] == (
        f"s3://panorama-lake/tracking_logs/lms={HOST}/year=2026/month=12/day=04/")


def test_a_second_drain_adds_partitions_without_rewriting_the_table(shipping, redis_client, aws_datalake):
    ship_to_s3(shipping, redis_client, 3)
    glue = boto3.client("glue", region_name="us-east-1")
    versions = len(glue.get_table_versions(DatabaseName="panorama", TableName="openedx_tracking_logs")["TableVersions"])
    redis_client.xadd(STREAM, {"event": json.dumps({"name": "x", "time": "2026-12-05T00:00:01+00:00"})})
    time.sleep(1.1)
    call_command("panorama_upload_logs", stdout=io.StringIO())
    assert len(glue.get_table_versions(DatabaseName="panorama", TableName="openedx_tracking_logs")[
        "TableVersions"]) == versions
    days = sorted(p["Values"][3] for p in glue.get_partitions(DatabaseName="panorama",
                                                                TableName="openedx_tracking_logs")["Partitions"])
    assert days == ["04", "05"]
