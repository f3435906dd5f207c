"""The `openai` SDK with `base_url` against every OpenAI-compatible emulator, directly and through
`archestra serve`: the answers must be the same."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from conftest import start_proxy, stop

from compat_support import PROVIDERS, WEATHER_TOOL, Provider, base_url

WHERE = ["direct", "proxy"]


def make_client(provider: Provider, where: str, emulator, proxy, key: str | None = None) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=base_url(provider, where, emulator, proxy),
        api_key=key if key is not None else emulator.env[provider.key_variable],
        max_retries=0,
    )


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.id)
def test_chat_non_stream(provider: Provider, where: str, emulator, proxy) -> None:
    with make_client(provider, where, emulator, proxy) as client:
        completion = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "Hello there"}])
    assert completion.choices[0].message.content == "Echo: Hello there"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None and completion.usage.total_tokens > 0


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.id)
def test_chat_stream(provider: Provider, where: str, emulator, proxy) -> None:
    with make_client(provider, where, emulator, proxy) as client:
        stream = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "Hello there"}], stream=True, stream_options={"include_usage": True}
        )
        chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Echo: Hello there"
    assert any(c.usage is not None for c in chunks)


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.id)
def test_tool_call_round_trip(provider: Provider, where: str, emulator, proxy) -> None:
    messages = [{"role": "user", "content": "What does get_weather say for Paris?"}]
    with make_client(provider, where, emulator, proxy) as client:
        first = client.chat.completions.create(model="m", messages=messages, tools=[WEATHER_TOOL])
        call = first.choices[0].message.tool_calls[0]
        assert call.function.name == "get_weather"
        assert "city" in json.loads(call.function.arguments)
        messages += [first.choices[0].message.model_dump(exclude_none=True), {"role": "tool", "tool_call_id": call.id, "content": "sunny"}]
        stream = client.chat.completions.create(model="m", messages=messages, tools=[WEATHER_TOOL], stream=True)
        text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == "Tool result: sunny"


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.id)
def test_wrong_key_is_the_providers_error(provider: Provider, where: str, emulator, proxy) -> None:
    with make_client(provider, where, emulator, proxy, key="wrong-key-0123456789") as client:
        with pytest.raises(openai.APIStatusError) as raised:
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": "Hi"}])
    # xAI answers a bad key with 400, the others with 401.
    assert raised.value.status_code == (400 if provider.id == "xai" else 401)


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.id)
def test_scripted_rate_limit(provider: Provider, where: str, emulator, proxy) -> None:
    with make_client(provider, where, emulator, proxy) as client:
        with pytest.raises(openai.RateLimitError) as raised:
            client.chat.completions.create(model="m@rate-limit", messages=[{"role": "user", "content": "Hi"}])
    assert raised.value.response.headers["retry-after"] == "1"


@pytest.mark.parametrize("where", WHERE)
def test_perplexity_citations_survive(where: str, emulator, proxy) -> None:
    provider = next(p for p in PROVIDERS if p.id == "perplexity")
    with make_client(provider, where, emulator, proxy) as client:
        completion = client.chat.completions.create(model="sonar", messages=[{"role": "user", "content": "Hi"}])
    extra = completion.model_extra or {}
    assert extra["citations"] and extra["search_results"][0]["url"]


@pytest.mark.parametrize("where", WHERE)
def test_openrouter_error_inside_200_stream(where: str, emulator, proxy) -> None:
    provider = next(p for p in PROVIDERS if p.id == "openrouter")
    with make_client(provider, where, emulator, proxy) as client:
        with pytest.raises(openai.APIError):
            for _ in client.chat.completions.create(
                model="mock/midstream-error", messages=[{"role": "user", "content": "Hello there"}], stream=True
            ):
                pass


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("provider_id", ["mistral", "openrouter", "zhipuai", "vllm", "ollama"])
def test_embeddings(provider_id: str, where: str, emulator, proxy) -> None:
    provider = next(p for p in PROVIDERS if p.id == provider_id)
    with make_client(provider, where, emulator, proxy) as client:
        result = client.embeddings.create(model="text-embedding-3-small", input=["a", "b"])
    assert len(result.data) == 2 and len(result.data[0].embedding) == 1536


@pytest.mark.parametrize("provider_id", ["vllm", "ollama"])
def test_self_hosted_without_a_key_through_the_proxy(provider_id: str, emulator, proxy) -> None:
    # The openai SDK refuses to run without a key, so the keyless client is plain httpx. The
    # session proxy has no fallback key, so nothing reaches the upstream as a credential.
    response = httpx.post(
        f"{proxy.base_url}/v1/{provider_id}/chat/completions",
        json={"model": "m", "messages": [{"role": "user", "content": "Hi"}]},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert response.json()["choices"][0]["message"]["content"] == "Echo: Hi"


def test_vllm_unconfigured_answers_a_clear_503(emulator, tmp_path_factory) -> None:
    env = {"ARCHESTRA_VLLM_BASE_URL": ""}
    running = start_proxy(emulator, tmp_path_factory.mktemp("novllm"), env)
    try:
        with openai.OpenAI(base_url=f"{running.base_url}/v1/vllm", api_key="k", max_retries=0) as client:
            with pytest.raises(openai.InternalServerError) as raised:
                client.chat.completions.create(model="m", messages=[{"role": "user", "content": "Hi"}])
    finally:
        assert stop(running.process) == 0
    assert raised.value.status_code == 503
    assert "ARCHESTRA_VLLM_BASE_URL" in raised.value.message
