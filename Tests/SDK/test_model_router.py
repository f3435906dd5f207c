"""The official `openai` SDK against archestra's model router (`/v1/model-router[/<llm-proxy-id>]`),
into every emulator: OpenAI-wire targets (openai, groq) that get the body with only `model`
rewritten, and the translated ones (anthropic, gemini, bedrock, cohere, and gemini through a
proxy in Vertex AI mode).

The proxies run without any fallback key; the provider keys live only in their database (stored
by the CLI), each emulator accepts only its own key, and the SDK holds a virtual key or an LLM
OAuth access token: a success proves the router chose the target from the provider-qualified
model, swapped the credential and translated both ways. Every answer is the emulators'
deterministic one (`Echo: <last user text>`, `Tool result: <output>` after a tool result, schema
values `"<property> value"`), so the tests assert exact text, not just a status."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import struct
import zlib
from typing import Any, Iterator, Literal

import httpx
import openai
import pytest
from pydantic import BaseModel

from conftest import Emulator, Proxy
from gateway_support import Gateway, OAuthClient, access_token, poll, running

ROUTER = "/v1/model-router"


@dataclasses.dataclass(frozen=True)
class Target:
    name: str
    model: str  # provider-qualified, as the client sends it
    translated: bool  # False: OpenAI-wire, the body crosses with only `model` rewritten
    vertex: bool = False  # served by the proxy in Vertex AI mode

    @property
    def answer_model(self) -> str:
        """The `model` of the answer: the native id for OpenAI-wire targets (their own answer,
        untouched), the id the client sent for translated ones."""
        return self.model if self.translated else self.model.split(":", 1)[1]


TARGETS = [
    Target("openai", "openai:gpt-4o-mini", translated=False),
    Target("groq", "groq:llama-3.1-8b-instant", translated=False),
    Target("anthropic", "anthropic:claude-sonnet-4-5", translated=True),
    Target("gemini", "gemini:gemini-2.5-flash", translated=True),
    Target("bedrock", "bedrock:amazon.nova-pro-v1:0", translated=True),
    Target("cohere", "cohere:command-a-03-2025", translated=True),
    Target("vertex", "gemini:gemini-2.5-flash", translated=True, vertex=True),
]
BY_NAME = {target.name: target for target in TARGETS}
TRANSLATED = [target for target in TARGETS if target.translated]
PROVIDERS = ("openai", "groq", "anthropic", "gemini", "bedrock", "cohere")


def targets(*names: str) -> Any:
    chosen = [BY_NAME[name] for name in names] if names else TARGETS
    return pytest.mark.parametrize("target", chosen, ids=[target.name for target in chosen])


SYSTEM = {"role": "system", "content": "be brief"}
USER = {"role": "user", "content": "Say hello"}
# system 2 words + user 2 → prompt 4; "Echo: Say hello" → completion 3.
MESSAGES = [SYSTEM, USER]
MULTI_TURN = [
    SYSTEM,
    {"role": "user", "content": "first question"},
    {"role": "assistant", "content": "Echo: first question"},
    {"role": "user", "content": "second question please"},
]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather in a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
RESPONSES_WEATHER_TOOL = {"type": "function", "name": "get_weather", **{k: v for k, v in WEATHER_TOOL["function"].items() if k != "name"}}
TOOL_QUESTION = {"role": "user", "content": "Call get_weather for Paris"}
TOOL_OUTPUT = "sunny, 21 C"


def tiny_png() -> bytes:
    """A valid 1×1 RGBA PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\xff")) + chunk(b"IEND", b"")


PNG_DATA_URL = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()


class Weather(BaseModel):
    city: str
    temperature: int
    unit: Literal["celsius", "fahrenheit"]
    sunny: bool


# Setup: one gateway database for the ordinary proxy, another for the proxy in Vertex mode (so
# that its model-list syncs never touch the first one's lists).


@dataclasses.dataclass(frozen=True)
class Router:
    gateway: Gateway
    proxy: Proxy
    key_ids: dict[str, str]
    virtual_key: str  # maps every provider
    narrow_key: str  # maps only anthropic and openai
    llm_proxy_id: str
    other_llm_proxy_id: str  # not on the OAuth client's allow-list
    plain_profile_id: str
    oauth_client: OAuthClient  # allowed `llm_proxy_id` only; no mapped keys (primary keys serve)

    def url(self, llm_proxy: bool = True) -> str:
        return f"{self.proxy.base_url}{ROUTER}" + (f"/{self.llm_proxy_id}" if llm_proxy else "")


