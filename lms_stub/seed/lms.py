"""
Deterministic, realistic content for the stand-in LMS tables.

Scale 1.0 is a mid-sized instance: 50,000 users, about 150,000 enrollments, 40 courses and about
1,000,000 ``courseware_studentmodule`` rows. Every table draws from its own random generator seeded
with ``(seed, table)``, so the same scale and seed give the same rows, table for table, whatever is
loaded first. Text columns carry what breaks naive exporters: quotes, commas, backslashes, tabs,
CR/LF, non-ASCII, empty strings and NULLs (Basic Multilingual Plane only, as Tutor's utf8mb3 MySQL
stores nothing else).
"""
from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Callable, Iterable, Sequence

from lms_stub.seed.modulestore import Course, CourseBuilder, course_documents, library_index

EPOCH = datetime(2025, 1, 6, 8, 0, 0)
ORGS = ("PanoramaX", "OpenU", "EduLab", "AcmeX")
SUBJECTS = ("Data Analysis", "Python 101", "Statistics", "Open edX Operations", "Machine Learning",
            "Economics", "Biology", "Spanish for Beginners", "Calculus", "Project Management")
FIRST = ("Ana", "Li", "Zoë", "María", "John", "Ngozi", "Søren", "Aïsha", "Miguel", "Yuki")
LAST = ("O'Brien", "Núñez", "Smith", "Wei", "Kowalski", "García-Márquez", "Okafor", "Müller", "Silva", "Tanaka")
TRICKY = ('She said "hi", then left', "Comma, separated, text", "C:\\Users\\learner\\file.txt",
          "tab\tinside", "two\nlines", "windows\r\nline", "naïve café — 日本語", "", "'single' quotes",
          "trailing backslash \\", '{"looks": "like json"}', "   spaces   ")
ANSWERS = ("choice_1", "choice_3", "42", "3.14", 'He said "yes"', "x^2 + 1", "C:\\temp", "line1\nline2", "",
           "naïve", "a, b, c")
MODES = ("audit", "audit", "audit", "verified", "honor", "professional", "no-id-professional")
COUNTRIES = ("US", "AR", "BR", "ES", "IN", "NG", "DE", "FR", "JP", "MX", None)
EDUCATION = ("p", "m", "b", "a", "hs", "jhs", "el", "none", "other", None)
TRANSITIONS = ("from unenrolled to enrolled", "from enrolled to unenrolled", "from unenrolled to allowed to enroll",
               "from allowed to enroll to enrolled", "from enrolled to enrolled")


@dataclass(frozen=True)
class TableSeed:
    """One table to fill: its name, the columns given, and a function producing its rows."""

    table: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[Sequence]]


@dataclass(frozen=True)
class Enrollment:
    id: int
    user_id: int
    course: int  # index into LmsSeed.courses
    created: datetime
    mode: str


