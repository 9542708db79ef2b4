"""Where the media of a test product lives: a folder next to SQLite, the real SeaweedFS S3
server scripts/test starts (TEST_S3_*) next to PostgreSQL, as production keeps it in S3."""

from __future__ import annotations

import os
from pathlib import Path


def s3_env() -> dict[str, str]:
    return {
        "MEDIA_STORAGE": "s3",
        "S3_ENDPOINT_URL": os.environ["TEST_S3_ENDPOINT"],
        "S3_BUCKET": os.environ["TEST_S3_BUCKET"],
        "S3_ACCESS_KEY": os.environ["TEST_S3_ACCESS_KEY"],
        "S3_SECRET_KEY": os.environ["TEST_S3_SECRET_KEY"],
    }


def media_env(backend_name: str, tmp: Path) -> dict[str, str]:
    if backend_name == "sqlite" or not os.environ.get("TEST_S3_ENDPOINT"):
        return {"MEDIA_STORAGE": "local", "MEDIA_DIR": str(tmp / "media")}
    return s3_env()


def ensure_bucket(endpoint: str, bucket: str, access_key: str, secret_key: str) -> None:
    """The bucket `weed mini -bucket=` makes at start, made here if it is not there yet
    (the gateway can answer a moment before its start-up bucket exists)."""
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}),
    )
    names = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if bucket not in names:
        client.create_bucket(Bucket=bucket)
