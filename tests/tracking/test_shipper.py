"""
Draining the tracking stream: real Redis (the test database), files on disk and S3 on moto. Crashes are played
by stopping a drainer between its upload and its acknowledgement.
"""
import gzip
import json

import boto3
import pytest
from botocore.exceptions import ClientError

from panorama_openedx.datalake.storage import LocalStorage, S3Storage, StorageError
from panorama_openedx.tracking.backend import STREAM
from panorama_openedx.tracking.shipper import LOCK, PENDING, POSITION, StreamShipper

HOST = "lms.example.com"


def add_events(client, count, start=0, day="2026-12-03"):
    for n in range(start, start + count):
        event = {"name": "play_video", "time": f"{day}T10:00:{n % 60:02d}.000000+00:00", "n": n,
                 "event": '{"id": "v1", "currentTime": 12.5}'}
        client.xadd(STREAM, {"event": json.dumps(event)})


def shipped(root):
    """Every event in the objects under root, by object, in key order."""
    objects = {}
    for path in sorted(root.rglob("*.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            objects[str(path.relative_to(root))] = [json.loads(line)["n"] for line in handle]
    return objects


def shipper(client, storage, max_bytes=10**9, max_age=0, clock=None):
    kwargs = {"clock": clock} if clock else {}
    return StreamShipper(client, storage, HOST, max_bytes, max_age, **kwargs)


def test_everything_due_is_shipped_once(redis_client, tmp_path):
    add_events(redis_client, 250)
    report = shipper(redis_client, LocalStorage(tmp_path)).drain()
    objects = shipped(tmp_path)
    assert len(objects) == 1 and report.events == 250 and report.objects == list(objects)
    (key, numbers), = objects.items()
    assert key.startswith(f"tracking_logs/lms={HOST}/year=2026/month=12/day=03/") and key.endswith(".gz")
    assert numbers == list(range(250))
    again = shipper(redis_client, LocalStorage(tmp_path)).drain()
    assert again.events == 0 and again.objects == [] and shipped(tmp_path) == objects
    add_events(redis_client, 10, start=250)
    shipper(redis_client, LocalStorage(tmp_path)).drain()
    assert sorted(n for numbers in shipped(tmp_path).values() for n in numbers) == list(range(260))


def test_objects_close_at_the_size_threshold(redis_client, tmp_path):
    add_events(redis_client, 100)
    lines = [len(fields[b"event"]) + 1 for _, fields in redis_client.xrange(STREAM)]
    limit = sum(lines[:30])
    shipper(redis_client, LocalStorage(tmp_path), max_bytes=limit).drain()
    objects = list(shipped(tmp_path).values())
    assert [n for numbers in objects for n in numbers] == list(range(100))
    sizes = [sum(lines[n] for n in numbers) for numbers in objects]
    assert all(size <= limit for size in sizes) and len(objects) >= 4
    for numbers, size in zip(objects[:-1], sizes):  # each object is as full as the limit allows
        assert size + lines[numbers[-1] + 1] > limit


def test_a_young_object_waits_until_it_is_old_enough(redis_client, tmp_path):
    add_events(redis_client, 5)
    now = [__import__("time").time()]
    young = shipper(redis_client, LocalStorage(tmp_path), max_age=600, clock=lambda: now[0]).drain()
    assert young.events == 0 and young.waiting == 5 and shipped(tmp_path) == {}
    assert redis_client.get(POSITION) is None
    now[0] += 601
    old = shipper(redis_client, LocalStorage(tmp_path), max_age=600, clock=lambda: now[0]).drain()
    assert old.events == 5


def test_events_of_two_days_go_to_two_objects(redis_client, tmp_path):
    add_events(redis_client, 3, day="2026-12-03")
    add_events(redis_client, 2, start=3, day="2026-12-04")
    redis_client.xadd(STREAM, {"event": "not json"})
    report = shipper(redis_client, LocalStorage(tmp_path)).drain()
    objects = shipped(tmp_path)
    assert [key.split("/")[4] for key in objects] == ["day=03", "day=04"]
    assert list(objects.values()) == [[0, 1, 2], [3, 4]]
    assert report.skipped == 1


class Crash(Exception):
    """The drainer process dies here."""


def test_a_crash_between_upload_and_acknowledgement_rewrites_the_same_object(redis_client, tmp_path):
    add_events(redis_client, 40)
    dying = shipper(redis_client, LocalStorage(tmp_path), max_bytes=10**9)
    original = redis_client.pipeline

    def die(*args, **kwargs):
        raise Crash()

    redis_client.pipeline = die  # the acknowledgement never happens
    with pytest.raises(Crash):
        dying.drain()
    redis_client.pipeline = original
    first = shipped(tmp_path)
    assert redis_client.hgetall(PENDING) and redis_client.get(POSITION) is None
    add_events(redis_client, 5, start=40)  # more events arrived meanwhile
    report = shipper(redis_client, LocalStorage(tmp_path)).drain()
    objects = shipped(tmp_path)
    assert set(first) <= set(objects) and objects[next(iter(first))] == list(range(40)), "same key, same content"
    assert sorted(n for numbers in objects.values() for n in numbers) == list(range(45)), "each event once"
    assert not redis_client.hgetall(PENDING) and report.events == 45


def test_an_s3_failure_leaves_the_position_and_the_next_run_recovers(redis_client, aws):
    """moto cannot fail one request on demand: a botocore hook refuses the first PutObject."""
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="raw-logs")
    refused = []

    def refuse_once(params, **kwargs):
        if not refused:
            refused.append(params["Key"])
            raise ClientError({"Error": {"Code": "InternalError", "Message": "try again"}}, "PutObject")

    s3.meta.events.register("before-parameter-build.s3.PutObject", refuse_once)
    add_events(redis_client, 20)
    with pytest.raises(StorageError, match="Upload of s3://raw-logs/tracking_logs/"):
        shipper(redis_client, S3Storage(s3, "raw-logs")).drain()
    assert redis_client.get(POSITION) is None and redis_client.hgetall(PENDING)
    assert redis_client.get(LOCK) is None, "the lock is released on failure"
    report = shipper(redis_client, S3Storage(s3, "raw-logs")).drain()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="raw-logs")["Contents"]]
    assert keys == [refused[0]] and report.events == 20
    body = gzip.decompress(s3.get_object(Bucket="raw-logs", Key=keys[0])["Body"].read()).decode()
    assert [json.loads(line)["n"] for line in body.splitlines()] == list(range(20))


