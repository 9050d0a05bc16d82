"""``seed_lms`` fills the stand-in deterministically, with real key formats, awkward text and modulestore documents."""
import hashlib
import json
import re

import pytest
from bson import ObjectId
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lms_stub.seed.modulestore import load_documents
from tests.conftest import run_manage

COURSE_KEY = re.compile(r"course-v1:[A-Za-z0-9]+\+[A-Za-z0-9]+\+[A-Za-z0-9_]+")
BLOCK_KEY = re.compile(r"block-v1:[A-Za-z0-9]+\+[A-Za-z0-9]+\+[A-Za-z0-9_]+\+type@(\w+)\+block@[0-9a-f]{32}")


def seed(tmp_path, scale="0.01", seed_value="0"):
    call_command("seed_lms", "--scale", scale, "--seed", seed_value, "--modulestore-dir", str(tmp_path),
                 stdout=open("/dev/null", "w", encoding="utf-8"))  # noqa: SIM115


def rows(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def digest(table, order="id"):
    return hashlib.sha256(repr(rows(f"SELECT * FROM {table} ORDER BY {order}")).encode()).hexdigest()


SAMPLED = ("auth_user", "auth_userprofile", "courseware_studentmodule", "student_courseenrollment",
           "submissions_submission", "completion_blockcompletion")


@pytest.mark.django_db(transaction=True)
def test_same_seed_same_rows_other_seed_other_rows(tmp_path):
    seed(tmp_path / "a", seed_value="7")
    first = {table: digest(table) for table in SAMPLED}
    first_docs = (tmp_path / "a" / "modulestore.structures.jsonl").read_bytes()
    seed(tmp_path / "b", seed_value="7")
    assert {table: digest(table) for table in SAMPLED} == first
    assert (tmp_path / "b" / "modulestore.structures.jsonl").read_bytes() == first_docs
    seed(tmp_path / "c", seed_value="8")
    other = {table: digest(table) for table in SAMPLED}
    assert all(other[table] != first[table] for table in SAMPLED)


@pytest.mark.django_db(transaction=True)
def test_volumes_follow_the_scale(tmp_path):
    seed(tmp_path, scale="0.02")
    count = {t: rows(f"SELECT COUNT(*) FROM {t}")[0][0] for t in
             ("auth_user", "student_courseenrollment", "course_overviews_courseoverview", "courseware_studentmodule")}
    assert count["auth_user"] == 1000
    assert count["course_overviews_courseoverview"] == 6  # 40 * sqrt(scale)
    assert 2.5 <= count["student_courseenrollment"] / count["auth_user"] <= 3.5
    assert 15_000 <= count["courseware_studentmodule"] <= 25_000  # ~1,000,000 * scale
    seed(tmp_path, scale="0.02")  # a second run replaces, never adds
    assert rows("SELECT COUNT(*) FROM auth_user")[0][0] == 1000


@pytest.mark.django_db(transaction=True)
def test_keys_have_the_real_formats(tmp_path):
    seed(tmp_path)
    for (course_id,) in rows("SELECT DISTINCT course_id FROM student_courseenrollment"):
        assert COURSE_KEY.fullmatch(course_id), course_id
    for module_type, module_id, course_id in rows(
            "SELECT module_type, module_id, course_id FROM courseware_studentmodule"):
        match = BLOCK_KEY.fullmatch(module_id)
        assert match and match.group(1) == module_type, module_id
        assert module_id.startswith(course_id.replace("course-v1:", "block-v1:") + "+type@")
    for (block_key,) in rows("SELECT block_key FROM completion_blockcompletion"):
        assert BLOCK_KEY.fullmatch(block_key)


@pytest.mark.django_db(transaction=True)
def test_text_carries_every_awkward_character_nulls_and_empty_strings(tmp_path):
    seed(tmp_path)
    values = [v for (v,) in rows("SELECT name FROM auth_userprofile")]
    values += [v for (v,) in rows("SELECT goals FROM auth_userprofile")]
    values += [v for (v,) in rows("SELECT mailing_address FROM auth_userprofile")]
    values += [v for (v,) in rows("SELECT raw_answer FROM submissions_submission")]
    values += [v for (v,) in rows("SELECT display_name FROM course_overviews_courseoverview")]
    text = [v for v in values if v is not None]
    assert None in values and "" in values
    for needle in ('"', ",", "\\", "\t", "\n", "\r\n", "é", "日本語", "'"):
        assert any(needle in v for v in text), repr(needle)


@pytest.mark.django_db(transaction=True)
def test_json_columns_hold_valid_json(tmp_path):
    seed(tmp_path)
    states = [json.loads(state) for (state,) in rows("SELECT state FROM courseware_studentmodule")]
    problems = [s for s in states if "score" in s]
    assert problems and all(set(s["score"]) == {"raw_earned", "raw_possible"} for s in problems)
    assert any("\n" in answer for s in problems for answer in s["student_answers"].values())
    for (site_values,) in rows("SELECT site_values FROM site_configuration_siteconfiguration"):
        assert json.loads(site_values)["PLATFORM_NAME"] == 'Panorama "Demo" LMS'


@pytest.mark.django_db(transaction=True)
def test_modulestore_documents_match_the_course_index(tmp_path, modulestore_db):
    seed(tmp_path)
    counts = load_documents(tmp_path, modulestore_db)
    assert counts["structures"] == 2 * counts["active_versions"] - 4  # published + draft per course, not libraries
    index = rows("SELECT course_id, published_version, draft_version, library_version "
                 "FROM split_modulestore_django_splitmodulestorecourseindex")
    courses = [row for row in index if row[0].startswith("course-v1:") and row[1]]
    assert len(courses) == 4
    assert [row[0] for row in index if row[0].startswith("library-v1:")] == [
        "library-v1:PanoramaX+QBank", "library-v1:PanoramaX+QBank1"]
    assert [row[0] for row in index if not row[1] and row[0].startswith("course-v1:")] == [
        "course-v1:PanoramaX+DRAFT1+2025_T1"]
    structures, definitions = modulestore_db["modulestore.structures"], modulestore_db["modulestore.definitions"]
    for course_id, published, draft, _ in courses:
        org, code, run = course_id[len("course-v1:"):].split("+")
        active = modulestore_db["modulestore.active_versions"].find_one({"org": org, "course": code, "run": run})
        assert active["versions"] == {"published-branch": ObjectId(published), "draft-branch": ObjectId(draft)}
        structure = structures.find_one({"_id": ObjectId(published)})
        blocks = {(b["block_type"], b["block_id"]): b for b in structure["blocks"]}
        reachable, stack = set(), [tuple(structure["root"])]
        while stack:
            key = stack.pop()
            reachable.add(key)
            stack.extend(tuple(child) for child in blocks[key]["fields"].get("children", []))
        used = rows(f"SELECT DISTINCT module_id FROM courseware_studentmodule WHERE course_id = '{course_id}'")
        for (module_id,) in used:
            block_type, block_id = re.search(r"type@(\w+)\+block@(\w+)$", module_id).groups()
            assert (block_type, block_id) in reachable
        assert set(blocks) - reachable, "every course has orphan blocks"
        library = [b for b in structure["blocks"] if b["block_type"] == "library_content"]
        assert library and library[0]["fields"]["children"]
        problems = [b for b in structure["blocks"] if b["block_type"] == "problem"]
        assert {0.0, 2.5} <= {b["fields"].get("weight") for b in problems}
        assert any("weight" not in b["fields"] for b in problems)
        assert any("display_name" not in b["fields"] for b in structure["blocks"])
        definition_ids = {d["_id"] for d in definitions.find({"_id": {"$in": [b["definition"] for b in problems]}})}
        assert len(definition_ids) == len(problems) - 1, "one problem's definition is missing"
        assert definitions.count_documents({"_id": {"$in": list(definition_ids)}, "fields.data": {"$exists": False}})
        draft_structure = structures.find_one({"_id": ObjectId(draft)})
        assert len(draft_structure["blocks"]) == len(structure["blocks"]) + 1


def test_seed_refuses_a_bad_scale():
    with pytest.raises(CommandError, match="scale must be greater than 0"):
        call_command("seed_lms", "--scale", "0")
    result = run_manage("seed_lms", "--scale", "-1")
    assert result.returncode == 1
    assert "scale must be greater than 0 and at most 100, not -1.0" in result.stderr