class LmsSeed:  # pylint: disable=too-many-instance-attributes
    """Everything seeded for one (scale, seed): courses, users, enrollments and each table's rows."""

    def __init__(self, scale: float, seed: int = 0, enterprise: bool = True):
        if not 0 < scale <= 100:
            raise ValueError(f"scale must be greater than 0 and at most 100, not {scale}")
        self.scale, self.seed, self.enterprise = scale, seed, enterprise
        self.user_count = max(20, round(50_000 * scale))
        self.course_count = max(3, round(40 * math.sqrt(scale)))
        self.studentmodule_target = max(100, round(1_000_000 * scale))
        builder = CourseBuilder(self.rng("courses"), EPOCH - timedelta(days=400))
        self.courses: list[Course] = [
            builder.course(ORGS[i % len(ORGS)], f"{SUBJECTS[i % len(SUBJECTS)].split()[0].upper()[:6]}{100 + i}",
                           f"{2024 + i % 3}_T{1 + i % 3}", self._course_name(i), i)
            for i in range(self.course_count)
        ]
        self.library_versions = [(builder.object_id(), builder.object_id()) for _ in range(2)]
        self.unpublished_index = builder.object_id()
        self.staff_ids = range(2, 2 + min(self.user_count - 1, 3 * self.course_count + 10))
        self.enrollments = self._enrollments()

    # --- helpers -------------------------------------------------------------------------------------

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    def _course_name(self, index: int) -> str:
        name = SUBJECTS[index % len(SUBJECTS)]
        return {3: 'Open edX "Operations", 2nd edition', 7: "Español\npara principiantes"}.get(index, name)

    def _enrollments(self) -> list[Enrollment]:
        rng, result = self.rng("enrollments"), []
        for user_id in range(2, self.user_count + 1):
            joined = self._joined(user_id)
            for course in rng.sample(range(self.course_count), min(self.course_count, rng.randint(1, 5))):
                created = joined + timedelta(minutes=rng.randint(1, 60 * 24 * 120))
                result.append(Enrollment(len(result) + 1, user_id, course, created, rng.choice(MODES)))
        return result

    def _joined(self, user_id: int) -> datetime:
        return EPOCH - timedelta(days=365) + timedelta(seconds=(user_id * 7919) % (300 * 86400))

    @staticmethod
    def _tricky(rng: random.Random, usual, probability=0.1):
        return rng.choice(TRICKY) if rng.random() < probability else usual

    @staticmethod
    def _ts(when: datetime, rng: random.Random) -> datetime:
        return when + timedelta(microseconds=rng.randint(0, 999_999))

    def anonymous_id(self, user_id: int, course_id: str = "") -> str:
        return hashlib.shake_128(f"{self.seed}|{user_id}|{course_id}".encode()).hexdigest(16)

    # --- tables ----------------------------------------------------------------------------------------

    def tables(self) -> list[TableSeed]:
        """Every table to fill, parents before children."""
        tables = [
            TableSeed("auth_user", ("id", "password", "last_login", "is_superuser", "username", "first_name",
                                    "last_name", "email", "is_staff", "is_active", "date_joined"), self._users),
            TableSeed("auth_userprofile", ("id", "user_id", "name", "meta", "courseware", "language", "location",
                                           "year_of_birth", "gender", "level_of_education", "mailing_address",
                                           "city", "country", "state", "goals", "bio", "profile_image_uploaded_at",
                                           "phone_number"), self._profiles),
            TableSeed("student_anonymoususerid", ("id", "user_id", "anonymous_user_id", "course_id"),
                      self._anonymous_ids),
            TableSeed("course_overviews_courseoverview", OVERVIEW_COLUMNS, self._overviews),
            TableSeed("split_modulestore_django_splitmodulestorecourseindex",
                      ("id", "objectid", "course_id", "org", "draft_version", "published_version",
                       "library_version", "wiki_slug", "base_store", "edited_by_id", "edited_on", "last_update"),
                      self._course_index),
            TableSeed("student_courseenrollment", ("id", "user_id", "course_id", "created", "is_active", "mode"),
                      self._course_enrollments),
            TableSeed("student_courseaccessrole", ("id", "user_id", "org", "course_id", "role"), self._roles),
            TableSeed("student_courseenrollmentallowed", ("id", "email", "course_id", "auto_enroll", "user_id",
                                                          "created"), self._allowed),
            TableSeed("student_manualenrollmentaudit", ("id", "enrollment_id", "enrolled_by_id", "enrolled_email",
                                                        "time_stamp", "state_transition", "reason", "role"),
                      self._manual_audits),
            TableSeed("courseware_studentmodule", ("id", "module_type", "module_id", "student_id", "course_id",
                                                   "state", "grade", "max_grade", "done", "created", "modified"),
                      self._student_modules),
            TableSeed("grades_persistentcoursegrade", ("id", "created", "modified", "user_id", "course_id",
                                                       "course_edited_timestamp", "course_version",
                                                       "grading_policy_hash", "percent_grade", "letter_grade",
                                                       "passed_timestamp"), self._course_grades),
            TableSeed("grades_visibleblocks", ("id", "blocks_json", "hashed", "course_id"), self._visible_blocks),
            TableSeed("grades_persistentsubsectiongrade", ("id", "created", "modified", "user_id", "course_id",
                                                           "usage_key", "subtree_edited_timestamp", "course_version",
                                                           "earned_all", "possible_all", "earned_graded",
                                                           "possible_graded", "first_attempted",
                                                           "visible_blocks_hash"), self._subsection_grades),
            TableSeed("certificates_generatedcertificate", ("id", "user_id", "course_id", "verify_uuid",
                                                            "download_uuid", "download_url", "grade", "key",
                                                            "distinction", "status", "mode", "name", "created_date",
                                                            "modified_date", "error_reason"), self._certificates),
            TableSeed("completion_blockcompletion", ("id", "created", "modified", "user_id", "course_key",
                                                     "block_key", "block_type", "completion"), self._completions),
            *self._cohort_tables(),
            *self._submission_tables(),
            TableSeed("site_configuration_siteconfiguration", ("id", "site_id", "enabled", "site_values"),
                      self._site_configuration),
        ]
        if self.enterprise:
            tables.extend(self._enterprise_tables())
        return tables

    def _users(self):
        rng = self.rng("auth_user")
        yield (1, "pbkdf2_sha256$870000$panoramademo$" + "A" * 43 + "=", EPOCH, True, "admin", "", "",
               "admin@example.com", True, True, EPOCH - timedelta(days=400))
        for user_id in range(2, self.user_count + 1):
            named = rng.random() < 0.1
            yield (
                user_id,
                f"pbkdf2_sha256$870000${rng.randbytes(9).hex()}${rng.randbytes(32).hex()}",
                None if rng.random() < 0.2 else self._ts(EPOCH - timedelta(days=rng.randint(0, 90)), rng),
                False,
                f"learner{user_id:06d}",
                rng.choice(FIRST) if named else "",
                rng.choice(LAST) if named else "",
                f"learner{user_id:06d}@example.com",
                user_id in (2, 3, 4),
                rng.random() > 0.03,
                self._ts(self._joined(user_id), rng),
            )

    def _profiles(self):
        rng = self.rng("auth_userprofile")
        for user_id in range(1, self.user_count + 1):
            name = self._tricky(rng, f"{rng.choice(FIRST)} {rng.choice(LAST)}", 0.08)
            meta = "" if rng.random() < 0.5 else json.dumps({"session_id": rng.randbytes(4).hex(),
                                                             "nickname": self._tricky(rng, "nick", 0.3)})
            yield (
                user_id, user_id, name, meta, "course.xml", rng.choice(("", "en", "es")), "",
                rng.choice((None, rng.randint(1950, 2008))), rng.choice(("m", "f", "o", None, "")),
                rng.choice(EDUCATION), self._tricky(rng, None, 0.05), rng.choice((None, "São Paulo", "Zürich", "")),
                rng.choice(COUNTRIES), None, self._tricky(rng, None, 0.1),
                self._tricky(rng, None, 0.05), None, None,
            )

    def _anonymous_ids(self):
        row_id = 0
        for user_id in range(1, self.user_count + 1):
            row_id += 1
            yield row_id, user_id, self.anonymous_id(user_id), ""
        for user_id, course_id in self._ora_learners():
            row_id += 1
            yield row_id, user_id, self.anonymous_id(user_id, course_id), course_id

    def _overviews(self):
        rng = self.rng("course_overviews_courseoverview")
        for i, course in enumerate(self.courses):
            start = EPOCH - timedelta(days=300 - 20 * i)
            end = None if i % 4 == 0 else start + timedelta(days=120)
            values = {
                "created": course.edited_on, "modified": course.edited_on + timedelta(hours=i), "version": 19,
                "id": course.course_id, "_location": course.usage_key(course.root).replace("course-v1:", "block-v1:")
                + "+type@course+block@course", "org": course.org, "display_name": course.display_name,
                "display_number_with_default": course.code, "display_org_with_default": course.org,
                "start": start, "end": end, "start_date": start, "end_date": end,
                "advertised_start": None if i % 2 else "Spring 2025", "announcement": None,
                "banner_image_url": "/asset-v1:banner.jpg", "course_image_url": "/asset-v1:images_course_image.jpg",
                "social_sharing_url": None, "end_of_course_survey_url": None,
                "certificates_display_behavior": "end", "certificates_show_before_end": False,
                "cert_html_view_enabled": True, "has_any_active_web_certificate": i % 2 == 0,
                "cert_name_short": "", "cert_name_long": "", "certificate_available_date": end,
                "lowest_passing_grade": Decimal("0.50") if i % 5 else None,
                "days_early_for_beta": None if i % 3 else 2.0, "mobile_available": True,
                "visible_to_staff_only": False, "_pre_requisite_courses_json": "[]",
                "enrollment_start": start - timedelta(days=30), "enrollment_end": end, "enrollment_domain": None,
                "invitation_only": i % 7 == 6, "max_student_enrollments_allowed": None if i % 4 else 5000,
                "catalog_visibility": "both", "short_description": self._tricky(rng, "A short description.", 0.3),
                "course_video_url": None, "effort": rng.choice(("4 hours/week", None, "")), "self_paced": i % 2 == 1,
                "marketing_url": None, "eligible_for_financial_aid": True, "language": rng.choice(("en", "es", None)),
                "has_highlights": None if i % 3 else False, "enable_proctored_exams": False,
                "proctoring_provider": None, "proctoring_escalation_email": None, "allow_proctoring_opt_out": False,
                "entrance_exam_enabled": False, "entrance_exam_id": "", "entrance_exam_minimum_score_pct": 0.65,
                "external_id": None, "force_on_flexible_peer_openassessments": False,
            }
            yield tuple(values[column] for column in OVERVIEW_COLUMNS)

    def _course_index(self):
        row_id = 0
        for course in self.courses:
            row_id += 1
            yield (row_id, str(course.index_id), course.course_id, course.org, str(course.draft_version),
                   str(course.published_version), "", f"{course.org}.{course.code}.{course.run}", "mongodb", 1,
                   course.edited_on, course.edited_on)
        for number, (index_id, version) in enumerate(self.library_versions):
            row_id += 1
            yield (row_id, str(index_id), f"library-v1:PanoramaX+QBank{number or ''}", "PanoramaX", "", "",
                   str(version), "", "mongodb", 1, EPOCH, EPOCH)
        row_id += 1  # a course created in Studio and never published
        yield (row_id, str(self.unpublished_index), "course-v1:PanoramaX+DRAFT1+2025_T1", "PanoramaX",
               str(self.unpublished_index)[::-1], "", "", "", "mongodb", 1, EPOCH, EPOCH)

    def modulestore_documents(self) -> dict[str, list[dict]]:
        """The split-modulestore documents of every seeded course and library."""
        documents = {"active_versions": [], "structures": [], "definitions": []}
        for course in self.courses:
            for name, docs in course_documents(course, edited_by=1).items():
                documents[name].extend(docs)
        for number, (index_id, version) in enumerate(self.library_versions):
            documents["active_versions"].append(
                library_index("PanoramaX", f"QBank{number or ''}", version, index_id, EPOCH))
        return documents

    def _course_enrollments(self):
        rng = self.rng("student_courseenrollment")
        for e in self.enrollments:
            yield e.id, e.user_id, self.courses[e.course].course_id, e.created, rng.random() > 0.08, e.mode

    def _roles(self):
        rng, row_id, staff = self.rng("student_courseaccessrole"), 0, list(self.staff_ids)
        rows = [(1, "", "", "support")]
        for i, course in enumerate(self.courses):
            rows.append((staff[(3 * i) % len(staff)], course.org, course.course_id, "instructor"))
            rows.append((staff[(3 * i + 1) % len(staff)], course.org, course.course_id, "staff"))
            rows.append((staff[(3 * i + 2) % len(staff)], course.org, course.course_id, "beta_testers"))
            if rng.random() < 0.3:
                rows.append((staff[(3 * i + 3) % len(staff)], course.org, course.course_id, "data_researcher"))
        for n, org in enumerate(ORGS):
            rows.append((staff[-1 - n % len(staff)], org, "", "staff"))
        for row in dict.fromkeys(rows):  # unique (user, org, course_id, role)
            row_id += 1
            yield (row_id, *row)

    def _allowed(self):
        rng = self.rng("student_courseenrollmentallowed")
        for row_id in range(1, max(3, self.user_count // 200) + 1):
            course = self.courses[row_id % self.course_count]
            yield (row_id, f"invitee{row_id:05d}@example.org", course.course_id, rng.random() < 0.5,
                   None, self._ts(course.edited_on + timedelta(days=row_id % 30), rng))

    def _manual_audits(self):
        rng, row_id = self.rng("student_manualenrollmentaudit"), 0
        for e in self.enrollments[::97]:
            row_id += 1
            yield (row_id, e.id, 1, f"learner{e.user_id:06d}@example.com", e.created, rng.choice(TRANSITIONS),
                   self._tricky(rng, rng.choice((None, "Bulk enrollment from CSV")), 0.4),
                   rng.choice((None, "Learner", "Support")))

    def _student_modules(self):
        rng = self.rng("courseware_studentmodule")
        per_enrollment = self.studentmodule_target / max(1, len(self.enrollments))
        high = max(1, round(2 * per_enrollment - 1))
        candidates = [[(b.block_type, c.usage_key(b), b.block_id) for b in c.walk()
                       if b.block_type in ("chapter", "sequential", "problem", "video", "openassessment")]
                      for c in self.courses]
        row_id = 0
        for e in self.enrollments:
            course_id = self.courses[e.course].course_id
            blocks = candidates[e.course]
            for block_type, usage_key, block_id in rng.sample(blocks, min(len(blocks), rng.randint(1, high))):
                row_id += 1
                created = self._ts(e.created + timedelta(minutes=rng.randint(1, 60 * 24 * 30)), rng)
                modified = created + timedelta(seconds=rng.randint(0, 86400 * 20))
                state, grade, max_grade = self._module_state(rng, block_type, block_id, modified)
                yield (row_id, block_type, usage_key, e.user_id, course_id, state, grade, max_grade, "na",
                       created, modified)

    def _module_state(self, rng, block_type, block_id, modified):
        if block_type == "problem":
            possible = float(rng.randint(1, 3))
            if rng.random() < 0.15:  # opened, never answered
                return json.dumps({"seed": 1, "input_state": {f"{block_id}_2_1": {}}}), None, None
            earned = float(rng.randint(0, int(possible)))
            answer_id = f"{block_id}_2_1"
            state = {
                "attempts": rng.randint(1, 3), "seed": rng.randint(1, 20), "done": True,
                "correct_map": {answer_id: {"correctness": "correct" if earned else "incorrect", "npoints": None,
                                            "msg": "", "hint": "", "hintmode": None, "queuestate": None,
                                            "answervariable": None}},
                "student_answers": {answer_id: rng.choice(ANSWERS)}, "input_state": {answer_id: {}},
                "score": {"raw_earned": earned, "raw_possible": possible},
                "last_submission_time": modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            return json.dumps(state), earned, possible
        if block_type == "video":
            position = rng.randint(0, 1800)
            return json.dumps({"saved_video_position": f"00:{position // 60:02d}:{position % 60:02d}",
                               "speed": rng.choice((1.0, 1.25, 1.5))}), None, None
        if block_type == "openassessment":
            return json.dumps({"submission_uuid": rng.randbytes(16).hex()}), None, None
        return json.dumps({"position": rng.randint(1, 4)}), None, None

    def _graded(self):
        """(enrollment, percent) for the enrollments whose course grade was computed."""
        rng = self.rng("grades")
        for e in self.enrollments:
            if rng.random() < 0.7:
                yield e, round(rng.random(), 4)

    def _course_grades(self):
        rng, row_id = self.rng("grades_persistentcoursegrade"), 0
        for e, percent in self._graded():
            row_id += 1
            course = self.courses[e.course]
            modified = self._ts(e.created + timedelta(days=rng.randint(1, 60)), rng)
            passed = percent >= 0.5
            yield (row_id, modified - timedelta(days=1), modified, e.user_id, course.course_id, course.edited_on,
                   str(course.published_version), hashlib.sha1(course.course_id.encode()).hexdigest(),
                   percent, "Pass" if passed else "", modified if passed else None)

    def _visible_hash(self, course: Course, usage_key: str) -> str:
        return hashlib.sha1(f"{course.course_id}|{usage_key}".encode()).hexdigest()

    def _visible_blocks(self):
        row_id = 0
        for course in self.courses:
            for sequential in course.blocks_of("sequential"):
                row_id += 1
                usage_key = course.usage_key(sequential)
                blocks = [course.usage_key(b) for b in course.walk() if b.block_type == "problem"][:5]
                yield (row_id, json.dumps({"blocks": blocks, "course_key": course.course_id, "version": 1}),
                       self._visible_hash(course, usage_key), course.course_id)

    def _subsection_grades(self):
        rng, row_id = self.rng("grades_persistentsubsectiongrade"), 0
        sequentials = [[c.usage_key(b) for b in c.blocks_of("sequential")] for c in self.courses]
        for e in self.enrollments:
            course = self.courses[e.course]
            for usage_key in rng.sample(sequentials[e.course], min(len(sequentials[e.course]), rng.randint(0, 2))):
                row_id += 1
                possible = float(rng.randint(1, 10))
                earned = float(rng.randint(0, int(possible)))
                graded = rng.random() < 0.6
                modified = self._ts(e.created + timedelta(days=rng.randint(1, 60)), rng)
                yield (row_id, modified, modified, e.user_id, course.course_id, usage_key, course.edited_on,
                       str(course.published_version), earned, possible, earned if graded else 0.0,
                       possible if graded else 0.0, None if rng.random() < 0.1 else modified,
                       self._visible_hash(course, usage_key))

    def _certificates(self):
        rng, row_id = self.rng("certificates_generatedcertificate"), 0
        for e, percent in self._graded():
            if rng.random() < 0.4:
                continue
            row_id += 1
            status = ("downloadable" if percent >= 0.5 else "notpassing") if e.mode != "audit" else "audit_passing"
            created = self._ts(e.created + timedelta(days=rng.randint(30, 120)), rng)
            yield (row_id, e.user_id, self.courses[e.course].course_id, rng.randbytes(16).hex(), "", "",
                   f"{percent:.2f}"[:5], rng.randbytes(16).hex(), False, status, e.mode,
                   self._tricky(rng, f"{rng.choice(FIRST)} {rng.choice(LAST)}", 0.05), created, created,
                   "" if rng.random() > 0.01 else "Failed: \"grader\" timeout")

    def _completions(self):
        rng, row_id = self.rng("completion_blockcompletion"), 0
        leaves = [[(c.usage_key(b), b.block_type) for b in c.walk() if b.block_type in ("problem", "video", "html")]
                  for c in self.courses]
        for e in self.enrollments:
            course_id = self.courses[e.course].course_id
            for usage_key, block_type in rng.sample(leaves[e.course], min(len(leaves[e.course]), rng.randint(0, 4))):
                row_id += 1
                modified = self._ts(e.created + timedelta(minutes=rng.randint(5, 60 * 24 * 40)), rng)
                yield row_id, modified, modified, e.user_id, course_id, usage_key, block_type, 1.0

    def _cohort_tables(self) -> list[TableSeed]:
        cohorted = [i for i in range(self.course_count) if i % 3 == 0]
        groups = [(2 * n + k + 1, course, name) for n, course in enumerate(cohorted)
                  for k, name in enumerate(("Group A", 'Group "B", evening'))]
        group_of = {(course, k): groups[2 * n + k][0] for n, course in enumerate(cohorted) for k in range(2)}
        rng = self.rng("cohorts")
        members = [(e, group_of[(e.course, rng.randint(0, 1))]) for e in self.enrollments
                   if e.course in cohorted and rng.random() < 0.5]

        def course_id(index):
            return self.courses[index].course_id

        return [
            TableSeed("course_groups_courseusergroup", ("id", "name", "course_id", "group_type"),
                      lambda: ((gid, name, course_id(c), "cohort") for gid, c, name in groups)),
            TableSeed("course_groups_coursecohort", ("id", "course_user_group_id", "assignment_type"),
                      lambda: ((gid, gid, "random" if gid % 2 else "manual") for gid, _, _ in groups)),
            TableSeed("course_groups_coursecohortssettings", ("id", "is_cohorted", "course_id",
                                                              "cohorted_discussions",
                                                              "always_cohort_inline_discussions"),
                      lambda: ((i + 1, i in cohorted, course_id(i), "[]" if i in cohorted else None, False)
                               for i in range(self.course_count))),
            TableSeed("course_groups_courseusergrouppartitiongroup", ("id", "course_user_group_id", "partition_id",
                                                                      "group_id", "created_at", "updated_at"),
                      lambda: ((n + 1, gid, 50, 1 + n % 2, EPOCH, EPOCH) for n, (gid, _, _) in enumerate(groups))),
            TableSeed("course_groups_cohortmembership", ("id", "course_user_group_id", "user_id", "course_id"),
                      lambda: ((n + 1, gid, e.user_id, course_id(e.course)) for n, (e, gid) in enumerate(members))),
            TableSeed("course_groups_courseusergroup_users", ("id", "courseusergroup_id", "user_id"),
                      lambda: ((n + 1, gid, e.user_id) for n, (e, gid) in enumerate(members))),
            TableSeed("course_groups_unregisteredlearnercohortassignments", ("id", "course_user_group_id", "email",
                                                                             "course_id"),
                      lambda: ((n + 1, gid, f"future{n:04d}@example.org", course_id(c))
                               for n, (gid, c, _) in enumerate(groups))),
        ]

    def _ora_learners(self) -> list[tuple[int, str]]:
        """(user id, course id) of the learners who submitted an open response assessment."""
        rng = self.rng("ora")
        with_ora = {i for i, c in enumerate(self.courses) if c.blocks_of("openassessment")}
        return [(e.user_id, self.courses[e.course].course_id) for e in self.enrollments
                if e.course in with_ora and rng.random() < 0.1]

    def _submission_tables(self) -> list[TableSeed]:
        learners = self._ora_learners()
        ora_key = {c.course_id: c.usage_key(c.blocks_of("openassessment")[0]) for c in self.courses
                   if c.blocks_of("openassessment")}
        team_count = max(2, len(learners) // 100)

        def teams():
            rng = self.rng("submissions_teamsubmission")
            for n in range(1, team_count + 1):
                user_id, course_id = learners[n % len(learners)] if learners else (1, self.courses[0].course_id)
                when = self._ts(EPOCH - timedelta(days=n), rng)
                yield (n, when, when, rng.randbytes(16).hex(), 1, when, course_id, ora_key.get(course_id, ""),
                       f"team-{n}", "A", user_id)

        def items():
            for n, (user_id, course_id) in enumerate(learners, 1):
                yield n, self.anonymous_id(user_id, course_id), course_id, ora_key[course_id], "openassessment"

        def submissions():
            rng = self.rng("submissions_submission")
            for n, _ in enumerate(learners, 1):
                when = self._ts(EPOCH - timedelta(days=rng.randint(1, 200)), rng)
                answer = {"parts": [{"text": self._tricky(rng, "My essay about data.", 0.5)}]}
                yield (n, rng.randbytes(16).hex(), 1, when, when, json.dumps(answer), n, "A",
                       (n % team_count) + 1 if n % 50 == 0 else None)

        scored = [n for n in range(1, len(learners) + 1) if n % 5]

        def scores():
            rng = self.rng("submissions_score")
            for score_id, n in enumerate(scored, 1):
                yield (score_id, n, n, rng.randint(0, 10), 10, self._ts(EPOCH, rng), False)

        return [
            TableSeed("submissions_teamsubmission", ("id", "created", "modified", "uuid", "attempt_number",
                                                     "submitted_at", "course_id", "item_id", "team_id", "status",
                                                     "submitted_by_id"), teams),
            TableSeed("submissions_studentitem", ("id", "student_id", "course_id", "item_id", "item_type"), items),
            TableSeed("submissions_submission", ("id", "uuid", "attempt_number", "submitted_at", "created_at",
                                                 "raw_answer", "student_item_id", "status", "team_submission_id"),
                      submissions),
            TableSeed("submissions_score", ("id", "student_item_id", "submission_id", "points_earned",
                                            "points_possible", "created_at", "reset"), scores),
            TableSeed("submissions_scoresummary", ("id", "student_item_id", "highest_id", "latest_id"),
                      lambda: ((s, n, s, s) for s, n in enumerate(scored, 1))),
            TableSeed("submissions_scoreannotation", ("id", "score_id", "annotation_type", "creator", "reason"),
                      lambda: ((k, s, "staff_defined", self.anonymous_id(1), TRICKY[k % len(TRICKY)])
                               for k, s in enumerate(range(1, len(scored) + 1, 20), 1))),
        ]

    def _site_configuration(self):
        values = {"PLATFORM_NAME": "Panorama \"Demo\" LMS", "course_org_filter": list(ORGS[:2]),
                  "email_from_address": "noreply@example.com", "homepage_overlay_html": "<h1>Welcome,\nlearner</h1>"}
        yield 1, 1, True, json.dumps(values)

    def _enterprise_tables(self) -> list[TableSeed]:
        customers = [(f"{n:032x}", name, f"customer-{n}") for n, name in
                     enumerate(("Acme Corp", "Globex, Inc.", "Umbrella \"Health\""), 1)]
        user_ids = range(2, self.user_count + 1, 97)

        def customer_rows():
            for n, (uuid, name, slug) in enumerate(customers):
                yield (EPOCH, EPOCH, uuid, name, slug, True, "US", False, 1, n % 2 == 0, "at_enrollment", False,
                       False, False, 1, False, False, False, False, False, True, True, True, False, False,
                       f"admin@{slug}.example.com" if n else None, Decimal("12.50000") if n == 1 else None,
                       "en" if n else None, None, None, False, False, False)

        return [
            TableSeed("enterprise_enterprisecustomertype", ("id", "name"), lambda: [(1, "Enterprise")]),
            TableSeed("enterprise_enterprisecustomer", ENTERPRISE_CUSTOMER_COLUMNS, customer_rows),
            TableSeed("enterprise_enterprisecustomeruser", ("id", "created", "modified", "enterprise_customer_id",
                                                            "user_id", "active", "linked", "invite_key_id",
                                                            "should_inactivate_other_customers"),
                      lambda: ((n, EPOCH, EPOCH, customers[n % 3][0], user_id, True, n % 10 != 0, None, True)
                               for n, user_id in enumerate(user_ids, 1))),
            TableSeed("enterprise_pendingenterprisecustomeruser", ("id", "created", "modified", "user_email",
                                                                   "enterprise_customer_id"),
                      lambda: ((n, EPOCH, EPOCH, f"pending{n:04d}@acme.example.com", customers[n % 3][0])
                               for n in range(1, max(2, self.user_count // 1000) + 1))),
        ]


OVERVIEW_COLUMNS = (
    "created", "modified", "version", "id", "_location", "org", "display_name", "display_number_with_default",
    "display_org_with_default", "start", "end", "start_date", "end_date", "advertised_start", "announcement",
    "banner_image_url", "course_image_url", "social_sharing_url", "end_of_course_survey_url",
    "certificates_display_behavior", "certificates_show_before_end", "cert_html_view_enabled",
    "has_any_active_web_certificate", "cert_name_short", "cert_name_long", "certificate_available_date",
    "lowest_passing_grade", "days_early_for_beta", "mobile_available", "visible_to_staff_only",
    "_pre_requisite_courses_json", "enrollment_start", "enrollment_end", "enrollment_domain", "invitation_only",
    "max_student_enrollments_allowed", "catalog_visibility", "short_description", "course_video_url", "effort",
    "self_paced", "marketing_url", "eligible_for_financial_aid", "language", "has_highlights",
    "enable_proctored_exams", "proctoring_provider", "proctoring_escalation_email", "allow_proctoring_opt_out",
    "entrance_exam_enabled", "entrance_exam_id", "entrance_exam_minimum_score_pct", "external_id",
    "force_on_flexible_peer_openassessments",
)

ENTERPRISE_CUSTOMER_COLUMNS = (
    "created", "modified", "uuid", "name", "slug", "active", "country", "hide_course_original_price", "site_id",
    "enable_data_sharing_consent", "enforce_data_sharing_consent", "enable_audit_enrollment",
    "enable_audit_data_reporting", "replace_sensitive_sso_username", "customer_type_id",
    "enable_portal_code_management_screen", "enable_portal_reporting_config_screen",
    "enable_portal_saml_configuration_screen", "enable_portal_subscription_management_screen",
    "enable_portal_lms_configurations_screen", "enable_learner_portal",
    "enable_integrated_customer_learner_portal_search", "enable_analytics_screen", "enable_slug_login",
    "enable_autocohorting", "contact_email", "default_contract_discount", "default_language", "sender_alias",
    "reply_to", "hide_labor_market_data", "enable_universal_link", "enable_browse_and_request",
)
