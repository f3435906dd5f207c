"""Tool-call policies (docs/guardrails.md) through `archestra serve` into the emulators, with each
dialect's official SDK: {allow, block always, block when untrusted, untrusted by profile setting,
trusted-data rules} x {OpenAI chat and Responses, Anthropic, Gemini, Cohere, Bedrock, Ollama's
native chat} x {whole, streamed}.

Every case asserts the exact answer the client sees: the tool call kept (and its finish reason),
or removed with the refusal text in its place and the dialect's "stop". The SDK parsing the
answer (its stream accumulators included) without an error is part of the proof.

The emulators answer a last user message that names an offered tool with a call to it, with
arguments generated from the tool's schema; a conversation ending in tool results gets
"Tool result: <outputs>", which shows what the proxy sent upstream for a blocked result.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
from typing import Any, Callable, Iterator

import anthropic
import boto3
import cohere
import httpx
import ollama
import openai
import pytest
from google import genai
from google.genai import types

from bedrock_support import MODEL_ID, NO_RETRIES, isolate_aws
from conftest import Emulator, Proxy
from gateway_support import Gateway, VirtualKey, running

UNTRUSTED = {"X-Archestra-Context-Untrusted": "true"}
PROMPT = "Use get_weather for Paris"
WEATHER_SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
EMPTY_SCHEMA = {"type": "object", "properties": {}}
TOOLS = [("get_weather", WEATHER_SCHEMA), ("fetch_page", EMPTY_SCHEMA), ("read_secrets", EMPTY_SCHEMA)]

REASON_ALWAYS = "weather lookups are off limits"
REASON_UNTRUSTED = "no weather lookups on untrusted data"
REASON_NO_POLICY = "the context is untrusted and no policy allows this tool"
REASON_SECRETS = "secrets stay home"


def refusal(name: str, arguments: Any, reason: str) -> str:
    """The content message GATEWAY.md §4 describes, as the proxy writes it."""
    compact = json.dumps(arguments, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (
        f"Archestra LLM Proxy blocked unsafe tool call: {name} with arguments: {compact}.\n\n"
        f"Reason: {reason}\n\n"
        "The proxy checks every tool call the model makes against the tool policies of this profile. "
        "If this call should be allowed, ask your administrator to review the tool policies."
    )


@dataclasses.dataclass
class Answer:
    """What the client got, whatever the dialect: text, tool calls (name, arguments), finish."""

    text: str
    calls: list[tuple[str, Any]]
    finish: str


@dataclasses.dataclass(frozen=True)
class Setup:
    gateway: Gateway
    key: VirtualKey
    proxy: Proxy
    tls_proxy: Proxy
    profiles: dict[str, str]


def policy(gateway: Gateway, *args: str) -> dict[str, Any]:
    created = gateway.cli_json("policies", "create", *args)
    assert created["id"] and created["tool_name"], created
    return created


@pytest.fixture(scope="module")
def setup(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    gateway = Gateway(emulator, tmp_path_factory.mktemp("guardrails"))
    ids = gateway.provider_keys("openai", "anthropic", "gemini", "cohere", "bedrock", "ollama")
    key = gateway.virtual_key(*ids.values())
    profiles = {name: gateway.profile("--name", name) for name in ["allow", "always", "untrusted", "trusted-data"]}
    profiles["setting"] = gateway.profile("--name", "setting", "--consider-context-untrusted")
    profiles["bare"] = gateway.profile("--name", "bare")
    profiles["router"] = gateway.cli_json("llm-proxies", "create", "--name", "router")["id"]
    policy(gateway, "--kind", "tool-invocation", "--profile", profiles["router"], "--tool", "get_weather", "--action", "block_always", "--reason", REASON_ALWAYS)
    policy(gateway, "--kind", "tool-invocation", "--profile", profiles["allow"], "--tool", "get_weather", "--action", "allow_when_context_is_untrusted")
    policy(gateway, "--kind", "tool-invocation", "--profile", profiles["always"], "--tool", "get_weather", "--action", "block_always", "--reason", REASON_ALWAYS)
    policy(gateway, "--kind", "tool-invocation", "--profile", profiles["untrusted"], "--tool", "get_weather",
           "--action", "block_when_context_is_untrusted", "--reason", REASON_UNTRUSTED)
    # The caveat GATEWAY.md names: get_weather has no policy here, the profile marks every
    # context untrusted; the call must be held and blocked, never streamed first.
    policy(gateway, "--kind", "tool-invocation", "--profile", profiles["setting"], "--tool", "fetch_page", "--action", "block_always")
    td = profiles["trusted-data"]
    policy(gateway, "--kind", "trusted-data", "--profile", td, "--tool", "fetch_page", "--action", "mark_as_trusted", "--condition", "source equal internal")
    policy(gateway, "--kind", "trusted-data", "--profile", td, "--tool", "read_secrets", "--action", "block_always", "--reason", REASON_SECRETS)
    policy(gateway, "--kind", "tool-invocation", "--profile", td, "--tool", "get_weather",
           "--action", "block_when_context_is_untrusted", "--reason", REASON_UNTRUSTED)
    listed = gateway.cli_json("policies", "list", "--profile", td)
    assert [p["tool_name"] for p in listed] == ["fetch_page", "read_secrets", "get_weather"]
    env = {"ARCHESTRA_LLM_PROXY_STREAM_KEEPALIVE_INTERVAL_MS": "40"}
    for proxy in running(gateway, env):
        for tls_proxy in running(gateway, env, tls=True):
            yield Setup(gateway, key, proxy, tls_proxy, profiles)


# MARK: One driver per dialect: a request with an optional tool history, through the official SDK.


def history_openai(tool: str, output: str) -> list[dict[str, Any]]:
    return [
        {"role": "user", "content": f"Use {tool}"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": tool, "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": output},
    ]


def run_openai(setup: Setup, profile: str, stream: bool, untrusted: bool, history: tuple[str, str] | None, ask: bool = True) -> Answer:
    client = openai.OpenAI(
        base_url=f"{setup.proxy.base_url}/v1/openai/{profile}", api_key=setup.key.value, max_retries=0,
        default_headers=UNTRUSTED if untrusted else None,
    )
    messages = (history_openai(*history) if history else []) + ([{"role": "user", "content": PROMPT}] if ask else [])
    tools = [{"type": "function", "function": {"name": name, "parameters": schema}} for name, schema in TOOLS]
    with client:
        if not stream:
            choice = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=tools).choices[0]
            calls = [(c.function.name, json.loads(c.function.arguments)) for c in choice.message.tool_calls or []]
            return Answer(choice.message.content or "", calls, choice.finish_reason)
        text, finish, names, arguments = "", "", {}, {}
        for chunk in client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=tools, stream=True):
            for choice in chunk.choices:
                text += choice.delta.content or ""
                for call in choice.delta.tool_calls or []:
                    if call.function and call.function.name:
                        names[call.index] = call.function.name
                    arguments[call.index] = arguments.get(call.index, "") + ((call.function and call.function.arguments) or "")
                finish = choice.finish_reason or finish
        return Answer(text, [(names[i], json.loads(arguments[i])) for i in sorted(names)], finish)


def run_responses(setup: Setup, profile: str, stream: bool, untrusted: bool, history: tuple[str, str] | None, ask: bool = True) -> Answer:
    client = openai.OpenAI(
        base_url=f"{setup.proxy.base_url}/v1/openai/{profile}", api_key=setup.key.value, max_retries=0,
        default_headers=UNTRUSTED if untrusted else None,
    )
    items: list[dict[str, Any]] = []
    if history:
        tool, output = history
        items += [
            {"role": "user", "content": f"Use {tool}"},
            {"type": "function_call", "call_id": "call_1", "name": tool, "arguments": "{}"},
            {"type": "function_call_output", "call_id": "call_1", "output": output},
        ]
    if ask:
        items.append({"role": "user", "content": PROMPT})
    tools = [{"type": "function", "name": name, "parameters": schema, "strict": False} for name, schema in TOOLS]
    with client:
        if stream:
            with client.responses.stream(model="gpt-4o-mini", input=items, tools=tools) as events:
                for _ in events:  # every event parsed by the SDK
                    pass
                response = events.get_final_response()
        else:
            response = client.responses.create(model="gpt-4o-mini", input=items, tools=tools)
    calls = [(item.name, json.loads(item.arguments)) for item in response.output if item.type == "function_call"]
    refusals = [part.refusal for item in response.output if item.type == "message" for part in item.content if part.type == "refusal"]
    if refusals:  # the tagged refusal part comes with the plain text
        assert refusals == [f"<archestra-tool-name>get_weather</archestra-tool-name>" + refusals[0].split("</archestra-tool-name>", 1)[1]]
        assert refusals[0].endswith("\n\n" + response.output_text)
    return Answer(response.output_text, calls, "tool" if calls else response.status)


def run_anthropic(setup: Setup, profile: str, stream: bool, untrusted: bool, history: tuple[str, str] | None, ask: bool = True) -> Answer:
    client = anthropic.Anthropic(
        base_url=f"{setup.proxy.base_url}/v1/anthropic/{profile}", api_key=setup.key.value, max_retries=0,
        default_headers=UNTRUSTED if untrusted else None,
    )
    messages: list[dict[str, Any]] = []
    if history:
        tool, output = history
        messages += [
            {"role": "user", "content": f"Use {tool}"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": tool, "input": {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": output}]},
        ]
    if ask:
        if messages:  # the roles alternate; the emulator plans from the last user turn
            messages.append({"role": "assistant", "content": "Noted."})
        messages.append({"role": "user", "content": PROMPT})
    tools = [{"name": name, "input_schema": schema} for name, schema in TOOLS]
    if stream:
        with client.messages.stream(model="claude-haiku-4-5", max_tokens=200, messages=messages, tools=tools) as events:
            message = events.get_final_message()
    else:
        message = client.messages.create(model="claude-haiku-4-5", max_tokens=200, messages=messages, tools=tools)
    text = "".join(block.text for block in message.content if block.type == "text")
    calls = [(block.name, block.input) for block in message.content if block.type == "tool_use"]
    return Answer(text, calls, message.stop_reason)


def run_gemini(setup: Setup, profile: str, stream: bool, untrusted: bool, history: tuple[str, str] | None, ask: bool = True) -> Answer:
    client = genai.Client(
        api_key=setup.key.value,
        http_options=types.HttpOptions(base_url=f"{setup.proxy.base_url}/v1/gemini/{profile}", headers=UNTRUSTED if untrusted else None),
    )
    contents: list[types.Content] = []
    if history:
        tool, output = history
        contents += [
            types.Content(role="user", parts=[types.Part(text=f"Use {tool}")]),
            types.Content(role="model", parts=[types.Part(function_call=types.FunctionCall(name=tool, args={}))]),
            types.Content(role="user", parts=[types.Part(function_response=types.FunctionResponse(name=tool, response=json.loads(output)))]),
        ]
    if ask:
        contents.append(types.Content(role="user", parts=[types.Part(text=PROMPT)]))
    config = types.GenerateContentConfig(
        tools=[types.Tool(function_declarations=[types.FunctionDeclaration(name=name, parameters_json_schema=schema) for name, schema in TOOLS])]
    )
    chunks = (
        list(client.models.generate_content_stream(model="gemini-2.5-flash", contents=contents, config=config))
        if stream else [client.models.generate_content(model="gemini-2.5-flash", contents=contents, config=config)]
    )
    text, calls, finish = "", [], ""
    for chunk in chunks:
        for candidate in chunk.candidates or []:
            for part in (candidate.content and candidate.content.parts) or []:
                text += part.text or ""
                if part.function_call:
                    calls.append((part.function_call.name, dict(part.function_call.args or {})))
            if candidate.finish_reason:
                finish = candidate.finish_reason.value
    return Answer(text, calls, finish)


def run_cohere(setup: Setup, profile: str, stream: bool, untrusted: bool, history: tuple[str, str] | None, ask: bool = True) -> Answer:
    client = cohere.ClientV2(
        api_key=setup.key.value, base_url=f"{setup.proxy.base_url}/v1/cohere/{profile}",
        httpx_client=httpx.Client(headers=UNTRUSTED if untrusted else None, timeout=30.0),
    )
    messages: list[dict[str, Any]] = []
    if history:
        tool, output = history
        messages += [
            {"role": "user", "content": f"Use {tool}"},
            {"role": "assistant", "tool_plan": "I will call it.", "tool_calls": [{"id": "tc_1", "type": "function", "function": {"name": tool, "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "tc_1", "content": output},
        ]
    if ask:
        messages.append({"role": "user", "content": PROMPT})
    tools = [{"type": "function", "function": {"name": name, "parameters": schema}} for name, schema in TOOLS]
    if not stream:
        response = client.chat(model="command-a-03-2025", messages=messages, tools=tools)
        text = "".join(part.text for part in response.message.content or [] if part.type == "text")
        calls = [(call.function.name, json.loads(call.function.arguments)) for call in response.message.tool_calls or []]
        return Answer(text, calls, response.finish_reason)
    text, finish, names, arguments = "", "", {}, {}
    for event in client.chat_stream(model="command-a-03-2025", messages=messages, tools=tools):
        if event.type == "content-delta":
            text += event.delta.message.content.text or ""
        elif event.type == "tool-call-start":
            names[event.index] = event.delta.message.tool_calls.function.name
            arguments[event.index] = event.delta.message.tool_calls.function.arguments or ""
        elif event.type == "tool-call-delta":
            arguments[event.index] += event.delta.message.tool_calls.function.arguments or ""
        elif event.type == "message-end":
            finish = event.delta.finish_reason
    return Answer(text, [(names[i], json.loads(arguments[i])) for i in sorted(names)], finish)


def run_bedrock(setup: Setup, profile: str, stream: bool, untrusted: bool, history: tuple[str, str] | None, ask: bool = True) -> Answer:
    client = boto3.client("bedrock-runtime", endpoint_url=f"{setup.tls_proxy.base_url}/v1/bedrock/{profile}", config=NO_RETRIES)
    if untrusted:
        client.meta.events.register("before-call.bedrock-runtime.*", lambda params, **_: params["headers"].update(UNTRUSTED))
    messages: list[dict[str, Any]] = []
    if history:
        tool, output = history
        messages += [
            {"role": "user", "content": [{"text": f"Use {tool}"}]},
            {"role": "assistant", "content": [{"toolUse": {"toolUseId": "tu_1", "name": tool, "input": {}}}]},
            {"role": "user", "content": [{"toolResult": {"toolUseId": "tu_1", "content": [{"json": json.loads(output)}]}}]},
        ]
    if ask:
        if messages:  # the roles alternate; the emulator plans from the last user turn
            messages.append({"role": "assistant", "content": [{"text": "Noted."}]})
        messages.append({"role": "user", "content": [{"text": PROMPT}]})
    tool_config = {"tools": [{"toolSpec": {"name": name, "inputSchema": {"json": schema}}} for name, schema in TOOLS]}
    if not stream:
        response = client.converse(modelId=MODEL_ID, messages=messages, toolConfig=tool_config)
        blocks = response["output"]["message"]["content"]
        text = "".join(block.get("text", "") for block in blocks)
        calls = [(block["toolUse"]["name"], block["toolUse"]["input"]) for block in blocks if "toolUse" in block]
        return Answer(text, calls, response["stopReason"])
    text, finish, names, arguments = "", "", {}, {}
    for event in client.converse_stream(modelId=MODEL_ID, messages=messages, toolConfig=tool_config)["stream"]:
        if "contentBlockStart" in event and "toolUse" in event["contentBlockStart"]["start"]:
            index = event["contentBlockStart"]["contentBlockIndex"]
            names[index], arguments[index] = event["contentBlockStart"]["start"]["toolUse"]["name"], ""
        elif "contentBlockDelta" in event:
            delta = event["contentBlockDelta"]["delta"]
            text += delta.get("text", "")
            if "toolUse" in delta:
                arguments[event["contentBlockDelta"]["contentBlockIndex"]] += delta["toolUse"]["input"]
        elif "messageStop" in event:
            finish = event["messageStop"]["stopReason"]
    return Answer(text, [(names[i], json.loads(arguments[i] or "{}")) for i in sorted(names)], finish)


def run_ollama(setup: Setup, profile: str, stream: bool, untrusted: bool, history: tuple[str, str] | None, ask: bool = True) -> Answer:
    """Ollama's native /api/chat through the ollama SDK: JSON lines when streamed, object arguments."""
    headers = {"Authorization": f"Bearer {setup.key.value}", **(UNTRUSTED if untrusted else {})}
    client = ollama.Client(host=f"{setup.proxy.base_url}/v1/ollama/{profile}", headers=headers)
    messages: list[dict[str, Any]] = []
    if history:
        tool, output = history
        messages += [
            {"role": "user", "content": f"Use {tool}"},
            {"role": "assistant", "content": "", "tool_calls": [{"function": {"name": tool, "arguments": {}}}]},
            {"role": "tool", "tool_name": tool, "content": output},
        ]
    if ask:
        messages.append({"role": "user", "content": PROMPT})
    tools = [{"type": "function", "function": {"name": name, "parameters": schema}} for name, schema in TOOLS]
    parts = client.chat(model="llama3.2", messages=messages, tools=tools, stream=True) if stream else [client.chat(model="llama3.2", messages=messages, tools=tools)]
    text, finish, calls = "", "", []
    for part in parts:
        text += part.message.content or ""
        calls += [(call.function.name, dict(call.function.arguments)) for call in part.message.tool_calls or []]
        finish = part.done_reason or finish
    return Answer(text, calls, finish)