@pytest.fixture(scope="module")
def router(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Router]:
    gateway = Gateway(emulator, tmp_path_factory.mktemp("model-router"))
    key_ids = gateway.provider_keys(*PROVIDERS)
    virtual_key = gateway.virtual_key(*key_ids.values()).value
    narrow_key = gateway.virtual_key(key_ids["anthropic"], key_ids["openai"]).value
    llm_proxy_id = gateway.cli_json("llm-proxies", "create", "--name", "router-tests")["id"]
    other_llm_proxy_id = gateway.cli_json("llm-proxies", "create", "--name", "router-other")["id"]
    plain_profile_id = gateway.profile("--name", "plain-profile")
    client = gateway.oauth_client(allowed_proxies=[llm_proxy_id])
    for proxy in running(gateway):
        yield Router(gateway, proxy, key_ids, virtual_key, narrow_key, llm_proxy_id, other_llm_proxy_id, plain_profile_id, client)
    log = gateway.logs()
    assert virtual_key not in log and narrow_key not in log, "a virtual key reached the proxy's log"
    assert client.client_secret not in log
    for provider, secret in gateway.provider_secrets().items():
        assert secret not in log, f"the {provider} key reached the proxy's log"


@dataclasses.dataclass(frozen=True)
class VertexRouter:
    proxy: Proxy
    virtual_key: str
    llm_proxy_id: str


