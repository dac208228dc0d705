"""End-to-end check of the S3 server from `scripts/s3-server start` with the minio SDK.

    eval "$(scripts/s3-server start)" && .venv/bin/python scripts/s3-server-check.py

Uses PORTAL_TEST_S3_ENDPOINT / _ACCESS_KEY / _SECRET_KEY (defaults: the script's).
Makes a bucket, streams a 20 MiB object up (multipart), reads it back and compares
SHA-256, fetches it through a presigned GET, expects 403 for a tampered and for an
expired presigned URL and an error for a wrong secret key, then removes everything.
Prints one OK line per step; exits non-zero on the first failure.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import sys
import time
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from minio import Minio
from minio.error import S3Error

ENDPOINT = os.environ.get("PORTAL_TEST_S3_ENDPOINT", "http://127.0.0.1:8080")
ACCESS_KEY = os.environ.get("PORTAL_TEST_S3_ACCESS_KEY", "portal:svc")
SECRET_KEY = os.environ.get("PORTAL_TEST_S3_SECRET_KEY", "s3secretkey1234")
REGION = "us-east-1"
SIZE = 20 * 1024 * 1024
PART = 5 * 1024 * 1024


class CheckFailed(Exception):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise CheckFailed(what)


def ok(what: str, started: float | None = None) -> None:
    took = f" ({time.perf_counter() - started:.2f}s)" if started is not None else ""
    print(f"OK {what}{took}", flush=True)


def client(secret: str = SECRET_KEY) -> Minio:
    url = urlsplit(ENDPOINT)
    return Minio(
        url.netloc,
        access_key=ACCESS_KEY,
        secret_key=secret,
        secure=url.scheme == "https",
        region=REGION,
    )


def tamper(url: str) -> str:
    """The URL with the last hex digit of X-Amz-Signature changed."""
    head, sep, tail = url.partition("X-Amz-Signature=")
    check(bool(sep), "presigned URL has an X-Amz-Signature")
    sig, amp, rest = tail.partition("&")
    flipped = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    return head + sep + flipped + amp + rest


def run() -> None:
    s3 = client()
    bucket = f"s3check-{secrets.token_hex(4)}"
    key = "dir/twenty-mib.bin"
    data = os.urandom(SIZE)
    digest = hashlib.sha256(data).hexdigest()

    t = time.perf_counter()
    s3.make_bucket(bucket)
    check(s3.bucket_exists(bucket), "bucket exists after make_bucket")
    ok(f"make_bucket {bucket}", t)
    try:
        t = time.perf_counter()
        result = s3.put_object(bucket, key, io.BytesIO(data), length=-1, part_size=PART)
        check(result.etag.endswith("-4"), f"multipart ETag ends in -4 (got {result.etag})")
        ok(f"put_object 20 MiB streamed, part_size 5 MiB, etag {result.etag}", t)

        t = time.perf_counter()
        response = s3.get_object(bucket, key)
        try:
            h = hashlib.sha256()
            for chunk in response.stream(1024 * 1024):
                h.update(chunk)
        finally:
            response.close()
            response.release_conn()
        check(h.hexdigest() == digest, "SHA-256 of get_object equals the upload's")
        ok("get_object SHA-256 matches", t)

        t = time.perf_counter()
        url = s3.presigned_get_object(bucket, key, expires=timedelta(minutes=5))
        r = httpx.get(url, timeout=30)
        check(r.status_code == 200, f"presigned GET status 200 (got {r.status_code})")
        check(hashlib.sha256(r.content).hexdigest() == digest, "presigned GET SHA-256 matches")
        ok("presigned GET with httpx: 200, SHA-256 matches", t)

        r = httpx.get(tamper(url), timeout=30)
        check(r.status_code == 403, f"tampered presigned URL gets 403 (got {r.status_code})")
        ok("tampered presigned URL: 403")

        short = s3.presigned_get_object(bucket, key, expires=timedelta(seconds=1))
        time.sleep(2.5)
        r = httpx.get(short, timeout=30)
        check(r.status_code == 403, f"expired presigned URL gets 403 (got {r.status_code})")
        ok("expired presigned URL: 403")

        try:
            client(secret=SECRET_KEY + "x").stat_object(bucket, key)
        except S3Error as exc:
            ok(f"wrong secret key refused ({exc.code})")
        else:
            raise CheckFailed("a wrong secret key was accepted")

        s3.remove_object(bucket, key)
        try:
            s3.stat_object(bucket, key)
        except S3Error as exc:
            check(exc.code == "NoSuchKey", f"NoSuchKey after remove_object (got {exc.code})")
        else:
            raise CheckFailed("object still there after remove_object")
        ok("remove_object, then NoSuchKey")
    finally:
        for obj in s3.list_objects(bucket, recursive=True):
            s3.remove_object(bucket, obj.object_name)
        s3.remove_bucket(bucket)
    check(not s3.bucket_exists(bucket), "bucket gone after remove_bucket")
    ok("remove_bucket")


def main() -> int:
    print(f"S3 endpoint {ENDPOINT}", flush=True)
    try:
        run()
    except CheckFailed as exc:
        print(f"FAIL {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        print(f"FAIL {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print("OK all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
