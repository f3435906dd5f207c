"""What reaches the upstream when a client sends more than one credential: a loopback stand-in
for the provider records exactly what the proxy forwards, which the emulators (they just reject
a wrong key) cannot show. Issue 11: a virtual key never reaches an upstream."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from conftest import Emulator
from gateway_support import MESSAGES, CapturingUpstream, Gateway, VirtualKey, serving

GEMINI_PATH = "/v1beta/models/gemini-2.5-flash:generateContent"
GEMINI_BODY = {"contents": [{"role": "user", "parts": [{"text": "Hello there"}]}]}
ANTHROPIC_BODY = {"model": "claude-haiku-4-5", "max_tokens": 20, "messages": MESSAGES}


@pytest.fixture
def upstream() -> Iterator[CapturingUpstream]:
    with CapturingUpstream() as running_upstream:
        yield running_upstream


@pytest.fixture
def gateway(emulator: Emulator, tmp_path) -> Gateway:
    return Gateway(emulator, tmp_path)


def stored_keys_at(gateway: Gateway, upstream: CapturingUpstream) -> VirtualKey:
    ids = [gateway.provider_key(provider, "--base-url", upstream.url) for provider in ("anthropic", "gemini")]
    return gateway.virtual_key(*ids)


def upstream_env(upstream: CapturingUpstream) -> dict[str, str]:
    """Raw provider keys go to the provider's base URL: the stand-in too."""
    return {"ARCHESTRA_ANTHROPIC_BASE_URL": upstream.url, "ARCHESTRA_GEMINI_BASE_URL": upstream.url}


def only_request(upstream: CapturingUpstream) -> tuple[str, dict[str, str]]:
    assert len(upstream.seen) == 1, upstream.seen
    _, path, headers = upstream.seen[0]
    upstream.seen.clear()
    return path, headers


def test_a_virtual_key_is_replaced_in_each_place_an_sdk_sends_it(gateway: Gateway, upstream: CapturingUpstream) -> None:
    key = stored_keys_at(gateway, upstream)
    emulator = gateway.emulator
    with serving(gateway, upstream_env(upstream)) as proxy, httpx.Client(timeout=10.0) as http:
        for headers in ({"x-api-key": key.value}, {"authorization": f"Bearer {key.value}"}):
            assert http.post(f"{proxy.base_url}/v1/anthropic/v1/messages", json=ANTHROPIC_BODY, headers=headers).status_code == 200
            path, seen = only_request(upstream)
            assert seen.get("x-api-key") == emulator.env["ANTHROPIC_API_KEY"] and "authorization" not in seen
        assert http.post(f"{proxy.base_url}/v1/gemini{GEMINI_PATH}?key={key.value}", json=GEMINI_BODY).status_code == 200
        path, seen = only_request(upstream)
        assert key.value not in path and seen["x-goog-api-key"] == emulator.env["GEMINI_API_KEY"]


def test_a_virtual_key_beside_a_raw_key_wins_and_neither_travels(gateway: Gateway, upstream: CapturingUpstream) -> None:
    key = stored_keys_at(gateway, upstream)
    with serving(gateway, upstream_env(upstream)) as proxy:
        # Two credentials on Anthropic's route: the gateway credential wins (it is checked, and
        # the stored key goes upstream); neither the virtual key nor the raw key travels.
        answer = httpx.post(
            f"{proxy.base_url}/v1/anthropic/v1/messages", json=ANTHROPIC_BODY, timeout=10.0,
            headers={"x-api-key": "sk-ant-the-clients-own", "authorization": f"Bearer {key.value}"},
        )
        assert answer.status_code == 200
        path, seen = only_request(upstream)
        assert seen["x-api-key"] != "sk-ant-the-clients-own"
        assert "sk-ant-the-clients-own" not in repr(seen)
        assert key.value not in repr(seen)
        # Gemini with the virtual key in the header: a raw key in the query is dropped.
        answer = httpx.post(
            f"{proxy.base_url}/v1/gemini{GEMINI_PATH}?key=AIza-the-clients-own", json=GEMINI_BODY, timeout=10.0,
            headers={"x-goog-api-key": key.value},
        )
        assert answer.status_code == 200
        path, seen = only_request(upstream)
        assert "key=" not in path and key.value not in repr(seen)


def test_gemini_never_forwards_a_virtual_key_in_the_query(gateway: Gateway, upstream: CapturingUpstream) -> None:
    key = stored_keys_at(gateway, upstream)
    with serving(gateway, upstream_env(upstream)) as proxy:
        answer = httpx.post(
            f"{proxy.base_url}/v1/gemini{GEMINI_PATH}?key={key.value}", json=GEMINI_BODY, timeout=10.0,
            headers={"x-goog-api-key": "AIza-the-clients-own"},
        )
        sent_upstream = [(path, headers) for _, path, headers in upstream.seen]
    # Whatever the proxy decides (pass the raw key through, or refuse the request), the virtual
    # key must not be what the upstream sees.
    assert key.value not in repr(sent_upstream), f"the virtual key reached the upstream: {sent_upstream} (status {answer.status_code})"
