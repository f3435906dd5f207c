"""`openai`'s `AzureOpenAI` client (resource URL, deployments, api-version, `api-key`) and the plain
client on the Foundry v1 URL, against the Azure emulator and through `archestra serve`."""

from __future__ import annotations

from typing import Iterator

import openai
import pytest

from conftest import Proxy, start_proxy, stop
from compat_support import WEATHER_TOOL

WHERE = ["direct", "proxy"]


@pytest.fixture(scope="module")
def foundry_proxy(emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    """`archestra serve` with the Azure base URL in its Foundry v1 form."""
    v1 = emulator.env["ARCHESTRA_AZURE_OPENAI_BASE_URL"] + "/v1"
    running = start_proxy(emulator, tmp_path_factory.mktemp("foundry"), {"ARCHESTRA_AZURE_OPENAI_BASE_URL": v1})
    try:
        yield running
    finally:
        assert stop(running.process) == 0


def azure_client(where: str, emulator, proxy, key: str | None = None) -> openai.AzureOpenAI:
    endpoint = emulator.env["AZURE_OPENAI_ENDPOINT"] if where == "direct" else f"{proxy.base_url}/v1/azure"
    return openai.AzureOpenAI(
        azure_endpoint=endpoint,
        api_key=key or emulator.env["AZURE_OPENAI_API_KEY"],
        api_version=emulator.env["OPENAI_API_VERSION"],
        max_retries=0,
    )


@pytest.mark.parametrize("where", WHERE)
def test_azure_deployment_chat_stream_and_tools(where: str, emulator, proxy) -> None:
    with azure_client(where, emulator, proxy) as client:
        completion = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello there"}])
        assert completion.choices[0].message.content == "Echo: Hello there"
        assert completion.prompt_filter_results is not None
        chunks = list(client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello there"}], stream=True))
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: Hello there"
        tooled = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "get_weather?"}], tools=[WEATHER_TOOL])
        assert tooled.choices[0].message.tool_calls[0].function.name == "get_weather"


@pytest.mark.parametrize("where", WHERE)
def test_azure_responses_and_embeddings(where: str, emulator, proxy) -> None:
    with azure_client(where, emulator, proxy) as client:
        response = client.responses.create(model="gpt-4o", input="Hello there")
        assert response.output_text == "Echo: Hello there"
        embeddings = client.embeddings.create(model="text-embedding-3-small", input="a")
        assert len(embeddings.data[0].embedding) == 1536


@pytest.mark.parametrize("where", WHERE)
def test_azure_errors(where: str, emulator, proxy) -> None:
    with azure_client(where, emulator, proxy, key="wrong") as client:
        with pytest.raises(openai.AuthenticationError):
            client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
    with azure_client(where, emulator, proxy) as client:
        with pytest.raises(openai.NotFoundError) as raised:
            client.chat.completions.create(model="does-not-exist", messages=[{"role": "user", "content": "Hi"}])
        assert raised.value.body["code"] == "DeploymentNotFound"


def test_plain_openai_client_through_the_proxy_is_routed_to_a_deployment(emulator, proxy) -> None:
    with openai.OpenAI(base_url=f"{proxy.base_url}/v1/azure", api_key=emulator.env["AZURE_OPENAI_API_KEY"], max_retries=0) as client:
        completion = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello there"}])
        assert completion.choices[0].message.content == "Echo: Hello there"
        assert client.responses.create(model="gpt-4o", input="Hi").output_text == "Echo: Hi"


@pytest.mark.parametrize("where", WHERE)
def test_foundry_v1(where: str, emulator, foundry_proxy) -> None:
    url = emulator.env["ARCHESTRA_AZURE_OPENAI_BASE_URL"] + "/v1" if where == "direct" else f"{foundry_proxy.base_url}/v1/azure"
    with openai.OpenAI(base_url=url, api_key=emulator.env["AZURE_OPENAI_API_KEY"], max_retries=0) as client:
        completion = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello there"}])
        assert completion.choices[0].message.content == "Echo: Hello there"
        chunks = list(client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello there"}], stream=True))
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: Hello there"
        assert client.responses.create(model="gpt-4o", input="Hi").output_text == "Echo: Hi"
