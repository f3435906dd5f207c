"""Helpers for the boto3 suites: clients pointed at archestra's Bedrock and AWS identity
emulators (or at `archestra serve`), web identity tokens, and an isolated AWS environment so that
botocore's own credential chain is what the tests exercise."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config

MODEL_ID = "us.anthropic.claude-sonnet-4-20250514-v1:0"
MODEL_ARN = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0"
ROLE_ARN = "arn:aws:iam::123456789012:role/archestra-mock-role"
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})

# Every variable botocore's credential chain or endpoint resolution reads: removed before a
# test sets the ones it means to use, so the developer's own AWS setup never leaks in.
AWS_VARIABLES = [
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_DISABLED", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_BEDROCK", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_BEARER_TOKEN_BEDROCK", "AWS_REGION",
]


@pytest.fixture(autouse=True)
def trust_mock_ca(emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Bedrock emulator serves HTTPS with the CA `mock up` generated; botocore trusts it
    through AWS_CA_BUNDLE, exactly as the env file tells a developer to."""
    monkeypatch.setenv("AWS_CA_BUNDLE", emulator.env["AWS_CA_BUNDLE"])


def isolate_aws(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def web_identity_token(lifetime_s: int = 3600, subject: str = "system:serviceaccount:archestra:proxy") -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    claims = {"iss": "https://oidc.archestra.test", "sub": subject, "aud": "sts.amazonaws.com", "exp": int(time.time()) + lifetime_s}
    return f"{part({'alg': 'RS256', 'kid': 'test'})}.{part(claims)}.c2lnbmF0dXJl"


def runtime_client(endpoint_url: str, env: dict[str, str] | None = None, unsigned: bool = False, **credentials: str):
    config = NO_RETRIES.merge(Config(signature_version=UNSIGNED)) if unsigned else NO_RETRIES
    if env is not None and not credentials and not unsigned:
        credentials = {"aws_access_key_id": env["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"]}
    return boto3.client("bedrock-runtime", endpoint_url=endpoint_url, region_name="us-east-1", config=config, **credentials)


def with_scenario(client, scenario: str):
    """Adds `x-mock-scenario` to every request the client sends (after signing: not signed)."""

    def add_header(request, **_: Any) -> None:
        request.headers["x-mock-scenario"] = scenario

    client.meta.events.register("before-send.bedrock-runtime.*", add_header)
    return client


def user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": [{"text": text}]}]


WEATHER_TOOL = {
    "tools": [
        {
            "toolSpec": {
                "name": "get_weather",
                "description": "Current weather for a city",
                "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}},
            }
        }
    ]
}


def stream_events(response) -> list[dict[str, Any]]:
    return list(response["stream"])


def streamed_text(events: list[dict[str, Any]]) -> str:
    return "".join(e["contentBlockDelta"]["delta"].get("text", "") for e in events if "contentBlockDelta" in e)