def test_two_drainers_never_ship_the_same_range(redis_client, tmp_path):
    add_events(redis_client, 10)
    redis_client.set(LOCK, "another-drainer", ex=60)
    report = shipper(redis_client, LocalStorage(tmp_path)).drain()
    assert report.message == "another drainer is running: nothing done" and shipped(tmp_path) == {}
    assert redis_client.get(LOCK) == b"another-drainer"


def test_the_command_ships_through_the_settings(redis_client, settings, tmp_path):
    import io  # pylint: disable=import-outside-toplevel

    from django.core.management import call_command  # pylint: disable=import-outside-toplevel
    from django.core.management.base import CommandError  # pylint: disable=import-outside-toplevel

    from tests.conftest import REDIS_URL  # pylint: disable=import-outside-toplevel

    settings.PANORAMA_MODE = "CUSTOM"
    settings.PANORAMA_DATALAKE_DIR = str(tmp_path)
    settings.PANORAMA_TRACKING_REDIS_URL = REDIS_URL
    settings.PANORAMA_LOGS_UPLOAD_TIMEOUT = "1s"
    settings.LMS_BASE = HOST
    add_events(redis_client, 7)
    __import__("time").sleep(1.1)
    out = io.StringIO()
    call_command("panorama_upload_logs", stdout=out)
    assert "7 events in 1 object(s)" in out.getvalue()
    assert [n for numbers in shipped(tmp_path).values() for n in numbers] == list(range(7))
    settings.PANORAMA_TRACKING_SOURCE = "file"
    log_file = tmp_path / "logs" / "tracking.log"
    log_file.parent.mkdir()
    log_file.write_text('2026-12-04 10:00:00,000 INFO 7 [tracking] {"name": "from_file", "n": 100, '
                        '"time": "2026-12-04T10:00:00+00:00"}\n', encoding="utf-8")
    settings.PANORAMA_TRACKING_LOG_PATH = str(log_file)
    out = io.StringIO()
    call_command("panorama_upload_logs", stdout=out)
    assert "1 events in 1 object(s)" in out.getvalue()
    settings.PANORAMA_MODE = "FREE"
    with pytest.raises(CommandError, match="PANORAMA_MODE is FREE: tracking events are not shipped"):
        call_command("panorama_upload_logs", stdout=io.StringIO())
