"""`google-genai` against the Gemini emulator and through `archestra serve` at /v1/gemini, with
the base URL set in `http_options`: generate (v1, the 3.x default, and v1beta), SSE streaming,
function calling, errors, embeddings, token counting and models."""

from __future__ import annotations

import pytest
from google import genai
from google.genai import errors, types

from native_targets import NativeTarget, native_kind, target_for  # noqa: F401  (fixture)

WEATHER = types.Tool(
    function_declarations=[
        types.FunctionDeclaration(
            name="get_weather",
            description="Current weather for a city",
            parameters=types.Schema(
                type=types.Type.OBJECT,
                properties={"city": types.Schema(type=types.Type.STRING), "days": types.Schema(type=types.Type.INTEGER)},
                required=["city", "days"],
            ),
        )
    ]
)


@pytest.fixture
def target(request: pytest.FixtureRequest, native_kind: str) -> NativeTarget:  # noqa: F811
    return target_for("gemini", request, native_kind)


def make_client(target: NativeTarget, api_version: str | None = None, key: str | None = None) -> genai.Client:
    options: dict[str, object] = {"base_url": target.base_url}
    if api_version:
        options["api_version"] = api_version
    return genai.Client(api_key=key or target.api_key, http_options=types.HttpOptions(**options))


@pytest.mark.parametrize("api_version", [None, "v1beta"])
def test_generate(target: NativeTarget, api_version: str | None) -> None:
    # Keep the client referenced: google-genai closes its HTTP client when the Client is collected.
    client = make_client(target, api_version)
    response = client.models.generate_content(model="gemini-2.5-flash", contents="Hello there")
    assert response.text == "Echo: Hello there"
    assert response.usage_metadata.prompt_token_count == 2
    assert response.usage_metadata.candidates_token_count == 3
    assert response.candidates[0].finish_reason == types.FinishReason.STOP


def test_stream_sse(target: NativeTarget) -> None:
    client = make_client(target)
    chunks = list(client.models.generate_content_stream(model="gemini-2.5-flash", contents="one two three"))
    assert "".join(chunk.text or "" for chunk in chunks) == "Echo: one two three"
    assert len(chunks) == 4
    assert chunks[-1].usage_metadata.candidates_token_count == 4


def test_function_calling_round_trip(target: NativeTarget) -> None:
    client = make_client(target)
    config = types.GenerateContentConfig(tools=[WEATHER], automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True))
    question = types.Content(role="user", parts=[types.Part(text="Call get_weather for Paris")])
    first = client.models.generate_content(model="gemini-2.5-flash", contents=[question], config=config)
    call = first.function_calls[0]
    assert call.name == "get_weather"
    assert isinstance(call.args["city"], str) and isinstance(call.args["days"], int)

    streamed = list(client.models.generate_content_stream(model="gemini-2.5-flash", contents=[question], config=config))
    assert streamed[-1].function_calls[0].name == "get_weather"

    answer = client.models.generate_content(
        model="gemini-2.5-flash",
        contents=[
            question,
            first.candidates[0].content,
            types.Content(role="user", parts=[types.Part.from_function_response(name="get_weather", response={"temp": "18C"})]),
        ],
        config=config,
    )
    assert answer.text == 'Tool result: {"temp":"18C"}'


def test_thoughts(target: NativeTarget) -> None:
    client = make_client(target)
    response = client.models.generate_content(
        model="gemini-2.5-flash",
        contents="hi",
        config=types.GenerateContentConfig(thinking_config=types.ThinkingConfig(include_thoughts=True)),
    )
    assert response.candidates[0].content.parts[0].thought is True
    assert response.usage_metadata.thoughts_token_count > 0


def test_invalid_key_is_client_error(target: NativeTarget) -> None:
    client = make_client(target, key="wrong")
    with pytest.raises(errors.ClientError) as raised:
        client.models.generate_content(model="gemini-2.5-flash", contents="x")
    assert raised.value.code == 400
    assert raised.value.status == "INVALID_ARGUMENT"


def test_rate_limit_is_client_error_429(target: NativeTarget) -> None:
    client = make_client(target)
    with pytest.raises(errors.ClientError) as raised:
        client.models.generate_content(model="gemini-2.5-flash@rate-limit", contents="x")
    assert raised.value.code == 429
    assert raised.value.status == "RESOURCE_EXHAUSTED"


