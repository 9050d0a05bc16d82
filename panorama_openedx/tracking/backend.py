"""
The live source of tracking events: an event-tracking backend that appends every event to a Redis stream.

It runs inside the LMS request, so it must never slow or break it: short socket timeouts, and after a Redis
error it stops trying for a few seconds, counting every event it drops (logged, and added to a counter in
Redis once it answers again). The stream is bounded (``PANORAMA_TRACKING_STREAM_MAXLEN``, approximate
trimming) so an idle drainer cannot fill Redis. This is what works on Kubernetes, where LMS pods share no
tracking-log file.
"""
from __future__ import annotations

import json
import logging
import time
from datetime import date, datetime

STREAM = "panorama:tracking"
DROPPED = "panorama:tracking:dropped"
SOCKET_TIMEOUT = 0.25  # seconds: a request never waits longer on Redis
RETRY_AFTER = 5.0  # seconds without trying Redis after an error

log = logging.getLogger(__name__)


class _EventEncoder(json.JSONEncoder):
    """Events carry datetimes (``timestamp``) and sometimes other objects: written as the LMS's log does."""

    def default(self, o):  # pylint: disable=method-hidden
        if isinstance(o, datetime):
            return o.isoformat()
        if isinstance(o, date):
            return o.isoformat()
        return str(o)


class RedisStreamBackend:
    """``EVENT_TRACKING_BACKENDS`` engine: ``panorama_openedx.tracking.backend.RedisStreamBackend``."""

    def __init__(self, url: str | None = None, stream: str = STREAM, maxlen: int | None = None,
                 retry_after: float = RETRY_AFTER, **kwargs):  # pylint: disable=unused-argument
        self._url, self.stream, self._maxlen, self.retry_after = url, stream, maxlen, retry_after
        self._client = None
        self._client_url = None
        self._down_until = 0.0
        self.dropped = 0  # since this process started
        self._unreported = 0  # drops not yet added to the Redis counter

    def send(self, event):
        """Append the event, or count it as dropped; never raises."""
        try:
            url, maxlen = self._target()
        except Exception:  # pylint: disable=broad-except  (invalid settings must not break requests)
            self._drop("the Panorama settings are invalid")
            return
        if not url:
            return  # this mode does not ship tracking events from the stream
        if time.monotonic() < self._down_until:
            self._drop()
            return
        try:
            import redis  # pylint: disable=import-outside-toplevel

            client = self._connection(url)
            payload = json.dumps(event, cls=_EventEncoder, separators=(",", ":"))
            client.xadd(self.stream, {"event": payload}, maxlen=maxlen, approximate=True)
            if self._unreported:
                client.incrby(DROPPED, self._unreported)
                self._unreported = 0
        except (redis.RedisError, OSError) as exc:
            self._down_until = time.monotonic() + self.retry_after
            self._drop(f"{type(exc).__name__}: {exc}")
        except (TypeError, ValueError) as exc:  # an event that cannot be serialized
            self._drop(f"unserializable event {event.get('name') if isinstance(event, dict) else ''}: {exc}")

    def _target(self):
        if self._url is not None:
            return self._url, self._maxlen or 1_000_000
        from panorama_openedx.conf import get_settings  # pylint: disable=import-outside-toplevel

        settings = get_settings()
        if not (settings.mode.ships_tracking_logs and settings.tracking_source == "stream"):
            return "", 0
        return settings.tracking_redis_url.reveal(), self._maxlen or settings.tracking_stream_maxlen

    def _connection(self, url):
        if self._client is None or self._client_url != url:
            import redis  # pylint: disable=import-outside-toplevel

            self._client = redis.Redis.from_url(url, socket_connect_timeout=SOCKET_TIMEOUT,
                                                socket_timeout=SOCKET_TIMEOUT)
            self._client_url = url
        return self._client

    def _drop(self, reason: str = ""):
        self.dropped += 1
        self._unreported += 1
        if reason:  # once per outage, not once per event
            log.warning("Panorama tracking: Redis unavailable, events are dropped and counted (%s)", reason)
