"""Request counters per AWS action, S3 upload bytes, and a log of when each request arrived.

The TypeScript tests use the counters to prove that a re-run uploads nothing: `GET /_zerostack/stats`
shows how many S3 PutObject/UploadPart requests came in and how many payload bytes they carried.
The log (`GET /_zerostack/requests?operation=CreateTrainingJob`) gives each request's arrival on
the wall clock, so a benchmark can time a client from its process start to the request that matters
(bench/submission.ts); it keeps the last LOG_LIMIT requests.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from typing import Any
from urllib.parse import parse_qs

LOG_LIMIT = 10_000


def _service(environ: dict[str, Any]) -> str:
    """The signing name from a SigV4 Authorization header, e.g. s3, sagemaker, logs."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    try:
        return auth.split("Credential=")[1].split(",")[0].split("/")[3]
    except IndexError:
        return "unsigned"


def _s3_action(method: str, path: str, query: dict[str, list[str]]) -> str:
    has_key = len([part for part in path.split("/") if part]) >= 2
    if method == "PUT" and has_key:
        if "partNumber" in query:
            return "UploadPart"
        return "PutObject"
    if method == "POST" and "uploads" in query:
        return "CreateMultipartUpload"
    if method == "POST" and "uploadId" in query:
        return "CompleteMultipartUpload"
    if method == "GET" and has_key:
        return "GetObject"
    if method == "HEAD":
        return "HeadObject" if has_key else "HeadBucket"
    if method == "GET" and ("list-type" in query or not has_key):
        return "ListObjectsV2" if "list-type" in query else "ListObjects"
    if method == "PUT":
        return "CreateBucket"
    if method == "DELETE":
        return "DeleteObject" if has_key else "DeleteBucket"
    return method


def classify(environ: dict[str, Any]) -> str:
    """'service:Action' for a request, e.g. 's3:PutObject', 'sagemaker:CreateTrainingJob'."""
    service = _service(environ)
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return f"{service}:{target.split('.')[-1]}"
    method = environ.get("REQUEST_METHOD", "GET")
    path = environ.get("PATH_INFO", "")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if service == "s3":
        return f"s3:{_s3_action(method, path, query)}"
    if path.endswith("/invocations"):
        return f"{service}:InvokeEndpoint"
    return f"{service}:{method} {path.split('?')[0]}"


def payload_bytes(environ: dict[str, Any]) -> int:
    """Bytes of the object itself: aws-chunked uploads carry the real size in a separate header."""
    decoded = environ.get("HTTP_X_AMZ_DECODED_CONTENT_LENGTH")
    raw = decoded if decoded is not None else environ.get("CONTENT_LENGTH")
    try:
        return int(raw or 0)
    except ValueError:
        return 0


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.s3_bytes: Counter[str] = Counter()
        self.log: deque[dict[str, Any]] = deque(maxlen=LOG_LIMIT)

    def record(self, environ: dict[str, Any], arrived_at: float | None = None) -> None:
        """Count a request and log its arrival (`time.time()` when the server handed it over, unless given)."""
        at = time.time() if arrived_at is None else arrived_at
        action = classify(environ)
        service, _, operation = action.partition(":")
        entry = {"at": at, "service": service, "operation": operation, "method": environ.get("REQUEST_METHOD", "")}
        target = environ.get("HTTP_X_AMZ_TARGET")
        if target:
            entry["target"] = target
        with self._lock:
            self.requests[action] += 1
            if action in ("s3:PutObject", "s3:UploadPart"):
                self.s3_bytes[action] += payload_bytes(environ)
            self.log.append(entry)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.s3_bytes.clear()
            self.log.clear()

    def arrivals(
        self, operation: str | None = None, service: str | None = None, since: float | None = None
    ) -> list[dict[str, Any]]:
        """Logged requests, oldest first, those matching every filter given (service case-insensitive)."""
        with self._lock:
            entries = list(self.log)
        return [
            entry
            for entry in entries
            if (operation is None or entry["operation"] == operation)
            and (service is None or entry["service"].lower() == service.lower())
            and (since is None or entry["at"] >= since)
        ]

    def to_json(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": dict(sorted(self.requests.items())),
                "s3": {
                    "put_object_count": self.requests["s3:PutObject"],
                    "put_object_bytes": self.s3_bytes["s3:PutObject"],
                    "upload_part_count": self.requests["s3:UploadPart"],
                    "upload_part_bytes": self.s3_bytes["s3:UploadPart"],
                    "uploaded_bytes": self.s3_bytes["s3:PutObject"] + self.s3_bytes["s3:UploadPart"],
                },
            }


stats = RequestStats()
