"""boto3 through `archestra serve` to the Bedrock emulator: API-key mode (the client's bearer key,
or the proxy's fallback key when the client signs with SigV4 of its own) and IAM mode, where the
proxy signs every request with credentials from each source of the AWS credential chain, and the
emulator verifies the signature."""

from __future__ import annotations

import json
import pathlib
import socket
from typing import Iterator

import boto3
import botocore.exceptions
import httpx
import pytest
from conftest import Emulator, Proxy, start_proxy, stop

from gateway_support import create_profile
from bedrock_support import trust_mock_ca, MODEL_ARN, MODEL_ID, NO_RETRIES, ROLE_ARN, WEATHER_TOOL, isolate_aws, runtime_client, stream_events, streamed_text, user, web_identity_token, with_scenario

SECRET_VARIABLES = ["AWS_SECRET_ACCESS_KEY", "ARCHESTRA_CHAT_BEDROCK_API_KEY"]


def iam_environment(emulator: Emulator, source: str, directory: pathlib.Path) -> dict[str, str]:
    env = {"ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED": "true"}
    if source == "env":
        return env
    # Blank values count as unset for the proxy, so the environment source is skipped.
    env.update({"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""})
    if source == "web-identity":
        token_file = directory / "token"
        token_file.write_text(web_identity_token() + "\n")
        env.update({"AWS_WEB_IDENTITY_TOKEN_FILE": str(token_file), "AWS_ROLE_ARN": ROLE_ARN})
    elif source == "container":
        env.update({
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": emulator.env["ARCHESTRA_MOCK_AWS_CONTAINER_CREDENTIALS_FULL_URI"],
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": emulator.env["ARCHESTRA_MOCK_AWS_CONTAINER_AUTHORIZATION_TOKEN"],
        })
    return env  # imds: AWS_EC2_METADATA_SERVICE_ENDPOINT comes from the emulator's env file


def running_proxy(emulator: Emulator, directory: pathlib.Path, extra_env: dict[str, str]) -> Iterator[Proxy]:
    proxy = start_proxy(emulator, directory, extra_env)
    try:
        yield proxy
    finally:
        exit_code = stop(proxy.process)
    assert exit_code == 0
    log = proxy.log_path.read_text()
    for name in SECRET_VARIABLES:
        assert emulator.env[name] not in log, f"{name} reached the proxy's log"


@pytest.fixture(scope="module")
def key_proxy(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    """API-key mode with a fallback key, for clients that send none of their own."""
    yield from running_proxy(emulator, tmp_path_factory.mktemp("bedrock-key"), {"ARCHESTRA_CHAT_BEDROCK_API_KEY": emulator.env["ARCHESTRA_CHAT_BEDROCK_API_KEY"]})


@pytest.fixture(scope="module", params=["env", "web-identity", "container", "imds"])
def iam_proxy(request: pytest.FixtureRequest, emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    directory = tmp_path_factory.mktemp(f"bedrock-iam-{request.param}")
    yield from running_proxy(emulator, directory, iam_environment(emulator, request.param, directory))


def test_short_route_with_the_clients_bearer_key(emulator: Emulator, key_proxy: Proxy) -> None:
    answer = httpx.post(
        key_proxy.base_url + "/v1/bedrock/converse",
        headers={"authorization": f"Bearer {emulator.env['ARCHESTRA_CHAT_BEDROCK_API_KEY']}"},
        json={"modelId": MODEL_ID, "messages": user("short route")},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["output"]["message"]["content"] == [{"text": "Echo: short route"}]


def test_a_wrong_bearer_key_is_the_upstreams_403(key_proxy: Proxy) -> None:
    answer = httpx.post(
        key_proxy.base_url + "/v1/bedrock/model/" + MODEL_ID.replace(":", "%3A") + "/converse",
        headers={"authorization": "Bearer not-a-key"}, json={"messages": user("hi")},
    )
    assert answer.status_code == 403
    assert answer.headers["x-amzn-errortype"].startswith("UnrecognizedClientException")


@pytest.mark.parametrize("model", [MODEL_ID, MODEL_ARN])
def test_boto3_converse_through_the_proxy_uses_the_fallback_key(emulator: Emulator, key_proxy: Proxy, model: str) -> None:
    client = runtime_client(key_proxy.base_url + "/v1/bedrock", emulator.env)
    response = client.converse(modelId=model, messages=user("via proxy"))
    assert response["output"]["message"]["content"] == [{"text": "Echo: via proxy"}]
    assert response["ResponseMetadata"]["RequestId"]


def test_boto3_converse_stream_through_the_proxy(emulator: Emulator, key_proxy: Proxy) -> None:
    # A route naming a profile needs one that exists (an unknown id is 404).
    client = runtime_client(key_proxy.base_url + f"/v1/bedrock/{create_profile(key_proxy)}", emulator.env)
    events = stream_events(client.converse_stream(modelId=MODEL_ID, messages=user("stream me please")))
    assert streamed_text(events) == "Echo: stream me please"
    assert [next(iter(e)) for e in events][-2:] == ["messageStop", "metadata"]


def test_upstream_errors_keep_their_aws_shape(emulator: Emulator, key_proxy: Proxy) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        runtime_client(key_proxy.base_url + "/v1/bedrock", emulator.env).converse(modelId="us.does-not-exist-model-v1:0", messages=user("hi"))
    assert raised.value.response["Error"]["Code"] == "ValidationException"


def test_without_any_key_the_proxy_answers_in_aws_shape(emulator: Emulator, tmp_path: pathlib.Path) -> None:
    for proxy in running_proxy(emulator, tmp_path, {}):
        client = runtime_client(proxy.base_url + "/v1/bedrock", unsigned=True)
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            client.converse(modelId=MODEL_ID, messages=user("hi"))
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401
        assert raised.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_iam_mode_signs_with_each_credential_source(iam_proxy: Proxy) -> None:
    client = runtime_client(iam_proxy.base_url + "/v1/bedrock", unsigned=True)
    response = client.converse(modelId=MODEL_ARN, messages=user("keyless"))
    assert response["output"]["message"]["content"] == [{"text": "Echo: keyless"}]
    events = stream_events(client.converse_stream(modelId=MODEL_ID, messages=user("weather?"), toolConfig=WEATHER_TOOL))
    fragments = "".join(e["contentBlockDelta"]["delta"]["toolUse"]["input"] for e in events if "contentBlockDelta" in e)
    assert "city" in json.loads(fragments)


def test_iam_mode_names_the_failing_source_without_hanging(emulator: Emulator, tmp_path: pathlib.Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    env = {"ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED": "true", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
           "AWS_EC2_METADATA_SERVICE_ENDPOINT": f"http://127.0.0.1:{dead_port}/"}
    for proxy in running_proxy(emulator, tmp_path, env):
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            runtime_client(proxy.base_url + "/v1/bedrock", unsigned=True).converse(modelId=MODEL_ID, messages=user("hi"))
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 502
        assert "EC2 instance metadata (IMDSv2)" in raised.value.response["Error"]["Message"]


def test_iam_mode_lists_models_from_the_signed_control_plane(iam_proxy: Proxy) -> None:
    answer = httpx.get(iam_proxy.base_url + "/v1/bedrock/models")
    assert answer.status_code == 200, answer.text
    ids = [model["id"] for model in answer.json()["data"]]
    assert len(ids) == 12 and "global.anthropic.claude-sonnet-4-20250514-v1:0" in ids


@pytest.fixture(scope="module")
def tls_proxy(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    """`archestra serve` over HTTPS (the mock CA's server certificate), API-key mode without a
    fallback key: boto3 sends a Bedrock API key only over HTTPS."""
    proxy = start_proxy(emulator, tmp_path_factory.mktemp("bedrock-tls"), tls=True)
    try:
        yield proxy
    finally:
        assert stop(proxy.process) == 0
    assert emulator.env["ARCHESTRA_MOCK_AWS_BEARER_TOKEN_BEDROCK"] not in proxy.log_path.read_text()


def test_boto3_with_a_bedrock_api_key_through_the_proxy(emulator: Emulator, tls_proxy: Proxy, monkeypatch, tmp_path) -> None:
    isolate_aws(monkeypatch, tmp_path)
    monkeypatch.setenv("AWS_CA_BUNDLE", emulator.env["AWS_CA_BUNDLE"])
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", emulator.env["ARCHESTRA_MOCK_AWS_BEARER_TOKEN_BEDROCK"])
    client = boto3.client("bedrock-runtime", endpoint_url=tls_proxy.base_url + "/v1/bedrock", config=NO_RETRIES)
    assert client.converse(modelId=MODEL_ARN, messages=user("bearer via proxy"))["output"]["message"]["content"] == [{"text": "Echo: bearer via proxy"}]
    events = stream_events(client.converse_stream(modelId=MODEL_ID, messages=user("streamed bearer")))
    assert streamed_text(events) == "Echo: streamed bearer"


@pytest.mark.parametrize(("scenario", "code"), [("malformed-frame", "internalServerException"), ("rate-limit; in-stream=true", "throttlingException")])
def test_stream_failures_reach_boto3_as_exception_events(emulator: Emulator, key_proxy: Proxy, scenario: str, code: str) -> None:
    client = with_scenario(runtime_client(key_proxy.base_url + "/v1/bedrock", emulator.env), scenario)
    response = client.converse_stream(modelId=MODEL_ID, messages=user("one two three four"))
    with pytest.raises(botocore.exceptions.EventStreamError) as raised:
        stream_events(response)
    assert raised.value.response["Error"]["Code"] == code
