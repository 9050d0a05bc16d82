"""The fixtures reach real services: Redis, and moto over HTTP for S3, Glue and Athena."""
import boto3
import pytest

from lms_stub.database_url import database_from_url


def client(service, endpoint):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1")


def test_redis_is_real(redis_client):
    redis_client.xadd("panorama:test", {"event": '{"name": "x"}'}, maxlen=10)
    assert redis_client.xlen("panorama:test") == 1


def test_redis_database_starts_empty(redis_client):
    assert redis_client.dbsize() == 0


def test_s3_over_http(aws):
    s3 = client("s3", aws)
    s3.create_bucket(Bucket="panorama-test")
    key = "openedx/courseware_studentmodule/lms=lms.example.com/course_id=course-v1%3AX%2BY%2BZ/x.csv"
    s3.put_object(Bucket="panorama-test", Key=key, Body=b"id\n1\n")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="panorama-test")["Contents"]] == [key]


def test_moto_is_reset_between_tests(aws):
    assert client("s3", aws).list_buckets()["Buckets"] == []


def test_glue_and_athena_over_http(aws):
    glue = client("glue", aws)
    glue.create_database(DatabaseInput={"Name": "panorama"})
    assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == ["panorama"]
    athena = client("athena", aws)
    query = athena.start_query_execution(QueryString="SELECT 1", QueryExecutionContext={"Database": "panorama"},
                                         ResultConfiguration={"OutputLocation": "s3://panorama-test/athena/"})
    state = athena.get_query_execution(QueryExecutionId=query["QueryExecutionId"])["QueryExecution"]["Status"]
    assert state["State"] == "SUCCEEDED"


def test_modulestore_stand_in_speaks_pymongo(modulestore_db):
    modulestore_db["modulestore.structures"].insert_one({"_id": 1, "blocks": []})
    assert modulestore_db["modulestore.structures"].find_one({"_id": {"$in": [1, 2]}}) == {"_id": 1, "blocks": []}


def test_database_url_mysql():
    config = database_from_url("mysql://user:p%40ss@db.example.com:3307/edxapp?charset=utf8mb3")
    assert (config["ENGINE"], config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "django.db.backends.mysql", "edxapp", "user", "p@ss", "db.example.com", "3307")
    assert config["OPTIONS"]["charset"] == "utf8mb3"


def test_database_url_sqlite():
    assert database_from_url("sqlite:////tmp/lms.db") == {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/lms.db"}
    assert database_from_url("sqlite:///var/lms.db")["NAME"] == "var/lms.db"


@pytest.mark.parametrize("url, message", [
    ("postgres://x/y", "is not supported"), ("mysql://root@127.0.0.1:3306/", "names no database"),
    ("sqlite://", "names no SQLite file"),
])
def test_database_url_errors(url, message):
    with pytest.raises(ValueError, match=message):
        database_from_url(url)
