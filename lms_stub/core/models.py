"""
Models of the real LMS tables Panorama exports, with the LMS's own ``db_table``, column names and types
(``../shared/reference/lms-schema.md``, edx-platform, edx-submissions, openedx/completion).

Only the schema is reproduced: no behaviour, no signals. ``auth_user`` is Django's own User model, as in
the LMS. tests/lms_stub/expected_columns.txt holds the column list that a MariaDB test checks.
"""
from django.conf import settings
from django.db import models

from lms_stub.core.fields import UnsignedBigIntAutoField, UUIDCharField

USER = settings.AUTH_USER_MODEL
KEY = 255  # CourseKeyField / UsageKeyField / LearningContextKeyField: varchar(255)


def _table(name):
    return type("Meta", (), {"db_table": name})


# --- users ------------------------------------------------------------------------------------------

class UserProfile(models.Model):
    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="profile")
    name = models.CharField(max_length=255, blank=True, db_index=True)
    meta = models.TextField(blank=True)
    courseware = models.CharField(max_length=255, blank=True, default="course.xml")
    language = models.CharField(max_length=255, blank=True, db_index=True)
    location = models.CharField(max_length=255, blank=True, db_index=True)
    year_of_birth = models.IntegerField(blank=True, null=True, db_index=True)
    gender = models.CharField(max_length=6, blank=True, null=True, db_index=True)
    level_of_education = models.CharField(max_length=6, blank=True, null=True, db_index=True)
    mailing_address = models.TextField(blank=True, null=True)
    city = models.TextField(blank=True, null=True)
    country = models.CharField(max_length=2, blank=True, null=True)
    state = models.CharField(max_length=2, blank=True, null=True)
    goals = models.TextField(blank=True, null=True)
    bio = models.CharField(max_length=3000, blank=True, null=True)
    profile_image_uploaded_at = models.DateTimeField(null=True, blank=True)
    phone_number = models.CharField(max_length=50, blank=True, null=True)

    Meta = _table("auth_userprofile")


class AnonymousUserId(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE)
    anonymous_user_id = models.CharField(unique=True, max_length=32)
    course_id = models.CharField(max_length=KEY, db_index=True, blank=True)

    Meta = _table("student_anonymoususerid")


# --- enrollment and roles ------------------------------------------------------------------------------

class CourseEnrollment(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE)
    course_id = models.CharField(max_length=KEY, db_index=True)  # FK to CourseOverview, db_constraint=False
    created = models.DateTimeField(null=True, db_index=True)
    is_active = models.BooleanField(default=True)
    mode = models.CharField(default="audit", max_length=100)

    class Meta:
        db_table = "student_courseenrollment"
        unique_together = (("user", "course_id"),)


class CourseEnrollmentAllowed(models.Model):
    email = models.CharField(max_length=255, db_index=True)
    course_id = models.CharField(max_length=KEY, db_index=True)
    auto_enroll = models.BooleanField(default=False)
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.CASCADE)
    created = models.DateTimeField(auto_now_add=True, null=True, db_index=True)

    class Meta:
        db_table = "student_courseenrollmentallowed"
        unique_together = (("email", "course_id"),)


class ManualEnrollmentAudit(models.Model):
    enrollment = models.ForeignKey(CourseEnrollment, null=True, on_delete=models.CASCADE)
    enrolled_by = models.ForeignKey(USER, null=True, on_delete=models.CASCADE)
    enrolled_email = models.CharField(max_length=255, db_index=True)
    time_stamp = models.DateTimeField(auto_now_add=True, null=True)
    state_transition = models.CharField(max_length=255)
    reason = models.TextField(null=True)
    role = models.CharField(blank=True, null=True, max_length=64)

    Meta = _table("student_manualenrollmentaudit")


class CourseAccessRole(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE)
    org = models.CharField(max_length=64, db_index=True, blank=True)
    course_id = models.CharField(max_length=KEY, db_index=True, blank=True)
    role = models.CharField(max_length=64, db_index=True)

    class Meta:
        db_table = "student_courseaccessrole"
        unique_together = (("user", "org", "course_id", "role"),)


# --- courses -------------------------------------------------------------------------------------------

