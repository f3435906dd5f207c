"""boto3 against archestra's Bedrock, STS, instance-metadata and container-credentials emulators:
the SDK itself is the judge of the wire format, the event stream and the signatures."""

from __future__ import annotations

import json

import boto3
import botocore.exceptions
import httpx
import pytest
from conftest import Emulator

from bedrock_support import (  # noqa: F401 - trust_mock_ca is an autouse fixture
    trust_mock_ca,
    MODEL_ARN, MODEL_ID, NO_RETRIES, ROLE_ARN, WEATHER_TOOL, isolate_aws, runtime_client, stream_events,
    streamed_text, user, web_identity_token, with_scenario,
)


@pytest.fixture
def runtime_url(emulator: Emulator) -> str:
    return emulator.env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"]


def test_converse_text(emulator: Emulator, runtime_url: str) -> None:
    response = runtime_client(runtime_url, emulator.env).converse(modelId=MODEL_ID, messages=user("Hello there"))
    assert response["output"]["message"]["content"] == [{"text": "Echo: Hello there"}]
    assert response["stopReason"] == "end_turn"
    assert response["usage"]["totalTokens"] == response["usage"]["inputTokens"] + response["usage"]["outputTokens"]
    assert response["ResponseMetadata"]["RequestId"]


def test_converse_with_an_inference_profile_arn(emulator: Emulator, runtime_url: str) -> None:
    response = runtime_client(runtime_url, emulator.env).converse(modelId=MODEL_ARN, messages=user("arn please"))
    assert response["output"]["message"]["content"][0]["text"] == "Echo: arn please"


def test_converse_stream_text_event_sequence(emulator: Emulator, runtime_url: str) -> None:
    events = stream_events(runtime_client(runtime_url, emulator.env).converse_stream(modelId=MODEL_ID, messages=user("one two three")))
    kinds = [next(iter(e)) for e in events]
    assert kinds[0] == "messageStart" and events[0]["messageStart"] == {"role": "assistant"}
    assert kinds[-3:] == ["contentBlockStop", "messageStop", "metadata"]
    assert set(kinds[1:-3]) == {"contentBlockDelta"}
    assert streamed_text(events) == "Echo: one two three"
    assert events[-1]["metadata"]["usage"]["outputTokens"] == 4


def test_converse_stream_tool_use(emulator: Emulator, runtime_url: str) -> None:
    events = stream_events(
        runtime_client(runtime_url, emulator.env).converse_stream(modelId=MODEL_ID, messages=user("weather in Paris?"), toolConfig=WEATHER_TOOL)
    )
    start = next(e["contentBlockStart"] for e in events if "contentBlockStart" in e)
    assert start["start"]["toolUse"]["name"] == "get_weather"
    fragments = "".join(e["contentBlockDelta"]["delta"]["toolUse"]["input"] for e in events if "contentBlockDelta" in e)
    assert "city" in json.loads(fragments)
    assert next(e["messageStop"] for e in events if "messageStop" in e)["stopReason"] == "tool_use"


def test_converse_tool_round_trip(emulator: Emulator, runtime_url: str) -> None:
    client = runtime_client(runtime_url, emulator.env)
    first = client.converse(modelId=MODEL_ID, messages=user("weather?"), toolConfig=WEATHER_TOOL)
    tool_use = first["output"]["message"]["content"][0]["toolUse"]
    messages = user("weather?") + [
        first["output"]["message"],
        {"role": "user", "content": [{"toolResult": {"toolUseId": tool_use["toolUseId"], "content": [{"json": {"temp": 18}}]}}]},
    ]
    second = client.converse(modelId=MODEL_ID, messages=messages, toolConfig=WEATHER_TOOL)
    assert second["output"]["message"]["content"][0]["text"] == 'Tool result: {"temp":18}'


