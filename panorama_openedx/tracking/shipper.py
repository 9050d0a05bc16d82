"""
Draining the tracking-event stream into gzip NDJSON objects in the raw-logs bucket, exactly once.

Exactly once rests on three rules:
- an object's key is made of the range of stream ids it holds, so writing it again rewrites it;
- before an upload, the range is recorded as *pending* in Redis; after the upload, the position moves past
  it and the pending record is removed in one transaction. A drainer that starts and finds a pending range
  (the previous one died between the two) re-reads exactly that range and rewrites the same object;
- one drainer at a time (a Redis lock with a token and an expiry, renewed while it works).

An object is closed when it reaches PANORAMA_LOGS_TOTAL_FILE_SIZE (uncompressed) or when its oldest event
entered the stream more than PANORAMA_LOGS_UPLOAD_TIMEOUT ago; events of different UTC days go to
different objects: ``tracking_logs/lms=<host>/year=YYYY/month=MM/day=DD/<first id>_<last id>.gz``.
"""
from __future__ import annotations

import gzip
import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from panorama_openedx.datalake import layout
from panorama_openedx.tracking.backend import STREAM

log = logging.getLogger(__name__)

POSITION = "panorama:tracking:position"
PENDING = "panorama:tracking:pending"
LOCK = "panorama:tracking:drainer"
LOCK_SECONDS = 300
READ_BATCH = 1000
START = "0-0"


class ShipperError(Exception):
    """The drain could not go on; what was shipped stays acknowledged, the rest is retried next run."""


@dataclass
class DrainReport:
    objects: list[str] = field(default_factory=list)
    events: int = 0
    bytes: int = 0
    skipped: int = 0  # stream entries that are not JSON events
    waiting: int = 0  # events left for a later run (their object is neither full nor old enough)
    message: str = ""
    catalog: str = ""


def _id_ms(stream_id: str) -> int:
    return int(stream_id.split("-", 1)[0])


def _key(lms_host: str, day: str, label: str) -> str:
    year, month, dom = day.split("-")
    return f"tracking_logs/{layout.partition_segment('lms', lms_host)}/year={year}/month={month}/day={dom}/{label}.gz"


def write_day_objects(storage, lms_host: str, label: str, events, report: DrainReport):
    """
    One gzip NDJSON object per UTC day of ``events`` (``(raw JSON bytes, parsed event, fallback day)``), named
    ``label`` in each day's folder; raises StorageError before anything is acknowledged.
    """
    by_day: dict[str, list] = {}
    for raw, event, fallback in events:
        by_day.setdefault(_event_day(event, fallback), []).append(raw)
    for day, rows in sorted(by_day.items()):
        key = _key(lms_host, day, label)
        staged = storage.stage(key)
        with gzip.open(staged.path, "wb", compresslevel=6) as handle:
            for raw in rows:
                handle.write(raw + b"\n")
        staged.commit()
        report.objects.append(key)
        report.events += len(rows)
        report.bytes += sum(len(raw) + 1 for raw in rows)


def _event_day(event: dict, fallback: str) -> str:
    """The UTC date of the event (its ``time`` or ``timestamp``), else ``fallback``."""
    for name in ("time", "timestamp"):
        value = event.get(name)
        if isinstance(value, str) and len(value) >= 10:
            try:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            if parsed.tzinfo is not None:
                parsed = parsed.astimezone(timezone.utc)
            return parsed.strftime("%Y-%m-%d")
    return fallback


def _stream_day(stream_id: str) -> str:
    """The day an entry entered the stream: the fallback for events without a time."""
    return datetime.fromtimestamp(_id_ms(stream_id) / 1000, timezone.utc).strftime("%Y-%m-%d")


class StreamShipper:
    """Drains ``stream`` from Redis ``client`` into ``storage`` (a datalake Storage rooted at the logs bucket)."""

    def __init__(self, client, storage, lms_host: str, max_bytes: int, max_age_seconds: float,
                 stream: str = STREAM, clock=time.time, lock_seconds: int = LOCK_SECONDS):
        self.client, self.storage, self.lms_host = client, storage, lms_host
        self.max_bytes, self.max_age_ms = max_bytes, int(max_age_seconds * 1000)
        self.stream, self.clock, self.lock_seconds = stream, clock, lock_seconds
        self.token = uuid.uuid4().hex

    # --- the lock -------------------------------------------------------------------------------------

    def _lock(self) -> bool:
        # A killed drainer's lock expires by itself; a live one renews it after every batch and object.
        return bool(self.client.set(LOCK, self.token, nx=True, ex=self.lock_seconds))

    def _renew(self):
        if self.client.get(LOCK) != self.token.encode():
            raise ShipperError("the drainer lock was lost (another drainer took over); stopping")
        self.client.expire(LOCK, self.lock_seconds)

    def _unlock(self):
        self.client.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end "
                         "return 0", 1, LOCK, self.token)

    # --- the drain ------------------------------------------------------------------------------------

    def drain(self) -> DrainReport:
        """Ship everything that is due; returns what was shipped."""
        if not self._lock():
            return DrainReport(message="another drainer is running: nothing done")
        report = DrainReport()
        try:
            pending = self.client.hgetall(PENDING)
            if pending:  # the previous drainer died between an upload and its acknowledgement
                first, last = pending[b"first"].decode(), pending[b"last"].decode()
                entries = self.client.xrange(self.stream, first, last)
                self._ship(entries, report, resumed=True)
            self._drain_new(report)
        finally:
            self._unlock()
        return report

    def _drain_new(self, report: DrainReport):
        position = (self.client.get(POSITION) or START.encode()).decode()
        buffered, size = [], 0
        while True:
            batch = self.client.xrange(self.stream, f"({position}", "+", count=READ_BATCH)
            if not batch:
                break
            for entry in batch:
                line_size = len(entry[1].get(b"event", b"")) + 1
                if buffered and size + line_size > self.max_bytes:
                    self._ship(buffered, report)
                    buffered, size = [], 0
                buffered.append(entry)
                size += line_size
            position = batch[-1][0].decode()
            self._renew()
        if buffered:
            oldest_ms = _id_ms(buffered[0][0].decode())
            if self.clock() * 1000 - oldest_ms >= self.max_age_ms:
                self._ship(buffered, report)
            else:
                report.waiting = len(buffered)

    def _ship(self, entries, report: DrainReport, resumed: bool = False):
        """Upload one range (one object per UTC day inside it), then acknowledge it."""
        if not entries:
            return
        first, last = entries[0][0].decode(), entries[-1][0].decode()
        if not resumed:
            self.client.hset(PENDING, mapping={"first": first, "last": last})
        events = []
        for stream_id, fields in entries:
            raw = fields.get(b"event")
            try:
                event = json.loads(raw) if raw is not None else None
            except ValueError:
                event = None
            if not isinstance(event, dict):
                report.skipped += 1
                continue
            events.append((raw, event, _stream_day(stream_id.decode())))
        write_day_objects(self.storage, self.lms_host, f"{first.replace('-', '.')}_{last.replace('-', '.')}", events,
                          report)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.set(POSITION, last)
            pipe.delete(PENDING)
            pipe.execute()
        self._renew()
