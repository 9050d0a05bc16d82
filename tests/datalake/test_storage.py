"""Storages replace a file only once its new content is complete, locally and on S3 (moto over HTTP)."""
import boto3
import pytest
from botocore.exceptions import ClientError

from panorama_openedx.datalake.storage import LocalStorage, S3Storage, StorageError, storage_for

MB = 1024 * 1024


def test_local_commit_replaces_and_discard_keeps_the_previous_file(tmp_path):
    storage = LocalStorage(tmp_path / "lake")
    first = storage.stage("t/lms=h/t.csv")
    first.path.write_bytes(b"old\n")
    first.commit()
    second = storage.stage("t/lms=h/t.csv")
    second.path.write_bytes(b"half of the new con")
    second.discard()  # an interrupted run
    assert (tmp_path / "lake/t/lms=h/t.csv").read_bytes() == b"old\n"
    assert storage.keys("t/") == ["t/lms=h/t.csv"]
    storage.close()
    assert not (tmp_path / "lake" / LocalStorage.STAGING).exists()


def test_local_delete_removes_empty_partition_folders(tmp_path):
    storage = LocalStorage(tmp_path)
    for key in ("t/lms=h/c=1/t.csv", "t/lms=h/c=2/t.csv"):
        staged = storage.stage(key)
        staged.path.write_bytes(b"x")
        staged.commit()
    storage.delete(["t/lms=h/c=1/t.csv"])
    assert storage.keys("t/") == ["t/lms=h/c=2/t.csv"]
    assert not (tmp_path / "t/lms=h/c=1").exists()


@pytest.fixture
def s3(aws):
    client = boto3.client("s3", endpoint_url=aws, region_name="us-east-1")
    client.create_bucket(Bucket="lake-bucket")
    return client


