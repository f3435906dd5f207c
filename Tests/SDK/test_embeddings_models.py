"""Embeddings and Models through the official SDK."""

from __future__ import annotations

import math

import openai
import pytest


def test_default_base64_embeddings_honour_dimensions(client: openai.OpenAI) -> None:
    # The SDK asks for base64 when no format is given and decodes it to floats itself.
    result = client.embeddings.create(model="text-embedding-3-small", input=["first text", "second text"], dimensions=256)
    assert [d.index for d in result.data] == [0, 1]
    assert all(len(d.embedding) == 256 for d in result.data)
    assert all(abs(math.sqrt(sum(x * x for x in d.embedding)) - 1.0) < 1e-3 for d in result.data)
    assert result.data[0].embedding != result.data[1].embedding
    assert result.usage.prompt_tokens == 4


def test_float_and_base64_encode_the_same_vector(client: openai.OpenAI) -> None:
    as_float = client.embeddings.create(model="text-embedding-3-small", input="same input", encoding_format="float")
    as_base64 = client.embeddings.create(model="text-embedding-3-small", input="same input")
    assert len(as_float.data[0].embedding) == 1536
    assert all(abs(a - b) < 1e-6 for a, b in zip(as_float.data[0].embedding, as_base64.data[0].embedding))


def test_large_model_default_dimension_and_token_input(client: openai.OpenAI) -> None:
    result = client.embeddings.create(model="text-embedding-3-large", input=[[1, 2, 3]], encoding_format="float")
    assert len(result.data[0].embedding) == 3072
    assert result.usage.prompt_tokens == 3


def test_models_list_and_retrieve(client: openai.OpenAI) -> None:
    ids = [model.id for model in client.models.list()]
    assert {"gpt-4o", "gpt-4o-mini", "text-embedding-3-small"} <= set(ids)
    model = client.models.retrieve("gpt-4o-mini")
    assert (model.id, model.object) == ("gpt-4o-mini", "model")
    with pytest.raises(openai.NotFoundError) as raised:
        client.models.retrieve("no-such-model")
    assert raised.value.code == "model_not_found"
