"""Responses API through the official SDK: objects, streams, function calls."""

from __future__ import annotations

import json

import openai

from schema_check import validate

CAPITAL_PARAMETERS = {
    "type": "object",
    "properties": {"country": {"type": "string"}},
    "required": ["country"],
    "additionalProperties": False,
}
CAPITAL_TOOL = {"type": "function", "name": "get_capital", "parameters": CAPITAL_PARAMETERS, "strict": True}

TEXT_EVENT_ORDER = [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
]


def collapse_repeats(types: list[str]) -> list[str]:
    return [t for i, t in enumerate(types) if i == 0 or types[i - 1] != t]


def test_non_stream_response_with_instructions_and_list_input(client: openai.OpenAI) -> None:
    response = client.responses.create(
        model="gpt-4o-mini",
        instructions="be brief",
        input=[{"role": "user", "content": "hello responses"}],
    )
    assert response.status == "completed"
    assert response.output_text == "Echo: hello responses"
    assert response.usage is not None
    assert (response.usage.input_tokens, response.usage.output_tokens, response.usage.total_tokens) == (4, 3, 7)
    assert response.id.startswith("resp_")


def test_max_output_tokens_makes_an_incomplete_response(client: openai.OpenAI) -> None:
    response = client.responses.create(model="gpt-4o-mini", input="a b c d e", max_output_tokens=2)
    assert response.status == "incomplete"
    assert response.incomplete_details is not None and response.incomplete_details.reason == "max_output_tokens"
    assert response.output_text == "Echo: a"


def test_stream_text_event_sequence(client: openai.OpenAI) -> None:
    with client.responses.stream(model="gpt-4o-mini", input="stream me") as stream:
        events = list(stream)
        final = stream.get_final_response()
    types = [e.type for e in events]
    assert collapse_repeats(types) == TEXT_EVENT_ORDER
    assert [e.sequence_number for e in events] == list(range(len(events)))
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    assert "".join(deltas) == "Echo: stream me"
    assert final.output_text == "Echo: stream me"
    assert final.usage is not None and final.usage.output_tokens == 3


def test_stream_function_call(client: openai.OpenAI) -> None:
    with client.responses.stream(
        model="gpt-4o-mini", input="What is the capital of France?", tools=[CAPITAL_TOOL], tool_choice="required"
    ) as stream:
        types = collapse_repeats([e.type for e in stream])
        final = stream.get_final_response()
    assert types == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.completed",
    ]
    call = final.output[0]
    assert call.type == "function_call" and call.name == "get_capital" and call.status == "completed"
    validate(json.loads(call.arguments), CAPITAL_PARAMETERS)


def test_function_call_output_gets_a_text_answer(client: openai.OpenAI) -> None:
    first = client.responses.create(model="gpt-4o-mini", input="call get_capital", tools=[CAPITAL_TOOL])
    call = first.output[0]
    assert call.type == "function_call"
    second = client.responses.create(
        model="gpt-4o-mini",
        input=[
            {"role": "user", "content": "call get_capital"},
            {"type": "function_call", "call_id": call.call_id, "name": call.name, "arguments": call.arguments},
            {"type": "function_call_output", "call_id": call.call_id, "output": "Paris"},
        ],
        tools=[CAPITAL_TOOL],
    )
    assert second.output_text == "Tool result: Paris"