@pytest.fixture(scope="module")
def vertex_router(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[VertexRouter]:
    """A proxy whose Gemini provider is in Vertex AI mode: it gets its token from the emulator's
    service-account key itself; the virtual key only authenticates the caller."""
    gateway = Gateway(emulator, tmp_path_factory.mktemp("model-router-vertex"))
    virtual_key = gateway.virtual_key(gateway.provider_key("gemini")).value
    llm_proxy_id = gateway.cli_json("llm-proxies", "create", "--name", "router-vertex")["id"]
    for proxy in running(gateway, extra_env={"ARCHESTRA_GEMINI_VERTEX_AI_ENABLED": "true"}):
        yield VertexRouter(proxy, virtual_key, llm_proxy_id)
    log = gateway.logs()
    assert virtual_key not in log and "ya29." not in log and "PRIVATE KEY" not in log


@dataclasses.dataclass(frozen=True)
class Route:
    """Where the SDK goes for one target, and with which virtual key."""

    base_url: str  # <proxy>/v1/model-router/<llm-proxy-id>
    default_url: str  # <proxy>/v1/model-router (the default LLM proxy)
    key: str

    def client(self, llm_proxy: bool = True, key: str | None = None) -> openai.OpenAI:
        return openai.OpenAI(base_url=self.base_url if llm_proxy else self.default_url, api_key=key or self.key, max_retries=0, timeout=20)


@pytest.fixture
def route(target: Target, request: pytest.FixtureRequest) -> Route:
    if target.vertex:
        vertex: VertexRouter = request.getfixturevalue("vertex_router")
        base = f"{vertex.proxy.base_url}{ROUTER}"
        return Route(f"{base}/{vertex.llm_proxy_id}", base, vertex.virtual_key)
    setup: Router = request.getfixturevalue("router")
    return Route(setup.url(), setup.url(llm_proxy=False), setup.virtual_key)


@pytest.fixture
def client(route: Route) -> Iterator[openai.OpenAI]:
    with route.client() as sdk:
        yield sdk


def assert_usage(usage: Any, prompt: int, completion: int) -> None:
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (prompt, completion, prompt + completion)


# 1. Chat completions


@targets()
@pytest.mark.parametrize("llm_proxy", [True, False], ids=["llm-proxy", "default"])
def test_chat_with_system_message(route: Route, target: Target, llm_proxy: bool) -> None:
    with route.client(llm_proxy=llm_proxy) as sdk:
        completion = sdk.chat.completions.create(model=target.model, messages=MESSAGES)
    assert completion.object == "chat.completion"
    assert completion.model == target.answer_model
    choice = completion.choices[0]
    assert (choice.message.role, choice.message.content, choice.finish_reason) == ("assistant", "Echo: Say hello", "stop")
    assert not choice.message.tool_calls
    assert_usage(completion.usage, 4, 3)


@targets()
def test_chat_multi_turn(client: openai.OpenAI, target: Target) -> None:
    completion = client.chat.completions.create(model=target.model, messages=MULTI_TURN, max_completion_tokens=100, temperature=0.5)
    assert completion.model == target.answer_model
    assert completion.choices[0].message.content == "Echo: second question please"
    # Every turn reached the upstream: 2 + 2 + 3 + 3 words.
    assert_usage(completion.usage, 10, 4)


@targets()
def test_chat_token_limit_reports_length(client: openai.OpenAI, target: Target) -> None:
    completion = client.chat.completions.create(model=target.model, messages=[USER], max_completion_tokens=2)
    assert completion.choices[0].message.content == "Echo: Say"
    assert completion.choices[0].finish_reason == "length"


# 2. The async client


@targets()
def test_async_client(route: Route, target: Target) -> None:
    async def run() -> tuple[Any, list[Any], list[Any]]:
        async with openai.AsyncOpenAI(base_url=route.base_url, api_key=route.key, max_retries=0, timeout=20) as sdk:
            questions = [[SYSTEM, {"role": "user", "content": f"question number {n}"}] for n in range(3)]
            answers = await asyncio.gather(*(sdk.chat.completions.create(model=target.model, messages=m) for m in questions))
            stream = await sdk.chat.completions.create(model=target.model, messages=MESSAGES, stream=True)
            chunks = [chunk async for chunk in stream]
            return answers[0], answers, chunks

    first, answers, chunks = asyncio.run(run())
    assert first.model == target.answer_model
    assert [a.choices[0].message.content for a in answers] == [f"Echo: question number {n}" for n in range(3)]
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: Say hello"


# 3. Streams


def raw_stream_lines(route: Route, body: dict[str, Any]) -> list[str]:
    with httpx.stream(
        "POST", route.base_url + "/chat/completions", json=body, headers={"authorization": f"Bearer {route.key}"}, timeout=20
    ) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        return [line for line in answer.iter_lines() if line]


@targets()
def test_stream_with_usage(client: openai.OpenAI, route: Route, target: Target) -> None:
    chunks = list(client.chat.completions.create(
        model=target.model, messages=MESSAGES, stream=True, stream_options={"include_usage": True}))
    with_choices = [c for c in chunks if c.choices]
    assert with_choices[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in with_choices) == "Echo: Say hello"
    # Text arrives as it is produced (a word per delta), not as one block.
    assert sum(1 for c in with_choices if c.choices[0].delta.content) >= 3
    assert [c.choices[0].finish_reason for c in with_choices if c.choices[0].finish_reason] == ["stop"]
    assert all(c.object == "chat.completion.chunk" and c.model == target.answer_model for c in chunks)
    assert len({c.id for c in chunks}) == 1, "every chunk of one completion has the same id"
    assert_usage(chunks[-1].usage, 4, 3)
    assert all(c.usage is None for c in chunks[:-1])
    # The SDK stops at `[DONE]` silently; that the stream ends with it is checked on the wire.
    lines = raw_stream_lines(route, {"model": target.model, "messages": MESSAGES, "stream": True, "stream_options": {"include_usage": True}})
    assert lines[-1] == "data: [DONE]"
    assert sum(1 for line in lines if line == "data: [DONE]") == 1


@targets()
def test_stream_without_usage_option_has_no_usage_chunk(client: openai.OpenAI, target: Target) -> None:
    chunks = list(client.chat.completions.create(model=target.model, messages=MESSAGES, stream=True))
    assert all(c.choices for c in chunks), "a choices-less usage chunk came without include_usage"
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Echo: Say hello"
    assert chunks[-1].choices[0].finish_reason == "stop"


# 4. Structured output


@targets()
def test_parse_pydantic_response_format(client: openai.OpenAI, target: Target) -> None:
    completion = client.chat.completions.parse(model=target.model, messages=[SYSTEM, {"role": "user", "content": "weather in Paris"}], response_format=Weather)
    message = completion.choices[0].message
    assert isinstance(message.parsed, Weather), message.content
    # The emulators build the value from the schema they were sent: it reached them intact.
    assert message.parsed == Weather(city="city value", temperature=1, unit="celsius", sunny=True)
    assert completion.choices[0].finish_reason == "stop"
    assert not message.tool_calls


@targets()
def test_stream_helper_parses_streamed_structured_output(client: openai.OpenAI, target: Target) -> None:
    """Anthropic and Bedrock answer structured output with a forced tool: its streamed input
    must come out as content deltas, which the SDK's stream helper parses at the end."""
    with client.chat.completions.stream(model=target.model, messages=[{"role": "user", "content": "weather"}], response_format=Weather) as stream:
        deltas = [event.delta for event in stream if event.type == "content.delta"]
        final = stream.get_final_completion()
    assert len(deltas) > 1
    assert final.choices[0].message.parsed == Weather(city="city value", temperature=1, unit="celsius", sunny=True)
    assert not final.choices[0].message.tool_calls


@targets()
def test_responses_parse_text_format(client: openai.OpenAI, target: Target) -> None:
    response = client.responses.parse(model=target.model, input="weather in Paris", text_format=Weather)
    assert response.output_parsed == Weather(city="city value", temperature=1, unit="celsius", sunny=True)


# 5. Tools: the agent loop


def assistant_turn(message: Any) -> dict[str, Any]:
    """The assistant message as the client sends it back (what agent frameworks do)."""
    return message.model_dump(exclude_none=True, exclude={"annotations", "refusal", "audio", "function_call", "parsed"})


@targets()
def test_agent_loop(client: openai.OpenAI, target: Target) -> None:
    messages: list[Any] = [SYSTEM, TOOL_QUESTION]
    first = client.chat.completions.create(model=target.model, messages=messages, tools=[WEATHER_TOOL])
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.tool_calls and len(choice.message.tool_calls) == 1
    call = choice.message.tool_calls[0]
    assert call.type == "function" and call.id
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "city value"}

    messages += [assistant_turn(choice.message), {"role": "tool", "tool_call_id": call.id, "content": TOOL_OUTPUT}]
    final = client.chat.completions.create(model=target.model, messages=messages, tools=[WEATHER_TOOL])
    answer = final.choices[0]
    assert answer.finish_reason == "stop" and not answer.message.tool_calls
    assert answer.message.content.startswith("Tool result: ") and TOOL_OUTPUT in answer.message.content


