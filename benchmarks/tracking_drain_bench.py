"""
The tracking-event drainer: events/s and peak memory, against ``redis-cli XRANGE`` of the same stream (how
fast the events can be read at all), measured in the same run on the local Redis.

    .venv/bin/python benchmarks/tracking_drain_bench.py [--events 200000] [--redis-db 13]
"""
import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from panorama_openedx.tracking.backend import STREAM  # noqa: E402
from panorama_openedx.tracking.shipper import LOCK, PENDING, POSITION  # noqa: E402

DRAIN = """
import sys, redis
sys.path.insert(0, {repo!r})
from panorama_openedx.datalake.storage import LocalStorage
from panorama_openedx.tracking.shipper import StreamShipper
report = StreamShipper(redis.Redis(db={db}), LocalStorage({root!r}), "lms.example.com", 50 * 1024 * 1024, 0).drain()
print(report.events, len(report.objects))
"""


def timed(command, stdout=subprocess.PIPE):
    timer = shutil.which("time") or "/usr/bin/time"
    started = time.perf_counter()
    result = subprocess.run([timer, "-f", "PEAK_RSS_KB=%M", *command], stdout=stdout, stderr=subprocess.PIPE,
                            check=True)
    seconds = time.perf_counter() - started
    rss = int(result.stderr.decode().rsplit("PEAK_RSS_KB=", 1)[1].split()[0]) / 1024
    return seconds, rss, result.stdout.decode() if stdout == subprocess.PIPE else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--redis-db", type=int, default=13)
    args = parser.parse_args()
    client = redis.Redis(db=args.redis_db)
    client.delete(STREAM, POSITION, PENDING, LOCK)
    event = {"name": "play_video", "event_type": "play_video", "username": "learner000042", "event_source": "browser",
             "time": "2026-12-04T10:00:00.000000+00:00", "page": "https://lms.example.com/courses/x/courseware",
             "event": json.dumps({"id": "block-v1:O+C+R+type@video+block@" + "a" * 32, "currentTime": 125.5}),
             "context": {"course_id": "course-v1:O+C+R", "user_id": 42, "org_id": "O", "path": "/event"}}
    payload = json.dumps(event)
    pipe = client.pipeline(transaction=False)
    for n in range(args.events):
        pipe.xadd(STREAM, {"event": payload})
        if n % 5000 == 4999:
            pipe.execute()
    pipe.execute()
    root = Path(tempfile.mkdtemp(prefix="panorama-drain-bench-"))
    try:
        with open(root / "xrange.txt", "wb") as out:
            raw_s, raw_rss, _ = timed(["redis-cli", "-n", str(args.redis_db), "XRANGE", STREAM, "-", "+"], stdout=out)
        ours_s, ours_rss, printed = timed([sys.executable, "-c", DRAIN.format(repo=str(REPO), db=args.redis_db,
                                                                               root=str(root / "lake"))])
        events, objects = map(int, printed.split())
        assert events == args.events
        size = sum(p.stat().st_size for p in (root / "lake").rglob("*.gz"))
        print(f"events                        {events:,} ({len(payload) + 1} bytes each, {objects} objects, "
              f"{size / 1e6:.1f} MB gzip)")
        print(f"redis-cli XRANGE (baseline)   {raw_s:6.2f} s {events / raw_s:10,.0f} events/s  peak RSS {raw_rss:6.1f} MB")
        print(f"drainer (gzip NDJSON, acked)  {ours_s:6.2f} s {events / ours_s:10,.0f} events/s  peak RSS "
              f"{ours_rss:6.1f} MB")
        print(f"ratio drainer/XRANGE          {ours_s / raw_s:6.2f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)
        client.delete(STREAM, POSITION, PENDING, LOCK)


if __name__ == "__main__":
    main()
