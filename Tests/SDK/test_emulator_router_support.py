"""The emulator extensions the model router relies on, judged by the official SDKs talking to
`archestra mock up` directly: model listings (cohere, boto3 `bedrock`, google-genai on Gemini and
Vertex), embeddings (cohere, boto3 `invoke_model`, google-genai), structured output (google-genai
`response_schema`, anthropic forced `tool_choice`, boto3 Converse `toolChoice`), images and
thinking."""

from __future__ import annotations

import base64
import json

import anthropic
import boto3
import botocore.exceptions
import cohere
import pytest
from google import genai
from google.genai import types
from google.oauth2 import service_account

from bedrock_support import NO_RETRIES, runtime_client, stream_events, trust_mock_ca, user  # noqa: F401 - trust_mock_ca is autouse
from conftest import Emulator

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
REVIEW_SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "rating": {"type": "integer", "minimum": 1, "maximum": 5},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2},
        "verdict": {"enum": ["buy", "skip"]},
    },
    "required": ["title", "rating", "tags", "verdict"],
    "additionalProperties": False,
}


def assert_review(value: dict) -> None:
    assert set(value) == {"title", "rating", "tags", "verdict"}
    assert isinstance(value["title"], str) and 1 <= value["rating"] <= 5
    assert len(value["tags"]) >= 2 and value["verdict"] == "buy"


# Cohere


@pytest.fixture
def co(emulator: Emulator) -> cohere.ClientV2:
    return cohere.ClientV2(api_key=emulator.env["CO_API_KEY"], base_url=emulator.env["CO_API_URL"])


def test_cohere_models_list_filters_and_pages(co: cohere.ClientV2) -> None:
    everything = co.models.list()
    names = [model.name for model in everything.models]
    assert {"command-a-03-2025", "command-r-plus-08-2024", "command-r7b-12-2024", "embed-v4.0", "embed-english-v3.0"} <= set(names)
    embed = co.models.list(endpoint="embed")
    assert all("embed" in model.endpoints for model in embed.models) and embed.models
    first = co.models.list(page_size=3)
    assert len(first.models) == 3 and first.next_page_token
    second = co.models.list(page_size=3, page_token=first.next_page_token)
    assert [m.name for m in first.models + second.models] == names[:6]
    assert co.models.get("embed-v4.0").context_length == 128000
    with pytest.raises(cohere.errors.NotFoundError):
        co.models.get("no-such-model")


def test_cohere_embed_by_type(co: cohere.ClientV2) -> None:
    response = co.embed(
        model="embed-v4.0", texts=["hello world", "bye"], input_type="search_document",
        embedding_types=["float", "int8", "ubinary", "base64"], output_dimension=512,
    )
    assert len(response.embeddings.float_) == 2 and len(response.embeddings.float_[0]) == 512
    assert len(response.embeddings.ubinary[0]) == 64
    assert all(-128 <= v <= 127 for v in response.embeddings.int8[0])
    assert response.meta.billed_units.input_tokens == 3
    again = co.embed(model="embed-v4.0", texts=["hello world"], input_type="search_document", embedding_types=["float"], output_dimension=512)
    assert again.embeddings.float_[0] == response.embeddings.float_[0]


def test_cohere_embed_bad_input_type_and_unknown_model(co: cohere.ClientV2) -> None:
    with pytest.raises(cohere.errors.BadRequestError) as raised:
        co.embed(model="embed-english-v3.0", texts=["x"], input_type="poetry", embedding_types=["float"])
    assert "input_type" in raised.value.body["message"]
    with pytest.raises(cohere.errors.NotFoundError):
        co.embed(model="embed-nonexistent", texts=["x"], input_type="search_query", embedding_types=["float"])


