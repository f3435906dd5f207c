"""What only the proxy does, as the official SDK and a plain HTTP client see it: its own errors in
OpenAI's shape, and a graceful shutdown that lets streams finish."""

from __future__ import annotations

import signal

import httpx
import openai
import pytest

from conftest import Emulator, Proxy, start_proxy, stop
from gateway_support import create_profile

MESSAGES = [{"role": "user", "content": "hello"}]


def test_missing_key_is_the_proxys_own_authentication_error(proxy: Proxy) -> None:
    # The SDK insists on a key, so send the request without one by hand.
    response = httpx.post(f"{proxy.base_url}/v1/openai/chat/completions", json={"model": "m", "messages": MESSAGES})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "missing_api_key"


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b'{"model":', "application/json", 400, "invalid_json"),
        (b"{}", "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_bad_bodies_are_rejected_before_the_upstream(
    proxy: Proxy, emulator: Emulator, content: bytes, content_type: str, status: int, code: str
) -> None:
    response = httpx.post(
        f"{proxy.base_url}/v1/openai/chat/completions",
        content=content,
        headers={"content-type": content_type, "authorization": f"Bearer {emulator.openai_api_key}"},
    )
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_sdk_sees_the_proxys_errors_as_its_own_exception_types(proxy: Proxy, emulator: Emulator) -> None:
    with openai.OpenAI(base_url=f"{proxy.base_url}/v1/nosuchprovider", api_key=emulator.openai_api_key, max_retries=0) as client:
        with pytest.raises(openai.NotFoundError) as raised:
            client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    assert raised.value.code == "unknown_route"


def test_profile_id_route_reaches_the_same_upstream(proxy: Proxy, emulator: Emulator) -> None:
    # The profile must exist: a route naming an unknown id is 404 (next test).
    base_url = f"{proxy.base_url}/v1/openai/{create_profile(proxy)}"
    with openai.OpenAI(base_url=base_url, api_key=emulator.openai_api_key, max_retries=0) as client:
        completion = client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    assert completion.choices[0].message.content == "Echo: hello"


def test_unknown_profile_id_is_the_sdks_not_found_error(proxy: Proxy, emulator: Emulator) -> None:
    base_url = f"{proxy.base_url}/v1/openai/6f1c1a52-8e0b-4a8e-9d7e-2b7f3c9d4e11"
    with openai.OpenAI(base_url=base_url, api_key=emulator.openai_api_key, max_retries=0) as client:
        with pytest.raises(openai.NotFoundError) as raised:
            client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    assert raised.value.code == "unknown_profile"


def test_oversized_body_is_413(emulator: Emulator, tmp_path) -> None:
    small = start_proxy(emulator, tmp_path, extra_env={"ARCHESTRA_API_BODY_LIMIT": "2kb"})
    try:
        with openai.OpenAI(base_url=f"{small.base_url}/v1/openai", api_key=emulator.openai_api_key, max_retries=0) as client:
            with pytest.raises(openai.APIStatusError) as raised:
                client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "x" * 5000}])
        assert raised.value.status_code == 413
        assert raised.value.code == "request_too_large"
    finally:
        assert stop(small.process) == 0


def test_sigterm_lets_an_in_flight_stream_finish_then_exits_zero(emulator: Emulator, tmp_path) -> None:
    draining = start_proxy(emulator, tmp_path)
    try:
        with openai.OpenAI(base_url=f"{draining.base_url}/v1/openai", api_key=emulator.openai_api_key, max_retries=0) as client:
            stream = client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "one two three four five six"}],
                stream=True,
                extra_headers={"x-mock-scenario": "slow-stream; delay-ms=100"},
            )
            chunks = iter(stream)
            first = next(chunks)
            assert first.choices[0].delta.role == "assistant"
            draining.process.send_signal(signal.SIGTERM)  # mid-stream
            text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert text == "Echo: one two three four five six"
        assert draining.process.wait(timeout=15) == 0
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{draining.base_url}/healthz")
    finally:
        stop(draining.process)