def test_converse_stream_reasoning(emulator: Emulator, runtime_url: str) -> None:
    events = stream_events(
        runtime_client(runtime_url, emulator.env).converse_stream(
            modelId=MODEL_ID, messages=user("think"), additionalModelRequestFields={"thinking": {"type": "enabled", "budget_tokens": 1024}}
        )
    )
    reasoning = [e["contentBlockDelta"]["delta"]["reasoningContent"] for e in events if "reasoningContent" in e.get("contentBlockDelta", {}).get("delta", {})]
    assert "".join(r.get("text", "") for r in reasoning) == "Thinking about: think"
    assert any("signature" in r for r in reasoning)
    assert streamed_text(events) == "Echo: think"


def test_list_inference_profiles_paginates(emulator: Emulator) -> None:
    client = boto3.client(
        "bedrock", endpoint_url=emulator.env["AWS_ENDPOINT_URL_BEDROCK"], region_name="us-east-1",
        aws_access_key_id=emulator.env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=emulator.env["AWS_SECRET_ACCESS_KEY"],
    )
    pages = list(client.get_paginator("list_inference_profiles").paginate(PaginationConfig={"PageSize": 5}))
    assert len(pages) == 3
    ids = [p["inferenceProfileId"] for page in pages for p in page["inferenceProfileSummaries"]]
    assert len(ids) == len(set(ids)) == 12
    assert {i.split(".")[0] for i in ids} == {"us", "eu", "apac", "global"}
    assert client.list_inference_profiles(typeEquals="APPLICATION")["inferenceProfileSummaries"] == []


def test_wrong_secret_is_an_invalid_signature(emulator: Emulator, runtime_url: str) -> None:
    client = runtime_client(runtime_url, aws_access_key_id=emulator.env["AWS_ACCESS_KEY_ID"], aws_secret_access_key="wrong")
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        client.converse(modelId=MODEL_ID, messages=user("hi"))
    assert raised.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_unknown_access_key_is_unrecognized(runtime_url: str) -> None:
    client = runtime_client(runtime_url, aws_access_key_id="AKIANOTKNOWN0000000", aws_secret_access_key="x")
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        client.converse(modelId=MODEL_ID, messages=user("hi"))
    assert raised.value.response["Error"]["Code"] == "UnrecognizedClientException"


@pytest.mark.parametrize(
    ("scenario", "code", "status"),
    [("rate-limit", "ThrottlingException", 429), ("server-error", "InternalServerException", 500), ("unavailable", "ServiceUnavailableException", 503)],
)
def test_scripted_errors_in_aws_shape(emulator: Emulator, runtime_url: str, scenario: str, code: str, status: int) -> None:
    client = with_scenario(runtime_client(runtime_url, emulator.env), scenario)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        client.converse(modelId=MODEL_ID, messages=user("hi"))
    assert raised.value.response["Error"]["Code"] == code
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_invalid_model_is_a_validation_error(emulator: Emulator, runtime_url: str) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        runtime_client(runtime_url, emulator.env).converse_stream(modelId="us.does-not-exist-model-v1:0", messages=user("hi"))
    assert raised.value.response["Error"] == {"Code": "ValidationException", "Message": "The provided model identifier is invalid."}


def test_mid_stream_exception_frame(emulator: Emulator, runtime_url: str) -> None:
    client = with_scenario(runtime_client(runtime_url, emulator.env), "rate-limit; in-stream=true")
    response = client.converse_stream(modelId=MODEL_ID, messages=user("a b c d"))
    with pytest.raises(botocore.exceptions.EventStreamError) as raised:
        stream_events(response)
    assert raised.value.response["Error"]["Code"] == "throttlingException"