@dataclasses.dataclass(frozen=True)
class Dialect:
    run: Callable[..., Answer]
    tool_finish: str
    stop_finish: str


DIALECTS = {
    "openai": Dialect(run_openai, "tool_calls", "stop"),
    "responses": Dialect(run_responses, "tool", "completed"),
    "anthropic": Dialect(run_anthropic, "tool_use", "end_turn"),
    "gemini": Dialect(run_gemini, "STOP", "STOP"),
    "cohere": Dialect(run_cohere, "TOOL_CALL", "COMPLETE"),
    "bedrock": Dialect(run_bedrock, "tool_use", "end_turn"),
    "ollama": Dialect(run_ollama, "stop", "stop"),
}


@pytest.fixture(params=sorted(DIALECTS))
def dialect(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path, setup: Setup) -> Dialect:
    if request.param == "bedrock":
        # boto3 sends the virtual key as a Bedrock API key (over HTTPS only), with the mock CA.
        isolate_aws(monkeypatch, tmp_path)
        monkeypatch.setenv("AWS_CA_BUNDLE", setup.gateway.emulator.env["AWS_CA_BUNDLE"])
        monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", setup.key.value)
    return DIALECTS[request.param]


STREAM = pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])


def expect_call(answer: Answer, dialect: Dialect) -> Any:
    assert [name for name, _ in answer.calls] == ["get_weather"], answer
    assert answer.finish == dialect.tool_finish, answer
    assert "blocked" not in answer.text
    return answer.calls[0][1]