def test_cohere_reasoning_model_thinks_and_takes_images(co: cohere.ClientV2) -> None:
    data_uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    messages = [{"role": "user", "content": [{"type": "text", "text": "What is it"}, {"type": "image_url", "image_url": {"url": data_uri}}]}]
    response = co.chat(model="command-a-reasoning-08-2025", messages=messages)
    assert [item.type for item in response.message.content] == ["thinking", "text"]
    assert response.message.content[1].text == "Echo: What is it"
    events = list(co.chat_stream(model="command-a-reasoning-08-2025", messages=messages))
    thoughts = "".join(e.delta.message.content.thinking or "" for e in events if e.type == "content-delta")
    assert thoughts == response.message.content[0].thinking


# Bedrock


def control_client(emulator: Emulator):
    return boto3.client(
        "bedrock", endpoint_url=emulator.env["AWS_ENDPOINT_URL_BEDROCK"], region_name="us-east-1", config=NO_RETRIES,
        aws_access_key_id=emulator.env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=emulator.env["AWS_SECRET_ACCESS_KEY"],
    )


def test_bedrock_list_foundation_models_and_filters(emulator: Emulator) -> None:
    client = control_client(emulator)
    summaries = client.list_foundation_models()["modelSummaries"]
    ids = {s["modelId"] for s in summaries}
    assert {"amazon.titan-embed-text-v2:0", "cohere.embed-english-v3", "amazon.nova-pro-v1:0", "deepseek.r1-v1:0"} <= ids
    embedding = client.list_foundation_models(byOutputModality="EMBEDDING")["modelSummaries"]
    assert embedding and all(s["outputModalities"] == ["EMBEDDING"] for s in embedding)
    anthropic_models = client.list_foundation_models(byProvider="anthropic")["modelSummaries"]
    assert anthropic_models and all(s["providerName"] == "Anthropic" for s in anthropic_models)
    on_demand = client.list_foundation_models(byInferenceType="ON_DEMAND")["modelSummaries"]
    assert all("ON_DEMAND" in s["inferenceTypesSupported"] for s in on_demand) and len(on_demand) < len(summaries)
    details = client.get_foundation_model(modelIdentifier="amazon.titan-embed-text-v2:0")["modelDetails"]
    assert details["modelArn"].endswith("foundation-model/amazon.titan-embed-text-v2:0")


def test_bedrock_list_inference_profiles_type_and_max_results(emulator: Emulator) -> None:
    client = control_client(emulator)
    page = client.list_inference_profiles(typeEquals="SYSTEM_DEFINED", maxResults=4)
    assert len(page["inferenceProfileSummaries"]) == 4 and page["nextToken"]
    rest = client.list_inference_profiles(typeEquals="SYSTEM_DEFINED", maxResults=100, nextToken=page["nextToken"])
    assert len(rest["inferenceProfileSummaries"]) == 8 and "nextToken" not in rest


