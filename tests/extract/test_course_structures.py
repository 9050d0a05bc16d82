"""
Flattening the split modulestore into ``course_structures``.

mongomock stands in for the MongoDB server (none can be installed here), behind pymongo's interface;
the MySQL course index is the real table on MariaDB.
"""
import io
from datetime import datetime, timezone

import pymongo
import pytest
from bson import ObjectId
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lms_stub.core.models import SplitModulestoreCourseIndex
from panorama_openedx.conf import get_settings
from panorama_openedx.datalake.storage import LocalStorage
from panorama_openedx.export import export
from panorama_openedx.extract.catalogue import TableSpec
from panorama_openedx.extract.course_structures import (
    COLUMNS,
    CourseStructureReader,
    doc_store_config,
    mongo_client_arguments,
)
from tests.export_helpers import HOST, null_mask, read_csv

SPEC = TableSpec("course_structures", source="modulestore")
NOW = datetime(2025, 5, 1, tzinfo=timezone.utc)


def oid(n):
    return ObjectId(f"{n:024x}")


def block(block_type, block_id, definition=None, children=(), **fields):
    if children:
        fields["children"] = [list(child) for child in children]
    return {"block_type": block_type, "block_id": block_id, "definition": definition, "fields": fields,
            "edit_info": {}}


PROBLEM_XML = "<problem><multiplechoiceresponse/><p>x</p><stringresponse answer='a'></stringresponse></problem>"
COURSE_1 = {
    "_id": oid(1), "root": ["course", "course"], "blocks": [
        block("course", "course", oid(100), [("chapter", "ch1")], display_name='Intro, "CS"\nOne'),
        block("chapter", "ch1", oid(101), [("sequential", "seq1")], display_name="Week 1"),
        block("sequential", "seq1", oid(102), [("vertical", "v1")], display_name='Lesson "A"'),
        block("vertical", "v1", oid(103), [("problem", "p_explicit"), ("problem", "p_zero"), ("problem", "p_xml"),
                                           ("problem", "p_nodef"), ("problem", "p_nodata"), ("html", "h1"),
                                           ("library_content", "lib")], display_name="Unit, 1"),
        block("problem", "p_explicit", oid(104), display_name="P explicit", weight=2),
        block("problem", "p_zero", oid(105), display_name="P zero", weight=0),
        block("problem", "p_xml", oid(106), display_name="P xml"),
        block("problem", "p_nodef", oid(107), display_name="P nodef"),
        block("problem", "p_nodata", oid(108), display_name="P nodata"),
        block("html", "h1", oid(109)),
        block("library_content", "lib", oid(110), [("problem", "lp1")], display_name="Bank"),
        block("problem", "lp1", oid(111), display_name="LP1"),
        block("problem", "orphan", oid(112), display_name="Orphan"),
        block("about", "overview", oid(113), display_name="About"),
    ]}
COURSE_2 = {"_id": oid(2), "root": ["course", "course"], "blocks": [
    block("course", "course", oid(200), [("chapter", "only")], display_name="Second"),
    block("chapter", "only", oid(201), display_name="Only chapter"),
]}
DEFINITIONS = [
    {"_id": oid(106), "block_type": "problem", "fields": {"data": PROBLEM_XML}},
    {"_id": oid(108), "block_type": "problem", "fields": {}},
    {"_id": oid(111), "block_type": "problem", "fields": {"data": "<problem><choiceresponse></choiceresponse></problem>"}},
    {"_id": oid(104), "block_type": "problem", "fields": {"data": PROBLEM_XML}},  # explicit weight wins
]