def expect_refusal(answer: Answer, dialect: Dialect, reason: str) -> None:
    assert answer.calls == [], answer
    assert answer.finish == dialect.stop_finish, answer
    # The emulators' arguments are deterministic: the ones an allowed call carries.
    assert answer.text.endswith(refusal("get_weather", {"city": answer.text.split('"city":"')[1].split('"')[0]}, reason)), answer.text


# MARK: The matrix


@STREAM
def test_allow_policy_keeps_the_call_in_an_untrusted_context(setup: Setup, dialect: Dialect, stream: bool) -> None:
    arguments = expect_call(dialect.run(setup, setup.profiles["allow"], stream, untrusted=True, history=None), dialect)
    assert set(arguments) == {"city"}


@STREAM
def test_block_always_refuses_the_call(setup: Setup, dialect: Dialect, stream: bool) -> None:
    allowed = expect_call(dialect.run(setup, setup.profiles["allow"], stream, untrusted=False, history=None), dialect)
    answer = dialect.run(setup, setup.profiles["always"], stream, untrusted=False, history=None)
    expect_refusal(answer, dialect, REASON_ALWAYS)
    assert answer.text.endswith(refusal("get_weather", allowed, REASON_ALWAYS))


@STREAM
def test_block_when_untrusted_follows_the_header(setup: Setup, dialect: Dialect, stream: bool) -> None:
    expect_call(dialect.run(setup, setup.profiles["untrusted"], stream, untrusted=False, history=None), dialect)
    expect_refusal(dialect.run(setup, setup.profiles["untrusted"], stream, untrusted=True, history=None), dialect, REASON_UNTRUSTED)


