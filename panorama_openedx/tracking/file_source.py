"""
The file source of tracking events: the LMS's tracking log and its rotated predecessors, on one host.

A file is known by its fingerprint (a hash of its first line), not its name or inode, so a renamed file and
the copy that copy-truncate leaves behind are both recognised. The position is (fingerprint, byte offset) in
a state file next to the log; before an upload the range is recorded there as pending, after it the position
moves and the pending range is cleared (one atomic write), so a drainer killed in between is followed by one
that rewrites the same object. An exclusive lock on the state file keeps drainers one at a time. Only complete
lines are read (the LMS may be writing the last one); a line may carry a timestamp/logger prefix before the
JSON event; blank and non-JSON lines are counted, not shipped.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

from panorama_openedx.tracking.shipper import DrainReport, write_day_objects

FINGERPRINT_BYTES = 4096
UNDATED = "1970-01-01"  # the day folder of events without a time (rare: the LMS dates every event)


def _fingerprint(path: Path) -> str | None:
    """Hash of the first complete line (None while the file has no complete line yet)."""
    with path.open("rb") as handle:
        head = handle.read(FINGERPRINT_BYTES)
    end = head.find(b"\n")
    if end < 0:
        return None if len(head) < FINGERPRINT_BYTES else hashlib.sha1(head).hexdigest()[:16]  # noqa: S324
    return hashlib.sha1(head[:end + 1]).hexdigest()[:16]  # noqa: S324 (identity, not security)


def _candidates(log_path: Path) -> list[Path]:
    """Rotated predecessors (oldest first, by modification time), then the live log; compressed ones skipped."""
    rotated = [p for p in log_path.parent.glob(log_path.name + ".*")
               if p.is_file() and not p.name.endswith((".gz", ".bz2", ".xz", ".panorama-state"))]
    rotated += [p for p in log_path.parent.glob(log_path.name + "-*") if p.is_file() and not p.name.endswith(".gz")]
    files = sorted(set(rotated), key=lambda p: (p.stat().st_mtime, p.name))
    return files + ([log_path] if log_path.is_file() else [])


class FileShipper:
    """Drains ``log_path`` (and its rotated files) into ``storage``."""

    def __init__(self, log_path: Path, storage, lms_host: str, max_bytes: int, max_age_seconds: float = 0,
                 state_path: Path | None = None, clock=time.time):
        self.log_path, self.storage, self.lms_host, self.max_bytes = Path(log_path), storage, lms_host, max_bytes
        self.max_age_seconds, self.clock = max_age_seconds, clock
        self.state_path = Path(state_path or f"{log_path}.panorama-state")

    def _load(self) -> dict:
        try:
            return json.loads(self.state_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"position": None, "pending": None}

    def _save(self, state: dict):
        temporary = self.state_path.with_name(self.state_path.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(state, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.state_path)

    def drain(self) -> DrainReport:
        lock_path = self.state_path.with_name(self.state_path.name + ".lock")
        with lock_path.open("a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return DrainReport(message="another drainer is running: nothing done")
            report = DrainReport()
            state = self._load()
            files = {fp: path for path in _candidates(self.log_path) if (fp := _fingerprint(path))}
            pending = state.get("pending")
            if pending:
                path = files.get(pending["fingerprint"])
                if path is not None:
                    self._ship(path, pending["fingerprint"], pending["start"], pending["end"], report, state)
                else:
                    report.message = f"the file of pending range {pending} vanished; its object stays as uploaded"
                    state.update(position={"fingerprint": pending["fingerprint"], "offset": pending["end"]},
                                 pending=None)
                    self._save(state)
            self._drain_files(files, state, report)
            return report

    def _drain_files(self, files: dict, state: dict, report: DrainReport):
        position = state.get("position")
        ordered = list(files.items())
        start_index = 0
        if position is not None:
            known = [i for i, (fp, _) in enumerate(ordered) if fp == position["fingerprint"]]
            start_index = known[0] if known else 0  # a vanished position file: the files left are newer
        for index, (fingerprint, path) in enumerate(ordered[start_index:], start_index):
            offset = position["offset"] if position and fingerprint == position["fingerprint"] else 0
            size = path.stat().st_size
            live = index == len(ordered) - 1 and path == self.log_path
            while offset < size:
                end = self._range_end(path, offset)
                if end <= offset:
                    break  # only a partial line is left: the LMS is still writing it
                if live and end - offset < self.max_bytes and self._too_young(path, offset):
                    report.waiting += 1  # the live log's tail waits to fill up or to age
                    break
                self._ship(path, fingerprint, offset, end, report, state)
                offset = end
            position = state.get("position")

    def _too_young(self, path: Path, start: int) -> bool:
        """Whether the first event from ``start`` is more recent than PANORAMA_LOGS_UPLOAD_TIMEOUT."""
        if self.max_age_seconds <= 0:
            return False
        with path.open("rb") as handle:
            handle.seek(start)
            first = handle.readline()
        try:
            event = json.loads(first[first.find(b"{"):])
            when = datetime.fromisoformat(str(event.get("time")).replace("Z", "+00:00"))
        except (ValueError, AttributeError):
            return False  # no readable time: ship rather than hold it forever
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return self.clock() - when.timestamp() < self.max_age_seconds

    def _range_end(self, path: Path, start: int) -> int:
        """The end of the last complete line within ``max_bytes`` from ``start`` (at least one line)."""
        with path.open("rb") as handle:
            handle.seek(start)
            chunk = handle.read(self.max_bytes)
            cut = chunk.rfind(b"\n")
            if cut < 0:  # a line longer than max_bytes: read it whole
                rest = chunk
                while (line := handle.readline()) and not rest.endswith(b"\n"):
                    rest += line
                return start + len(rest) if rest.endswith(b"\n") else start
            return start + cut + 1

    def _ship(self, path: Path, fingerprint: str, start: int, end: int, report: DrainReport, state: dict):
        state["pending"] = {"fingerprint": fingerprint, "start": start, "end": end}
        self._save(state)
        with path.open("rb") as handle:
            handle.seek(start)
            data = handle.read(end - start)
        events = []
        for line in data.split(b"\n"):
            if not line.strip():
                continue
            brace = line.find(b"{")
            try:
                event = json.loads(line[brace:]) if brace >= 0 else None
            except ValueError:
                event = None
            if not isinstance(event, dict):
                report.skipped += 1
                continue
            events.append((line[brace:], event, UNDATED))
        label = f"f{fingerprint}.{start}-{end}"
        write_day_objects(self.storage, self.lms_host, label, events, report)
        state.update(position={"fingerprint": fingerprint, "offset": end}, pending=None)
        self._save(state)
