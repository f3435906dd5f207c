"""The emulators refuse what the real APIs refuse, as the official SDKs see it, directly and
through `archestra serve`: Azure's unknown deployment, Ollama's unpulled model; and they report
what the real APIs report unasked (Mistral's stream usage). Also the anthropic SDK's Foundry
client configured from the env file alone."""

from __future__ import annotations

import anthropic
import ollama
import openai
import pytest

from test_compat_azure import azure_client
from test_compat_native_sdks import mistral_client, ollama_client

WHERE = ["direct", "proxy"]


@pytest.mark.parametrize("where", WHERE)
def test_azure_unknown_deployment_is_deployment_not_found(where: str, emulator, proxy) -> None:
    with azure_client(where, emulator, proxy) as client:
        with pytest.raises(openai.NotFoundError) as raised:
            client.chat.completions.create(model="my-gpt4o-deployment", messages=[{"role": "user", "content": "Hi"}])
        assert raised.value.status_code == 404
        assert raised.value.body["code"] == "DeploymentNotFound"
        with pytest.raises(openai.NotFoundError):
            client.embeddings.create(model="no-such-embedder", input="a")
        # Every deployment the env file lists answers.
        for deployment in emulator.env["ARCHESTRA_MOCK_AZURE_OPENAI_DEPLOYMENTS"].split(","):
            if deployment.startswith("text-embedding"):
                assert client.embeddings.create(model=deployment, input="a").data[0].embedding
            else:
                assert client.chat.completions.create(model=deployment, messages=[{"role": "user", "content": "Hi"}]).choices[0].message.content


@pytest.mark.parametrize("where", WHERE)
def test_ollama_unpulled_model_is_404(where: str, emulator, proxy) -> None:
    client = ollama_client(where, emulator, proxy)
    with pytest.raises(ollama.ResponseError) as raised:
        client.chat(model="llama9", messages=[{"role": "user", "content": "Hi"}])
    assert raised.value.status_code == 404
    assert raised.value.error == 'model "llama9" not found, try pulling it first'
    with pytest.raises(ollama.ResponseError) as embedded:
        client.embed(model="llama9-embed", input="a")
    assert embedded.value.status_code == 404
    # A name without a tag is its :latest, as in Ollama.
    assert client.chat(model="qwen3:latest", messages=[{"role": "user", "content": "Hi"}]).message.content


@pytest.mark.parametrize("where", WHERE)
def test_mistral_stream_ends_with_usage_unasked(where: str, emulator, proxy) -> None:
    events = list(mistral_client(where, emulator, proxy).chat.stream(model="mistral-small-latest", messages=[{"role": "user", "content": "Hello there"}]))
    last = events[-1].data
    assert last.choices[0].finish_reason == "stop"
    assert last.usage is not None and last.usage.completion_tokens > 0
    assert all(event.data.usage is None for event in events[:-1])


def test_anthropic_foundry_client_from_the_env_file(emulator, monkeypatch) -> None:
    monkeypatch.setenv("ANTHROPIC_FOUNDRY_BASE_URL", emulator.env["ANTHROPIC_FOUNDRY_BASE_URL"])
    monkeypatch.setenv("ANTHROPIC_FOUNDRY_API_KEY", emulator.env["ANTHROPIC_FOUNDRY_API_KEY"])
    client = anthropic.AnthropicFoundry(max_retries=0)
    message = client.messages.create(model="claude-haiku-4-5", max_tokens=64, messages=[{"role": "user", "content": "Hello there"}])
    assert message.content[0].text
    assert message.stop_reason == "end_turn"
