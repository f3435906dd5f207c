"""Parallel tool calls, judged by the official SDKs: when the last user message names several
offered tools, every emulator answers with one call per tool, in `tools` order, whole and
streamed, with schema-valid arguments and distinct ids; OpenAI's `parallel_tool_calls=False` and
Anthropic's `disable_parallel_tool_use` give one call; after the results of a parallel round trip
the answer carries all of them. openai, anthropic, google-genai and cohere run straight at the
emulator and through `archestra serve`; boto3 straight at the Bedrock emulator."""

from __future__ import annotations

import json
from typing import Any

import anthropic
import cohere
import openai
import pytest
from google import genai
from google.genai import types

from bedrock_support import (  # noqa: F401 - trust_mock_ca is an autouse fixture
    trust_mock_ca,
    MODEL_ID, runtime_client, stream_events, user,
)
from conftest import Emulator
from native_targets import NativeTarget, native_kind, target_for  # noqa: F401  (fixture)
from schema_check import validate

SCHEMAS: dict[str, dict[str, Any]] = {
    "get_weather": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"], "additionalProperties": False},
    "lookup_unused": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
    "get_time": {
        "type": "object",
        "properties": {"zone": {"type": "string"}, "hour24": {"type": "boolean"}},
        "required": ["zone", "hour24"],
    },
}
# The prompt names get_time first: the calls follow `tools` order, not the prompt's.
PROMPT = "Use get_time and get_weather for Paris"
EXPECTED = ["get_weather", "get_time"]
RESULTS = ["18C", "14:00"]


def check_calls(calls: list[tuple[str, Any]]) -> None:
    """Names in tools order and arguments (a JSON string or an object) valid against each schema."""
    assert [name for name, _ in calls] == EXPECTED
    for name, arguments in calls:
        validate(json.loads(arguments) if isinstance(arguments, str) else arguments, SCHEMAS[name])


# MARK: openai (chat and responses), direct and through the proxy

CHAT_TOOLS = [{"type": "function", "function": {"name": name, "parameters": schema}} for name, schema in SCHEMAS.items()]
RESPONSES_TOOLS = [{"type": "function", "name": name, "parameters": schema} for name, schema in SCHEMAS.items()]


def test_chat_parallel_calls_and_round_trip(client: openai.OpenAI) -> None:
    messages: list[Any] = [{"role": "user", "content": PROMPT}]
    first = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=CHAT_TOOLS)
    assert first.choices[0].finish_reason == "tool_calls"
    calls = first.choices[0].message.tool_calls
    check_calls([(call.function.name, call.function.arguments) for call in calls])
    assert len({call.id for call in calls}) == 2

    single = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=CHAT_TOOLS, parallel_tool_calls=False)
    assert [call.function.name for call in single.choices[0].message.tool_calls] == ["get_weather"]

    messages.append(first.choices[0].message.model_dump(exclude_none=True))
    messages += [{"role": "tool", "tool_call_id": call.id, "content": result} for call, result in zip(calls, RESULTS)]
    answer = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=CHAT_TOOLS)
    assert answer.choices[0].message.content == "Tool result: 18C 14:00"


def test_chat_stream_accumulates_parallel_calls(client: openai.OpenAI) -> None:
    # The stream helper is strict: each call must open with index, id, type and name.
    with client.chat.completions.stream(model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}], tools=CHAT_TOOLS) as stream:
        indexes = [delta.index for event in stream if event.type == "chunk" for choice in event.chunk.choices for delta in choice.delta.tool_calls or []]
        final = stream.get_final_completion()
    assert sorted(set(indexes)) == [0, 1] and indexes == sorted(indexes)
    calls = final.choices[0].message.tool_calls
    check_calls([(call.function.name, call.function.arguments) for call in calls])
    assert len({call.id for call in calls}) == 2