@targets()
def test_forced_tool_choice(client: openai.OpenAI, target: Target) -> None:
    """`tool_choice` naming a tool the last message does not mention: the upstream was told."""
    other = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {"term": {"type": "string"}}, "required": ["term"]}}}
    completion = client.chat.completions.create(
        model=target.model, messages=[{"role": "user", "content": "anything"}], tools=[other, WEATHER_TOOL],
        tool_choice={"type": "function", "function": {"name": "get_weather"}})
    calls = completion.choices[0].message.tool_calls
    assert calls and calls[0].function.name == "get_weather"
    assert json.loads(calls[0].function.arguments) == {"city": "city value"}


@targets()
def test_tool_call_stream(client: openai.OpenAI, target: Target) -> None:
    calls: dict[int, dict[str, str]] = {}
    finish: list[str] = []
    for chunk in client.chat.completions.create(
        model=target.model, messages=[SYSTEM, TOOL_QUESTION], tools=[WEATHER_TOOL], stream=True, stream_options={"include_usage": True}
    ):
        if not chunk.choices:
            continue
        choice = chunk.choices[0]
        if choice.finish_reason:
            finish.append(choice.finish_reason)
        for delta in choice.delta.tool_calls or []:
            call = calls.setdefault(delta.index, {"id": "", "name": "", "arguments": ""})
            if delta.id:
                assert not call["id"], "a call's id came twice"
                call["id"] = delta.id
            if delta.function and delta.function.name:
                call["name"] += delta.function.name
            if delta.function and delta.function.arguments:
                call["arguments"] += delta.function.arguments
    assert finish == ["tool_calls"]
    assert list(calls) == [0]
    assert calls[0]["id"] and calls[0]["name"] == "get_weather"
    assert json.loads(calls[0]["arguments"]) == {"city": "city value"}


# 6. Responses


@targets()
def test_responses_create(client: openai.OpenAI, target: Target) -> None:
    plain = client.responses.create(model=target.model, input="Say hello")
    assert plain.object == "response" and plain.status == "completed"
    assert plain.output_text == "Echo: Say hello"
    with_instructions = client.responses.create(model=target.model, input="Say hello", instructions="be brief", max_output_tokens=50)
    assert with_instructions.output_text == "Echo: Say hello"
    # The instructions reached the upstream: two more input words.
    assert with_instructions.usage.input_tokens == plain.usage.input_tokens + 2
    assert with_instructions.usage.output_tokens == 3


@targets()
def test_responses_streams(client: openai.OpenAI, target: Target) -> None:
    with client.responses.stream(model=target.model, input="Say hello", instructions="be brief") as stream:
        events = list(stream)
        final = stream.get_final_response()
    assert events[0].type == "response.created" and events[-1].type == "response.completed"
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert "".join(e.delta for e in events if e.type == "response.output_text.delta") == "Echo: Say hello"
    assert final.output_text == "Echo: Say hello" and final.status == "completed"

    raw = list(client.responses.create(model=target.model, input="one two three", stream=True))
    assert raw[-1].type == "response.completed"
    assert raw[-1].response.output_text == "Echo: one two three"
    assert raw[-1].response.usage is not None and raw[-1].response.usage.output_tokens == 4


@targets()
def test_responses_function_tool_round_trip(client: openai.OpenAI, target: Target) -> None:
    first = client.responses.create(model=target.model, input="Call get_weather for Paris", tools=[RESPONSES_WEATHER_TOOL])
    calls = [item for item in first.output if item.type == "function_call"]
    assert len(calls) == 1, first.output
    call = calls[0]
    assert call.name == "get_weather" and call.call_id
    assert json.loads(call.arguments) == {"city": "city value"}

    final = client.responses.create(
        model=target.model, tools=[RESPONSES_WEATHER_TOOL],
        input=[
            {"role": "user", "content": "Call get_weather for Paris"},
            {"type": "function_call", "call_id": call.call_id, "name": call.name, "arguments": call.arguments},
            {"type": "function_call_output", "call_id": call.call_id, "output": TOOL_OUTPUT},
        ],
    )
    assert not [item for item in final.output if item.type == "function_call"]
    assert final.output_text.startswith("Tool result: ") and TOOL_OUTPUT in final.output_text


