"""
The live tracking backend with the real event-tracking library (the LMS's version) and real Redis servers:
the shared test Redis, and one of the test's own that it stops and starts again to play an outage.
"""
import json
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.conf import settings as django_settings
from eventtracking.tracker import Tracker

from panorama_openedx.tracking.backend import DROPPED, STREAM, RedisStreamBackend
from tests.conftest import REDIS_URL


@pytest.fixture
def shipping(settings):
    settings.PANORAMA_MODE = "SAAS"
    settings.PANORAMA_BUCKET = "data-bucket"
    settings.PANORAMA_TRACKING_REDIS_URL = REDIS_URL
    return settings


def emit(backend, count, name="problem_check"):
    tracker = Tracker(backends={"panorama": backend})
    for n in range(count):
        tracker.emit(name, {"n": n, "answer": 'He said "yes"\n'})


def test_events_arrive_in_the_stream(shipping, redis_client):
    emit(RedisStreamBackend(), 3)
    entries = redis_client.xrange(STREAM)
    assert len(entries) == 3
    events = [json.loads(fields[b"event"]) for _, fields in entries]
    assert [e["name"] for e in events] == ["problem_check"] * 3
    assert [e["data"] for e in events] == [{"n": n, "answer": 'He said "yes"\n'} for n in range(3)]
    assert events[0]["timestamp"].startswith("20") and "+00:00" in events[0]["timestamp"]


def test_nothing_is_written_when_the_mode_does_not_ship(settings, redis_client):
    settings.PANORAMA_MODE = "FREE"
    settings.PANORAMA_DATALAKE_DIR = "/tmp"
    settings.PANORAMA_TRACKING_REDIS_URL = REDIS_URL
    emit(RedisStreamBackend(), 2)
    settings.PANORAMA_MODE = "SAAS"
    settings.PANORAMA_TRACKING_SOURCE = "file"
    emit(RedisStreamBackend(), 2)
    assert redis_client.xlen(STREAM) == 0


def test_the_stream_is_bounded(shipping, redis_client):
    shipping.PANORAMA_TRACKING_STREAM_MAXLEN = 1000
    emit(RedisStreamBackend(), 3000)
    assert 1000 <= redis_client.xlen(STREAM) <= 1200  # approximate trimming: whole nodes of ~100 entries


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(port, tmp_path):
    process = subprocess.Popen([shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    for _ in range(100):
        try:
            client.ping()
            return process, client
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def test_a_redis_outage_drops_and_counts_without_slowing_requests(shipping, tmp_path, caplog):
    port = free_port()
    shipping.PANORAMA_TRACKING_REDIS_URL = f"redis://127.0.0.1:{port}/0"
    process, client = start_redis(port, tmp_path)
    backend = RedisStreamBackend(retry_after=1.0)
    try:
        emit(backend, 5)
        assert client.xlen(STREAM) == 5
        process.terminate()
        process.wait()
        started = time.perf_counter()
        emit(backend, 200)  # Redis is down: every emit still succeeds
        elapsed = time.perf_counter() - started
        assert backend.dropped == 200
        assert elapsed < 2.0, f"200 events took {elapsed:.2f} s while Redis was down"
        assert caplog.text.count("Redis unavailable, events are dropped and counted") == 1
        process, client = start_redis(port, tmp_path)  # Redis is back (empty: it keeps nothing on disk)
        time.sleep(1.05)
        emit(backend, 3)
        assert client.xlen(STREAM) == 3
        assert int(client.get(DROPPED)) == 200
    finally:
        process.terminate()
        process.wait()


def test_the_plugin_puts_the_backend_inside_the_lms_tracking_logs_router():
    """It then receives what tracking.log receives, after the LMS's legacy-field processors."""
    routed = django_settings.EVENT_TRACKING_BACKENDS["tracking_logs"]["OPTIONS"]["backends"]
    assert routed["panorama_stream"]["ENGINE"] == "panorama_openedx.tracking.backend.RedisStreamBackend"
    assert "logger" in routed and "panorama_stream" not in django_settings.EVENT_TRACKING_BACKENDS


def test_without_a_router_the_backend_goes_to_the_top_level():
    from types import SimpleNamespace  # pylint: disable=import-outside-toplevel

    from panorama_openedx.settings.common import add_tracking_backend  # pylint: disable=import-outside-toplevel

    lms = SimpleNamespace(EVENT_TRACKING_BACKENDS={"other": {"ENGINE": "x.Y"}})
    add_tracking_backend(lms)
    assert lms.EVENT_TRACKING_BACKENDS["panorama_stream"]["ENGINE"].endswith("RedisStreamBackend")
