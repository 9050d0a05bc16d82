"""
Split-modulestore documents for the seeded courses: course index, structures and definitions, shaped
as ``xmodule/modulestore/split_mongo`` writes them (``../shared/reference/lms-schema.md`` §5.2).

Each course gets a published and a draft structure (the draft holds one unpublished chapter), and the
edge cases the course-structure export must survive: ``library_content`` with children, orphan and
detached blocks, blocks without ``display_name``, display names with quotes, commas and newlines,
problems with an explicit weight, a weight of 0, no weight, a definition without ``data`` and a
definition that does not exist.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bson import ObjectId, json_util

COLLECTIONS = ("active_versions", "structures", "definitions")
RESPONSE_TAGS = ("multiplechoiceresponse", "choiceresponse", "optionresponse", "numericalresponse",
                 "stringresponse", "formularesponse", "customresponse")
LEAF_TYPES = ("problem", "video", "html", "discussion", "openassessment")
TRICKY_TITLES = ('Quiz "final", part 1', "Lecture 1\nIntroduction", "Ünïcode — résumé, 日本語",
                 "Back\\slash and, comma", "Tab\tseparated")


@dataclass
class Block:
    """One block of a course tree, with what the other seeded tables need to know about it."""

    block_type: str
    block_id: str
    fields: dict
    definition: ObjectId
    children: list["Block"] = field(default_factory=list)
    definition_fields: dict | None = None  # None: the definition document is missing

    @property
    def key(self) -> list:
        return [self.block_type, self.block_id]


@dataclass
class Course:
    """A seeded course: its key parts, its tree and the documents that describe it."""

    org: str
    code: str
    run: str
    display_name: str
    root: Block
    orphans: list[Block]
    index_id: ObjectId
    published_version: ObjectId
    draft_version: ObjectId
    edited_on: datetime

    @property
    def course_id(self) -> str:
        return f"course-v1:{self.org}+{self.code}+{self.run}"

    def usage_key(self, block: Block) -> str:
        if block is self.root:
            return self.course_id
        return f"block-v1:{self.org}+{self.code}+{self.run}+type@{block.block_type}+block@{block.block_id}"

    def walk(self):
        """Every block reachable from the root, depth first in children order."""
        stack = [self.root]
        while stack:
            block = stack.pop()
            yield block
            stack.extend(reversed(block.children))

    def blocks_of(self, *block_types) -> list[Block]:
        return [block for block in self.walk() if block.block_type in block_types]


class CourseBuilder:
    """Builds course trees deterministically from one random generator."""

    def __init__(self, rng: random.Random, epoch: datetime):
        self.rng = rng
        self.epoch = epoch

    def object_id(self) -> ObjectId:
        return ObjectId(self.rng.randbytes(12))

    def block_id(self) -> str:
        return self.rng.randbytes(16).hex()

    def block(self, block_type, display_name=None, block_id=None, **fields) -> Block:
        if display_name is not None:
            fields["display_name"] = display_name
        return Block(block_type, block_id or self.block_id(), fields, self.object_id(), definition_fields={})

    def course(self, org: str, code: str, run: str, display_name: str, number: int) -> Course:
        rng = self.rng
        root = self.block("course", display_name, block_id="course", start="2025-01-01T00:00:00Z")
        root.definition_fields = {"grading_policy": {"GRADER": [], "GRADE_CUTOFFS": {"Pass": 0.5}}}
        for c in range(rng.randint(3, 5)):
            chapter = self.block("chapter", self._title("Section", c))
            root.children.append(chapter)
            for s in range(rng.randint(2, 3)):
                sequential = self.block("sequential", self._title("Subsection", s), graded=rng.random() < 0.5,
                                        format=rng.choice(["Homework", "Exam", "Lab"]))
                chapter.children.append(sequential)
                for v in range(rng.randint(1, 2)):
                    vertical = self.block("vertical", self._title("Unit", v))
                    sequential.children.append(vertical)
                    for _ in range(rng.randint(1, 3)):
                        vertical.children.append(self.leaf(rng.choice(LEAF_TYPES)))
        self._edge_cases(root, number)
        published = self.object_id()
        return Course(org, code, run, display_name, root, orphans=[self.leaf("problem"), self.block("about")],
                      index_id=self.object_id(), published_version=published, draft_version=self.object_id(),
                      edited_on=self.epoch + timedelta(days=number))

    def leaf(self, block_type: str) -> Block:
        rng = self.rng
        if block_type != "problem":
            block = self.block(block_type, self._title(block_type.capitalize(), rng.randint(1, 9)))
            if block_type == "html":
                block.definition_fields = {"data": "<p>Read this, then \"try\" it.</p>"}
            return block
        tags = rng.choices(RESPONSE_TAGS, k=rng.randint(1, 3))
        data = "<problem>" + "".join(f"<{tag}><p>Q{i}</p></{tag}>" for i, tag in enumerate(tags)) + "</problem>"
        block = self.block("problem", self._title("Problem", rng.randint(1, 99)), max_attempts=rng.randint(1, 3))
        block.definition_fields = {"data": data}
        if rng.random() < 0.2:
            block.fields["weight"] = float(rng.randint(1, 5))
        return block

    def _edge_cases(self, root: Block, number: int):
        """Put every case the flattener must handle into the first chapter of the course."""
        vertical = root.children[0].children[0].children[0]
        library = self.block("library_content", "Randomized questions", max_count=1,
                             source_library_id="library-v1:PanoramaX+QBank")
        library.children = [self.leaf("problem") for _ in range(3)]
        weightless = self.leaf("problem")
        weightless.fields["weight"] = 0.0
        explicit = self.leaf("problem")
        explicit.fields["weight"] = 2.5
        no_data = self.block("problem", "Problem without data")  # definition exists, without "data"
        missing = self.block("problem", "Problem whose definition is gone")
        missing.definition_fields = None
        untitled = self.leaf("html")
        untitled.fields.pop("display_name", None)
        tricky = self.leaf("video")
        tricky.fields["display_name"] = TRICKY_TITLES[number % len(TRICKY_TITLES)]
        vertical.children.extend([library, weightless, explicit, no_data, missing, untitled, tricky])

    def _title(self, kind: str, index: int) -> str:
        if self.rng.random() < 0.03:
            return self.rng.choice(TRICKY_TITLES)
        return f"{kind} {index + 1}"


def course_documents(course: Course, edited_by: int) -> dict[str, list[dict]]:
    """The Mongo documents of one course, keyed by collection suffix."""
    edit_info = {"edited_on": course.edited_on, "edited_by": edited_by, "update_version": course.published_version,
                 "previous_version": None, "source_version": None}
    published_blocks = [_block_document(block, edit_info) for block in [*course.walk(), *course.orphans]]
    unpublished = Block("chapter", "unpublished" + course.root.block_id, {"display_name": "Draft only"},
                        ObjectId(course.draft_version.binary[::-1]), definition_fields={})
    draft_root = dict(published_blocks[0], fields=dict(published_blocks[0]["fields"]))
    draft_root["fields"]["children"] = [*draft_root["fields"]["children"], unpublished.key]
    draft_blocks = [draft_root, *published_blocks[1:], _block_document(unpublished, edit_info)]

    def structure(version, blocks):
        return {"_id": version, "root": ["course", "course"], "previous_version": None,
                "original_version": course.published_version, "edited_by": edited_by,
                "edited_on": course.edited_on, "schema_version": 1, "blocks": blocks}

    definitions = [
        {"_id": block.definition, "block_type": block.block_type, "fields": block.definition_fields,
         "edit_info": {"edited_by": edited_by, "edited_on": course.edited_on, "previous_version": None,
                       "original_version": block.definition}, "schema_version": 1}
        for block in [*course.walk(), *course.orphans, unpublished] if block.definition_fields is not None
    ]
    index = {"_id": course.index_id, "org": course.org, "course": course.code, "run": course.run,
             "edited_by": edited_by, "edited_on": course.edited_on, "last_update": course.edited_on,
             "versions": {"draft-branch": course.draft_version, "published-branch": course.published_version},
             "search_targets": {"wiki_slug": f"{course.org}.{course.code}.{course.run}"}, "schema_version": 1}
    return {
        "active_versions": [index],
        "structures": [structure(course.published_version, published_blocks),
                       structure(course.draft_version, draft_blocks)],
        "definitions": definitions,
    }


def library_index(org: str, library: str, version: ObjectId, index_id: ObjectId, edited_on: datetime) -> dict:
    """A v1 content library's index document: a ``library`` branch, never exported as a course."""
    return {"_id": index_id, "org": org, "course": library, "run": "library", "edited_by": 1,
            "edited_on": edited_on, "last_update": edited_on, "versions": {"library": version},
            "search_targets": {}, "schema_version": 1}