@STREAM
def test_a_tool_without_policy_is_blocked_when_the_profile_marks_the_context_untrusted(setup: Setup, dialect: Dialect, stream: bool) -> None:
    expect_refusal(dialect.run(setup, setup.profiles["setting"], stream, untrusted=False, history=None), dialect, REASON_NO_POLICY)
    # A profile without any policy, in a context nobody marked, is not evaluated at all.
    expect_call(dialect.run(setup, setup.profiles["bare"], stream, untrusted=False, history=None), dialect)


@STREAM
def test_trusted_data_rules_decide_the_context(setup: Setup, dialect: Dialect, stream: bool) -> None:
    profile = setup.profiles["trusted-data"]
    expect_call(dialect.run(setup, profile, stream, untrusted=False, history=("fetch_page", '{"source": "internal"}')), dialect)
    expect_refusal(dialect.run(setup, profile, stream, untrusted=False, history=("fetch_page", '{"source": "external"}')), dialect, REASON_UNTRUSTED)


@STREAM
def test_a_blocked_tool_result_never_reaches_the_upstream(setup: Setup, dialect: Dialect, stream: bool) -> None:
    answer = dialect.run(setup, setup.profiles["trusted-data"], stream, untrusted=False, history=("read_secrets", '{"password": "hunter2"}'), ask=False)
    assert answer.text.startswith("Tool result: "), answer
    assert f"[Content blocked by Archestra security guardrails: {REASON_SECRETS}]" in answer.text
    assert "hunter2" not in answer.text


