"""
Export speed and memory against the practical limit, measured in the same run on MariaDB.

For each size, ``courseware_studentmodule`` is filled with seed_lms rows, then timed in separate processes:
- raw: ``mariadb --quick --batch -e "SELECT * FROM courseware_studentmodule" > file`` (the baseline);
- ours: ``manage.py panorama_export --no-catalog`` of that table, unpartitioned and partitioned by course
  (the export pipeline alone), and partitioned with its DuckDB catalog update (the default command);
and, in this process, the two read strategies of ``extract.tables`` (server-side cursor, keyset pages).
Prints rows/s, MB/s, peak RSS and the ratios. Usage (a scratch database: its tables are emptied):

    DATABASE_URL=mysql://root@127.0.0.1:3306/panorama_bench .venv/bin/python benchmarks/export_bench.py \
        [--rows 1000000] [--also 250000]
"""
import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DATABASE_URL", "mysql://root@127.0.0.1:3306/panorama_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms_stub.settings")
TABLE = "courseware_studentmodule"


def ensure_database():
    import MySQLdb  # pylint: disable=import-outside-toplevel

    from lms_stub.database_url import database_from_url  # pylint: disable=import-outside-toplevel

    config = database_from_url(os.environ["DATABASE_URL"])
    server = MySQLdb.connect(host=config["HOST"], port=int(config["PORT"]), user=config["USER"],
                             password=config["PASSWORD"])
    server.cursor().execute(f"CREATE DATABASE IF NOT EXISTS `{config['NAME']}` CHARACTER SET utf8mb4")
    server.close()
    return config


def fill(rows: int):
    from lms_stub.seed.lms import LmsSeed  # pylint: disable=import-outside-toplevel
    from lms_stub.seed.loader import BulkLoader  # pylint: disable=import-outside-toplevel

    seed = LmsSeed(scale=1.1 * rows / 1_000_000)
    spec = next(t for t in seed.tables() if t.table == TABLE)
    loader = BulkLoader()
    loader.clear([TABLE])
    count, seconds = loader.load(TABLE, spec.columns, itertools.islice(spec.rows(), rows))
    with loader.connection.cursor() as cursor:
        cursor.execute(f"ANALYZE TABLE {TABLE}")
    return count, seconds


def measure(command, env=None, stdout=None):
    """
    Wall seconds and peak RSS (MB) of one child process. GNU time reports the RSS: it is a small process
    whose child starts small, whereas a child forked from this (large) process inherits its RSS figure.
    """
    timer = shutil.which("time") or "/usr/bin/time"
    if not Path(timer).exists():
        raise SystemExit("GNU time is needed for peak RSS figures: apt-get install time")
    started = time.perf_counter()
    result = subprocess.run([timer, "-f", "PEAK_RSS_KB=%M", *command], env={**os.environ, **(env or {})},
                            stdout=stdout or subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO, check=False)
    seconds = time.perf_counter() - started
    stderr = result.stderr.decode()
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {stderr}")
    peak_kb = int(stderr.rsplit("PEAK_RSS_KB=", 1)[1].split()[0])
    return seconds, peak_kb / 1024


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def read_strategies(rows):
    from panorama_openedx.datalake import csv_format  # pylint: disable=import-outside-toplevel
    from panorama_openedx.extract.catalogue import TableSpec  # pylint: disable=import-outside-toplevel
    from panorama_openedx.extract.tables import TableReader  # pylint: disable=import-outside-toplevel

    results = {}
    for strategy in ("server_cursor", "keyset"):
        started, count = time.perf_counter(), 0
        stream = TableReader(TableSpec(TABLE)).open(strategy)
        encoders = [csv_format.encoder_for(kind) for kind in stream.kinds]
        for page in stream.pages:
            csv_format.encode_rows(page, encoders)
            count += len(page)
        assert count == rows
        results[strategy] = time.perf_counter() - started
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--also", type=int, default=250_000, help="a smaller size, to see memory not grow (0: none)")
    args = parser.parse_args()
    config = ensure_database()
    import django  # pylint: disable=import-outside-toplevel

    django.setup()
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel

    call_command("migrate", verbosity=0)
    work = Path(tempfile.mkdtemp(prefix="panorama-bench-"))
    env = {"PANORAMA_MODE": "CUSTOM", "PANORAMA_DATALAKE_DIR": str(work)}
    unpartitioned = {"PANORAMA_TABLES": json.dumps({TABLE: {"partition_fields": []}})}
    lines = []
    try:
        for size in sorted({args.rows, args.also} - {0}):
            rows, seed_seconds = fill(size)
            print(f"\n{rows:,} rows of {TABLE} loaded in {seed_seconds:.1f} s")
            raw_file = work / "raw.tsv"
            with raw_file.open("wb") as out:
                raw = measure(["mariadb", "--quick", "--batch", f"-h{config['HOST']}", f"-P{config['PORT']}",
                               f"-u{config['USER']}", *([f"-p{config['PASSWORD']}"] if config["PASSWORD"] else []),
                               config["NAME"], "-e", f"SELECT * FROM {TABLE}"], stdout=out)
            raw_bytes = raw_file.stat().st_size
            results = {"raw mariadb --quick": (raw, raw_bytes)}
            for name, extra, flags in (("ours, unpartitioned", unpartitioned, ["--no-catalog"]),
                                       ("ours, by course_id", {}, ["--no-catalog"]),
                                       ("ours, by course + DuckDB", {}, [])):
                target = work / name.replace(" ", "").replace(",", "_").replace("+", "_")
                shutil.rmtree(target, ignore_errors=True)
                timing = measure([sys.executable, "manage.py", "panorama_export", "--tables", TABLE,
                                  "--destination", target.as_uri(), *flags], env={**env, **extra})
                results[name] = (timing, folder_size(target) - sum(
                    p.stat().st_size for p in target.glob("*.duckdb")))
            print(f"{'':24} {'seconds':>8} {'rows/s':>10} {'MB/s':>7} {'peak RSS MB':>12}")
            for name, ((seconds, rss), size_bytes) in results.items():
                print(f"{name:24} {seconds:8.2f} {rows / seconds:10,.0f} {size_bytes / 1e6 / seconds:7.1f} {rss:12.1f}")
            raw_s = results["raw mariadb --quick"][0][0]
            flat_s = results["ours, unpartitioned"][0][0]
            part_s = results["ours, by course_id"][0][0]
            print(f"ratio ours/raw: unpartitioned {flat_s / raw_s:.2f}x, partitioned {part_s / raw_s:.2f}x; "
                  f"partitioned/unpartitioned {part_s / flat_s:.2f}x")
            strategies = read_strategies(rows)
            print("read+encode in process: " + ", ".join(f"{k} {v:.2f} s" for k, v in strategies.items()))
            lines.append((rows, results))
        if len(lines) == 2:
            (small, small_results), (large, large_results) = lines
            print(f"\npeak RSS, {small:,} -> {large:,} rows: " + ", ".join(
                f"{name} {small_results[name][0][1]:.0f} -> {large_results[name][0][1]:.0f} MB"
                for name in small_results))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
