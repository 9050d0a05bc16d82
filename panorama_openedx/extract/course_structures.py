"""
The ``course_structures`` table: the published course trees of the split modulestore, one row per block.

Published versions come from the MySQL course index (``PANORAMA_USE_SPLIT_MONGO``, the default) or from
Mongo's ``active_versions``; structures and definitions from Mongo, read with pymongo using the LMS's own
modulestore settings. One course's structure is in memory at a time, and the definitions a course needs
are fetched in ``$in`` batches, never one query per block.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Callable, Iterator

from django.conf import settings as django_settings
from django.db import connections

from panorama_openedx.extract.tables import RowStream, TableError

log = logging.getLogger(__name__)

COLUMNS = ["module_location", "course_id", "organization", "course_code", "course_edition", "parent", "block_type",
           "block_id", "display_name", "course_name", "chapter", "sequential", "vertical", "library", "component",
           "weight"]
KINDS = ["text"] * 15 + ["number"]
CONTAINERS = {"course", "chapter", "sequential", "vertical", "library_content"}
RESPONSE_TAGS = re.compile(
    r"<(choiceresponse|multiplechoiceresponse|truefalseresponse|optionresponse|numericalresponse|stringresponse|"
    r"customresponse|symbolicresponse|coderesponse|externalresponse|formularesponse|schematicresponse|"
    r"imageresponse|annotationresponse|choicetextresponse)[\s>/]")
DEFINITION_BATCH = 1000
COURSE_KEY = re.compile(r"course-v1:([^+/]+)\+([^+/]+)\+([^+/]+)")


class ModulestoreError(TableError):
    """The modulestore cannot be read; the message says where and why."""


@dataclass(frozen=True)
class PublishedCourse:
    org: str
    course: str
    run: str
    version: str  # ObjectId hex of the published structure

    @property
    def course_id(self) -> str:
        return f"course-v1:{self.org}+{self.course}+{self.run}"


# --- the Mongo connection --------------------------------------------------------------------------------

def doc_store_config(source=None, override=None) -> dict:
    """
    The split store's DOC_STORE_CONFIG from the LMS settings (inside MODULESTORE, else DOC_STORE_CONFIG),
    with ``override`` (PANORAMA_MODULESTORE_CONFIG) on top.
    """
    source = source or django_settings
    config = {}
    try:
        stores = source.MODULESTORE["default"]["OPTIONS"]["stores"]
        split = next(s for s in stores if s.get("NAME") == "split" or "split_mongo" in s.get("ENGINE", ""))
        config = dict(split["DOC_STORE_CONFIG"])
    except (AttributeError, KeyError, TypeError, StopIteration):
        config = dict(getattr(source, "DOC_STORE_CONFIG", None) or {})
    config.update(override or {})
    return config


def mongo_client_arguments(config: dict) -> dict:
    """pymongo.MongoClient keyword arguments for a DOC_STORE_CONFIG (the keys the LMS and Tutor use)."""
    password = config.get("password")
    password = password.reveal() if hasattr(password, "reveal") else password
    arguments = {
        "host": config.get("host") or "localhost",
        "port": int(config.get("port") or 27017),
        "readPreference": "secondaryPreferred",
        "connectTimeoutMS": int(config.get("connectTimeoutMS", 5000)),
        "socketTimeoutMS": int(config.get("socketTimeoutMS", 60000)),
        "serverSelectionTimeoutMS": int(config.get("serverSelectionTimeoutMS", 10000)),
    }
    if config.get("user"):
        arguments["username"] = config["user"]
        arguments["password"] = password or ""
        auth_source = config.get("authsource") or config.get("auth_source") or config.get("authSource")
        if auth_source:
            arguments["authSource"] = auth_source
        if config.get("authMechanism"):
            arguments["authMechanism"] = config["authMechanism"]
    if config.get("replicaSet"):
        arguments["replicaSet"] = config["replicaSet"]
    if config.get("ssl") or config.get("tls"):
        arguments["tls"] = True
    return arguments


def modulestore_database(config: dict):
    """(client, database, collection prefix) for a DOC_STORE_CONFIG; the caller closes the client."""
    import pymongo  # pylint: disable=import-outside-toplevel

    client = pymongo.MongoClient(**mongo_client_arguments(config))
    return client, client[config.get("db") or "edxapp"], config.get("collection") or "modulestore"


def describe_mongo(config: dict) -> str:
    """Where the modulestore is, for messages: never a password, even one inside a mongodb:// host URI."""
    host = re.sub(r"//[^/@]*@", "//", str(config.get("host") or "localhost"))
    return f"{host}:{config.get('port') or 27017}/{config.get('db') or 'edxapp'}"