@targets()
def test_responses_stream_with_a_function_call(client: openai.OpenAI, target: Target) -> None:
    events = list(client.responses.create(model=target.model, input="Call get_weather for Paris", tools=[RESPONSES_WEATHER_TOOL], stream=True))
    assert events[0].type == "response.created" and events[-1].type == "response.completed"
    assert [e.sequence_number for e in events] == list(range(len(events)))
    arguments = "".join(e.delta for e in events if e.type == "response.function_call_arguments.delta")
    assert json.loads(arguments) == {"city": "city value"}
    done = [e.arguments for e in events if e.type == "response.function_call_arguments.done"]
    assert done == [arguments]
    calls = [item for item in events[-1].response.output if item.type == "function_call"]
    assert [(c.name, json.loads(c.arguments)) for c in calls] == [("get_weather", {"city": "city value"})]


# 7. Embeddings

EMBEDDINGS = [
    pytest.param("openai:text-embedding-3-small", 1536, id="openai"),
    pytest.param("gemini:gemini-embedding-001", 768, id="gemini"),
    pytest.param("cohere:embed-english-v3.0", 1024, id="cohere"),
    pytest.param("bedrock:amazon.titan-embed-text-v2:0", 1024, id="bedrock-titan"),
    pytest.param("bedrock:cohere.embed-english-v3", 1024, id="bedrock-cohere"),
]


@pytest.mark.parametrize("target", [BY_NAME["openai"]], ids=["router"])
@pytest.mark.parametrize(("model", "dimension"), EMBEDDINGS)
def test_embeddings(client: openai.OpenAI, model: str, dimension: int) -> None:
    # The SDK asks for base64 by default and decodes it: translated answers must encode it too.
    result = client.embeddings.create(model=model, input=["first text", "second text"])
    assert result.object == "list"
    assert [item.index for item in result.data] == [0, 1]
    assert all(len(item.embedding) == dimension for item in result.data)
    assert result.data[0].embedding != result.data[1].embedding
    assert all(isinstance(x, float) for x in result.data[0].embedding[:5])
    as_float = client.embeddings.create(model=model, input="first text", encoding_format="float")
    assert len(as_float.data) == 1
    assert as_float.data[0].embedding == pytest.approx(result.data[0].embedding, rel=1e-6), "same text, same vector in either encoding"


@pytest.mark.parametrize("target", [BY_NAME["openai"]], ids=["router"])
@pytest.mark.parametrize("model", ["openai:text-embedding-3-small", "gemini:gemini-embedding-001", "bedrock:amazon.titan-embed-text-v2:0"])
def test_embeddings_dimensions(client: openai.OpenAI, model: str) -> None:
    result = client.embeddings.create(model=model, input="sized text", dimensions=256)
    assert len(result.data[0].embedding) == 256


@pytest.mark.parametrize("target", [BY_NAME["openai"]], ids=["router"])
def test_anthropic_has_no_embeddings(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError):
        client.embeddings.create(model="anthropic:claude-sonnet-4-5", input="text")


# 8. Models


def listed(sdk: openai.OpenAI, wanted: tuple[str, ...]) -> list[str] | None:
    ids = [model.id for model in sdk.models.list()]
    return ids if {i.split(":", 1)[0] for i in ids} >= set(wanted) else None


def test_models_list_for_every_key(router: Router) -> None:
    with openai.OpenAI(base_url=router.url(), api_key=router.virtual_key, max_retries=0) as sdk:
        ids = poll(lambda: listed(sdk, PROVIDERS), timeout=15, pause=0.2, what="every provider's models listed")
    assert all(":" in i for i in ids) and ids == sorted(ids)
    for expected in ("openai:gpt-4o-mini", "anthropic:claude-sonnet-4-5-20250929", "gemini:gemini-2.5-flash", "cohere:command-a-03-2025", "cohere:embed-english-v3.0"):
        assert expected in ids
    assert any(i.startswith("bedrock:") and "nova" in i for i in ids)
    assert "deepseek:us.deepseek.r1-v1:0" in ids, "Bedrock's DeepSeek profiles are listed under their alias"


