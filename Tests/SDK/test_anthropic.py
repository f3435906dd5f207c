"""The newest `anthropic` SDK (2.x, `Authorization: Bearer`) against the Anthropic emulator and
through `archestra serve` at /v1/anthropic: messages, the full stream (thinking, tool use),
errors, models and token counting."""

from __future__ import annotations

import anthropic
import pytest

from native_targets import NativeTarget, native_kind, target_for  # noqa: F401  (fixture)

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "days": {"type": "integer", "minimum": 1, "maximum": 7}},
        "required": ["city", "days"],
    },
}


@pytest.fixture
def target(request: pytest.FixtureRequest, native_kind: str) -> NativeTarget:  # noqa: F811
    return target_for("anthropic", request, native_kind)


@pytest.fixture
def client(target: NativeTarget) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=target.base_url, api_key=target.api_key, max_retries=0)


def test_sdk_sends_bearer_not_x_api_key() -> None:
    # The point of testing 2.x beside 0.x (test_anthropic_legacy.py): 2.x authenticates differently.
    headers = {name.lower(): value for name, value in anthropic.Anthropic(api_key="k", base_url="http://sdk.invalid").auth_headers.items()}
    assert headers == {"authorization": "Bearer k"}


def test_message(client: anthropic.Anthropic) -> None:
    message = client.messages.create(
        model="claude-haiku-4-5", max_tokens=100, messages=[{"role": "user", "content": "Hello there"}]
    )
    assert message.content[0].type == "text"
    assert message.content[0].text == "Echo: Hello there"
    assert message.stop_reason == "end_turn"
    assert message.usage.input_tokens == 2 and message.usage.output_tokens == 3
    assert message._request_id and message._request_id.startswith("req_")


def test_stream_text_events(client: anthropic.Anthropic) -> None:
    with client.messages.stream(
        model="claude-haiku-4-5", max_tokens=100, messages=[{"role": "user", "content": "stream these words"}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "Echo: stream these words"
    assert final.usage.output_tokens == 4


def test_stream_thinking_and_tool_use(client: anthropic.Anthropic) -> None:
    with client.messages.stream(
        model="claude-haiku-4-5",
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 1024},
        tools=[WEATHER_TOOL],
        messages=[{"role": "user", "content": "Use get_weather for Paris"}],
    ) as stream:
        final = stream.get_final_message()
    assert [block.type for block in final.content] == ["thinking", "tool_use"]
    assert final.content[0].signature
    tool_use = final.content[1]
    assert tool_use.name == "get_weather"
    assert isinstance(tool_use.input["city"], str) and 1 <= tool_use.input["days"] <= 7
    assert final.stop_reason == "tool_use"

    # The tool's result comes back as text.
    answer = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=100,
        tools=[WEATHER_TOOL],
        messages=[
            {"role": "user", "content": "Use get_weather for Paris"},
            {"role": "assistant", "content": [block.model_dump() for block in final.content]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": tool_use.id, "content": "18C"}]},
        ],
    )
    assert answer.content[0].text == "Tool result: 18C"


def test_wrong_key_is_authentication_error(target: NativeTarget) -> None:
    bad = anthropic.Anthropic(base_url=target.base_url, api_key="sk-ant-wrong", max_retries=0)
    with pytest.raises(anthropic.AuthenticationError) as raised:
        bad.messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}])
    assert raised.value.body["error"]["type"] == "authentication_error"


def test_overloaded_is_529(client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.OverloadedError):
        client.messages.create(
            model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}], extra_headers={"x-mock-scenario": "unavailable"}
        )


def test_rate_limit_headers(client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.RateLimitError) as raised:
        client.messages.create(
            model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}], extra_headers={"x-mock-scenario": "rate-limit; retry-after=2"}
        )
    assert raised.value.response.headers["retry-after"] == "2"
    assert raised.value.response.headers["anthropic-ratelimit-requests-remaining"] == "0"


def test_error_event_mid_stream(client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.APIStatusError) as raised:
        with client.messages.stream(
            model="m",
            max_tokens=50,
            messages=[{"role": "user", "content": "one two three four five"}],
            extra_headers={"x-mock-scenario": "drop-mid-stream; in-band=true; after-frames=4"},
        ) as stream:
            for _ in stream:
                pass
    assert raised.value.body["error"]["type"] == "overloaded_error"