class CourseOverview(models.Model):
    created = models.DateTimeField()
    modified = models.DateTimeField()
    version = models.IntegerField()
    id = models.CharField(max_length=KEY, primary_key=True)
    _location = models.CharField(max_length=KEY)
    org = models.TextField(default="outdated_entry")
    display_name = models.TextField(null=True)
    display_number_with_default = models.TextField()
    display_org_with_default = models.TextField()
    start = models.DateTimeField(null=True)
    end = models.DateTimeField(null=True)
    start_date = models.DateTimeField(null=True)
    end_date = models.DateTimeField(null=True)
    advertised_start = models.TextField(null=True)
    announcement = models.DateTimeField(null=True)
    banner_image_url = models.TextField()
    course_image_url = models.TextField()
    social_sharing_url = models.TextField(null=True)
    end_of_course_survey_url = models.TextField(null=True)
    certificates_display_behavior = models.TextField(null=True)
    certificates_show_before_end = models.BooleanField(default=False)
    cert_html_view_enabled = models.BooleanField(default=False)
    has_any_active_web_certificate = models.BooleanField(default=False)
    cert_name_short = models.TextField()
    cert_name_long = models.TextField()
    certificate_available_date = models.DateTimeField(default=None, null=True)
    lowest_passing_grade = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    days_early_for_beta = models.FloatField(null=True)
    mobile_available = models.BooleanField(default=False)
    visible_to_staff_only = models.BooleanField(default=False)
    _pre_requisite_courses_json = models.TextField()
    enrollment_start = models.DateTimeField(null=True)
    enrollment_end = models.DateTimeField(null=True)
    enrollment_domain = models.TextField(null=True)
    invitation_only = models.BooleanField(default=False)
    max_student_enrollments_allowed = models.IntegerField(null=True)
    catalog_visibility = models.TextField(null=True)
    short_description = models.TextField(null=True)
    course_video_url = models.TextField(null=True)
    effort = models.TextField(null=True)
    self_paced = models.BooleanField(default=False)
    marketing_url = models.TextField(null=True)
    eligible_for_financial_aid = models.BooleanField(default=True)
    language = models.TextField(null=True)
    has_highlights = models.BooleanField(null=True, default=None)
    enable_proctored_exams = models.BooleanField(default=False)
    proctoring_provider = models.TextField(null=True)
    proctoring_escalation_email = models.TextField(null=True)
    allow_proctoring_opt_out = models.BooleanField(default=False)
    entrance_exam_enabled = models.BooleanField(default=False)
    entrance_exam_id = models.CharField(max_length=255, blank=True)
    entrance_exam_minimum_score_pct = models.FloatField(default=0.65)
    external_id = models.CharField(max_length=128, null=True, blank=True)
    force_on_flexible_peer_openassessments = models.BooleanField(default=False)

    Meta = _table("course_overviews_courseoverview")


class SplitModulestoreCourseIndex(models.Model):
    objectid = models.CharField(max_length=24, unique=True)
    course_id = models.CharField(max_length=KEY, unique=True)
    org = models.CharField(max_length=255, db_index=True)
    draft_version = models.CharField(max_length=24, blank=True)
    published_version = models.CharField(max_length=24, blank=True)
    library_version = models.CharField(max_length=24, blank=True)
    wiki_slug = models.CharField(max_length=255, blank=True)
    base_store = models.CharField(max_length=20, default="mongodb")
    edited_by_id = models.IntegerField(null=True)
    edited_on = models.DateTimeField()
    last_update = models.DateTimeField()

    Meta = _table("split_modulestore_django_splitmodulestorecourseindex")


class SiteConfiguration(models.Model):
    site = models.OneToOneField("sites.Site", related_name="configuration", on_delete=models.CASCADE)
    enabled = models.BooleanField(default=False)
    site_values = models.TextField(blank=True)  # jsonfield.JSONField: longtext holding JSON text

    Meta = _table("site_configuration_siteconfiguration")


# --- progress, grades, certificates, completion ---------------------------------------------------------

class StudentModule(models.Model):
    id = UnsignedBigIntAutoField(primary_key=True)
    module_type = models.CharField(max_length=32, default="problem", db_index=True)
    module_state_key = models.CharField(max_length=KEY, db_column="module_id")
    student = models.ForeignKey(USER, db_index=True, db_constraint=False, on_delete=models.CASCADE)
    course_id = models.CharField(max_length=KEY, db_index=True)
    state = models.TextField(null=True, blank=True)
    grade = models.FloatField(null=True, blank=True, db_index=True)
    max_grade = models.FloatField(null=True, blank=True)
    done = models.CharField(max_length=8, default="na")
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    modified = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        db_table = "courseware_studentmodule"
        unique_together = (("student", "module_state_key", "course_id"),)
        indexes = [models.Index(fields=["module_state_key", "grade", "student"], name="courseware_stats")]


