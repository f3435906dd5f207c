"""What the gateway refuses, as the SDKs see it: each refusal arrives as the SDK's own exception
type (the proxy answers in the route's error shape). Expired and revoked virtual keys are 401, a
virtual key with no key for the route's provider 400, an unknown profile 404, a raw provider key
under ARCHESTRA_REQUIRE_CLIENT_AUTH 401, and too many wrong virtual keys 429 with retry-after."""

from __future__ import annotations

import dataclasses
from typing import Iterator

import anthropic
import httpx
import openai
import pytest

from conftest import Emulator, Proxy
from gateway_support import MESSAGES, Gateway, openai_chat_status, poll, request_token, running, serving

EXPIRY_WAIT_S = 15.0
# The proxy polls the database every 250 ms; a revocation must be seen well within 1 s.
REVOCATION_WAIT_S = 1.0


@dataclasses.dataclass(frozen=True)
class Setup:
    gateway: Gateway
    proxy: Proxy
    openai_key: str
    anthropic_key: str


@pytest.fixture(scope="module")
def setup(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    gateway = Gateway(emulator, tmp_path_factory.mktemp("gateway-refusals"))
    keys = gateway.provider_keys("openai", "anthropic")
    for proxy in running(gateway):
        yield Setup(gateway, proxy, keys["openai"], keys["anthropic"])


def openai_client(proxy: Proxy, key: str, path: str = "/v1/openai") -> openai.OpenAI:
    return openai.OpenAI(base_url=proxy.base_url + path, api_key=key, max_retries=0)


def anthropic_client(proxy: Proxy, key: str, path: str = "/v1/anthropic") -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=proxy.base_url + path, api_key=key, max_retries=0)


def openai_chat(proxy: Proxy, key: str, path: str = "/v1/openai") -> str:
    with openai_client(proxy, key, path) as client:
        return client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES).choices[0].message.content


def anthropic_message(proxy: Proxy, key: str, path: str = "/v1/anthropic") -> str:
    client = anthropic_client(proxy, key, path)
    return client.messages.create(model="claude-haiku-4-5", max_tokens=50, messages=MESSAGES).content[0].text


def assert_both_sdks_refuse(proxy: Proxy, key: str, word: str) -> None:
    with pytest.raises(openai.AuthenticationError) as from_openai:
        openai_chat(proxy, key)
    assert from_openai.value.status_code == 401
    assert word in from_openai.value.message
    with pytest.raises(anthropic.AuthenticationError) as from_anthropic:
        anthropic_message(proxy, key)
    assert from_anthropic.value.body["error"]["type"] == "authentication_error"
    assert word in from_anthropic.value.body["error"]["message"]


def test_a_key_that_expires_later_works_with_both_sdks(setup: Setup) -> None:
    key = setup.gateway.virtual_key(setup.openai_key, setup.anthropic_key, expires_in="1h")
    assert key.created["expires_at"] is not None
    assert openai_chat(setup.proxy, key.value) == "Echo: Hello there"
    assert anthropic_message(setup.proxy, key.value) == "Echo: Hello there"


def test_an_expired_virtual_key_is_an_authentication_error(setup: Setup) -> None:
    key = setup.gateway.virtual_key(setup.openai_key, setup.anthropic_key, expires_in="1s")
    base_url = f"{setup.proxy.base_url}/v1/openai"
    # Expired keys do not count as failed guesses, so polling cannot trip the rate limit.
    poll(lambda: openai_chat_status(base_url, key.value) == 401, timeout=EXPIRY_WAIT_S, pause=0.05, what="the key expiring")
    assert_both_sdks_refuse(setup.proxy, key.value, "expired")


def test_a_revoked_virtual_key_is_an_authentication_error(setup: Setup) -> None:
    key = setup.gateway.virtual_key(setup.openai_key, setup.anthropic_key)
    assert openai_chat(setup.proxy, key.value) == "Echo: Hello there"
    revoked = setup.gateway.cli("virtual-keys", "revoke", key.id)
    assert revoked.returncode == 0, revoked.stderr
    base_url = f"{setup.proxy.base_url}/v1/openai"
    poll(lambda: openai_chat_status(base_url, key.value) == 401, timeout=REVOCATION_WAIT_S, what="the revocation being seen")
    assert_both_sdks_refuse(setup.proxy, key.value, "revoked")
    listed = {k["id"]: k for k in setup.gateway.cli_json("virtual-keys", "list")}
    assert listed[key.id]["revoked_at"] is not None


