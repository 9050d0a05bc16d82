"""
Fixtures on real services: MariaDB (through pytest-django), Redis, and a moto server speaking the
S3/Glue/Athena HTTP APIs. MongoDB cannot run here: ``modulestore_db`` is mongomock behind the pymongo
interface, a stand-in for the server.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_client():
    """A real Redis connection on a database of its own, emptied before and after each test."""
    import redis  # pylint: disable=import-outside-toplevel

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}); start it (see .ci/run)")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def moto_endpoint():
    """An in-process moto server on a free port: real HTTP, fake AWS."""
    from moto.server import ThreadedMotoServer  # pylint: disable=import-outside-toplevel

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(moto_endpoint, monkeypatch):
    """Fake credentials, every AWS service pointed at a moto server wiped clean for this test; yields its URL."""
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1"), ("AWS_ENDPOINT_URL", moto_endpoint)):
        monkeypatch.setenv(name, value)
    requests.post(f"{moto_endpoint}/moto-api/reset", timeout=10).raise_for_status()
    yield moto_endpoint


@pytest.fixture
def aws_datalake(aws, settings):
    """A CUSTOM-mode datalake on moto: the bucket, the Glue database and the Athena workgroup; yields an S3 client."""
    import boto3  # pylint: disable=import-outside-toplevel

    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="panorama-lake")
    boto3.client("glue", region_name="us-east-1").create_database(DatabaseInput={"Name": "panorama"})
    boto3.client("athena", region_name="us-east-1").create_work_group(
        Name="panorama", Configuration={"ResultConfiguration": {"OutputLocation": "s3://panorama-lake/athena/"}})
    settings.PANORAMA_MODE = "CUSTOM"
    settings.PANORAMA_BUCKET = "panorama-lake"
    settings.PANORAMA_S3_ENDPOINT_URL = aws
    settings.PANORAMA_AWS_ACCOUNT_ID = "123456789012"
    return s3


@pytest.fixture
def modulestore_db():
    """
    A split-modulestore database. mongomock stands in for the MongoDB server (none can be installed
    on this machine), behind the same pymongo client interface.
    """
    import mongomock  # pylint: disable=import-outside-toplevel

    return mongomock.MongoClient()["openedx"]


def current_database_url():
    """The URL of the database the tests use now (pytest-django's test_<name> database)."""
    from django.db import connection  # pylint: disable=import-outside-toplevel

    config = connection.settings_dict
    if config["ENGINE"].endswith("mysql"):
        return (f"mysql://{config['USER']}:{config['PASSWORD']}@{config['HOST']}:{config['PORT']}/"
                f"{config['NAME']}")
    return os.environ["DATABASE_URL"]


@pytest.fixture
def serve_modulestore(settings):
    """
    pymongo reaches mongomock for the stand-in's modulestore host (mongomock stands in for the MongoDB
    server, which cannot run here); other hosts stay real. Call the fixture's value with a folder of
    seed_lms documents to load them.
    """
    import mongomock  # pylint: disable=import-outside-toplevel
    import pymongo  # pylint: disable=import-outside-toplevel

    from lms_stub.seed.modulestore import load_documents  # pylint: disable=import-outside-toplevel

    config = settings.DOC_STORE_CONFIG
    patcher = mongomock.patch(servers=((config["host"], config["port"]),), on_new="pymongo")
    patcher.start()

    def load(folder):
        return load_documents(Path(folder), pymongo.MongoClient(config["host"], config["port"])[config["db"]])

    yield load
    patcher.stop()


def run_manage(*args, env=None, timeout=300):
    """Run the stand-in LMS's manage.py in a subprocess, as an operator would, on the tests' database."""
    full_env = {**os.environ, "DATABASE_URL": current_database_url(), **(env or {})}
    return subprocess.run([sys.executable, str(REPO_ROOT / "manage.py"), *args], cwd=REPO_ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout, check=False)


from tests.dashboard_fixtures import cast, custom_mode, provider, quicksight  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import
