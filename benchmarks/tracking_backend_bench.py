"""
Cost of the live tracking backend inside a request: event-tracking's tracker with the Redis-stream backend
against the same tracker with no backend (the baseline), measured in the same run on the local Redis.

    .venv/bin/python benchmarks/tracking_backend_bench.py [--events 20000] [--redis redis://127.0.0.1:6379/13]
"""
import argparse
import time

import redis
from eventtracking.tracker import Tracker

from panorama_openedx.tracking.backend import STREAM, RedisStreamBackend

EVENT = {"problem_id": "block-v1:Org+Code+Run+type@problem+block@" + "a" * 32, "attempts": 2,
         "answers": {"a_2_1": "choice_3"}, "grade": 1, "max_grade": 1, "success": "correct"}


def run(tracker, events):
    started = time.perf_counter()
    for _ in range(events):
        tracker.emit("problem_check", EVENT)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    client = redis.Redis.from_url(args.redis)
    client.delete(STREAM)
    baseline = run(Tracker(backends={}), args.events)
    ours = run(Tracker(backends={"panorama": RedisStreamBackend(url=args.redis, maxlen=10_000_000)}), args.events)
    assert client.xlen(STREAM) == args.events
    client.delete(STREAM)
    print(f"events                          {args.events:,}")
    print(f"tracker, no backend (baseline)  {baseline / args.events * 1e6:8.1f} us/event")
    print(f"tracker + Redis stream backend  {ours / args.events * 1e6:8.1f} us/event "
          f"({args.events / ours:,.0f} events/s)")
    print(f"added per event                 {(ours - baseline) / args.events * 1e6:8.1f} us")


if __name__ == "__main__":
    main()
