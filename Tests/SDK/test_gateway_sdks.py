"""Every official SDK with a virtual key as its API key, through `archestra serve` into the
emulators. The proxy runs without any fallback key and the provider keys live only in its
database (stored by the CLI), and each emulator rejects anything but its own key: a success
proves the proxy swapped the virtual key for the stored one, and that the virtual key never
reached the upstream."""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import subprocess
import sys
from typing import Iterator

import anthropic
import boto3
import cohere
import groq
import httpx
import openai
import pytest
from google import genai
from google.genai import types
from mistralai.client import Mistral

from bedrock_support import MODEL_ARN, MODEL_ID, NO_RETRIES, isolate_aws, stream_events, streamed_text, user
from conftest import Emulator, Proxy
from gateway_support import MESSAGES, PROVIDER_KEY_VARIABLES, Gateway, VirtualKey, running

HERE = pathlib.Path(__file__).resolve().parent
LEGACY = HERE.parents[1] / ".venv" / "anthropic-legacy"


@dataclasses.dataclass(frozen=True)
class Setup:
    gateway: Gateway
    key: VirtualKey  # mapped to one stored key for every provider below
    proxy: Proxy


@pytest.fixture(scope="module")
def setup(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    gateway = Gateway(emulator, tmp_path_factory.mktemp("gateway-sdks"))
    ids = gateway.provider_keys(*PROVIDER_KEY_VARIABLES)
    key = gateway.virtual_key(*ids.values())
    assert key.value.startswith("arch_") and len(key.value) == len("arch_") + 64
    for proxy in running(gateway):
        yield Setup(gateway, key, proxy)
    log = gateway.logs()
    assert key.value not in log, "the virtual key reached the proxy's log"
    for provider, secret in gateway.provider_secrets().items():
        assert secret not in log, f"the {provider} key reached the proxy's log"


@pytest.fixture(scope="module")
def tls_proxy(setup: Setup) -> Iterator[Proxy]:
    """A second proxy on the same database, over HTTPS: boto3 sends a Bedrock API key only there."""
    yield from running(setup.gateway, tls=True)
    assert setup.key.value not in setup.gateway.logs()


def test_openai_chat_and_stream(setup: Setup) -> None:
    with openai.OpenAI(base_url=f"{setup.proxy.base_url}/v1/openai", api_key=setup.key.value, max_retries=0) as client:
        completion = client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
        assert completion.choices[0].message.content == "Echo: Hello there"
        chunks = list(client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True, stream_options={"include_usage": True}))
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: Hello there"
        assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0


def test_openai_through_a_stored_profile(setup: Setup) -> None:
    profile_id = setup.gateway.profile("--name", "sdk-profile")
    with openai.OpenAI(base_url=f"{setup.proxy.base_url}/v1/openai/{profile_id}", api_key=setup.key.value, max_retries=0) as client:
        assert client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES).choices[0].message.content == "Echo: Hello there"


def test_anthropic_messages_and_stream(setup: Setup) -> None:
    client = anthropic.Anthropic(base_url=f"{setup.proxy.base_url}/v1/anthropic", api_key=setup.key.value, max_retries=0)
    message = client.messages.create(model="claude-haiku-4-5", max_tokens=100, messages=MESSAGES)
    assert message.content[0].text == "Echo: Hello there"
    with client.messages.stream(model="claude-haiku-4-5", max_tokens=100, messages=MESSAGES) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "Echo: Hello there"
    assert final.stop_reason == "end_turn" and final.usage.output_tokens == 3