def test_held_stream_sends_keep_alive_comments(setup: Setup) -> None:
    """While tool-call events are held, the stream carries `: keep-alive` comments (a slow
    upstream, 40 ms keep-alive): clients with stall watchdogs see bytes, and the refusal still
    ends the stream with `stop` and `[DONE]`."""
    body = {
        "model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": PROMPT}],
        "tools": [{"type": "function", "function": {"name": name, "parameters": schema}} for name, schema in TOOLS],
    }
    headers = {"authorization": f"Bearer {setup.key.value}", "x-mock-scenario": "slow-stream; delay-ms=150"}
    url = f"{setup.proxy.base_url}/v1/openai/{setup.profiles['always']}/chat/completions"
    with httpx.stream("POST", url, json=body, headers=headers, timeout=30.0) as response:
        raw = b"".join(response.iter_raw()).decode()
    assert response.status_code == 200
    assert ": keep-alive\n\n" in raw
    assert '"tool_calls"' not in raw
    chunks = [json.loads(line[len("data: "):]) for line in raw.splitlines() if line.startswith("data: {")]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == refusal("get_weather", {"city": "city value"}, REASON_ALWAYS)
    assert [c["choices"][0]["finish_reason"] for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]] == ["stop"]
    assert raw.rstrip().endswith("data: [DONE]")