def test_embeddings_count_tokens_and_models(target: NativeTarget) -> None:
    client = make_client(target)
    embedded = client.models.embed_content(
        model="gemini-embedding-001", contents=["a", "b"], config=types.EmbedContentConfig(output_dimensionality=16)
    )
    assert [len(embedding.values) for embedding in embedded.embeddings] == [16, 16]
    assert client.models.count_tokens(model="gemini-2.5-flash", contents="a b c").total_tokens == 3
    names = [model.name for model in client.models.list()]
    assert "models/gemini-2.5-flash" in names


def test_json_array_stream_and_query_key_pass_through_the_proxy(request: pytest.FixtureRequest) -> None:
    # google-genai always asks for alt=sse; REST clients use the JSON-array form and ?key=. The
    # proxy must hand both over byte for byte, and never log the key.
    import httpx

    from conftest import Emulator, Proxy

    emulator: Emulator = request.getfixturevalue("emulator")
    proxy: Proxy = request.getfixturevalue("proxy")
    key = emulator.env["GEMINI_API_KEY"]
    body = {"contents": [{"role": "user", "parts": [{"text": "array please"}]}]}
    path = "/v1beta/models/gemini-2.5-flash:streamGenerateContent"
    for query in ("", "?alt=sse"):
        direct = httpx.post(f"{emulator.env['GOOGLE_GEMINI_BASE_URL']}{path}{query}", json=body, headers={"x-goog-api-key": key})
        proxied = httpx.post(f"{proxy.base_url}/v1/gemini{path}{query}{'&' if query else '?'}key={key}", json=body)
        assert proxied.status_code == direct.status_code == 200
        assert proxied.content == direct.content
        assert proxied.headers["content-type"] == direct.headers["content-type"]
    assert [element["candidates"][0]["content"]["parts"][0]["text"] for element in httpx.post(
        f"{proxy.base_url}/v1/gemini{path}", json=body, headers={"x-goog-api-key": key}
    ).json()] == ["Echo:", " array", " please"]


def test_json_array_stream_has_the_real_captures_structure(request: pytest.FixtureRequest) -> None:
    # The real JSON-array capture is gzip'd, so this comparison lives here rather than in Swift.
    import json

    import httpx

    from capture_structure import missing_paths, response_bodies
    from conftest import Emulator

    emulator: Emulator = request.getfixturevalue("emulator")
    real_bodies = response_bodies("gemini/stream-json-array-tools-gzip.vcrpy.json")
    real = [element for body in real_bodies for element in json.loads(body)]
    assert all(body.startswith("[{") and body.endswith("}\n]") for body in real_bodies)
    tool = {"functionDeclarations": [{"name": "pelican_name_generator", "parameters": {"type": "OBJECT", "properties": {}}}]}
    emulated_bodies = [
        httpx.post(
            f"{emulator.env['GOOGLE_GEMINI_BASE_URL']}/v1beta/models/gemini-2.5-flash:streamGenerateContent",
            json=body, headers={"x-goog-api-key": emulator.env["GEMINI_API_KEY"]},
        ).text
        for body in (
            {"contents": [{"role": "user", "parts": [{"text": "use pelican_name_generator"}]}], "tools": [tool],
             "generationConfig": {"thinkingConfig": {"includeThoughts": True}}},
            {"contents": [{"role": "user", "parts": [{"text": "two names"}]}]},
        )
    ]
    assert all(body.startswith("[{") and body.endswith("}\n]") for body in emulated_bodies)
    emulated = [element for body in emulated_bodies for element in json.loads(body)]

    def kind(element: dict) -> str:
        part = element["candidates"][0]["content"]["parts"][0]
        if "functionCall" in part:
            return "functionCall"
        if part.get("thought"):
            return "thought"
        return "final" if "finishReason" in element["candidates"][0] else "text"

    ignored = {"candidates[].content.parts[].thoughtSignature", "usageMetadata.serviceTier", "candidates[].finishMessage", "usageMetadata.thoughtsTokenCount"}
    assert missing_paths(real, emulated, kind, ignored) == {}
    assert {kind(element) for element in real} <= {kind(element) for element in emulated}


def test_upstream_cut_mid_stream_reaches_the_sdk_as_a_server_error(request: pytest.FixtureRequest) -> None:
    # The emulator drops the connection mid-stream; the proxy ends the SSE stream with one
    # `data: {"error":…}` event, which google-genai 3.x raises as ServerError.
    proxied = target_for("gemini", request, "proxy")
    client = make_client(proxied)
    with pytest.raises(errors.ServerError) as raised:
        for _ in client.models.generate_content_stream(
            model="gemini-2.5-flash@drop-mid-stream; after-frames=2", contents="one two three four five"
        ):
            pass
    assert raised.value.code == 502
