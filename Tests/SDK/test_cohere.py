"""`cohere` (v2 client) against the Cohere emulator and through `archestra serve` at /v1/cohere:
chat, chat_stream with tools, errors."""

from __future__ import annotations

import json

import cohere
import pytest

from native_targets import NativeTarget, native_kind, target_for  # noqa: F401  (fixture)

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


@pytest.fixture
def target(request: pytest.FixtureRequest, native_kind: str) -> NativeTarget:  # noqa: F811
    return target_for("cohere", request, native_kind)


@pytest.fixture
def client(target: NativeTarget) -> cohere.ClientV2:
    return cohere.ClientV2(api_key=target.api_key, base_url=target.base_url)


def test_chat(client: cohere.ClientV2) -> None:
    response = client.chat(model="command-a-03-2025", messages=[{"role": "user", "content": "Hello there"}])
    assert response.message.content[0].text == "Echo: Hello there"
    assert response.finish_reason == "COMPLETE"
    assert response.usage.billed_units.input_tokens == 2


def test_chat_stream_text(client: cohere.ClientV2) -> None:
    events = list(client.chat_stream(model="command-a-03-2025", messages=[{"role": "user", "content": "one two"}]))
    text = "".join(event.delta.message.content.text for event in events if event.type == "content-delta")
    assert text == "Echo: one two"
    assert events[-1].type == "message-end"
    assert events[-1].delta.usage.billed_units.output_tokens == 3


def test_chat_stream_with_tools_then_answer(client: cohere.ClientV2) -> None:
    messages = [{"role": "user", "content": "Use get_weather for Paris"}]
    events = list(client.chat_stream(model="command-a-03-2025", messages=messages, tools=[WEATHER]))
    types = [event.type for event in events]
    assert types[0] == "message-start" and "tool-plan-delta" in types and "tool-call-start" in types
    start = next(event for event in events if event.type == "tool-call-start")
    arguments = "".join(
        event.delta.message.tool_calls.function.arguments for event in events if event.type == "tool-call-delta"
    )
    assert isinstance(json.loads(arguments)["city"], str)
    assert events[-1].delta.finish_reason == "TOOL_CALL"

    call_id = start.delta.message.tool_calls.id
    answer = client.chat(
        model="command-a-03-2025",
        tools=[WEATHER],
        messages=messages
        + [
            {"role": "assistant", "tool_plan": "I will call it.", "tool_calls": [
                {"id": call_id, "type": "function", "function": {"name": "get_weather", "arguments": arguments}}
            ]},
            {"role": "tool", "tool_call_id": call_id, "content": "18C"},
        ],
    )
    assert answer.message.content[0].text == "Tool result: 18C"


def test_non_stream_tool_call(client: cohere.ClientV2) -> None:
    response = client.chat(model="command-a-03-2025", messages=[{"role": "user", "content": "get_weather please"}], tools=[WEATHER])
    assert response.finish_reason == "TOOL_CALL"
    assert response.message.tool_calls[0].function.name == "get_weather"


def test_wrong_key_is_unauthorized(target: NativeTarget) -> None:
    bad = cohere.ClientV2(api_key="wrong", base_url=target.base_url)
    with pytest.raises(cohere.UnauthorizedError):
        bad.chat(model="command-a-03-2025", messages=[{"role": "user", "content": "x"}])


def test_reference_chat_path_and_v1_chat_through_the_proxy(request: pytest.FixtureRequest) -> None:
    # The provider reference's `/v1/cohere/chat` is v2 chat upstream; legacy v1 chat streams JSON lines.
    import httpx

    direct = target_for("cohere", request, "direct")
    proxied = target_for("cohere", request, "proxy")
    headers = {"authorization": f"Bearer {proxied.api_key}"}
    body = {"model": "command-a-03-2025", "stream": True, "messages": [{"role": "user", "content": "hi"}]}
    via_reference = httpx.post(f"{proxied.base_url}/chat", json=body, headers=headers)
    straight = httpx.post(f"{direct.base_url}/v2/chat", json=body, headers=headers)
    assert via_reference.content == straight.content
    assert via_reference.headers["content-type"] == "text/event-stream"
    legacy = httpx.post(f"{proxied.base_url}/v1/chat", json={"model": "command-r", "message": "hi there", "stream": True}, headers=headers)
    lines = [json.loads(line) for line in legacy.text.splitlines()]
    assert lines[0]["event_type"] == "stream-start" and lines[-1]["event_type"] == "stream-end"
    assert lines[-1]["response"]["text"] == "Echo: hi there"


def test_upstream_cut_mid_stream_ends_with_an_error_message_end(request: pytest.FixtureRequest) -> None:
    # The emulator drops the connection mid-stream; the proxy ends the stream with a
    # `message-end` whose finish_reason is ERROR, which the SDK yields as the last event.
    proxied = target_for("cohere", request, "proxy")
    client = cohere.ClientV2(api_key=proxied.api_key, base_url=proxied.base_url)
    events = list(client.chat_stream(
        model="command-a-03-2025",
        messages=[{"role": "user", "content": "one two three four five"}],
        request_options={"additional_headers": {"x-mock-scenario": "drop-mid-stream; after-frames=3"}},
    ))
    assert events[0].type == "message-start"
    assert events[-1].type == "message-end"
    assert events[-1].delta.finish_reason == "ERROR"