C1, C2 = "course-v1:TestX+CS1+2025", "course-v1:TestX+CS2+2025"
B1 = "block-v1:TestX+CS1+2025+type@"
COURSE_NAME = 'Intro, "CS"\nOne'
EXPECTED = [
    # module_location, parent, block_type, block_id, display_name, course_name, chapter, sequential, vertical,
    # library, component, weight
    (C1, None, "course", "course", COURSE_NAME, None, None, None, None, None, None, None),
    (B1 + "chapter+block@ch1", C1, "chapter", "ch1", "Week 1", COURSE_NAME, None, None, None, None, None, None),
    (B1 + "sequential+block@seq1", B1 + "chapter+block@ch1", "sequential", "seq1", 'Lesson "A"', COURSE_NAME,
     "Week 1", None, None, None, None, None),
    (B1 + "vertical+block@v1", B1 + "sequential+block@seq1", "vertical", "v1", "Unit, 1", COURSE_NAME, "Week 1",
     'Lesson "A"', None, None, None, None),
    (B1 + "problem+block@p_explicit", B1 + "vertical+block@v1", "problem", "p_explicit", "P explicit", COURSE_NAME,
     "Week 1", 'Lesson "A"', "Unit, 1", None, "P explicit", 2.0),
    (B1 + "problem+block@p_zero", B1 + "vertical+block@v1", "problem", "p_zero", "P zero", COURSE_NAME, "Week 1",
     'Lesson "A"', "Unit, 1", None, "P zero", 0.0),
    (B1 + "problem+block@p_xml", B1 + "vertical+block@v1", "problem", "p_xml", "P xml", COURSE_NAME, "Week 1",
     'Lesson "A"', "Unit, 1", None, "P xml", 2.0),
    (B1 + "problem+block@p_nodef", B1 + "vertical+block@v1", "problem", "p_nodef", "P nodef", COURSE_NAME, "Week 1",
     'Lesson "A"', "Unit, 1", None, "P nodef", None),
    (B1 + "problem+block@p_nodata", B1 + "vertical+block@v1", "problem", "p_nodata", "P nodata", COURSE_NAME,
     "Week 1", 'Lesson "A"', "Unit, 1", None, "P nodata", None),
    (B1 + "html+block@h1", B1 + "vertical+block@v1", "html", "h1", None, COURSE_NAME, "Week 1", 'Lesson "A"',
     "Unit, 1", None, None, None),
    (B1 + "library_content+block@lib", B1 + "vertical+block@v1", "library_content", "lib", "Bank", COURSE_NAME,
     "Week 1", 'Lesson "A"', "Unit, 1", None, None, None),
    (B1 + "problem+block@lp1", B1 + "library_content+block@lib", "problem", "lp1", "LP1", COURSE_NAME, "Week 1",
     'Lesson "A"', "Unit, 1", "Bank", "LP1", 1.0),
    (C2, None, "course", "course", "Second", None, None, None, None, None, None, None),
    ("block-v1:TestX+CS2+2025+type@chapter+block@only", C2, "chapter", "only", "Only chapter", "Second", None, None,
     None, None, None, None),
]


def full_row(row):
    course = C1 if row[0].startswith((C1, B1)) else C2
    return (row[0], course, "TestX", course.split("+")[1], "2025", *row[1:])


@pytest.fixture
def modulestore(serve_modulestore, settings):
    """The two courses above in mongomock, and a third course whose structure is missing."""
    serve_modulestore  # pylint: disable=pointless-statement  (patches pymongo for the stand-in's host)
    config = settings.DOC_STORE_CONFIG
    database = pymongo.MongoClient(config["host"], config["port"])[config["db"]]
    for name in ("active_versions", "structures", "definitions"):
        database[f"modulestore.{name}"].delete_many({})
    database["modulestore.structures"].insert_many([COURSE_1, COURSE_2])
    database["modulestore.definitions"].insert_many(DEFINITIONS)
    database["modulestore.active_versions"].insert_many([
        {"org": "TestX", "course": code, "run": "2025", "versions": {"published-branch": version, "draft-branch": oid(9)}}
        for code, version in (("CS1", oid(1)), ("CS2", oid(2)), ("CS3", oid(3)))
    ] + [{"org": "TestX", "course": "LIB", "run": "library", "versions": {"library": oid(4)}}])
    return database


def mysql_index():
    for number, (course_id, version) in enumerate(
            [(C1, oid(1)), (C2, oid(2)), ("course-v1:TestX+CS3+2025", oid(3)), ("library-v1:TestX+LIB", ""),
             ("course-v1:TestX+UNPUB+2025", "")], 1):
        SplitModulestoreCourseIndex.objects.create(
            objectid=f"{number:024x}", course_id=course_id, org="TestX", published_version=str(version),
            library_version=str(oid(4)) if course_id.startswith("library") else "", edited_on=NOW, last_update=NOW)


def read_rows(settings_use_split):
    reader = CourseStructureReader(SPEC, settings=get_settings())
    assert get_settings().use_split_mongo is settings_use_split
    stream = reader.open()
    rows = [row for page in stream.pages for row in page]
    return rows, reader.warnings


@pytest.mark.django_db
def test_flattened_rows_from_the_mysql_index(modulestore):
    mysql_index()
    rows, warnings = read_rows(True)
    assert rows == [full_row(row) for row in EXPECTED]
    assert warnings == ["course-v1:TestX+CS3+2025: published structure 000000000000000000000003 is missing from the "
                        "modulestore; course skipped"]


@pytest.mark.django_db
def test_flattened_rows_from_mongo_active_versions(modulestore, settings):
    settings.PANORAMA_USE_SPLIT_MONGO = False
    rows, warnings = read_rows(False)
    assert rows == [full_row(row) for row in EXPECTED]
    assert len(warnings) == 1 and "course-v1:TestX+CS3+2025" in warnings[0]


@pytest.mark.django_db
def test_definitions_are_fetched_in_batches(modulestore):
    """One $in query per course for the definitions, never one per block."""
    mysql_index()
    calls = []
    collection_class = type(modulestore["modulestore.definitions"])
    original = collection_class.find

    def counting_find(self, *args, **kwargs):
        if self.name == "modulestore.definitions":
            calls.append(args[0])
        return original(self, *args, **kwargs)

    collection_class.find = counting_find
    try:
        read_rows(True)
    finally:
        collection_class.find = original
    assert len(calls) == 1  # the second course has no problem to weigh
    assert set(calls[0]["_id"]["$in"]) == {oid(106), oid(107), oid(108), oid(111)}, "reachable problems only"


