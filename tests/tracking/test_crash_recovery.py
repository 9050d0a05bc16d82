"""
Fault injection: a drainer subprocess is SIGKILLed at random points while events keep arriving, then
restarted; in the end every event is stored exactly once. Real Redis, real files, real kills. (The narrow
window between an upload and its acknowledgement is also hit deterministically in test_shipper.py.)
"""
import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from panorama_openedx.datalake.storage import LocalStorage
from panorama_openedx.tracking.backend import STREAM
from panorama_openedx.tracking.shipper import PENDING, StreamShipper
from tests.conftest import REDIS_URL

REPO = Path(__file__).resolve().parents[2]
DRAINER = """
import sys, time, redis
sys.path.insert(0, {repo!r})
from panorama_openedx.datalake.storage import LocalStorage
from panorama_openedx.tracking.shipper import StreamShipper
client = redis.Redis.from_url({url!r})
while True:  # drain again and again, small objects, until killed
    StreamShipper(client, LocalStorage({root!r}), "lms.example.com", {max_bytes}, 0, lock_seconds=1).drain()
    time.sleep(0.01)
"""


def stored_numbers(root):
    numbers = []
    for path in sorted(root.rglob("*.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            numbers.extend(json.loads(line)["n"] for line in handle)
    return numbers


def produce(client, start, count):
    for n in range(start, start + count):
        client.xadd(STREAM, {"event": json.dumps({"name": "play_video", "n": n, "time": "2026-12-04T10:00:00+00:00",
                                                  "pad": "x" * 40})})
    return start + count


def test_kills_at_random_points_lose_and_duplicate_nothing(redis_client, tmp_path):
    rng = random.Random(20261204)
    produced = 0
    kills = 0
    for _ in range(12):
        produced = produce(redis_client, produced, rng.randint(50, 250))
        script = DRAINER.format(repo=str(REPO), url=REDIS_URL, root=str(tmp_path),
                                max_bytes=rng.choice([2000, 10**9]))  # size-closed and end-of-data objects
        drainer = subprocess.Popen([sys.executable, "-c", script])
        time.sleep(rng.uniform(0.05, 0.6))
        produced = produce(redis_client, produced, rng.randint(0, 100))  # events keep arriving meanwhile
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(drainer.pid, signal.SIGKILL)
        drainer.wait()
        kills += 1
        time.sleep(1.1)  # the killed drainer's lock expires
    assert kills == 12 and produced > 1000
    final = StreamShipper(redis_client, LocalStorage(tmp_path), "lms.example.com", 2000, 0, lock_seconds=1)
    final.drain()
    numbers = stored_numbers(tmp_path)
    assert sorted(numbers) == list(range(produced)), "every event exactly once"
    assert not redis_client.hgetall(PENDING)
    objects = len(list(tmp_path.rglob("*.gz")))
    again = StreamShipper(redis_client, LocalStorage(tmp_path), "lms.example.com", 2000, 0, lock_seconds=1).drain()
    assert again.events == 0 and len(list(tmp_path.rglob("*.gz"))) == objects, "a run with no new input ships nothing"