def test_anthropic_legacy_sdk_sends_the_virtual_key_as_x_api_key(setup: Setup) -> None:
    assert (LEGACY / "anthropic").is_dir(), "run scripts/setup --python to install the 0.x SDK"
    completed = subprocess.run(
        [sys.executable, str(HERE / "anthropic_legacy_client.py"), f"{setup.proxy.base_url}/v1/anthropic", setup.key.value],
        env=dict(os.environ, PYTHONPATH=str(LEGACY)), capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    seen = json.loads(completed.stdout)
    assert seen["auth_headers"] == ["X-Api-Key"]
    assert seen["text"] == "Echo: legacy hello"
    assert seen["blocks"] == ["thinking", "tool_use"]


def test_google_genai_generate_content_and_stream(setup: Setup) -> None:
    # Keep the client referenced: google-genai closes its HTTP client when the Client is collected.
    client = genai.Client(api_key=setup.key.value, http_options=types.HttpOptions(base_url=f"{setup.proxy.base_url}/v1/gemini"))
    response = client.models.generate_content(model="gemini-2.5-flash", contents="Hello there")
    assert response.text == "Echo: Hello there"
    chunks = list(client.models.generate_content_stream(model="gemini-2.5-flash", contents="one two three"))
    assert "".join(chunk.text or "" for chunk in chunks) == "Echo: one two three"


def test_gemini_query_key_form(setup: Setup) -> None:
    """REST clients put the key in `?key=`: the proxy takes the virtual key from there, and the
    stored key goes upstream instead (the emulator rejects any other key, in the query too)."""
    answer = httpx.post(
        f"{setup.proxy.base_url}/v1/gemini/v1beta/models/gemini-2.5-flash:generateContent?key={setup.key.value}",
        json={"contents": [{"role": "user", "parts": [{"text": "Hello there"}]}]}, timeout=10.0,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["candidates"][0]["content"]["parts"][0]["text"] == "Echo: Hello there"
    wrong = httpx.post(
        f"{setup.proxy.base_url}/v1/gemini/v1beta/models/gemini-2.5-flash:generateContent?key=arch_{'0' * 64}",
        json={"contents": [{"role": "user", "parts": [{"text": "Hello there"}]}]}, timeout=10.0,
    )
    assert wrong.status_code == 401


def test_cohere_v2_chat_and_stream(setup: Setup) -> None:
    client = cohere.ClientV2(api_key=setup.key.value, base_url=f"{setup.proxy.base_url}/v1/cohere")
    response = client.chat(model="command-a-03-2025", messages=[{"role": "user", "content": "Hello there"}])
    assert response.message.content[0].text == "Echo: Hello there"
    events = list(client.chat_stream(model="command-a-03-2025", messages=[{"role": "user", "content": "one two"}]))
    assert "".join(e.delta.message.content.text for e in events if e.type == "content-delta") == "Echo: one two"


def test_mistralai_chat_and_stream(setup: Setup) -> None:
    client = Mistral(api_key=setup.key.value, server_url=f"{setup.proxy.base_url}/v1/mistral")
    completion = client.chat.complete(model="mistral-small-latest", messages=MESSAGES)
    assert completion.choices[0].message.content == "Echo: Hello there"
    text = "".join(e.data.choices[0].delta.content or "" for e in client.chat.stream(model="mistral-small-latest", messages=MESSAGES) if e.data.choices)
    assert text == "Echo: Hello there"


def test_groq_chat_and_stream(setup: Setup) -> None:
    client = groq.Groq(base_url=f"{setup.proxy.base_url}/v1/groq", api_key=setup.key.value, max_retries=0)
    completion = client.chat.completions.create(model="llama-3.3-70b-versatile", messages=MESSAGES)
    assert completion.choices[0].message.content == "Echo: Hello there"
    chunks = list(client.chat.completions.create(model="llama-3.3-70b-versatile", messages=MESSAGES, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: Hello there"


def test_azure_openai_sends_the_virtual_key_as_api_key(setup: Setup) -> None:
    with openai.AzureOpenAI(
        azure_endpoint=f"{setup.proxy.base_url}/v1/azure", api_key=setup.key.value,
        api_version=setup.gateway.emulator.env["OPENAI_API_VERSION"], max_retries=0,
    ) as client:
        assert client.auth_headers == {"api-key": setup.key.value}
        completion = client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
        assert completion.choices[0].message.content == "Echo: Hello there"
        chunks = list(client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True))
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: Hello there"


def test_boto3_bedrock_with_the_virtual_key_as_its_api_key(
    setup: Setup, tls_proxy: Proxy, monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    isolate_aws(monkeypatch, tmp_path)
    monkeypatch.setenv("AWS_CA_BUNDLE", setup.gateway.emulator.env["AWS_CA_BUNDLE"])
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", setup.key.value)
    client = boto3.client("bedrock-runtime", endpoint_url=f"{tls_proxy.base_url}/v1/bedrock", config=NO_RETRIES)
    response = client.converse(modelId=MODEL_ARN, messages=user("bearer virtual key"))
    assert response["output"]["message"]["content"] == [{"text": "Echo: bearer virtual key"}]
    events = stream_events(client.converse_stream(modelId=MODEL_ID, messages=user("streamed virtual key")))
    assert streamed_text(events) == "Echo: streamed virtual key"