# --- published versions ----------------------------------------------------------------------------------

def versions_from_mysql(alias: str) -> Iterator[PublishedCourse]:
    """The MySQL course index (Nutmeg+): courses only, libraries and unpublished courses skipped."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT course_id, published_version FROM split_modulestore_django_splitmodulestorecourseindex "
            "WHERE course_id LIKE %s AND published_version <> '' ORDER BY course_id", ["course-v1:%"])
        rows = cursor.fetchall()
    for course_id, version in rows:
        match = COURSE_KEY.fullmatch(course_id)
        if match:
            yield PublishedCourse(*match.groups(), version)
        else:
            log.warning("course_structures: %r in the course index is not a course-v1 key; skipped", course_id)


def versions_from_mongo(database, prefix: str) -> Iterator[PublishedCourse]:
    """Mongo's active_versions (before the MySQL index existed); malformed entries are skipped with a warning."""
    cursor = database[f"{prefix}.active_versions"].find(
        {"versions.published-branch": {"$exists": True}},
        {"org": 1, "course": 1, "run": 1, "versions.published-branch": 1},
    ).sort([("org", 1), ("course", 1), ("run", 1)])
    for index in cursor:
        try:
            yield PublishedCourse(index["org"], index["course"], index["run"],
                                  str(index["versions"]["published-branch"]))
        except (KeyError, TypeError):
            log.warning("course_structures: active_versions entry %s lacks org/course/run; skipped", index.get("_id"))


# --- flattening ------------------------------------------------------------------------------------------

def flatten(course: PublishedCourse, structure: dict, fetch_definitions: Callable[[list], dict]) -> list[tuple]:
    """
    One row per block reachable from the root, depth first in children order. ``fetch_definitions`` is
    called once with the definition ids whose XML gives a weight, and returns id -> ``fields.data``
    (absent when the definition is missing or has no data).
    """
    blocks = {(b["block_type"], b["block_id"]): b for b in structure.get("blocks", [])}
    prefix = f"block-v1:{course.org}+{course.course}+{course.run}"
    root = tuple(structure.get("root") or ("course", "course"))
    walked, seen = [], set()
    stack = [(root, None, {})]  # (block key, parent location, display names of the ancestors by type)
    while stack:
        key, parent, names = stack.pop()
        block = blocks.get(key)
        if block is None or key in seen:
            continue
        seen.add(key)
        location = course.course_id if key == root else f"{prefix}+type@{key[0]}+block@{key[1]}"
        walked.append((block, location, parent, names))
        fields = block.get("fields") or {}
        children = [tuple(child) for child in fields.get("children") or []]
        below = {**names, key[0]: fields.get("display_name")} if key[0] in CONTAINERS else names
        stack.extend((child, location, below) for child in reversed(children))
    definitions = fetch_definitions([block["definition"] for block, *_ in walked if _needs_definition(block)])
    rows = []
    for block, location, parent, names in walked:
        fields = block.get("fields") or {}
        block_type, display_name = block["block_type"], fields.get("display_name")
        component = display_name if not fields.get("children") and block_type not in CONTAINERS else None
        rows.append((location, course.course_id, course.org, course.course, course.run, parent, block_type,
                     block["block_id"], display_name, names.get("course"), names.get("chapter"),
                     names.get("sequential"), names.get("vertical"), names.get("library_content"), component,
                     _weight(block, definitions)))
    return rows