def invoke(emulator: Emulator, model_id: str, body: dict) -> tuple[dict, dict]:
    client = runtime_client(emulator.env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"], emulator.env)
    response = client.invoke_model(modelId=model_id, body=json.dumps(body), contentType="application/json", accept="application/json")
    return json.loads(response["body"].read()), response["ResponseMetadata"]["HTTPHeaders"]


def test_bedrock_titan_embeddings(emulator: Emulator) -> None:
    body, headers = invoke(emulator, "amazon.titan-embed-text-v2:0", {"inputText": "one two three", "dimensions": 512})
    assert len(body["embedding"]) == 512 and body["inputTextTokenCount"] == 3
    assert headers["x-amzn-bedrock-input-token-count"] == "3"
    assert abs(sum(x * x for x in body["embedding"]) - 1) < 1e-3
    v1, _ = invoke(emulator, "amazon.titan-embed-text-v1", {"inputText": "one two three"})
    assert len(v1["embedding"]) == 1536


def test_bedrock_cohere_embeddings(emulator: Emulator) -> None:
    floats, _ = invoke(emulator, "cohere.embed-english-v3", {"texts": ["a", "b"], "input_type": "search_document"})
    assert floats["response_type"] == "embeddings_floats" and len(floats["embeddings"]) == 2
    typed, _ = invoke(emulator, "cohere.embed-multilingual-v3", {"texts": ["a"], "input_type": "search_query", "embedding_types": ["float", "int8"]})
    assert typed["response_type"] == "embeddings_by_type" and len(typed["embeddings"]["int8"][0]) == 1024


def test_bedrock_invoke_unknown_model_is_validation_exception(emulator: Emulator) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        invoke(emulator, "acme.embed-v9", {"inputText": "x"})
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_bedrock_converse_forced_tool_and_image(emulator: Emulator) -> None:
    client = runtime_client(emulator.env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"], emulator.env)
    tools = {
        "tools": [
            {"toolSpec": {"name": "noise", "inputSchema": {"json": {"type": "object"}}}},
            {"toolSpec": {"name": "review", "inputSchema": {"json": REVIEW_SCHEMA}}},
        ],
        "toolChoice": {"tool": {"name": "review"}},
    }
    messages = [{"role": "user", "content": [{"text": "review this"}, {"image": {"format": "png", "source": {"bytes": PNG}}}]}]
    response = client.converse(modelId="us.amazon.nova-pro-v1:0", messages=messages, toolConfig=tools)
    tool_use = response["output"]["message"]["content"][0]["toolUse"]
    assert tool_use["name"] == "review"
    assert_review(tool_use["input"])
    events = stream_events(client.converse_stream(modelId="us.amazon.nova-pro-v1:0", messages=messages, toolConfig=tools))
    streamed = "".join(e["contentBlockDelta"]["delta"]["toolUse"]["input"] for e in events if "toolUse" in e.get("contentBlockDelta", {}).get("delta", {}))
    assert json.loads(streamed) == tool_use["input"]
    bad = [{"role": "user", "content": [{"image": {"format": "bmp", "source": {"bytes": PNG}}}]}]
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        client.converse(modelId="us.amazon.nova-pro-v1:0", messages=bad)
    assert raised.value.response["Error"]["Code"] == "ValidationException"


# Gemini and Vertex


@pytest.fixture
def gemini(emulator: Emulator) -> genai.Client:
    return genai.Client(api_key=emulator.env["GEMINI_API_KEY"], http_options=types.HttpOptions(base_url=emulator.env["GOOGLE_GEMINI_BASE_URL"]))


def test_gemini_models_list_pages_and_shows_embedding_models(gemini: genai.Client) -> None:
    pager = gemini.models.list(config={"page_size": 2})
    assert len(pager.page) == 2
    models = list(pager)
    embedding = [m for m in models if "embedContent" in (m.supported_actions or [])]
    assert [m.name for m in embedding][:1] == ["models/gemini-embedding-001"]
    assert len(models) > 2


def test_gemini_embed_content_single_and_batch(gemini: genai.Client) -> None:
    single = gemini.models.embed_content(model="gemini-embedding-001", contents="hello")
    assert len(single.embeddings) == 1 and len(single.embeddings[0].values) == 768
    batch = gemini.models.embed_content(model="gemini-embedding-001", contents=["hello", "world"], config=types.EmbedContentConfig(output_dimensionality=32))
    assert [len(e.values) for e in batch.embeddings] == [32, 32]
    assert batch.embeddings[0].values[:5] != batch.embeddings[1].values[:5]


def test_gemini_response_schema_is_honoured_streaming_too(gemini: genai.Client) -> None:
    schema = types.Schema(
        type=types.Type.OBJECT,
        properties={"city": types.Schema(type=types.Type.STRING), "days": types.Schema(type=types.Type.INTEGER), "sunny": types.Schema(type=types.Type.BOOLEAN)},
        required=["city", "days", "sunny"],
    )
    config = types.GenerateContentConfig(response_mime_type="application/json", response_schema=schema)
    answer = json.loads(gemini.models.generate_content(model="gemini-2.5-flash", contents="weather", config=config).text)
    assert isinstance(answer["city"], str) and isinstance(answer["days"], int) and answer["sunny"] is True
    streamed = "".join(chunk.text or "" for chunk in gemini.models.generate_content_stream(model="gemini-2.5-flash", contents="weather", config=config))
    assert json.loads(streamed) == answer
    json_schema = types.GenerateContentConfig(response_mime_type="application/json", response_json_schema=REVIEW_SCHEMA)
    assert_review(json.loads(gemini.models.generate_content(model="gemini-2.5-flash", contents="review", config=json_schema).text))


def test_gemini_image_part_and_thought_signature(gemini: genai.Client) -> None:
    weather = types.Tool(function_declarations=[types.FunctionDeclaration(
        name="get_weather", parameters=types.Schema(type=types.Type.OBJECT, properties={"city": types.Schema(type=types.Type.STRING)}, required=["city"]),
    )])
    config = types.GenerateContentConfig(tools=[weather], thinking_config=types.ThinkingConfig(include_thoughts=True))
    response = gemini.models.generate_content(
        model="gemini-2.5-flash", contents=[types.Part.from_bytes(data=PNG, mime_type="image/png"), "call get_weather"], config=config,
    )
    parts = response.candidates[0].content.parts
    assert parts[0].thought is True
    assert parts[-1].function_call.name == "get_weather" and parts[-1].thought_signature


def test_vertex_lists_publisher_models_and_embeds(emulator: Emulator) -> None:
    credentials = service_account.Credentials.from_service_account_file(
        emulator.env["GOOGLE_APPLICATION_CREDENTIALS"], scopes=["https://www.googleapis.com/auth/cloud-platform"]
    )
    client = genai.Client(
        vertexai=True, project=emulator.env["GOOGLE_CLOUD_PROJECT"], location="us-central1", credentials=credentials,
        http_options=types.HttpOptions(base_url=emulator.env["ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL"]),
    )
    names = [model.name for model in client.models.list()]
    assert "publishers/google/models/gemini-2.5-flash" in names and "publishers/google/models/text-embedding-005" in names
    predicted = client.models.embed_content(model="text-embedding-005", contents=["a b", "c"], config=types.EmbedContentConfig(output_dimensionality=16))
    assert [len(e.values) for e in predicted.embeddings] == [16, 16]
    assert predicted.embeddings[0].statistics.token_count == 2
    gemini_embedding = client.models.embed_content(model="gemini-embedding-001", contents="a b")
    assert len(gemini_embedding.embeddings[0].values) == 768


# Anthropic


def test_anthropic_forced_tool_with_image(emulator: Emulator) -> None:
    client = anthropic.Anthropic(base_url=emulator.env["ANTHROPIC_BASE_URL"], api_key=emulator.env["ANTHROPIC_API_KEY"], max_retries=0)
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": base64.b64encode(PNG).decode()}}
    arguments = dict(
        model="claude-sonnet-4-5", max_tokens=300, messages=[{"role": "user", "content": [image, {"type": "text", "text": "review"}]}],
        tools=[{"name": "noise", "input_schema": {"type": "object"}}, {"name": "review", "input_schema": REVIEW_SCHEMA}],
        tool_choice={"type": "tool", "name": "review"},
    )
    message = client.messages.create(**arguments)
    assert message.stop_reason == "tool_use" and message.content[0].name == "review"
    assert_review(message.content[0].input)
    with client.messages.stream(**arguments) as stream:
        final = stream.get_final_message()
    assert final.content[0].input == message.content[0].input
    bad = {"type": "image", "source": {"type": "base64", "media_type": "image/bmp", "data": "AAAA"}}
    with pytest.raises(anthropic.BadRequestError):
        client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[{"role": "user", "content": [bad]}])