def test_models_list_only_for_the_keys_mapped(router: Router) -> None:
    with openai.OpenAI(base_url=router.url(), api_key=router.narrow_key, max_retries=0) as sdk:
        ids = poll(lambda: listed(sdk, ("anthropic", "openai")), timeout=15, pause=0.2, what="anthropic and openai models listed")
        prefixes = {i.split(":", 1)[0] for i in ids}
        assert not prefixes & {"cohere", "gemini", "bedrock", "deepseek", "groq"}, prefixes
        # Anything else listed is a keyless upstream (the emulator env configures vllm and
        # ollama without a key), which any gateway credential reaches: prove it does.
        for prefix in sorted(prefixes - {"anthropic", "openai"}):
            model = next(i for i in ids if i.startswith(prefix + ":") and "embedding" not in i)
            assert sdk.chat.completions.create(model=model, messages=MESSAGES).choices[0].message.content == "Echo: Say hello"
    # The default LLM proxy lists the same.
    with openai.OpenAI(base_url=router.url(llm_proxy=False), api_key=router.narrow_key, max_retries=0) as sdk:
        assert [model.id for model in sdk.models.list()] == ids


def test_models_retrieve(router: Router) -> None:
    with openai.OpenAI(base_url=router.url(), api_key=router.narrow_key, max_retries=0) as sdk:
        poll(lambda: listed(sdk, ("anthropic", "openai")), timeout=15, pause=0.2, what="anthropic and openai models listed")
        model = sdk.models.retrieve("openai:gpt-4o-mini")
        assert (model.id, model.object, model.owned_by) == ("openai:gpt-4o-mini", "model", "openai")
        with pytest.raises(openai.NotFoundError):
            sdk.models.retrieve("cohere:command-a-03-2025")  # a provider the key does not map


def test_vertex_models_and_embeddings(vertex_router: VertexRouter) -> None:
    """Vertex AI mode: the model list comes from Google's publisher models (synced with the
    proxy's own identity) and embeddings go through `:predict`."""
    base = f"{vertex_router.proxy.base_url}{ROUTER}/{vertex_router.llm_proxy_id}"
    with openai.OpenAI(base_url=base, api_key=vertex_router.virtual_key, max_retries=0) as sdk:
        ids = poll(lambda: listed(sdk, ("gemini",)), timeout=15, pause=0.2, what="Vertex AI's models listed")
        assert "gemini:gemini-2.5-flash" in ids and "gemini:text-embedding-005" in ids
        vectors = sdk.embeddings.create(model="gemini:text-embedding-005", input=["a", "b"], dimensions=16, encoding_format="float")
        assert [len(item.embedding) for item in vectors.data] == [16, 16]
        assert vectors.model == "gemini:text-embedding-005"


def test_models_list_with_an_oauth_token(router: Router) -> None:
    token = access_token(router.proxy, router.oauth_client)
    with openai.OpenAI(base_url=router.url(), api_key=token, max_retries=0) as sdk:
        ids = poll(lambda: listed(sdk, PROVIDERS), timeout=15, pause=0.2, what="the primary keys' models listed")
    assert "openai:gpt-4o-mini" in ids and "cohere:command-a-03-2025" in ids


# 9. An LLM OAuth access token (the virtual key is used everywhere above)


@pytest.fixture(scope="module")
def oauth_token(router: Router) -> str:
    return access_token(router.proxy, router.oauth_client)


@targets("openai", "groq", "anthropic", "gemini", "bedrock", "cohere")
def test_oauth_token_chat_stream_and_responses(router: Router, oauth_token: str, target: Target) -> None:
    with openai.OpenAI(base_url=router.url(), api_key=oauth_token, max_retries=0, timeout=20) as sdk:
        completion = sdk.chat.completions.create(model=target.model, messages=MESSAGES)
        assert (completion.model, completion.choices[0].message.content) == (target.answer_model, "Echo: Say hello")
        chunks = list(sdk.chat.completions.create(model=target.model, messages=MESSAGES, stream=True, stream_options={"include_usage": True}))
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: Say hello"
        assert chunks[-1].usage is not None
        assert sdk.responses.create(model=target.model, input="Say hello", instructions="be brief").output_text == "Echo: Say hello"


# 10. Refusals, in the SDK's own exceptions


def test_raw_provider_key_is_refused(router: Router, emulator: Emulator) -> None:
    with openai.OpenAI(base_url=router.url(), api_key=emulator.openai_api_key, max_retries=0) as sdk:
        with pytest.raises(openai.AuthenticationError) as raised:
            sdk.chat.completions.create(model="openai:gpt-4o-mini", messages=MESSAGES)
    assert raised.value.status_code == 401
    assert raised.value.code == "invalid_api_key"
    assert "LLM OAuth client access token" in raised.value.message
    assert emulator.openai_api_key not in raised.value.response.text


def test_no_credential_is_refused(router: Router) -> None:
    answer = httpx.post(router.url() + "/chat/completions", json={"model": "openai:gpt-4o-mini", "messages": MESSAGES}, timeout=10)
    assert answer.status_code == 401
    assert "error" in answer.json()


def test_unknown_virtual_key_is_refused(router: Router) -> None:
    with openai.OpenAI(base_url=router.url(), api_key="arch_" + "0" * 64, max_retries=0) as sdk:
        with pytest.raises(openai.AuthenticationError):
            sdk.models.list()


