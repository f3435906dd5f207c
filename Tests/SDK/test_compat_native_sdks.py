"""Each provider's own SDK against its emulator, directly and through `archestra serve` with one
base-URL change: `groq`, `mistralai`, `ollama` (native and `/v1`)."""

from __future__ import annotations

import groq
from mistralai.client import Mistral
import ollama
import pytest

from compat_support import WEATHER_TOOL

WHERE = ["direct", "proxy"]


def groq_client(where: str, emulator, proxy, key: str | None = None) -> groq.Groq:
    url = emulator.env["GROQ_BASE_URL"] if where == "direct" else f"{proxy.base_url}/v1/groq"
    return groq.Groq(base_url=url, api_key=key or emulator.env["GROQ_API_KEY"], max_retries=0)


@pytest.mark.parametrize("where", WHERE)
def test_groq_chat_and_stream(where: str, emulator, proxy) -> None:
    client = groq_client(where, emulator, proxy)
    completion = client.chat.completions.create(model="llama-3.3-70b-versatile", messages=[{"role": "user", "content": "Hello there"}])
    assert completion.choices[0].message.content == "Echo: Hello there"
    chunks = list(client.chat.completions.create(model="llama-3.3-70b-versatile", messages=[{"role": "user", "content": "Hello there"}], stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: Hello there"
    assert chunks[-1].x_groq is not None and chunks[-1].x_groq.usage is not None


@pytest.mark.parametrize("where", WHERE)
def test_groq_tool_call_and_tool_use_failed(where: str, emulator, proxy) -> None:
    client = groq_client(where, emulator, proxy)
    completion = client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "call get_weather"}], tools=[WEATHER_TOOL]
    )
    assert completion.choices[0].message.tool_calls[0].function.name == "get_weather"
    with pytest.raises(groq.BadRequestError) as raised:
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "[tool_use_failed]"}], tools=[WEATHER_TOOL])
    assert "tool_use_failed" in str(raised.value.body)
    # Streaming, the failure comes after the 200 as an `event: error`; the SDK raises it.
    with pytest.raises(groq.APIError) as streamed:
        for _ in client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "[tool_use_failed]"}], tools=[WEATHER_TOOL], stream=True
        ):
            pass
    assert "Tool call validation failed" in str(streamed.value)


@pytest.mark.parametrize("where", WHERE)
def test_groq_wrong_key(where: str, emulator, proxy) -> None:
    with pytest.raises(groq.AuthenticationError):
        groq_client(where, emulator, proxy, key="gsk_wrong").chat.completions.create(model="m", messages=[{"role": "user", "content": "Hi"}])


def mistral_client(where: str, emulator, proxy, key: str | None = None) -> Mistral:
    url = emulator.env["MISTRAL_SERVER_URL"] if where == "direct" else f"{proxy.base_url}/v1/mistral"
    return Mistral(api_key=key or emulator.env["MISTRAL_API_KEY"], server_url=url)


@pytest.mark.parametrize("where", WHERE)
def test_mistral_chat_stream_tools_and_embeddings(where: str, emulator, proxy) -> None:
    client = mistral_client(where, emulator, proxy)
    completion = client.chat.complete(model="mistral-small-latest", messages=[{"role": "user", "content": "Hello there"}])
    assert completion.choices[0].message.content == "Echo: Hello there"
    text = "".join(event.data.choices[0].delta.content or "" for event in client.chat.stream(
        model="mistral-small-latest", messages=[{"role": "user", "content": "Hello there"}]
    ) if event.data.choices)
    assert text == "Echo: Hello there"
    tooled = client.chat.complete(
        model="mistral-small-latest", messages=[{"role": "user", "content": "Hi"}], tools=[WEATHER_TOOL], tool_choice="any"
    )
    assert tooled.choices[0].message.tool_calls[0].function.name == "get_weather"
    embeddings = client.embeddings.create(model="mistral-embed", inputs=["a"])
    assert len(embeddings.data[0].embedding) > 0


@pytest.mark.parametrize("where", WHERE)
def test_mistral_wrong_key(where: str, emulator, proxy) -> None:
    with pytest.raises(Exception) as raised:
        mistral_client(where, emulator, proxy, key="wrong").chat.complete(model="m", messages=[{"role": "user", "content": "Hi"}])
    assert "401" in str(raised.value)


def ollama_client(where: str, emulator, proxy) -> ollama.Client:
    host = emulator.env["OLLAMA_HOST"] if where == "direct" else f"{proxy.base_url}/v1/ollama"
    return ollama.Client(host=host)


@pytest.mark.parametrize("where", WHERE)
def test_ollama_native_chat_stream_tools_tags_embed(where: str, emulator, proxy) -> None:
    client = ollama_client(where, emulator, proxy)
    reply = client.chat(model="llama3.2", messages=[{"role": "user", "content": "Hello there"}])
    assert reply.message.content == "Echo: Hello there"
    parts = list(client.chat(model="llama3.2", messages=[{"role": "user", "content": "Hello there"}], stream=True))
    assert "".join(p.message.content or "" for p in parts) == "Echo: Hello there"
    assert parts[-1].done and parts[-1].eval_count is not None
    tooled = client.chat(model="qwen3", messages=[{"role": "user", "content": "call get_weather"}], tools=[WEATHER_TOOL])
    assert tooled.message.tool_calls[0].function.name == "get_weather"
    assert "city" in tooled.message.tool_calls[0].function.arguments
    assert any(m.model == "llama3.2:latest" for m in client.list().models)
    assert len(client.embed(model="nomic-embed-text", input="a").embeddings[0]) == 768


@pytest.mark.parametrize("where", WHERE)
def test_ollama_native_error(where: str, emulator, proxy) -> None:
    with pytest.raises(ollama.ResponseError) as raised:
        ollama_client(where, emulator, proxy).chat(model="m@server-error", messages=[{"role": "user", "content": "Hi"}])
    assert raised.value.status_code == 500