def test_s3_single_and_multipart_uploads(s3, tmp_path):
    storage = S3Storage(s3, "lake-bucket", "openedx", multipart_threshold=5 * MB, part_size=5 * MB)
    small = storage.stage("t/lms=h/small.csv")
    small.path.write_bytes(b"a,b\n1,2\n")
    small.commit()
    big_content = bytes(range(256)) * (11 * MB // 256)
    big = storage.stage("t/lms=h/big.csv")
    big.path.write_bytes(big_content)
    big.commit()
    assert s3.get_object(Bucket="lake-bucket", Key="openedx/t/lms=h/small.csv")["Body"].read() == b"a,b\n1,2\n"
    obj = s3.get_object(Bucket="lake-bucket", Key="openedx/t/lms=h/big.csv")
    assert obj["Body"].read() == big_content
    assert obj["ETag"].endswith('-3"'), "three parts of at most 5 MiB"
    assert storage.keys("t/") == ["t/lms=h/big.csv", "t/lms=h/small.csv"]
    assert not big.path.exists() and not small.path.exists()


def test_s3_failure_in_the_middle_of_a_multipart_upload_keeps_the_previous_object(s3):
    """moto cannot fail one request on demand: a botocore hook refuses the second part (the rest is real HTTP)."""
    s3.put_object(Bucket="lake-bucket", Key="openedx/t/lms=h/t.csv", Body=b"previous")
    storage = S3Storage(s3, "lake-bucket", "openedx", multipart_threshold=5 * MB, part_size=5 * MB)
    calls = []

    def second_part_fails(params, **kwargs):
        calls.append(params["PartNumber"])
        if params["PartNumber"] == 2:
            raise ClientError({"Error": {"Code": "SlowDown", "Message": "Please reduce your request rate."}},
                              "UploadPart")

    s3.meta.events.register("before-parameter-build.s3.UploadPart", second_part_fails)
    staged = storage.stage("t/lms=h/t.csv")
    staged.path.write_bytes(b"x" * (11 * MB))
    with pytest.raises(StorageError, match=r"Upload of s3://lake-bucket/openedx/t/lms=h/t.csv failed.*SlowDown"):
        staged.commit()
    assert calls == [1, 2]
    assert s3.get_object(Bucket="lake-bucket", Key="openedx/t/lms=h/t.csv")["Body"].read() == b"previous"
    assert s3.list_multipart_uploads(Bucket="lake-bucket").get("Uploads", []) == []
    assert not staged.path.exists()


@pytest.mark.parametrize("threshold", [64 * MB, 5 * MB])
def test_s3_upload_whose_stored_content_differs_is_an_error(s3, threshold):
    """
    On AWS, S3 itself refuses a body that does not match the Content-MD5 we send; moto does not check it,
    so a wrapped client corrupts the body after its digest was taken, and the ETag comparison must catch it.
    For a multipart upload nothing is completed: the previous object stays.
    """
    s3.put_object(Bucket="lake-bucket", Key="k.csv", Body=b"previous")
    storage = S3Storage(s3, "lake-bucket", multipart_threshold=threshold, part_size=5 * MB)
    def corrupt(body):
        return (body.read() if hasattr(body, "read") else body) + b"!"

    for operation in ("put_object", "upload_part"):
        original = getattr(storage.client, operation)
        setattr(storage.client, operation,
                lambda _original=original, **kwargs: _original(**{**kwargs, "Body": corrupt(kwargs["Body"])}))
    staged = storage.stage("k.csv")
    staged.path.write_bytes(b"y" * (6 * MB))
    with pytest.raises(StorageError, match="Integrity check failed for s3://lake-bucket/k.csv"):
        staged.commit()
    if threshold == 5 * MB:
        assert s3.get_object(Bucket="lake-bucket", Key="k.csv")["Body"].read() == b"previous"
        assert s3.list_multipart_uploads(Bucket="lake-bucket").get("Uploads", []) == []


def test_unreachable_bucket(aws):
    storage = S3Storage(boto3.client("s3", endpoint_url=aws, region_name="us-east-1"), "no-such-bucket")
    with pytest.raises(StorageError, match="Cannot write to the datalake bucket s3://no-such-bucket.*NoSuchBucket"):
        storage.check()


@pytest.mark.parametrize("destination", ["ftp://x/y", "file://relative/path", "s3:///no-bucket", "lake"])
def test_bad_destinations(destination):
    with pytest.raises(ValueError, match="is not file:///absolute/path or s3://bucket/prefix"):
        storage_for(None, destination)


def test_stale_file_cleanup_without_list_permission_is_a_warning(s3):
    """
    The ELT user's minimal policy has no s3:ListBucket. moto does not enforce IAM here, so a botocore hook
    refuses ListObjectsV2 as AWS would; the new files are published and the clean-up is reported as a warning.
    """
    from panorama_openedx.datalake.writer import TableWriter  # pylint: disable=import-outside-toplevel

    def refuse(**kwargs):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}, "ListObjectsV2")

    s3.meta.events.register("before-call.s3.ListObjectsV2", refuse)
    writer = TableWriter(S3Storage(s3, "lake-bucket", "openedx"), "t", "h", ("c",), ["id"])
    writer.write([("x", 1)])
    files = writer.commit()
    assert list(files.files) == ["t/lms=h/c=x/t.csv"] and files.removed == []
    assert files.warnings == ["stale partition files were not removed: Listing s3://lake-bucket/openedx/t/lms=h/ "
                              "failed (s3:ListBucket): An error occurred (AccessDenied) when calling the "
                              "ListObjectsV2 operation: Access Denied"]
    assert s3.get_object(Bucket="lake-bucket", Key="openedx/t/lms=h/c=x/t.csv")["Body"].read() == b"id\n1\n"


def test_null_and_empty_partition_values_share_one_file(tmp_path):
    """Both go to Hive's default partition: one file with every row, not one overwriting the other."""
    from panorama_openedx.datalake.writer import TableWriter  # pylint: disable=import-outside-toplevel

    writer = TableWriter(LocalStorage(tmp_path), "t", "h", ("c",), ["id"])
    writer.write([(None, 1), (None, 2), ("", 3), ("x", 4)])
    files = writer.commit()
    assert files.files == {"t/lms=h/c=__HIVE_DEFAULT_PARTITION__/t.csv": 3, "t/lms=h/c=x/t.csv": 1}
    assert (tmp_path / "t/lms=h/c=__HIVE_DEFAULT_PARTITION__/t.csv").read_text() == "id\n1\n2\n3\n"


def test_many_partitions_with_few_open_files(tmp_path):
    """More partitions than open handles: files are closed and reopened in append mode, rows stay in order."""
    from panorama_openedx.datalake.writer import TableWriter  # pylint: disable=import-outside-toplevel

    writer = TableWriter(LocalStorage(tmp_path), "t", "h", ("c",), ["id"], max_open=2)
    for round_number in range(3):
        writer.write([(f"p{n}", round_number * 10 + n) for n in range(5)])
    files = writer.commit()
    assert len(files.files) == 5 and files.rows == 15
    assert (tmp_path / "t/lms=h/c=p3/t.csv").read_text() == "id\n3\n13\n23\n"
