"""
Storages move finished files into the datalake: a local folder (the embedded default) or S3.

Every file is first written to a local staging file; ``commit()`` then replaces the target in one step
(``os.replace`` on the same filesystem, or an S3 PUT / completed multipart upload whose content S3
checks against the MD5 we send). A failed or interrupted run therefore leaves the previous file or
object intact and never shows a partial one. Storages know nothing about tables.
"""
from __future__ import annotations

import base64
import hashlib
import os
import shutil
import tempfile
import time
import uuid
from abc import ABC, abstractmethod
from pathlib import Path
from urllib.parse import urlsplit

MULTIPART_THRESHOLD = 16 * 1024**2
PART_SIZE = 16 * 1024**2
PROBE_KEY = "PanoramaConnectionTest"  # the one key at the bucket root the ELT user may write and delete


class StorageError(Exception):
    """The datalake cannot be written or read; the message names the place and the cause."""


class Staged:
    """A local file that becomes ``key`` in the storage when committed, and nothing if discarded."""

    def __init__(self, storage: "Storage", key: str, path: Path):
        self.storage, self.key, self.path = storage, key, path

    def commit(self):
        try:
            self.storage.publish(self.path, self.key)
        finally:
            self.discard()

    def discard(self):
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass


class Storage(ABC):
    """The datalake root; keys are relative to it and use ``/``."""

    url: str

    @abstractmethod
    def staging_dir(self) -> Path:
        """A local folder for staging files (same filesystem as the target where that matters)."""

    @abstractmethod
    def publish(self, path: Path, key: str):
        """Replace ``key`` with the content of the local file ``path``, atomically."""

    @abstractmethod
    def keys(self, prefix: str) -> list[str]:
        """Every key under ``prefix``."""

    @abstractmethod
    def delete(self, keys: list[str]):
        """Remove these keys."""

    @abstractmethod
    def check(self):
        """Raise StorageError unless the datalake can be written."""

    def close(self):
        """Remove what staging left (nothing, after committed or discarded files)."""

    def stage(self, key: str) -> Staged:
        directory = self.staging_dir()
        return Staged(self, key, directory / f"{uuid.uuid4().hex}.csv.part")

    def location(self, key: str) -> str:
        return f"{self.url.rstrip('/')}/{key}"


class LocalStorage(Storage):
    """A folder on this machine."""

    STAGING = ".panorama-staging"

    def __init__(self, root: Path):
        self.root = Path(root)
        self.url = self.root.as_uri() if self.root.is_absolute() else f"file://{self.root}"

    def staging_dir(self) -> Path:
        directory = self.root / self.STAGING
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"Cannot write to the datalake folder {self.root}: {exc.strerror or exc}") from exc
        return directory

    def remove_abandoned_staging(self, older_than_seconds: float = 86400):
        """Staging files a killed run left behind (a live run's files are younger than any export)."""
        directory = self.root / self.STAGING
        limit = time.time() - older_than_seconds
        for path in directory.glob("*.part") if directory.is_dir() else ():
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                pass

    def publish(self, path: Path, key: str):
        target = self.root / key
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(path, target)
        except OSError as exc:
            raise StorageError(f"Cannot write {target}: {exc.strerror or exc}") from exc

    def keys(self, prefix: str) -> list[str]:
        base = self.root / prefix
        try:
            if not base.is_dir():
                return []
            return sorted(
                str(path.relative_to(self.root)).replace(os.sep, "/")
                for path in base.rglob("*") if path.is_file() and self.STAGING not in path.parts
            )
        except OSError as exc:
            raise StorageError(f"Cannot list {base}: {exc.strerror or exc}") from exc

    def delete(self, keys: list[str]):
        try:
            for key in keys:
                path = self.root / key
                path.unlink(missing_ok=True)
                parent = path.parent
                while parent != self.root and parent.is_dir() and not any(parent.iterdir()):
                    parent.rmdir()
                    parent = parent.parent
        except OSError as exc:
            raise StorageError(f"Cannot delete from {self.root}: {exc.strerror or exc}") from exc

    def close(self):
        try:
            (self.root / self.STAGING).rmdir()
        except OSError:
            pass  # absent, or files of a concurrent run

    def check(self):
        self.remove_abandoned_staging()
        probe = self.staging_dir() / f"probe-{uuid.uuid4().hex}"
        try:
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise StorageError(f"Cannot write to the datalake folder {self.root}: {exc.strerror or exc}") from exc