@pytest.mark.parametrize("model", ["gpt-4o-mini", "nosuchprovider:some-model"])
def test_unroutable_model_is_not_found(router: Router, model: str) -> None:
    with openai.OpenAI(base_url=router.url(), api_key=router.virtual_key, max_retries=0) as sdk:
        with pytest.raises(openai.NotFoundError) as raised:
            sdk.chat.completions.create(model=model, messages=MESSAGES)
    assert raised.value.code == "model_not_found"


def test_provider_without_a_key_is_a_bad_request(router: Router) -> None:
    with openai.OpenAI(base_url=router.url(), api_key=router.narrow_key, max_retries=0) as sdk:
        with pytest.raises(openai.BadRequestError) as raised:
            sdk.chat.completions.create(model="cohere:command-a-03-2025", messages=MESSAGES)
        assert raised.value.code == "no_provider_key"
        # The same key still reaches the providers it maps.
        assert sdk.chat.completions.create(model="anthropic:claude-sonnet-4-5", messages=MESSAGES).choices[0].message.content == "Echo: Say hello"


def test_oauth_client_outside_its_allow_list_is_forbidden(router: Router, oauth_token: str) -> None:
    base = f"{router.proxy.base_url}{ROUTER}/{router.other_llm_proxy_id}"
    with openai.OpenAI(base_url=base, api_key=oauth_token, max_retries=0) as sdk:
        with pytest.raises(openai.PermissionDeniedError):
            sdk.chat.completions.create(model="openai:gpt-4o-mini", messages=MESSAGES)
    # A virtual key has no allow-list: the same LLM proxy serves it.
    with openai.OpenAI(base_url=base, api_key=router.virtual_key, max_retries=0) as sdk:
        assert sdk.chat.completions.create(model="openai:gpt-4o-mini", messages=MESSAGES).choices[0].message.content == "Echo: Say hello"


def test_plain_profile_is_not_an_llm_proxy(router: Router) -> None:
    with openai.OpenAI(base_url=f"{router.proxy.base_url}{ROUTER}/{router.plain_profile_id}", api_key=router.virtual_key, max_retries=0) as sdk:
        with pytest.raises(openai.NotFoundError):
            sdk.chat.completions.create(model="openai:gpt-4o-mini", messages=MESSAGES)


@targets()
def test_upstream_rate_limit(client: openai.OpenAI, target: Target) -> None:
    with pytest.raises(openai.RateLimitError) as raised:
        client.chat.completions.create(model=target.model, messages=MESSAGES, extra_headers={"x-mock-scenario": "rate-limit; retry-after=7"})
    error = raised.value
    assert error.status_code == 429
    assert isinstance(error.body, dict) and error.body.get("message"), "not OpenAI's error shape"
    assert error.type == "rate_limit_error" or target.name in ("openai", "groq")
    if target.name != "bedrock":
        # The upstreams send `retry-after` themselves, or (Gemini, Vertex AI) only in the body's
        # RetryInfo, which the router turns into one; Bedrock's throttling carries no delay.
        assert error.response.headers.get("retry-after") == "7"


@targets()
def test_failure_mid_stream_raises_while_iterating(client: openai.OpenAI, target: Target) -> None:
    stream = client.chat.completions.create(
        model=target.model, messages=[{"role": "user", "content": "one two three four five six seven eight"}], stream=True,
        extra_headers={"x-mock-scenario": "drop-mid-stream"})
    received: list[Any] = []
    with pytest.raises(openai.APIError):
        for chunk in stream:
            received.append(chunk)
    text = "".join(c.choices[0].delta.content or "" for c in received if c.choices)
    assert text != "Echo: one two three four five six seven eight", "a cut stream looked complete"


@targets()
def test_failure_mid_responses_stream_never_completes(client: openai.OpenAI, target: Target) -> None:
    """Translated targets end a broken Responses stream as OpenAI does (`error`, then
    `response.failed`); the native OpenAI stream gets an error event the SDK raises."""
    events: list[Any] = []
    try:
        for event in client.responses.create(
            model=target.model, input="one two three four five six", stream=True, extra_headers={"x-mock-scenario": "drop-mid-stream"}
        ):
            events.append(event)
    except openai.APIError:
        assert target.name == "openai", "only the native OpenAI stream (passed through) raises"
        return
    types = [e.type for e in events]
    assert "response.completed" not in types
    assert types[-2:] == ["error", "response.failed"], types
    assert events[-1].response.status == "failed" and events[-1].response.error is not None
    assert [e.sequence_number for e in events] == list(range(len(events)))