def test_policies_admin_api_and_cli_errors(setup: Setup) -> None:
    admin = httpx.Client(base_url=f"{setup.proxy.base_url}/api", headers={"authorization": "Bearer test-admin-token-not-a-secret"}, timeout=10.0)
    created = admin.post("/policies/tool-invocation", json={"tool_name": "delete_repo", "action": "block_always", "conditions": [{"key": "name", "operator": "regex", "value": "^prod-"}]})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["profile_id"] is None and body["kind"] == "tool_invocation" and body["conditions"][0]["operator"] == "regex"
    assert admin.get(f"/policies/tool-invocation/{body['id']}").json() == body
    assert admin.get(f"/policies/trusted-data/{body['id']}").status_code == 404
    wrong_kind = admin.post("/policies/trusted-data", json={"tool_name": "x", "action": "block_when_context_is_untrusted"})
    assert wrong_kind.status_code == 400 and "trusted_data" in wrong_kind.json()["error"]["message"]
    bad_regex = admin.post("/policies/tool-invocation", json={"tool_name": "x", "action": "block_always", "conditions": [{"key": "a", "operator": "regex", "value": "("}]})
    assert bad_regex.status_code == 400
    unknown = admin.post("/policies/tool-invocation", json={"tool_name": "x", "action": "block_always", "colour": "red"})
    assert unknown.status_code == 400
    assert admin.delete(f"/policies/tool-invocation/{body['id']}").status_code == 204
    assert admin.delete(f"/policies/tool-invocation/{body['id']}").status_code == 404
    failed = setup.gateway.cli("policies", "create", "--kind", "tool-invocation", "--tool", "x", "--action", "mark_as_trusted")
    assert failed.returncode != 0 and "mark_as_trusted" in failed.stderr
    failed = setup.gateway.cli("policies", "create", "--kind", "trusted-data", "--tool", "x", "--action", "mark_as_trusted", "--condition", "a like b")
    assert failed.returncode != 0 and "OPERATOR" in failed.stderr