class S3Storage(Storage):
    """A bucket and prefix on S3 or an S3-compatible store."""

    def __init__(self, client, bucket: str, prefix: str = "", multipart_threshold: int = MULTIPART_THRESHOLD,
                 part_size: int = PART_SIZE):
        self.client, self.bucket, self.prefix = client, bucket, prefix.strip("/")
        self.multipart_threshold, self.part_size = multipart_threshold, part_size
        self.url = f"s3://{bucket}/{self.prefix}" if self.prefix else f"s3://{bucket}"
        self._staging = None

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def staging_dir(self) -> Path:
        if self._staging is None:
            self._staging = Path(tempfile.mkdtemp(prefix="panorama-staging-"))
        return self._staging

    def publish(self, path: Path, key: str):
        from botocore.exceptions import BotoCoreError, ClientError  # pylint: disable=import-outside-toplevel

        size = path.stat().st_size
        try:
            if size <= self.multipart_threshold:
                digest = hashlib.md5()  # noqa: S324 (S3's integrity check)
                with path.open("rb") as handle:
                    while chunk := handle.read(1024 * 1024):
                        digest.update(chunk)
                    handle.seek(0)
                    answer = self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=handle,
                                                    ContentMD5=base64.b64encode(digest.digest()).decode(),
                                                    ContentType="text/csv; charset=utf-8")
                _verify(answer, digest.hexdigest(), self.location(key))
            else:
                self._multipart(path, self._key(key))
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"Upload of {self.location(key)} failed: {exc}") from exc

    def _multipart(self, path: Path, key: str):
        upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=key,
                                                     ContentType="text/csv; charset=utf-8")
        upload_id, parts = upload["UploadId"], []
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(self.part_size):
                    number = len(parts) + 1
                    digest = hashlib.md5(chunk)  # noqa: S324 (S3's integrity check)
                    answer = self.client.upload_part(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                                     PartNumber=number, Body=chunk,
                                                     ContentMD5=base64.b64encode(digest.digest()).decode())
                    _verify(answer, digest.hexdigest(), f"s3://{self.bucket}/{key} (part {number})")
                    parts.append({"PartNumber": number, "ETag": answer["ETag"]})
            self.client.complete_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                                  MultipartUpload={"Parts": parts})
        except BaseException:
            try:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            except Exception:  # pylint: disable=broad-except  (the upload's own error is the one to report)
                pass
            raise

    def keys(self, prefix: str) -> list[str]:
        from botocore.exceptions import BotoCoreError, ClientError  # pylint: disable=import-outside-toplevel

        paginator = self.client.get_paginator("list_objects_v2")
        full = self._key(prefix)
        start = len(self.prefix) + 1 if self.prefix else 0
        try:
            return sorted(item["Key"][start:] for page in paginator.paginate(Bucket=self.bucket, Prefix=full)
                          for item in page.get("Contents", []))
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"Listing s3://{self.bucket}/{full} failed (s3:ListBucket): {exc}") from exc

    def delete(self, keys: list[str]):
        from botocore.exceptions import BotoCoreError, ClientError  # pylint: disable=import-outside-toplevel

        for first in range(0, len(keys), 1000):
            batch = [{"Key": self._key(key)} for key in keys[first:first + 1000]]
            try:
                answer = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
            except (BotoCoreError, ClientError) as exc:
                raise StorageError(f"Deleting from s3://{self.bucket} failed (s3:DeleteObject): {exc}") from exc
            if answer.get("Errors"):
                error = answer["Errors"][0]
                raise StorageError(f"Could not delete {error['Key']} from s3://{self.bucket} (s3:DeleteObject): "
                                   f"{error.get('Code')}: {error.get('Message')}")

    def check(self):
        """Put and delete ``PanoramaConnectionTest`` at the bucket root: what the ELT user's policy allows."""
        from botocore.exceptions import BotoCoreError, ClientError  # pylint: disable=import-outside-toplevel

        try:
            self.client.put_object(Bucket=self.bucket, Key=PROBE_KEY, Body=b"")
            self.client.delete_object(Bucket=self.bucket, Key=PROBE_KEY)
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"Cannot write to the datalake bucket s3://{self.bucket}: {exc}") from exc

    def close(self):
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None


def _verify(answer: dict, md5_hex: str, location: str):
    """
    S3 refuses a body that does not match its Content-MD5; this also checks what S3 says it stored
    (the ETag is the MD5 of a single upload or part, except under SSE-KMS / SSE-C encryption).
    """
    if answer.get("ServerSideEncryption", "").startswith("aws:kms") or answer.get("SSECustomerAlgorithm"):
        return
    etag = answer.get("ETag", "").strip('"')
    if etag and etag != md5_hex:
        raise StorageError(f"Integrity check failed for {location}: S3 stored ETag {etag}, expected MD5 {md5_hex}")


def s3_client(settings):
    """The S3 client of the datalake."""
    from panorama_openedx import aws  # pylint: disable=import-outside-toplevel

    return aws.client(settings, "s3")


def storage_for(settings, destination: str | None = None) -> Storage:
    """
    The datalake root: ``destination`` (``file:///path`` or ``s3://bucket/prefix``) when given, else
    ``s3://<PANORAMA_BUCKET>/<PANORAMA_BASE_PREFIX>`` or ``<PANORAMA_DATALAKE_DIR>/<PANORAMA_BASE_PREFIX>``.
    """
    if destination:
        parts = urlsplit(destination)
        if parts.scheme == "file" and parts.path.startswith("/") and parts.netloc in ("", "localhost"):
            return LocalStorage(Path(parts.path))
        if parts.scheme == "s3" and parts.netloc:
            return S3Storage(s3_client(settings), parts.netloc, parts.path)
        raise ValueError(f"destination {destination!r} is not file:///absolute/path or s3://bucket/prefix")
    if settings.bucket:
        return S3Storage(s3_client(settings), settings.bucket, settings.base_prefix)
    if settings.datalake_dir is not None:
        return LocalStorage(settings.datalake_dir / settings.base_prefix)
    raise ValueError("no datalake is configured: set PANORAMA_BUCKET or PANORAMA_DATALAKE_DIR, or give a destination")


def logs_storage_for(settings) -> Storage:
    """Where tracking-log objects go: the raw-logs bucket (its root), else the local datalake folder."""
    if settings.raw_logs_bucket:
        return S3Storage(s3_client(settings), settings.raw_logs_bucket, "",
                         multipart_threshold=settings.logs_upload_chunk_size, part_size=settings.logs_upload_chunk_size)
    if settings.datalake_dir is not None:
        return LocalStorage(settings.datalake_dir)
    raise ValueError("no raw-logs bucket is configured: set PANORAMA_RAW_LOGS_BUCKET (or PANORAMA_BUCKET), "
                     "or PANORAMA_DATALAKE_DIR")
