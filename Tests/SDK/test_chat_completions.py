"""Chat Completions through the official SDK: text, streams, usage, limits, tool calls."""

from __future__ import annotations

import asyncio
import json

import openai
import pydantic
import pytest

from conftest import Target
from schema_check import validate

WEATHER_PARAMETERS = {
    "type": "object",
    "properties": {
        "city": {"type": "string"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        "days": {"type": "integer", "minimum": 1},
        "hourly": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "where": {
            "type": "object",
            "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}},
            "required": ["lat", "lon"],
            "additionalProperties": False,
        },
    },
    "required": ["city", "unit", "days", "hourly", "tags", "where"],
    "additionalProperties": False,
}
WEATHER_TOOL = {"type": "function", "function": {"name": "get_weather", "parameters": WEATHER_PARAMETERS}}


def test_non_stream_text_is_the_documented_echo(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "system", "content": "be brief"}, {"role": "user", "content": "Say hello"}]
    )
    choice = completion.choices[0]
    assert choice.message.content == "Echo: Say hello"
    assert choice.finish_reason == "stop"
    assert completion.model == "gpt-4o-mini"
    assert completion.object == "chat.completion"
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens, completion.usage.total_tokens) == (4, 3, 7)
    assert completion._request_id is not None and completion._request_id.startswith("req_")


def test_async_client_non_stream(target: Target) -> None:
    async def run() -> str | None:
        async with openai.AsyncOpenAI(base_url=target.base_url, api_key=target.api_key, max_retries=0) as client:
            completion = await client.chat.completions.create(
                model="gpt-4o", messages=[{"role": "user", "content": "async works"}]
            )
            return completion.choices[0].message.content

    assert asyncio.run(run()) == "Echo: async works"


def test_stream_with_include_usage_puts_usage_on_the_last_chunk(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "stream these four words"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Echo: stream these four words"
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["stop"]
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == 5
    assert chunks[-1].usage.prompt_tokens == 4
    assert all(c.usage is None for c in chunks[:-1])


def test_async_stream(target: Target) -> None:
    async def run() -> str:
        async with openai.AsyncOpenAI(base_url=target.base_url, api_key=target.api_key, max_retries=0) as client:
            stream = await client.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": "async stream"}], stream=True
            )
            return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    assert asyncio.run(run()) == "Echo: async stream"


def test_max_tokens_truncates_with_finish_reason_length(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "one two three four"}], max_completion_tokens=2
    )
    assert completion.choices[0].message.content == "Echo: one"
    assert completion.choices[0].finish_reason == "length"
    assert completion.usage is not None and completion.usage.completion_tokens == 2


def test_n_returns_n_choices(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], n=3)
    assert [c.index for c in completion.choices] == [0, 1, 2]
    assert {c.message.content for c in completion.choices} == {"Echo: hi"}


def test_required_tool_call_arguments_validate_against_the_schema(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "what is the weather?"}],
        tools=[WEATHER_TOOL],
        tool_choice="required",
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    assert choice.message.tool_calls is not None and len(choice.message.tool_calls) == 1
    call = choice.message.tool_calls[0]
    assert call.type == "function" and call.function.name == "get_weather"
    assert call.id.startswith("call_")
    validate(json.loads(call.function.arguments), WEATHER_PARAMETERS)


def test_auto_calls_a_tool_the_user_names_and_answers_text_after_the_tool_result(client: openai.OpenAI) -> None:
    other_tool = {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object", "properties": {}}}}
    first = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Use GET_WEATHER for Paris"}],
        tools=[other_tool, WEATHER_TOOL],
        tool_choice="auto",
    )
    tool_calls = first.choices[0].message.tool_calls
    assert tool_calls is not None and tool_calls[0].function.name == "get_weather"

    second = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "user", "content": "Use GET_WEATHER for Paris"},
            first.choices[0].message.model_dump(exclude_none=True),
            {"role": "tool", "tool_call_id": tool_calls[0].id, "content": "18C and sunny"},
        ],
        tools=[other_tool, WEATHER_TOOL],
    )
    assert second.choices[0].finish_reason == "stop"
    assert second.choices[0].message.content == "Tool result: 18C and sunny"


def test_auto_without_a_mention_answers_text_and_none_never_calls(client: openai.OpenAI) -> None:
    for choice in ("auto", "none"):
        completion = client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": "get_weather" if choice == "none" else "nothing relevant"}],
            tools=[WEATHER_TOOL],
            tool_choice=choice,
        )
        assert completion.choices[0].message.tool_calls is None
        assert completion.choices[0].finish_reason == "stop"


def test_streamed_tool_call_accumulates_to_valid_arguments(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "weather please"}],
        tools=[WEATHER_TOOL],
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
        stream=True,
    )
    chunks = list(stream)
    opening = chunks[0].choices[0].delta.tool_calls
    assert opening is not None and opening[0].id is not None and opening[0].function is not None
    assert opening[0].function.name == "get_weather" and opening[0].function.arguments == ""
    fragments = []
    for chunk in chunks[1:]:
        for delta in chunk.choices[0].delta.tool_calls or []:
            assert delta.index == 0 and delta.id is None
            assert delta.function is not None and delta.function.arguments is not None
            fragments.append(delta.function.arguments)
    assert len(fragments) > 1
    assert chunks[-1].choices[0].finish_reason == "tool_calls"
    validate(json.loads("".join(fragments)), WEATHER_PARAMETERS)


class Weather(pydantic.BaseModel):
    city: str
    unit: str
    days: int


def test_stream_helper_parses_a_pydantic_function_tool(client: openai.OpenAI) -> None:
    with client.chat.completions.stream(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "use Weather"}],
        tools=[openai.pydantic_function_tool(Weather)],
        tool_choice="required",
    ) as stream:
        event_types = {event.type for event in stream}
        final = stream.get_final_completion()
    assert "tool_calls.function.arguments.done" in event_types
    call = final.choices[0].message.tool_calls[0]
    assert call.function.name == "Weather"
    assert isinstance(call.function.parsed_arguments, Weather)
    assert final.choices[0].finish_reason == "tool_calls"
