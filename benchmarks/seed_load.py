"""
Loading speed of the stand-in seed: BulkLoader (multi-row INSERT via executemany) against Django's
``bulk_create`` of the same ``courseware_studentmodule`` rows, measured in the same run.
"""
import argparse
import itertools
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms_stub.settings")

import django  # noqa: E402

django.setup()

from lms_stub.core.models import StudentModule  # noqa: E402
from lms_stub.seed.lms import LmsSeed  # noqa: E402
from lms_stub.seed.loader import BulkLoader  # noqa: E402

TABLE = "courseware_studentmodule"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    seed = LmsSeed(scale=max(0.01, 1.2 * args.rows / 1_000_000))  # a little more than needed, then cut
    columns = next(t for t in seed.tables() if t.table == TABLE).columns
    rows = list(itertools.islice(seed._student_modules(), args.rows))  # pylint: disable=protected-access
    loader = BulkLoader()

    loader.clear([TABLE])
    count, ours = loader.load(TABLE, columns, rows)

    loader.clear([TABLE])
    fields = {column: ("module_state_key" if column == "module_id" else column) for column in columns}
    fields["student_id"] = "student_id"
    started = time.perf_counter()
    StudentModule.objects.bulk_create(
        (StudentModule(**{fields[c]: v for c, v in zip(columns, row)}) for row in rows), batch_size=2000)
    baseline = time.perf_counter() - started
    loader.clear([TABLE])

    print(f"rows                      {count:,}")
    print(f"BulkLoader                {ours:8.2f} s  {count / ours:12,.0f} rows/s")
    print(f"bulk_create (baseline)    {baseline:8.2f} s  {count / baseline:12,.0f} rows/s")
    print(f"speed-up                  {baseline / ours:8.2f} x")


if __name__ == "__main__":
    main()