@pytest.mark.django_db(transaction=True)
def test_export_writes_one_file_in_the_common_dialect(modulestore, tmp_path, settings):
    mysql_index()
    settings.PANORAMA_MODE = "CUSTOM"
    settings.PANORAMA_DATALAKE_DIR = str(tmp_path)
    call_command("panorama_export", "--tables", "course_structures", stdout=io.StringIO(), stderr=io.StringIO())
    path = tmp_path / f"openedx/course_structures/lms={HOST}/course_structures.csv"
    header, rows = read_csv(path)
    assert header == COLUMNS
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(EXPECTED) + 1, "one line per row"
    nulls = null_mask(path, header)
    for row, mask, expected in zip(rows, nulls, [full_row(r) for r in EXPECTED]):
        assert [None if is_null else text for text, is_null in zip(row, mask)] == [
            None if value is None else repr(value) if isinstance(value, float) else value.replace("\n", "\\n")
            for value in expected]


@pytest.mark.django_db(transaction=True)
def test_unreachable_mongo_fails_this_table_only(settings, tmp_path):
    settings.PANORAMA_MODE = "CUSTOM"
    settings.PANORAMA_DATALAKE_DIR = str(tmp_path)
    settings.PANORAMA_MODULESTORE_CONFIG = {"host": "127.0.0.1", "port": 9, "serverSelectionTimeoutMS": 300,
                                            "password": "mongo-secret", "user": "edxapp"}
    with pytest.raises(CommandError) as caught:
        call_command("panorama_export", "--tables", "course_structures,auth_user", stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert "Export failed for course_structures (cannot reach the modulestore MongoDB at 127.0.0.1:9/openedx" in \
        str(caught.value)
    assert "mongo-secret" not in str(caught.value)
    assert (tmp_path / f"openedx/auth_user/lms={HOST}/auth_user.csv").is_file()
    assert not (tmp_path / "openedx/course_structures").exists()


@pytest.mark.django_db(transaction=True)
def test_seeded_studentmodule_joins_the_course_structures(serve_modulestore, tmp_path, settings):
    call_command("seed_lms", "--scale", "0.01", "--modulestore-dir", str(tmp_path / "ms"), stdout=io.StringIO())
    serve_modulestore(tmp_path / "ms")
    settings.PANORAMA_MODE = "CUSTOM"
    settings.PANORAMA_DATALAKE_DIR = str(tmp_path / "lake")
    report = export([SPEC], LocalStorage(tmp_path / "lake"), HOST)
    assert report.failed == [] and report.tables[0].message == ""
    header, rows = read_csv(tmp_path / f"lake/course_structures/lms={HOST}/course_structures.csv")
    locations = {row[0] for row in rows}
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT module_id FROM courseware_studentmodule")
        module_ids = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT DISTINCT block_key FROM completion_blockcompletion")
        block_keys = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT id FROM course_overviews_courseoverview")
        courses = {row[0] for row in cursor.fetchall()}
    assert module_ids and module_ids <= locations
    assert block_keys <= locations
    roots = [row for row in rows if row[header.index("block_type")] == "course"]
    assert {row[0] for row in roots} == courses
    assert all(row[0] == row[header.index("course_id")] for row in roots)
    assert not any("Draft only" in row for row in rows), "published branch only"


def test_mongo_settings_come_from_the_lms(settings):
    settings.MODULESTORE = {"default": {"OPTIONS": {"stores": [
        {"NAME": "draft", "DOC_STORE_CONFIG": {"host": "wrong"}},
        {"NAME": "split", "DOC_STORE_CONFIG": {"host": "mongo.internal", "port": 27018, "db": "edxapp",
                                               "user": "edxapp", "password": "pw", "authsource": "admin",
                                               "replicaSet": "rs0", "ssl": True, "collection": "ms"}},
    ]}}}
    config = doc_store_config()
    assert config["host"] == "mongo.internal" and config["collection"] == "ms"
    arguments = mongo_client_arguments(config)
    assert arguments == {"host": "mongo.internal", "port": 27018, "readPreference": "secondaryPreferred",
                         "connectTimeoutMS": 5000, "socketTimeoutMS": 60000, "serverSelectionTimeoutMS": 10000,
                         "username": "edxapp", "password": "pw", "authSource": "admin", "replicaSet": "rs0",
                         "tls": True}
    client = pymongo.MongoClient(**arguments, connect=False)  # the real driver accepts every option
    assert client.read_preference.mongos_mode == "secondaryPreferred"
    client.close()
    del settings.MODULESTORE
    settings.DOC_STORE_CONFIG = {"host": "fallback", "db": "x"}
    assert doc_store_config(override={"port": 27019})["host"] == "fallback"
    assert doc_store_config(override={"port": 27019})["port"] == 27019


def test_modulestore_password_is_a_secret(settings):
    settings.PANORAMA_MODULESTORE_CONFIG = {"host": "m", "password": "hunter2"}
    panorama = get_settings()
    assert "hunter2" not in repr(panorama) and "hunter2" not in repr(panorama.describe())
    assert mongo_client_arguments({**panorama.modulestore_config, "user": "u"})["password"] == "hunter2"

