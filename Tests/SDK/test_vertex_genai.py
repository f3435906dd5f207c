"""`google-genai` with `vertexai=True` against archestra's Vertex AI emulator, and Gemini clients
through `archestra serve` with ARCHESTRA_GEMINI_VERTEX_AI_ENABLED=true: the proxy obtains the
token itself (from the emulator's service-account key file) and the client needs no key."""

from __future__ import annotations

import pathlib
from typing import Iterator

import pytest
from google import genai
from google.genai import types
from google.oauth2 import service_account

from conftest import Emulator, Proxy, start_proxy, stop

CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"


def key_file_credentials(emulator: Emulator) -> service_account.Credentials:
    return service_account.Credentials.from_service_account_file(emulator.env["GOOGLE_APPLICATION_CREDENTIALS"], scopes=[CLOUD_PLATFORM])


@pytest.fixture(scope="module")
def vertex_proxy(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    running = start_proxy(emulator, tmp_path_factory.mktemp("serve-vertex"), extra_env={"ARCHESTRA_GEMINI_VERTEX_AI_ENABLED": "true"})
    try:
        yield running
    finally:
        exit_code = stop(running.process)
    assert exit_code == 0
    log = running.log_path.read_text()
    assert "ya29." not in log, "an access token reached the proxy's log"
    assert "PRIVATE KEY" not in log


def test_vertex_emulator_generate_and_stream(emulator: Emulator) -> None:
    client = genai.Client(
        vertexai=True, project=emulator.env["GOOGLE_CLOUD_PROJECT"], location="us-central1", credentials=key_file_credentials(emulator),
        http_options=types.HttpOptions(base_url=emulator.env["ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL"]),
    )
    response = client.models.generate_content(model="gemini-2.5-flash", contents="Hello you")
    assert response.text == "Echo: Hello you"
    assert response.usage_metadata.total_token_count > 0
    chunks = list(client.models.generate_content_stream(model="gemini-2.5-flash", contents="Hello you"))
    assert "".join(chunk.text or "" for chunk in chunks) == "Echo: Hello you"


def test_vertex_emulator_refuses_an_api_key(emulator: Emulator) -> None:
    client = genai.Client(api_key="AIza-not-a-token", http_options=types.HttpOptions(base_url=emulator.env["ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL"]))
    with pytest.raises(genai.errors.ClientError):
        client.models.generate_content(model="gemini-2.5-flash", contents="Hello you")


@pytest.mark.parametrize("api_version", [None, "v1beta"])
def test_gemini_client_through_the_proxy_in_vertex_mode(vertex_proxy: Proxy, api_version: str | None) -> None:
    options: dict[str, object] = {"base_url": vertex_proxy.base_url + "/v1/gemini"}
    if api_version:
        options["api_version"] = api_version
    # The key is dropped by the proxy: Vertex gets the proxy's own token.
    client = genai.Client(api_key="no-key-needed", http_options=types.HttpOptions(**options))
    assert client.models.generate_content(model="gemini-2.5-flash", contents="Hello you").text == "Echo: Hello you"
    chunks = list(client.models.generate_content_stream(model="gemini-2.5-flash", contents="Hello you"))
    assert "".join(chunk.text or "" for chunk in chunks) == "Echo: Hello you"


def test_vertex_client_through_the_proxy(emulator: Emulator, vertex_proxy: Proxy) -> None:
    client = genai.Client(
        vertexai=True, project="any-project", location="us-central1", credentials=key_file_credentials(emulator),
        http_options=types.HttpOptions(base_url=vertex_proxy.base_url + "/v1/gemini"),
    )
    assert client.models.generate_content(model="gemini-2.5-flash", contents="Hello you").text == "Echo: Hello you"