def _block_document(block: Block, edit_info: dict) -> dict:
    fields = dict(block.fields)
    if block.children or block.block_type in ("course", "chapter", "sequential", "vertical", "library_content"):
        fields["children"] = [child.key for child in block.children]
    return {"block_type": block.block_type, "block_id": block.block_id, "definition": block.definition,
            "fields": fields, "defaults": {}, "edit_info": dict(edit_info)}


def write_documents(folder: Path, documents: dict[str, list[dict]], collection_prefix: str = "modulestore"):
    """One MongoDB Extended JSON file per collection (``mongoimport --file`` loads them as they are)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in COLLECTIONS:
        path = folder / f"{collection_prefix}.{name}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for document in documents.get(name, []):
                handle.write(json_util.dumps(document, json_options=json_util.CANONICAL_JSON_OPTIONS) + "\n")


def load_documents(folder: Path, database, collection_prefix: str = "modulestore") -> dict[str, int]:
    """Insert the files written by ``write_documents`` into a pymongo (or mongomock) database."""
    counts = {}
    for name in COLLECTIONS:
        collection = database[f"{collection_prefix}.{name}"]
        collection.delete_many({})
        path = folder / f"{collection_prefix}.{name}.jsonl"
        documents = [json_util.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        if documents:
            collection.insert_many(documents)
        counts[name] = len(documents)
    return counts


def serve_with_mongomock(doc_store_config: dict, var_dir) -> None:
    """
    Make ``pymongo.MongoClient`` reach mongomock for the stand-in's modulestore host (other hosts stay real),
    filled with the documents seed_lms wrote. No MongoDB server can run here; this stands in for it.
    """
    import mongomock  # pylint: disable=import-outside-toplevel
    import pymongo  # pylint: disable=import-outside-toplevel

    server = (doc_store_config["host"], int(doc_store_config.get("port") or 27017))
    mongomock.patch(servers=(server,), on_new="pymongo").start()
    folder = Path(var_dir) / "modulestore"
    if (folder / f"{doc_store_config.get('collection') or 'modulestore'}.structures.jsonl").exists():
        client = pymongo.MongoClient(host=server[0], port=server[1])
        load_documents(folder, client[doc_store_config["db"]], doc_store_config.get("collection") or "modulestore")