@STREAM
@pytest.mark.parametrize("model", ["openai:gpt-4o-mini", "anthropic:claude-haiku-4-5", "gemini:gemini-2.5-flash", "cohere:command-a-03-2025"])
def test_model_router_refuses_on_the_targets_own_wire(setup: Setup, model: str, stream: bool) -> None:
    """The router's requests are judged on the target's native answer, before it is translated:
    the openai SDK gets the refusal as the message content and `stop`, never the tool call."""
    client = openai.OpenAI(base_url=f"{setup.proxy.base_url}/v1/model-router/{setup.profiles['router']}", api_key=setup.key.value, max_retries=0)
    tools = [{"type": "function", "function": {"name": name, "parameters": schema}} for name, schema in TOOLS]
    messages = [{"role": "user", "content": PROMPT}]
    with client:
        if stream:
            text, finishes, calls = "", [], []
            for chunk in client.chat.completions.create(model=model, messages=messages, tools=tools, stream=True):
                for choice in chunk.choices:
                    text += choice.delta.content or ""
                    calls += choice.delta.tool_calls or []
                    if choice.finish_reason:
                        finishes.append(choice.finish_reason)
            assert calls == [] and finishes == ["stop"], (calls, finishes)
        else:
            choice = client.chat.completions.create(model=model, messages=messages, tools=tools).choices[0]
            assert choice.message.tool_calls is None and choice.finish_reason == "stop", choice
            text = choice.message.content or ""
    assert text.endswith(refusal("get_weather", {"city": text.split('"city":"')[1].split('"')[0]}, REASON_ALWAYS)), text