def _needs_definition(block: dict) -> bool:
    """Problems without an explicit weight: their XML gives it."""
    return (block.get("block_type") == "problem" and (block.get("fields") or {}).get("weight") is None
            and block.get("definition") is not None)


def _weight(block: dict, definitions: dict) -> float | None:
    if block["block_type"] != "problem":
        return None
    explicit = (block.get("fields") or {}).get("weight")
    if explicit is not None:
        return float(explicit)  # an explicit 0 is kept
    data = definitions.get(block.get("definition"))
    if not isinstance(data, str):
        return None  # no definition, or no data: unknown rather than a crash
    return float(len(RESPONSE_TAGS.findall(data)))


def load_definitions(database, prefix: str, ids: list) -> dict:
    """definition id -> fields.data, in $in batches."""
    found = {}
    collection = database[f"{prefix}.definitions"]
    for first in range(0, len(ids), DEFINITION_BATCH):
        for definition in collection.find({"_id": {"$in": ids[first:first + DEFINITION_BATCH]}}, {"fields.data": 1}):
            found[definition["_id"]] = (definition.get("fields") or {}).get("data")
    return found


# --- the reader the export pipeline uses -----------------------------------------------------------------

class CourseStructureReader:
    """Same interface as ``tables.TableReader``: columns, estimate, and a stream of pages (one per course)."""

    def __init__(self, spec, alias: str = "default", settings=None):
        from panorama_openedx.conf import get_settings  # pylint: disable=import-outside-toplevel

        self.spec, self.alias = spec, alias
        self.settings = settings or get_settings()
        self.config = doc_store_config(override=self.settings.modulestore_config)
        self.warnings: list[str] = []

    @property
    def columns(self) -> list[str]:
        return [c for c in COLUMNS if c not in self.spec.exclude_columns]

    def exists(self) -> bool:
        return True

    def source_types(self) -> dict[str, str]:
        return {column: "double" if column == "weight" else "varchar(255)" for column in COLUMNS}

    def estimated_rows(self) -> int | None:
        return None

    def open(self, strategy=None) -> RowStream:  # pylint: disable=unused-argument
        import pymongo.errors  # pylint: disable=import-outside-toplevel

        where = describe_mongo(self.config)
        client = None
        try:
            client, database, prefix = modulestore_database(self.config)
            database.command("ping")
            if self.settings.use_split_mongo:
                courses = list(versions_from_mysql(self.alias))
            else:
                courses = list(versions_from_mongo(database, prefix))
        except pymongo.errors.PyMongoError as exc:
            if client is not None:
                client.close()
            raise ModulestoreError(f"cannot reach the modulestore MongoDB at {where}: {exc}") from exc
        except BaseException:
            if client is not None:
                client.close()
            raise
        keep = [i for i, column in enumerate(COLUMNS) if column in self.columns]

        def pages():
            from bson import ObjectId  # pylint: disable=import-outside-toplevel
            from bson.errors import InvalidId  # pylint: disable=import-outside-toplevel

            try:
                for course in courses:
                    try:
                        version = ObjectId(course.version)
                    except (InvalidId, TypeError):
                        message = f"{course.course_id}: published version {course.version!r} is not an ObjectId; skipped"
                        log.warning("course_structures: %s", message)
                        self.warnings.append(message)
                        continue
                    structure = database[f"{prefix}.structures"].find_one({"_id": version})
                    if structure is None:
                        message = (f"{course.course_id}: published structure {course.version} is missing from the "
                                   "modulestore; course skipped")
                        log.warning("course_structures: %s", message)
                        self.warnings.append(message)
                        continue
                    rows = flatten(course, structure, lambda ids: load_definitions(database, prefix, ids))
                    yield rows if len(keep) == len(COLUMNS) else [tuple(row[i] for i in keep) for row in rows]
            except pymongo.errors.PyMongoError as exc:
                raise ModulestoreError(f"reading the modulestore at {where} failed: {exc}") from exc
            finally:
                client.close()

        return RowStream([KINDS[i] for i in keep], pages())