class PersistentCourseGrade(models.Model):
    id = UnsignedBigIntAutoField(primary_key=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    modified = models.DateTimeField(auto_now=True, db_index=True)
    user_id = models.IntegerField(blank=False, db_index=True)
    course_id = models.CharField(max_length=KEY)
    course_edited_timestamp = models.DateTimeField(blank=True, null=True)
    course_version = models.CharField(blank=True, max_length=255)
    grading_policy_hash = models.CharField(blank=False, max_length=255)
    percent_grade = models.FloatField(blank=False)
    letter_grade = models.CharField(max_length=255, blank=False)
    passed_timestamp = models.DateTimeField(blank=True, null=True)

    class Meta:
        db_table = "grades_persistentcoursegrade"
        unique_together = (("course_id", "user_id"),)
        indexes = [
            models.Index(fields=["passed_timestamp", "course_id"], name="grades_pcg_passed_course"),
            models.Index(fields=["modified", "course_id"], name="grades_pcg_modified_course"),
        ]


class VisibleBlocks(models.Model):
    blocks_json = models.TextField()
    hashed = models.CharField(max_length=100, unique=True)
    course_id = models.CharField(max_length=KEY, db_index=True)

    Meta = _table("grades_visibleblocks")


class PersistentSubsectionGrade(models.Model):
    id = UnsignedBigIntAutoField(primary_key=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    modified = models.DateTimeField(auto_now=True, db_index=True)
    user_id = models.IntegerField(blank=False)
    course_id = models.CharField(max_length=KEY)
    usage_key = models.CharField(max_length=KEY)
    subtree_edited_timestamp = models.DateTimeField("Last content edit timestamp", blank=True, null=True)
    course_version = models.CharField("Guid of latest course version", blank=True, max_length=255)
    earned_all = models.FloatField(blank=False)
    possible_all = models.FloatField(blank=False)
    earned_graded = models.FloatField(blank=False)
    possible_graded = models.FloatField(blank=False)
    first_attempted = models.DateTimeField(null=True, blank=True)
    visible_blocks = models.ForeignKey(VisibleBlocks, db_column="visible_blocks_hash", to_field="hashed",
                                       on_delete=models.CASCADE)

    class Meta:
        db_table = "grades_persistentsubsectiongrade"
        unique_together = (("course_id", "user_id", "usage_key"),)
        indexes = [
            models.Index(fields=["modified", "course_id", "usage_key"], name="course_id_usage_key_idx"),
            models.Index(fields=["first_attempted", "course_id", "user_id"], name="first_course_id_user_id_idx"),
        ]


class GeneratedCertificate(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE)
    course_id = models.CharField(max_length=KEY, blank=True, default=None)
    verify_uuid = models.CharField(max_length=32, blank=True, default="", db_index=True)
    download_uuid = models.CharField(max_length=32, blank=True, default="")
    download_url = models.CharField(max_length=128, blank=True, default="")
    grade = models.CharField(max_length=5, blank=True, default="")
    key = models.CharField(max_length=32, blank=True, default="")
    distinction = models.BooleanField(default=False)
    status = models.CharField(max_length=32, default="unavailable")
    mode = models.CharField(max_length=32, default="honor")
    name = models.CharField(blank=True, max_length=255)
    created_date = models.DateTimeField(auto_now_add=True)
    modified_date = models.DateTimeField(auto_now=True)
    error_reason = models.CharField(max_length=512, blank=True, default="")

    class Meta:
        db_table = "certificates_generatedcertificate"
        unique_together = (("user", "course_id"),)


class BlockCompletion(models.Model):
    id = models.BigAutoField(primary_key=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    user = models.ForeignKey(USER, on_delete=models.CASCADE)
    context_key = models.CharField(max_length=KEY, db_column="course_key")
    block_key = models.CharField(max_length=KEY)
    block_type = models.CharField(max_length=64)
    completion = models.FloatField()

    class Meta:
        db_table = "completion_blockcompletion"
        unique_together = (("context_key", "block_key", "user"),)
        indexes = [
            models.Index(fields=["context_key", "block_type", "user"], name="completion_course_type_user"),
            models.Index(fields=["user", "context_key", "modified"], name="completion_user_course_mod"),
        ]


# --- cohorts -------------------------------------------------------------------------------------------

class CourseUserGroup(models.Model):
    name = models.CharField(max_length=255)
    users = models.ManyToManyField(USER, db_index=True, related_name="course_groups", blank=True)
    course_id = models.CharField(max_length=KEY, db_index=True)
    group_type = models.CharField(max_length=20, choices=(("cohort", "Cohort"),))

    class Meta:
        db_table = "course_groups_courseusergroup"
        unique_together = (("name", "course_id"),)


class CohortMembership(models.Model):
    course_user_group = models.ForeignKey(CourseUserGroup, on_delete=models.CASCADE)
    user = models.ForeignKey(USER, on_delete=models.CASCADE)
    course_id = models.CharField(max_length=KEY)

    class Meta:
        db_table = "course_groups_cohortmembership"
        unique_together = (("user", "course_id"),)


class CourseCohort(models.Model):
    course_user_group = models.OneToOneField(CourseUserGroup, unique=True, related_name="cohort",
                                             on_delete=models.CASCADE)
    assignment_type = models.CharField(max_length=20, default="manual")

    Meta = _table("course_groups_coursecohort")


class CourseCohortsSettings(models.Model):
    is_cohorted = models.BooleanField(default=False)
    course_id = models.CharField(max_length=KEY, unique=True)
    cohorted_discussions = models.TextField(null=True, blank=True)
    always_cohort_inline_discussions = models.BooleanField(default=False)

    Meta = _table("course_groups_coursecohortssettings")


class CourseUserGroupPartitionGroup(models.Model):
    course_user_group = models.OneToOneField(CourseUserGroup, on_delete=models.CASCADE)
    partition_id = models.IntegerField()
    group_id = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    Meta = _table("course_groups_courseusergrouppartitiongroup")


class UnregisteredLearnerCohortAssignments(models.Model):
    course_user_group = models.ForeignKey(CourseUserGroup, on_delete=models.CASCADE)
    email = models.CharField(blank=True, max_length=255, db_index=True)
    course_id = models.CharField(max_length=KEY)

    class Meta:
        db_table = "course_groups_unregisteredlearnercohortassignments"
        unique_together = (("course_id", "email"),)


# --- submissions (edx-submissions) ---------------------------------------------------------------------

class StudentItem(models.Model):
    student_id = models.CharField(max_length=255, blank=False, db_index=True)
    course_id = models.CharField(max_length=255, blank=False, db_index=True)
    item_id = models.CharField(max_length=255, blank=False, db_index=True)
    item_type = models.CharField(max_length=100)

    class Meta:
        db_table = "submissions_studentitem"
        unique_together = (("course_id", "student_id", "item_id"),)


class TeamSubmission(models.Model):
    created = models.DateTimeField()
    modified = models.DateTimeField()
    uuid = UUIDCharField(db_index=True)
    attempt_number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(db_index=True)
    course_id = models.CharField(max_length=255, db_index=True)
    item_id = models.CharField(max_length=255, db_index=True)
    team_id = models.CharField(max_length=255, db_index=True)
    status = models.CharField(max_length=1, default="A")
    submitted_by = models.ForeignKey(USER, on_delete=models.DO_NOTHING)

    Meta = _table("submissions_teamsubmission")


class Submission(models.Model):
    uuid = UUIDCharField(db_index=True)
    student_item = models.ForeignKey(StudentItem, on_delete=models.CASCADE)
    attempt_number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(db_index=True)
    answer = models.TextField(blank=True, db_column="raw_answer")
    status = models.CharField(max_length=1, default="A")
    team_submission = models.ForeignKey(TeamSubmission, null=True, blank=True, db_index=True,
                                        on_delete=models.SET_NULL)

    Meta = _table("submissions_submission")


class Score(models.Model):
    student_item = models.ForeignKey(StudentItem, on_delete=models.CASCADE)
    submission = models.ForeignKey(Submission, null=True, on_delete=models.CASCADE)
    points_earned = models.PositiveIntegerField(default=0)
    points_possible = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)
    reset = models.BooleanField(default=False)

    Meta = _table("submissions_score")


class ScoreSummary(models.Model):
    student_item = models.OneToOneField(StudentItem, on_delete=models.CASCADE)
    highest = models.ForeignKey(Score, related_name="+", on_delete=models.CASCADE)
    latest = models.ForeignKey(Score, related_name="+", on_delete=models.CASCADE)

    Meta = _table("submissions_scoresummary")


class ScoreAnnotation(models.Model):
    score = models.ForeignKey(Score, on_delete=models.CASCADE)
    annotation_type = models.CharField(max_length=255, blank=False, db_index=True)
    creator = models.CharField(max_length=255, db_index=True)
    reason = models.TextField()

    Meta = _table("submissions_scoreannotation")
