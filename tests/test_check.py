"""panorama_check with each dependency up and down: the lines and the exit status."""
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import current_database_url, run_manage

pytestmark = pytest.mark.django_db(transaction=True)


def check():
    out = io.StringIO()
    try:
        call_command("panorama_check", stdout=out)
    except CommandError as exc:
        return out.getvalue().splitlines(), exc
    return out.getvalue().splitlines(), None


def test_all_up_in_custom_mode(aws_datalake, serve_modulestore):
    lines, error = check()
    assert error is None
    assert lines == [
        "LMS database: OK (alias 'default')",
        "MongoDB modulestore: OK (mongodb:27017/openedx)",
        "Data bucket: OK (s3://panorama-lake: put and delete PanoramaConnectionTest)",
        "Raw-logs bucket: OK (s3://panorama-lake: put and delete PanoramaConnectionTest)",
        "Glue/Athena: OK (database panorama, workgroup panorama)",
        "QuickSight: SKIPPED (no dashboard in Django admin (Panorama > Dashboards))",
        "Local datalake folder: SKIPPED (the datalake is not a local folder)",
    ]
    assert "Contents" not in aws_datalake.list_objects_v2(Bucket="panorama-lake"), "the probe object is deleted"


def test_demo_mode_skips_what_it_does_not_use():
    lines, error = check()
    assert error is None
    assert lines[0] == "LMS database: OK (alias 'default')"
    assert lines[1:] == [
        "MongoDB modulestore: SKIPPED (PANORAMA_MODE DEMO exports nothing)",
        "Data bucket: SKIPPED (PANORAMA_MODE DEMO exports nothing)",
        "Raw-logs bucket: SKIPPED (PANORAMA_MODE DEMO ships no tracking logs)",
        "Glue/Athena: SKIPPED (only in CUSTOM mode with an S3 datalake)",
        "QuickSight: SKIPPED (PANORAMA_MODE DEMO: the provider serves the dashboards)",
        "Local datalake folder: SKIPPED (PANORAMA_MODE DEMO exports nothing)",
    ]


def test_local_folder_mode(settings, tmp_path, serve_modulestore):
    settings.PANORAMA_MODE = "FREE"
    settings.PANORAMA_DATALAKE_DIR = str(tmp_path)
    lines, error = check()
    assert error is None
    assert f"Local datalake folder: OK ({tmp_path / 'openedx'})" in lines


def test_stopped_aws_wrong_bucket_unreachable_mongo(aws_datalake, settings, moto_endpoint):
    from moto.server import ThreadedMotoServer  # pylint: disable=import-outside-toplevel

    stopped = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    stopped.start()
    host, port = stopped.get_host_and_port()
    stopped.stop()
    settings.PANORAMA_S3_ENDPOINT_URL = f"http://{host}:{port}"
    settings.PANORAMA_RAW_LOGS_BUCKET = "no-such-logs-bucket"
    settings.PANORAMA_MODULESTORE_CONFIG = {"host": "127.0.0.1", "port": 9, "serverSelectionTimeoutMS": 200,
                                            "user": "edxapp", "password": "very-secret"}
    lines, error = check()
    assert error is not None and error.returncode == 1
    text = "\n".join(lines)
    assert lines[1].startswith("MongoDB modulestore: FAILED (ServerSelectionTimeoutError: 127.0.0.1:9")
    assert lines[2].startswith(f"Data bucket: FAILED (EndpointConnectionError: Could not connect to the endpoint URL: "
                               f"\"http://{host}:{port}/panorama-lake/PanoramaConnectionTest")
    assert lines[3].startswith("Raw-logs bucket: FAILED (")
    assert lines[4] == "Glue/Athena: OK (database panorama, workgroup panorama)"  # served by the running moto
    assert "very-secret" not in text
    assert str(error) == "3 check(s) failed: MongoDB modulestore, Data bucket, Raw-logs bucket"


def test_wrong_bucket(aws_datalake, settings):
    settings.PANORAMA_BUCKET = "no-such-bucket"
    settings.PANORAMA_RAW_LOGS_BUCKET = "panorama-lake"
    lines, error = check()
    assert error is not None
    assert any(line.startswith("Data bucket: FAILED (NoSuchBucket: ") for line in lines)
    assert "Raw-logs bucket: OK (s3://panorama-lake: put and delete PanoramaConnectionTest)" in lines


def test_wrong_database_credentials():
    url = current_database_url().replace("mysql://root:", "mysql://nobody:wrong-password")
    result = run_manage("panorama_check", env={"DATABASE_URL": url})
    assert result.returncode == 1
    assert re.search(r"LMS database: FAILED \(OperationalError: \(1\d{3}, \"Access denied for user 'nobody'@", result.stdout)
    assert "wrong-password" not in result.stdout + result.stderr


SOURCE = {"SourceTemplate": {
    "Arn": "arn:aws:quicksight:us-east-1:123456789012:template/panorama",
    "DataSetReferences": [
        {"DataSetPlaceholder": "lake", "DataSetArn": "arn:aws:quicksight:us-east-1:123456789012:dataset/lake"}]}}


def quicksight_line(lines):
    return next(line for line in lines if line.startswith("QuickSight: "))


def test_quicksight_dashboards_and_users_typed_in_admin_exist(aws_datalake, serve_modulestore, cast):
    """The Dashboard ids and user ARNs of Django admin, looked up in QuickSight (moto over HTTP)."""
    import boto3  # pylint: disable=import-outside-toplevel

    quicksight = boto3.client("quicksight", region_name="us-east-1")
    for dashboard in ("dash-overview", "dash-course-health", "dash-my-progress"):
        quicksight.create_dashboard(AwsAccountId="123456789012", DashboardId=dashboard, Name=dashboard,
                                    SourceEntity=SOURCE)
    for user in ("reader", "author", "lms.example.com"):
        quicksight.register_user(AwsAccountId="123456789012", Namespace="default", UserName=user,
                                 IdentityType="QUICKSIGHT", Email=f"{user}@example.com", UserRole="READER")
    settings_lines, error = check()
    assert quicksight_line(settings_lines) == (
        "QuickSight: FAILED (LookupError: dashboard 'granted' (dash-granted): ResourceNotFoundException; "
        "user arn:aws:quicksight:us-east-1:123456789012:user/default/local.openedx.io: ResourceNotFoundException)")
    assert error is not None and "QuickSight" in str(error)
    quicksight.create_dashboard(AwsAccountId="123456789012", DashboardId="dash-granted", Name="granted",
                                SourceEntity=SOURCE)
    quicksight.register_user(AwsAccountId="123456789012", Namespace="default", UserName="local.openedx.io",
                             IdentityType="QUICKSIGHT", Email="lms@example.com", UserRole="READER")
    settings_lines, error = check()
    assert quicksight_line(settings_lines) == \
        "QuickSight: OK (4 dashboard(s), 3 user(s) found in account 123456789012)"
    assert error is None


def test_quicksight_without_an_account_id(aws_datalake, serve_modulestore, cast, settings):
    settings.PANORAMA_AWS_ACCOUNT_ID = ""
    lines, error = check()
    assert quicksight_line(lines) == \
        "QuickSight: FAILED (PANORAMA_AWS_ACCOUNT_ID is empty: no dashboard can be embedded)"
    assert error is not None
