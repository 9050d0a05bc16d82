"""Keys are Panorama's, and no value can add a path level."""
from urllib.parse import unquote

from panorama_openedx.datalake.layout import HIVE_NULL, file_key, table_prefix


def test_unpartitioned_key():
    assert file_key("auth_user", "lms.example.com") == "auth_user/lms=lms.example.com/auth_user.csv"


def test_course_partition_key_is_panoramas():
    key = file_key("courseware_studentmodule", "lms.example.com", (("course_id", "course-v1:X+Y+Z"),))
    assert key == ("courseware_studentmodule/lms=lms.example.com/course_id=course-v1%3AX%2BY%2BZ/"
                   "courseware_studentmodule.csv")


def test_legacy_key_stays_one_folder():
    key = file_key("t", "lms.example.com", (("course_id", "OldOrg/CS101/2014_Fall"),))
    assert key.count("/") == 3
    assert unquote(key.split("/")[2].split("=", 1)[1]) == "OldOrg/CS101/2014_Fall"


def test_every_awkward_value_is_one_level_and_decodes_back():
    for value in ("a b", "x=y", "../..", "%2F", "100%", "é", "a\nb", "?&#"):
        segment = file_key("t", "h", (("f", value),)).split("/")[2]
        assert "/" not in segment and unquote(segment.split("=", 1)[1]) == value


def test_null_and_empty_go_to_the_hive_default_partition():
    assert file_key("t", "h", (("f", None),)) == f"t/lms=h/f={HIVE_NULL}/t.csv"
    assert file_key("t", "h", (("f", ""),)) == f"t/lms=h/f={HIVE_NULL}/t.csv"


def test_host_with_port():
    assert table_prefix("t", "lms.example.com:8000") == "t/lms=lms.example.com%3A8000/"
