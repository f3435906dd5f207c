"""botocore is the judge of archestra's SigV4 signer: for the same request, credentials and time,
botocore must compute the signature that `Tests/WireFormatsTests/SigV4SignerTests.swift` pins for
our signer. The request is the awkward one: an inference-profile ARN in the path (double encoding
of `%3A`/`%2F`), an unsorted query, a session token and a non-default port."""

from __future__ import annotations

import datetime
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

# Keep in step with SigV4SignerTests.botocoreVector.
URL = (
    "http://127.0.0.1:18084/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile"
    "%2Fus.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream?b=2&a=1"
)
BODY = b'{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}'
EXPECTED_SIGNATURE = "ce0fa33518b186082ecc693fc209887528322f7a1399a643289c73a24287149b"


class FrozenDatetime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):  # noqa: D102 - botocore asks for "now" in UTC
        return cls(2026, 11, 26, 23, 2, 19, tzinfo=datetime.timezone.utc)

    @classmethod
    def utcnow(cls):  # noqa: D102
        return cls(2026, 11, 26, 23, 2, 19)


def test_botocore_signs_the_pinned_request_as_our_signer_does() -> None:
    credentials = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "session/token+value==")
    request = AWSRequest(method="POST", url=URL, data=BODY, headers={"Content-Type": "application/json"})
    with mock.patch("botocore.auth.datetime.datetime", FrozenDatetime):
        SigV4Auth(credentials, "bedrock", "us-east-1").add_auth(request)
    assert request.headers["X-Amz-Date"] == "20261126T230219Z"
    assert request.headers["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261126/us-east-1/bedrock/aws4_request, "
        f"SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature={EXPECTED_SIGNATURE}"
    )