@targets()
def test_upstream_server_errors_keep_their_status(client: openai.OpenAI, target: Target) -> None:
    with pytest.raises(openai.InternalServerError) as raised:
        client.chat.completions.create(model=target.model, messages=MESSAGES, extra_headers={"x-mock-scenario": "unavailable"})
    # Anthropic says "overloaded" with its own 529.
    assert raised.value.status_code == (529 if target.name == "anthropic" else 503)
    assert isinstance(raised.value.body, dict) and raised.value.body.get("message")
    with pytest.raises(openai.InternalServerError) as raised:
        client.chat.completions.create(model=target.model, messages=MESSAGES, extra_headers={"x-mock-scenario": "server-error"})
    assert raised.value.status_code == 500


@targets("bedrock")
def test_upstream_validation_error_is_a_bad_request(client: openai.OpenAI, target: Target) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="bedrock:does-not-exist", messages=MESSAGES)
    assert "model identifier is invalid" in raised.value.message


@targets("anthropic", "bedrock", "gemini")
def test_invalid_tool_call_arguments_are_a_bad_request(client: openai.OpenAI, target: Target) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model=target.model, tools=[WEATHER_TOOL], messages=[
            TOOL_QUESTION,
            {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{not json"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": TOOL_OUTPUT},
        ])
    assert "arguments" in raised.value.message


@targets("anthropic", "cohere")
def test_several_choices_are_refused_where_the_provider_has_one(client: openai.OpenAI, target: Target) -> None:
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model=target.model, messages=MESSAGES, n=2)


@targets("anthropic", "gemini", "cohere")
def test_reasoning_effort_brings_reasoning_content(client: openai.OpenAI, target: Target) -> None:
    answer = client.chat.completions.with_raw_response.create(model=target.model, messages=[USER], reasoning_effort="low")
    message = answer.parse().choices[0].message
    assert message.content == "Echo: Say hello"
    assert (message.model_extra or {}).get("reasoning_content"), "the upstream's thinking was lost"
    assert "reasoning_effort" not in answer.headers.get("x-archestra-dropped-content", "")


@targets("bedrock")
def test_what_bedrock_cannot_take_is_reported(client: openai.OpenAI, target: Target) -> None:
    answer = client.chat.completions.with_raw_response.create(model=target.model, messages=[USER], reasoning_effort="low", seed=3, n=2)
    dropped = {part.strip() for part in answer.headers["x-archestra-dropped-content"].split(",")}
    assert {"reasoning_effort", "seed", "n"} <= dropped, dropped
    assert [c.message.content for c in answer.parse().choices] == ["Echo: Say hello"]
    json_mode = client.chat.completions.with_raw_response.create(model=target.model, messages=[USER], response_format={"type": "json_object"})
    assert "json_object" in json_mode.headers.get("x-archestra-dropped-content", "")


@targets()
def test_non_ascii_text_survives_answers_and_streams(client: openai.OpenAI, target: Target) -> None:
    text = "Grüße 你好 🎉 naïve"
    assert client.chat.completions.create(model=target.model, messages=[{"role": "user", "content": text}]).choices[0].message.content == f"Echo: {text}"
    chunks = client.chat.completions.create(model=target.model, messages=[{"role": "user", "content": text}], stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == f"Echo: {text}"


# 11. Images


@targets("anthropic", "gemini", "vertex", "bedrock", "cohere", "openai")
def test_image_data_url_reaches_the_target(client: openai.OpenAI, target: Target) -> None:
    answer = client.chat.completions.with_raw_response.create(
        model=target.model,
        messages=[{"role": "user", "content": [
            {"type": "text", "text": "Describe this image"}, {"type": "image_url", "image_url": {"url": PNG_DATA_URL}}]}],
    )
    assert answer.headers.get("x-archestra-dropped-content") is None
    assert answer.parse().choices[0].message.content == "Echo: Describe this image"


HTTP_IMAGE = [{"role": "user", "content": [
    {"type": "text", "text": "Describe this image"}, {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}]


@targets("bedrock")
def test_image_http_url_is_reported_dropped(client: openai.OpenAI, target: Target) -> None:
    """Converse takes image bytes or S3 only: an http(s) image cannot go, and the client is told."""
    answer = client.chat.completions.with_raw_response.create(model=target.model, messages=HTTP_IMAGE)
    assert "image" in answer.headers.get("x-archestra-dropped-content", ""), "the dropped image was not reported"
    assert answer.parse().choices[0].message.content == "Echo: Describe this image"


@targets("anthropic", "gemini", "cohere")
def test_image_http_url_is_kept(client: openai.OpenAI, target: Target) -> None:
    """Anthropic (url source), Gemini (fileData) and Cohere (image_url) take an http(s) image
    as it is (docs/model-router.md): nothing is reported dropped."""
    answer = client.chat.completions.with_raw_response.create(model=target.model, messages=HTTP_IMAGE)
    assert answer.headers.get("x-archestra-dropped-content") is None
    assert answer.parse().choices[0].message.content == "Echo: Describe this image"
