"""
``manage.py seed_lms --scale S [--seed N]``: fill the stand-in LMS with deterministic, realistic data.

Every seeded table is emptied first, so a run always leaves exactly what (scale, seed) describe. The
split-modulestore documents of the same courses are written as MongoDB Extended JSON files (one per
collection, ready for ``mongoimport``) and, with ``--mongo-url``, inserted into that MongoDB.
"""
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lms_stub.seed.lms import LmsSeed
from lms_stub.seed.loader import BulkLoader
from lms_stub.seed.modulestore import write_documents


class Command(BaseCommand):
    help = "Fill the stand-in LMS with deterministic data (scale 1.0: 50,000 users, ~1M studentmodule rows)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True, help="1.0 = 50,000 users, 40 courses")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument("--modulestore-dir", type=Path, default=Path(settings.VAR_DIR) / "modulestore",
                            help="folder for the modulestore documents (default: var/modulestore)")
        parser.add_argument("--mongo-url", default="", help="also insert the documents into this MongoDB "
                                                            "(mongodb://host:port/database)")

    def handle(self, *args, **options):
        try:
            seed = LmsSeed(options["scale"], options["seed"], enterprise=apps.is_installed("lms_stub.enterprise"))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        loader = BulkLoader(options["database"])
        tables = seed.tables()
        started = time.perf_counter()
        loader.clear([table.table for table in reversed(tables)])
        for table in tables:
            count, seconds = loader.load(table.table, table.columns, table.rows())
            self.stdout.write(f"{table.table:55} {count:>10,} rows {seconds:8.2f} s")
        documents = seed.modulestore_documents()
        write_documents(options["modulestore_dir"], documents)
        if options["mongo_url"]:
            self._insert_into_mongo(options["mongo_url"], options["modulestore_dir"])
        self.stdout.write(
            f"modulestore: {len(documents['active_versions'])} course/library indexes, "
            f"{len(documents['structures'])} structures, {len(documents['definitions'])} definitions "
            f"in {options['modulestore_dir']}")
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {len(seed.courses)} courses, {seed.user_count:,} users, {len(seed.enrollments):,} enrollments "
            f"(scale {seed.scale}, seed {seed.seed}) in {time.perf_counter() - started:.1f} s"))

    def _insert_into_mongo(self, url, folder):
        import pymongo  # pylint: disable=import-outside-toplevel

        from lms_stub.seed.modulestore import load_documents  # pylint: disable=import-outside-toplevel

        client = pymongo.MongoClient(url, serverSelectionTimeoutMS=5000)
        try:
            load_documents(folder, client.get_default_database())
        except pymongo.errors.PyMongoError as exc:
            raise CommandError(f"Could not write the modulestore documents to {url}: {exc}") from exc

