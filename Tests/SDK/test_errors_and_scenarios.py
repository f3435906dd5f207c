"""Errors and scripted failures, as the official SDK sees them."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import openai
import pytest

from conftest import Target

MESSAGES = [{"role": "user", "content": "hello"}]


def test_bad_key_is_an_authentication_error_that_hides_the_key(target: Target) -> None:
    wrong_key = "sk-wrong-key-that-must-not-be-echoed-1234"
    with openai.OpenAI(base_url=target.base_url, api_key=wrong_key, max_retries=0) as client:
        with pytest.raises(openai.AuthenticationError) as raised:
            client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    assert raised.value.status_code == 401
    assert raised.value.code == "invalid_api_key"
    assert wrong_key not in str(raised.value)


def test_rate_limit_without_retries(client: openai.OpenAI) -> None:
    with pytest.raises(openai.RateLimitError) as raised:
        client.chat.completions.create(
            model="gpt-4o-mini", messages=MESSAGES, extra_headers={"x-mock-scenario": "rate-limit; retry-after=1"}
        )
    assert raised.value.status_code == 429
    assert raised.value.code == "rate_limit_exceeded"
    assert raised.value.response.headers["retry-after"] == "1"


def test_model_suffix_selects_a_scenario(client: openai.OpenAI) -> None:
    with pytest.raises(openai.InternalServerError) as raised:
        client.chat.completions.create(model="gpt-4o-mini@server-error", messages=MESSAGES)
    assert raised.value.status_code == 500
    with pytest.raises(openai.InternalServerError) as unavailable:
        client.chat.completions.create(model="gpt-4o-mini@unavailable", messages=MESSAGES)
    assert unavailable.value.status_code == 503


def test_sdk_retry_honours_retry_after_then_succeeds(target: Target) -> None:
    sent: list[httpx.Request] = []
    http_client = httpx.Client(event_hooks={"request": [sent.append]})
    with openai.OpenAI(base_url=target.base_url, api_key=target.api_key, max_retries=2, http_client=http_client) as client:
        started = time.monotonic()
        completion = client.chat.completions.create(
            model="gpt-4o-mini",
            messages=MESSAGES,
            # A fresh id gives this test its own fail-count budget.
            extra_headers={"x-mock-scenario": f"rate-limit; retry-after=1; fail-count=1; id={uuid.uuid4()}"},
        )
        elapsed = time.monotonic() - started
    assert completion.choices[0].message.content == "Echo: hello"
    assert [r.headers.get("x-stainless-retry-count") for r in sent] == ["0", "1"]
    assert elapsed >= 0.9, "the SDK should have waited retry-after (1 s) before retrying"


def test_drop_mid_stream_raises_from_the_stream(client: openai.OpenAI, target: Target) -> None:
    stream = client.chat.completions.create(
        model="gpt-4o-mini@drop-mid-stream", messages=[{"role": "user", "content": "a b c d e f"}], stream=True
    )
    received: list[str] = []
    if target.name == "direct":
        # openai 3.x wraps the transport error; the cause is the incomplete chunked body.
        with pytest.raises(openai.APIConnectionError) as raised:
            for chunk in stream:
                received.append(chunk.choices[0].delta.content or "")
        assert type(raised.value.__cause__).__name__ == "RemoteProtocolError", repr(raised.value.__cause__)
        assert "incomplete chunked read" in str(raised.value.__cause__)
    else:
        # The proxy turns the dropped upstream into OpenAI's in-band error event, which the SDK
        # raises as APIError with the proxy's message.
        with pytest.raises(openai.APIError) as raised:
            for chunk in stream:
                received.append(chunk.choices[0].delta.content or "")
        assert "upstream stream failed" in raised.value.message
        assert raised.value.code == "upstream_stream_failed"
    assert received, "some chunks arrive before the connection drops"


def test_malformed_frame_raises(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="gpt-4o-mini", messages=MESSAGES, stream=True, extra_headers={"x-mock-scenario": "malformed-frame"}
    )
    with pytest.raises(json.JSONDecodeError):
        for _ in stream:
            pass


def test_hang_times_out_in_the_client(target: Target) -> None:
    with openai.OpenAI(base_url=target.base_url, api_key=target.api_key, max_retries=0, timeout=0.5) as client:
        with pytest.raises(openai.APITimeoutError):
            client.chat.completions.create(model="gpt-4o-mini@hang", messages=MESSAGES)


def test_slow_stream_still_completes(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="gpt-4o-mini", messages=MESSAGES, stream=True, extra_headers={"x-mock-scenario": "slow-stream; delay-ms=10"}
    )
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == "Echo: hello"


def test_missing_messages_is_a_bad_request_naming_the_param(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.post("/chat/completions", body={"model": "gpt-4o-mini"}, cast_to=httpx.Response)
    assert raised.value.param == "messages"