def test_responses_parallel_function_calls(client: openai.OpenAI) -> None:
    response = client.responses.create(model="gpt-4o-mini", input=PROMPT, tools=RESPONSES_TOOLS)
    calls = [item for item in response.output if item.type == "function_call"]
    check_calls([(item.name, item.arguments) for item in calls])
    assert len({item.call_id for item in calls}) == 2

    with client.responses.stream(model="gpt-4o-mini", input=PROMPT, tools=RESPONSES_TOOLS) as stream:
        added = [event.output_index for event in stream if event.type == "response.output_item.added"]
        final = stream.get_final_response()
    assert added == [0, 1]
    check_calls([(item.name, item.arguments) for item in final.output if item.type == "function_call"])

    single = client.responses.create(model="gpt-4o-mini", input=PROMPT, tools=RESPONSES_TOOLS, parallel_tool_calls=False)
    assert [item.name for item in single.output] == ["get_weather"]

    answer = client.responses.create(
        model="gpt-4o-mini",
        tools=RESPONSES_TOOLS,
        input=[
            {"role": "user", "content": PROMPT},
            *[{"type": "function_call", "call_id": item.call_id, "name": item.name, "arguments": item.arguments} for item in calls],
            *[{"type": "function_call_output", "call_id": item.call_id, "output": result} for item, result in zip(calls, RESULTS)],
        ],
    )
    assert answer.output_text == "Tool result: 18C 14:00"


# MARK: anthropic

ANTHROPIC_TOOLS = [{"name": name, "input_schema": schema} for name, schema in SCHEMAS.items()]


@pytest.fixture
def anthropic_client(request: pytest.FixtureRequest, native_kind: str) -> anthropic.Anthropic:  # noqa: F811
    target = target_for("anthropic", request, native_kind)
    return anthropic.Anthropic(base_url=target.base_url, api_key=target.api_key, max_retries=0)


def test_anthropic_parallel_tool_use(anthropic_client: anthropic.Anthropic) -> None:
    messages: list[Any] = [{"role": "user", "content": PROMPT}]
    message = anthropic_client.messages.create(model="claude-haiku-4-5", max_tokens=200, messages=messages, tools=ANTHROPIC_TOOLS)
    assert message.stop_reason == "tool_use"
    blocks = [block for block in message.content if block.type == "tool_use"]
    check_calls([(block.name, block.input) for block in blocks])
    assert len({block.id for block in blocks}) == 2

    with anthropic_client.messages.stream(model="claude-haiku-4-5", max_tokens=200, messages=messages, tools=ANTHROPIC_TOOLS) as stream:
        final = stream.get_final_message()
    check_calls([(block.name, block.input) for block in final.content if block.type == "tool_use"])

    for choice in ({"type": "auto", "disable_parallel_tool_use": True}, {"type": "any", "disable_parallel_tool_use": True}):
        single = anthropic_client.messages.create(
            model="claude-haiku-4-5", max_tokens=200, messages=messages, tools=ANTHROPIC_TOOLS, tool_choice=choice
        )
        assert [block.name for block in single.content if block.type == "tool_use"] == ["get_weather"]

    answer = anthropic_client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=200,
        tools=ANTHROPIC_TOOLS,
        messages=[
            *messages,
            {"role": "assistant", "content": [block.model_dump(exclude_none=True) for block in message.content]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": block.id, "content": result} for block, result in zip(blocks, RESULTS)]},
        ],
    )
    assert answer.content[0].text == "Tool result: 18C 14:00"


# MARK: google-genai

GEMINI_CONFIG = types.GenerateContentConfig(
    tools=[types.Tool(function_declarations=[types.FunctionDeclaration(name=name, parameters_json_schema=schema) for name, schema in SCHEMAS.items()])],
    automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
)


@pytest.fixture
def gemini_client(request: pytest.FixtureRequest, native_kind: str) -> genai.Client:  # noqa: F811
    target: NativeTarget = target_for("gemini", request, native_kind)
    return genai.Client(api_key=target.api_key, http_options=types.HttpOptions(base_url=target.base_url))


def test_gemini_parallel_function_calls(gemini_client: genai.Client) -> None:
    question = types.Content(role="user", parts=[types.Part(text=PROMPT)])
    first = gemini_client.models.generate_content(model="gemini-2.5-flash", contents=[question], config=GEMINI_CONFIG)
    check_calls([(call.name, call.args) for call in first.function_calls])

    streamed = [call for chunk in gemini_client.models.generate_content_stream(model="gemini-2.5-flash", contents=[question], config=GEMINI_CONFIG) for call in chunk.function_calls or []]
    check_calls([(call.name, call.args) for call in streamed])

    answer = gemini_client.models.generate_content(
        model="gemini-2.5-flash",
        contents=[
            question,
            first.candidates[0].content,
            types.Content(role="user", parts=[types.Part.from_function_response(name=call.name, response={"value": result}) for call, result in zip(first.function_calls, RESULTS)]),
        ],
        config=GEMINI_CONFIG,
    )
    assert answer.text == 'Tool result: {"value":"18C"} {"value":"14:00"}'