def test_models_and_count_tokens(client: anthropic.Anthropic) -> None:
    models = client.models.list()
    assert [model.id for model in models.data][0].startswith("claude-")
    counted = client.messages.count_tokens(model="claude-haiku-4-5", messages=[{"role": "user", "content": "a b c d"}])
    assert counted.input_tokens == 4


def test_stream_bytes_identical_through_the_proxy(request: pytest.FixtureRequest) -> None:
    # The emulator is deterministic, so the proxy adding or changing a single byte would show.
    import httpx

    direct = target_for("anthropic", request, "direct")
    proxied = target_for("anthropic", request, "proxy")
    body = {
        "model": "claude-haiku-4-5", "max_tokens": 4096, "stream": True, "thinking": {"type": "enabled", "budget_tokens": 1024},
        "tools": [WEATHER_TOOL], "messages": [{"role": "user", "content": "Use get_weather"}],
    }
    headers = {"anthropic-version": "2023-06-01"}
    first = httpx.post(f"{direct.base_url}/v1/messages", json=body, headers={**headers, "x-api-key": direct.api_key})
    second = httpx.post(f"{proxied.base_url}/v1/messages", json=body, headers={**headers, "authorization": f"Bearer {proxied.api_key}"})
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert b"event: ping" in second.content and b"signature_delta" in second.content


def anthropic_kind(event: dict) -> str:
    if "delta" in event and "type" in event["delta"]:
        return f"{event['type']}/{event['delta']['type']}"
    if "content_block" in event:
        return f"{event['type']}/{event['content_block']['type']}"
    return event["type"]


def test_thinking_stream_has_the_real_captures_structure(request: pytest.FixtureRequest) -> None:
    # The real thinking capture is gzip'd, so this comparison lives here rather than in Swift.
    import httpx

    from capture_structure import missing_paths, response_bodies, sse_objects

    real = sse_objects(response_bodies("anthropic/messages-stream-thinking.vcrpy.json")[0])
    direct = target_for("anthropic", request, "direct")
    emulated = sse_objects(httpx.post(
        f"{direct.base_url}/v1/messages",
        json={"model": "claude-haiku-4-5", "max_tokens": 4096, "stream": True, "thinking": {"type": "enabled", "budget_tokens": 1024},
              "messages": [{"role": "user", "content": "Two names for a pet pelican, be brief"}]},
        headers={"x-api-key": direct.api_key},
    ).text)

    def order(events: list[dict]) -> list[str]:
        collapsed: list[str] = []
        for name in map(anthropic_kind, events):
            if not collapsed or collapsed[-1] != name:
                collapsed.append(name)
        return collapsed

    # Same kinds in the same order: start, thinking block (ping right after its start, thinking
    # deltas, the signature last), text block, message_delta, message_stop. The real stream also
    # has an empty thinking_delta right before the signature; that is a repeat of the same kind.
    assert order(emulated) == order(real)
    ignored = {"message.stop_details", "delta.stop_details", "message.usage.inference_geo", "message.usage.cache_creation", "usage.inference_geo", "usage.cache_creation"}
    assert missing_paths(real, emulated, anthropic_kind, ignored) == {}


def test_upstream_cut_mid_stream_reaches_the_sdk_as_an_error_event(request: pytest.FixtureRequest) -> None:
    # The emulator drops the connection mid-stream; the proxy turns that into Anthropic's
    # `event: error`, which the SDK raises (with the 200 status the stream started with).
    proxied = target_for("anthropic", request, "proxy")
    client = anthropic.Anthropic(base_url=proxied.base_url, api_key=proxied.api_key, max_retries=0)
    with pytest.raises(anthropic.APIStatusError) as raised:
        with client.messages.stream(
            model="claude-haiku-4-5",
            max_tokens=50,
            messages=[{"role": "user", "content": "one two three four five"}],
            extra_headers={"x-mock-scenario": "drop-mid-stream; after-frames=4"},
        ) as stream:
            for _ in stream:
                pass
    assert raised.value.body["error"]["type"] == "api_error"
    assert "stream failed" in raised.value.body["error"]["message"]
