"""`archestra serve` with keyless Azure: Entra ID tokens from the credential chain (client secret,
workload identity, managed identity) replace the keys for Azure OpenAI (resource and Foundry v1
URLs, each with its scope) and for Anthropic on Microsoft Foundry. The clients send no real key."""

from __future__ import annotations

from typing import Iterator

import anthropic
import openai
import pytest

from conftest import Proxy, start_proxy, stop

NOT_A_KEY = "unused-with-entra"
SOURCES = {
    "client-secret": {},
    "workload-identity": {"AZURE_CLIENT_SECRET": ""},
    "imds": {"AZURE_CLIENT_SECRET": "", "AZURE_FEDERATED_TOKEN_FILE": "", "IDENTITY_ENDPOINT": ""},
    "app-service": {"AZURE_CLIENT_SECRET": "", "AZURE_FEDERATED_TOKEN_FILE": ""},
}


def entra_proxy(emulator, directory, extra: dict[str, str]) -> Proxy:
    env = {"ARCHESTRA_AZURE_OPENAI_ENTRA_ID_ENABLED": "true"}
    env.update(extra)
    return start_proxy(emulator, directory, env)


def assert_no_secrets_logged(emulator, running: Proxy) -> None:
    log = running.log_path.read_text()
    for name in ["AZURE_CLIENT_SECRET", "IDENTITY_HEADER"]:
        assert emulator.env[name] not in log, f"{name}'s value reached the proxy's log"
    assert open(emulator.env["AZURE_FEDERATED_TOKEN_FILE"]).read().strip() not in log
    assert "eyJ" not in log, "a token reached the proxy's log"


@pytest.fixture(scope="module", params=list(SOURCES))
def resource_proxy(request, emulator, tmp_path_factory) -> Iterator[Proxy]:
    running = entra_proxy(emulator, tmp_path_factory.mktemp("entra"), SOURCES[request.param])
    try:
        yield running
    finally:
        assert stop(running.process) == 0
        assert_no_secrets_logged(emulator, running)


def test_resource_url_with_each_credential_source(resource_proxy, emulator) -> None:
    with openai.AzureOpenAI(
        azure_endpoint=f"{resource_proxy.base_url}/v1/azure", api_key=NOT_A_KEY,
        api_version=emulator.env["OPENAI_API_VERSION"], max_retries=0,
    ) as client:
        completion = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello there"}])
        assert completion.choices[0].message.content == "Echo: Hello there"
        chunks = list(client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello there"}], stream=True))
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: Hello there"


def test_foundry_v1_url_takes_the_ai_azure_com_scope(emulator, tmp_path) -> None:
    # The emulator accepts only https://ai.azure.com tokens on /openai/v1: a wrong scope would be 401.
    v1 = emulator.env["ARCHESTRA_AZURE_OPENAI_BASE_URL"] + "/v1"
    running = entra_proxy(emulator, tmp_path, {"ARCHESTRA_AZURE_OPENAI_BASE_URL": v1})
    try:
        with openai.OpenAI(base_url=f"{running.base_url}/v1/azure", api_key=NOT_A_KEY, max_retries=0) as client:
            completion = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello there"}])
            assert completion.choices[0].message.content == "Echo: Hello there"
            assert client.responses.create(model="gpt-4o", input="Hi").output_text == "Echo: Hi"
    finally:
        assert stop(running.process) == 0
    assert_no_secrets_logged(emulator, running)


def test_anthropic_on_foundry_with_entra(emulator, tmp_path) -> None:
    running = start_proxy(emulator, tmp_path, {
        # The emulator serves Claude-on-Foundry's layout under /anthropic.
        "ARCHESTRA_ANTHROPIC_BASE_URL": emulator.env["ARCHESTRA_ANTHROPIC_BASE_URL"] + "/anthropic",
        "ARCHESTRA_ANTHROPIC_AZURE_FOUNDRY_ENTRA_ID_ENABLED": "true",
    })
    try:
        with anthropic.Anthropic(base_url=f"{running.base_url}/v1/anthropic", api_key=NOT_A_KEY, max_retries=0) as client:
            message = client.messages.create(
                model="claude-haiku-4-5", max_tokens=64, messages=[{"role": "user", "content": "Hello there"}]
            )
            assert message.content[0].text.startswith("Echo")
    finally:
        assert stop(running.process) == 0
    assert_no_secrets_logged(emulator, running)


def test_a_wrong_client_secret_is_a_502_naming_the_source_and_entras_code(emulator, tmp_path) -> None:
    running = entra_proxy(emulator, tmp_path, {"AZURE_CLIENT_SECRET": "wrong-secret-do-not-log"})
    try:
        with openai.AzureOpenAI(
            azure_endpoint=f"{running.base_url}/v1/azure", api_key=NOT_A_KEY,
            api_version=emulator.env["OPENAI_API_VERSION"], max_retries=0,
        ) as client:
            with pytest.raises(openai.APIStatusError) as raised:
                client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
        assert raised.value.status_code == 502
        message = raised.value.body["message"]
        assert "environment (client secret, AZURE_CLIENT_SECRET)" in message
        assert "AADSTS7000215" in message
        assert "wrong-secret-do-not-log" not in message
    finally:
        assert stop(running.process) == 0
    assert "wrong-secret-do-not-log" not in running.log_path.read_text()