# MARK: cohere

@pytest.fixture
def cohere_client(request: pytest.FixtureRequest, native_kind: str) -> cohere.ClientV2:  # noqa: F811
    target = target_for("cohere", request, native_kind)
    return cohere.ClientV2(api_key=target.api_key, base_url=target.base_url)


def test_cohere_parallel_tool_calls(cohere_client: cohere.ClientV2) -> None:
    messages: list[Any] = [{"role": "user", "content": PROMPT}]
    response = cohere_client.chat(model="command-a-03-2025", messages=messages, tools=CHAT_TOOLS)
    assert response.finish_reason == "TOOL_CALL" and response.message.tool_plan
    calls = response.message.tool_calls
    check_calls([(call.function.name, call.function.arguments) for call in calls])
    assert len({call.id for call in calls}) == 2

    events = list(cohere_client.chat_stream(model="command-a-03-2025", messages=messages, tools=CHAT_TOOLS))
    kinds = [event.type for event in events]
    assert kinds.index("tool-plan-delta") < kinds.index("tool-call-start")
    names: dict[int, str] = {}
    arguments: dict[int, str] = {}
    for event in events:
        if event.type == "tool-call-start":
            names[event.index] = event.delta.message.tool_calls.function.name
        elif event.type == "tool-call-delta":
            arguments[event.index] = arguments.get(event.index, "") + event.delta.message.tool_calls.function.arguments
    check_calls([(names[index], arguments[index]) for index in sorted(names)])

    answer = cohere_client.chat(
        model="command-a-03-2025",
        tools=CHAT_TOOLS,
        messages=[
            *messages,
            {"role": "assistant", "tool_plan": response.message.tool_plan, "tool_calls": [call.model_dump(exclude_none=True) for call in calls]},
            *[{"role": "tool", "tool_call_id": call.id, "content": result} for call, result in zip(calls, RESULTS)],
        ],
    )
    assert answer.message.content[0].text == "Tool result: 18C 14:00"


# MARK: boto3 bedrock-runtime

BEDROCK_TOOLS = {"tools": [{"toolSpec": {"name": name, "inputSchema": {"json": schema}}} for name, schema in SCHEMAS.items()]}


def test_bedrock_converse_parallel_tool_use(emulator: Emulator) -> None:
    client = runtime_client(emulator.env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"], emulator.env)
    response = client.converse(modelId=MODEL_ID, messages=user(PROMPT), toolConfig=BEDROCK_TOOLS)
    assert response["stopReason"] == "tool_use"
    uses = [block["toolUse"] for block in response["output"]["message"]["content"] if "toolUse" in block]
    check_calls([(use["name"], use["input"]) for use in uses])
    assert len({use["toolUseId"] for use in uses}) == 2

    events = stream_events(client.converse_stream(modelId=MODEL_ID, messages=user(PROMPT), toolConfig=BEDROCK_TOOLS))
    starts = {e["contentBlockStart"]["contentBlockIndex"]: e["contentBlockStart"]["start"]["toolUse"] for e in events if "contentBlockStart" in e}
    inputs: dict[int, str] = {}
    for event in events:
        if "contentBlockDelta" in event:
            delta = event["contentBlockDelta"]
            inputs[delta["contentBlockIndex"]] = inputs.get(delta["contentBlockIndex"], "") + delta["delta"]["toolUse"]["input"]
    check_calls([(starts[index]["name"], inputs[index]) for index in sorted(starts)])
    stops = [e["contentBlockStop"]["contentBlockIndex"] for e in events if "contentBlockStop" in e]
    assert stops == sorted(starts)
    assert next(e["messageStop"] for e in events if "messageStop" in e)["stopReason"] == "tool_use"

    forced = client.converse(modelId=MODEL_ID, messages=user(PROMPT), toolConfig={**BEDROCK_TOOLS, "toolChoice": {"tool": {"name": "get_time"}}})
    assert [block["toolUse"]["name"] for block in forced["output"]["message"]["content"]] == ["get_time"]

    answer = client.converse(
        modelId=MODEL_ID,
        toolConfig=BEDROCK_TOOLS,
        messages=[
            *user(PROMPT),
            response["output"]["message"],
            {"role": "user", "content": [{"toolResult": {"toolUseId": use["toolUseId"], "content": [{"text": result}]}} for use, result in zip(uses, RESULTS)]},
        ],
    )
    assert answer["output"]["message"]["content"] == [{"text": "Tool result: 18C 14:00"}]