def test_sts_assume_role_with_web_identity_then_converse(emulator: Emulator, runtime_url: str) -> None:
    sts = boto3.client("sts", endpoint_url=emulator.env["AWS_ENDPOINT_URL_STS"], region_name="us-east-1", config=NO_RETRIES)
    answer = sts.assume_role_with_web_identity(RoleArn=ROLE_ARN, RoleSessionName="pytest", WebIdentityToken=web_identity_token() + "\n")
    credentials = answer["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert answer["AssumedRoleUser"]["Arn"] == "arn:aws:sts::123456789012:assumed-role/archestra-mock-role/pytest"
    client = runtime_client(
        runtime_url, aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    assert client.converse(modelId=MODEL_ID, messages=user("issued"))["output"]["message"]["content"][0]["text"] == "Echo: issued"


@pytest.mark.parametrize(("token", "code"), [("not-a-jwt", "InvalidIdentityToken"), (web_identity_token(lifetime_s=-60), "ExpiredTokenException")])
def test_sts_refuses_bad_tokens(emulator: Emulator, token: str, code: str) -> None:
    sts = boto3.client("sts", endpoint_url=emulator.env["AWS_ENDPOINT_URL_STS"], region_name="us-east-1", config=NO_RETRIES)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        sts.assume_role_with_web_identity(RoleArn=ROLE_ARN, RoleSessionName="pytest", WebIdentityToken=token)
    assert raised.value.response["Error"]["Code"] == code


def test_sts_query_get_form(emulator: Emulator) -> None:
    answer = httpx.get(
        emulator.env["AWS_ENDPOINT_URL_STS"],
        params={"Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleArn": ROLE_ARN, "RoleSessionName": "get", "WebIdentityToken": web_identity_token()},
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/xml")
    assert "<AccessKeyId>ASIA" in answer.text


@pytest.mark.parametrize("source", ["web-identity", "container", "imds"])
def test_botocore_credential_chain_against_identity_emulators(emulator: Emulator, runtime_url: str, source: str, monkeypatch, tmp_path) -> None:
    isolate_aws(monkeypatch, tmp_path)
    if source == "web-identity":
        token_file = tmp_path / "token"
        token_file.write_text(web_identity_token() + "\n")
        monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token_file))
        monkeypatch.setenv("AWS_ROLE_ARN", ROLE_ARN)
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", emulator.env["AWS_ENDPOINT_URL_STS"])
        expected_method = "assume-role-with-web-identity"
    elif source == "container":
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", emulator.env["ARCHESTRA_MOCK_AWS_CONTAINER_CREDENTIALS_FULL_URI"])
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", emulator.env["ARCHESTRA_MOCK_AWS_CONTAINER_AUTHORIZATION_TOKEN"])
        expected_method = "container-role"
    else:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", emulator.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"])
        expected_method = "iam-role"
    session = boto3.Session()
    credentials = session.get_credentials()
    assert credentials is not None and credentials.method == expected_method
    assert credentials.get_frozen_credentials().token
    client = session.client("bedrock-runtime", endpoint_url=runtime_url, config=NO_RETRIES)
    assert client.converse(modelId=MODEL_ID, messages=user(source))["output"]["message"]["content"][0]["text"] == f"Echo: {source}"


def test_bedrock_api_key_over_https(emulator: Emulator, runtime_url: str, monkeypatch, tmp_path) -> None:
    isolate_aws(monkeypatch, tmp_path)
    assert runtime_url.startswith("https://")
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", emulator.env["ARCHESTRA_MOCK_AWS_BEARER_TOKEN_BEDROCK"])
    client = boto3.client("bedrock-runtime", endpoint_url=runtime_url, config=NO_RETRIES)
    events = stream_events(client.converse_stream(modelId=MODEL_ID, messages=user("bearer")))
    assert streamed_text(events) == "Echo: bearer"


def test_a_wrong_bedrock_api_key_is_refused(emulator: Emulator, runtime_url: str, monkeypatch, tmp_path) -> None:
    isolate_aws(monkeypatch, tmp_path)
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "ABSKnot-a-key")
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        boto3.client("bedrock-runtime", endpoint_url=runtime_url, config=NO_RETRIES).converse(modelId=MODEL_ID, messages=user("hi"))
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
