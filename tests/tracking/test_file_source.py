"""
The tracking-log file source, on real files: prefixes, blank and non-JSON lines, a partial last line,
rotation by rename, copy-truncate, a vanished file, and SIGKILLed drainers while the log rotates.
"""
import gzip
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from panorama_openedx.datalake.storage import LocalStorage
from panorama_openedx.tracking.file_source import FileShipper

REPO = Path(__file__).resolve().parents[2]


def line(n, prefix=True):
    event = json.dumps({"name": "play_video", "n": n, "time": "2026-12-04T10:00:00.000000+00:00",
                        "event": '{"id": "v1"}'})
    return (f"2026-12-04 10:00:00,000 INFO 12 [tracking] logger.py:42 - {event}\n" if prefix else event + "\n")


def stored(root):
    numbers = []
    for path in sorted((root / "tracking_logs").rglob("*.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            numbers.extend(json.loads(row)["n"] for row in handle)
    return numbers


def drain(log, lake, max_bytes=10**9):
    return FileShipper(log, LocalStorage(lake), "lms.example.com", max_bytes).drain()


def test_lines_prefixes_blanks_garbage_and_a_partial_last_line(tmp_path):
    log, lake = tmp_path / "tracking.log", tmp_path / "lake"
    log.write_text(line(0) + "\n" + "not an event at all\n" + line(1, prefix=False) + line(2)[:30], encoding="utf-8")
    report = drain(log, lake)
    assert stored(lake) == [0, 1] and report.skipped == 1, "blank lines are ignored, garbage counted"
    with log.open("a", encoding="utf-8") as handle:
        handle.write(line(2)[30:] + line(3))  # the LMS finishes the line
    drain(log, lake)
    assert sorted(stored(lake)) == [0, 1, 2, 3]
    assert drain(log, lake).events == 0


def test_rotation_by_rename_and_copy_truncate_and_a_vanished_file(tmp_path):
    log, lake = tmp_path / "tracking.log", tmp_path / "lake"
    log.write_text("".join(line(n) for n in range(0, 10)), encoding="utf-8")
    drain(log, lake)
    with log.open("a", encoding="utf-8") as handle:
        handle.write("".join(line(n) for n in range(10, 15)))
    log.rename(tmp_path / "tracking.log.1")  # logrotate: rename, then a new file
    log.write_text("".join(line(n) for n in range(15, 20)), encoding="utf-8")
    drain(log, lake)
    assert sorted(stored(lake)) == list(range(20))
    with log.open("a", encoding="utf-8") as handle:
        handle.write("".join(line(n) for n in range(20, 25)))
    shutil.copy(log, tmp_path / "tracking.log.2")  # copytruncate: copy, then truncate in place
    time.sleep(0.01)
    os.utime(tmp_path / "tracking.log.2")
    with log.open("r+", encoding="utf-8") as handle:
        handle.truncate(0)
    with log.open("a", encoding="utf-8") as handle:
        handle.write("".join(line(n) for n in range(25, 30)))
    (tmp_path / "tracking.log.1").unlink()  # an old rotated file vanishes
    drain(log, lake)
    assert sorted(stored(lake)) == list(range(30)), "every event exactly once"


DRAINER = """
import sys, time
sys.path.insert(0, {repo!r})
from pathlib import Path
from panorama_openedx.datalake.storage import LocalStorage
from panorama_openedx.tracking.file_source import FileShipper
while True:
    FileShipper(Path({log!r}), LocalStorage(Path({lake!r})), "lms.example.com", {max_bytes}).drain()
    time.sleep(0.01)
"""


def test_kills_at_random_points_while_the_log_rotates_twice(tmp_path):
    rng = random.Random(4)
    log, lake = tmp_path / "tracking.log", tmp_path / "lake"
    written = 0
    rotations = 0
    for round_number in range(10):
        with log.open("a", encoding="utf-8") as handle:
            for _ in range(rng.randint(50, 200)):
                handle.write(line(written))
                written += 1
        drainer = subprocess.Popen([sys.executable, "-c", DRAINER.format(
            repo=str(REPO), log=str(log), lake=str(lake), max_bytes=rng.choice([3000, 10**9]))])
        time.sleep(rng.uniform(0.05, 0.4))
        if round_number in (3, 7):  # rotate twice, once by rename and once by copy-truncate
            rotations += 1
            if rotations == 1:
                log.rename(tmp_path / "tracking.log.1")
            else:
                shutil.copy(log, tmp_path / "tracking.log.2")
                with log.open("r+", encoding="utf-8") as handle:
                    handle.truncate(0)
        os.kill(drainer.pid, signal.SIGKILL)
        drainer.wait()
    drain(log, lake, max_bytes=3000)
    assert sorted(stored(lake)) == list(range(written)), "every event exactly once"
    objects = len(list((lake / "tracking_logs").rglob("*.gz")))
    assert drain(log, lake).events == 0 and len(list((lake / "tracking_logs").rglob("*.gz"))) == objects


def test_a_crash_between_upload_and_acknowledgement_rewrites_the_same_object(tmp_path, monkeypatch):
    log, lake = tmp_path / "tracking.log", tmp_path / "lake"
    log.write_text("".join(line(n) for n in range(8)), encoding="utf-8")
    saves = []
    original = FileShipper._save

    def dies_after_the_upload(self, state):
        saves.append(state.get("pending"))
        if state.get("pending") is None:  # the acknowledgement
            raise KeyboardInterrupt("killed")
        original(self, state)

    monkeypatch.setattr(FileShipper, "_save", dies_after_the_upload)
    try:
        drain(log, lake)
    except KeyboardInterrupt:
        pass
    monkeypatch.setattr(FileShipper, "_save", original)
    first = sorted(p.name for p in (lake / "tracking_logs").rglob("*.gz"))
    with log.open("a", encoding="utf-8") as handle:
        handle.write("".join(line(n) for n in range(8, 12)))
    drain(log, lake)
    assert sorted(stored(lake)) == list(range(12)), "each event once"
    assert set(first) <= {p.name for p in (lake / "tracking_logs").rglob("*.gz")}, "the same key was rewritten"


def test_the_live_tail_waits_until_old_enough_and_drainers_take_turns(tmp_path):
    import fcntl  # pylint: disable=import-outside-toplevel
    from datetime import datetime, timezone  # pylint: disable=import-outside-toplevel

    log, lake = tmp_path / "tracking.log", tmp_path / "lake"
    log.write_text("".join(line(n) for n in range(5)), encoding="utf-8")
    event_time = datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc).timestamp()
    young = FileShipper(log, LocalStorage(lake), "h", 10**9, 600, clock=lambda: event_time + 60).drain()
    assert young.events == 0 and young.waiting == 1
    with (tmp_path / "tracking.log.panorama-state.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        busy = FileShipper(log, LocalStorage(lake), "h", 10**9, 600, clock=lambda: event_time + 601).drain()
        assert busy.message == "another drainer is running: nothing done" and busy.events == 0
    old = FileShipper(log, LocalStorage(lake), "h", 10**9, 600, clock=lambda: event_time + 601).drain()
    assert old.events == 5