def test_a_virtual_key_without_a_key_for_the_provider_is_a_bad_request(setup: Setup) -> None:
    only_anthropic = setup.gateway.virtual_key(setup.anthropic_key)
    with pytest.raises(openai.BadRequestError) as raised:
        openai_chat(setup.proxy, only_anthropic.value)
    assert "openai" in raised.value.message
    assert anthropic_message(setup.proxy, only_anthropic.value) == "Echo: Hello there"
    only_openai = setup.gateway.virtual_key(setup.openai_key)
    with pytest.raises(anthropic.BadRequestError) as from_anthropic:
        anthropic_message(setup.proxy, only_openai.value)
    assert from_anthropic.value.body["error"]["type"] == "invalid_request_error"
    # An OpenAI-compatible provider with no stored key at all.
    with pytest.raises(openai.BadRequestError):
        openai_chat(setup.proxy, only_openai.value, "/v1/groq")


def test_an_unknown_profile_id_is_not_found(setup: Setup) -> None:
    key = setup.gateway.virtual_key(setup.openai_key, setup.anthropic_key)
    unknown = "6f1c1a52-8e0b-4a8e-9d7e-2b7f3c9d4e11"
    with pytest.raises(openai.NotFoundError) as raised:
        openai_chat(setup.proxy, key.value, f"/v1/openai/{unknown}")
    assert raised.value.code == "unknown_profile"
    assert unknown in raised.value.message
    with pytest.raises(anthropic.NotFoundError) as from_anthropic:
        anthropic_message(setup.proxy, key.value, f"/v1/anthropic/{unknown}")
    assert from_anthropic.value.body["error"]["type"] == "not_found_error"


def test_require_client_auth_refuses_raw_provider_keys_and_accepts_virtual_keys(setup: Setup) -> None:
    key = setup.gateway.virtual_key(setup.openai_key, setup.anthropic_key)
    emulator = setup.gateway.emulator
    with serving(setup.gateway, {"ARCHESTRA_REQUIRE_CLIENT_AUTH": "true"}) as strict:
        with pytest.raises(openai.AuthenticationError):
            openai_chat(strict, emulator.openai_api_key)
        with pytest.raises(anthropic.AuthenticationError):
            anthropic_message(strict, emulator.env["ANTHROPIC_API_KEY"])
        # Nothing at all: refused too, even though the provider has a primary key stored.
        bare = httpx.post(f"{strict.base_url}/v1/openai/chat/completions", json={"model": "m", "messages": MESSAGES}, timeout=10.0)
        assert bare.status_code == 401
        assert openai_chat(strict, key.value) == "Echo: Hello there"
        assert anthropic_message(strict, key.value) == "Echo: Hello there"


def test_without_require_client_auth_a_raw_key_still_passes_through(setup: Setup) -> None:
    assert openai_chat(setup.proxy, setup.gateway.emulator.openai_api_key) == "Echo: Hello there"


def test_eleven_wrong_virtual_keys_from_one_client_get_429_with_retry_after(setup: Setup) -> None:
    good = setup.gateway.virtual_key(setup.openai_key)
    # A proxy of its own: the failure counter is per process and per client address.
    with serving(setup.gateway) as limited:
        for attempt in range(10):
            with pytest.raises(openai.AuthenticationError):
                openai_chat(limited, f"arch_{attempt:064x}")
        with pytest.raises(openai.RateLimitError) as raised:
            openai_chat(limited, f"arch_{10:064x}")
        response = raised.value.response
        assert response.status_code == 429
        retry_after = response.headers["retry-after"]
        assert retry_after.isdigit() and 1 <= int(retry_after) <= 60, retry_after
        # The same address is refused before any credential is looked at, at the token endpoint too.
        token = request_token(limited, "llm_oauth_" + "0" * 32, "secret")
        assert token.status_code == 429 and token.headers["retry-after"].isdigit()
        # A raw provider key is not a gateway credential and is not limited.
        assert openai_chat(limited, setup.gateway.emulator.openai_api_key) == "Echo: Hello there"
    # Another process has its own counter: the good key works there at once.
    assert openai_chat(setup.proxy, good.value) == "Echo: Hello there"
