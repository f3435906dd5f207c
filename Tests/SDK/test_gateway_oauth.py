"""LLM OAuth clients: a token from `POST /api/auth/oauth2/token` (client credentials in the form
body or in HTTP Basic, as `requests` sends them) used as the openai SDK's API key; RFC 6749's
errors; the client's allow-list of LLM proxies on provider routes; revocation."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Iterator

import httpx
import openai
import pytest
import requests

from conftest import Emulator, Proxy
from gateway_support import (
    MESSAGES, TOKEN_PATH, Gateway, OAuthClient, access_token, basic_header, poll, request_token, running, serving,
)


@dataclasses.dataclass(frozen=True)
class Setup:
    gateway: Gateway
    proxy: Proxy
    client: OAuthClient  # mapped to the stored openai key, allowed one LLM proxy
    allowed_proxy_id: str
    other_profile_id: str


@pytest.fixture(scope="module")
def setup(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    gateway = Gateway(emulator, tmp_path_factory.mktemp("gateway-oauth"))
    openai_key = gateway.provider_key("openai")
    allowed = gateway.cli_json("llm-proxies", "create", "--name", "allowed")["id"]
    other = gateway.profile("--name", "not-allowed")
    client = gateway.oauth_client(provider_key_ids=[openai_key], allowed_proxies=[allowed])
    assert client.client_id and client.client_secret and client.client_secret not in client.client_id
    assert client.created["allowed_proxy_ids"] == [allowed]
    for proxy in running(gateway):
        yield Setup(gateway, proxy, client, allowed, other)
    log = gateway.logs()
    assert client.client_secret not in log, "a client secret reached the proxy's log"
    assert emulator.openai_api_key not in log


def chat(base_url: str, token: str) -> str:
    with openai.OpenAI(base_url=base_url, api_key=token, max_retries=0) as sdk:
        return sdk.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES).choices[0].message.content


def test_token_from_the_form_body_is_the_openai_sdks_key(setup: Setup) -> None:
    answer = request_token(setup.proxy, setup.client.client_id, setup.client.client_secret)
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["scope"] == "llm:proxy"
    assert body["access_token"].startswith("llm_at_")
    assert chat(f"{setup.proxy.base_url}/v1/openai", body["access_token"]) == "Echo: Hello there"


def test_token_from_http_basic_is_the_openai_sdks_key_streaming_too(setup: Setup) -> None:
    token = access_token(setup.proxy, setup.client, basic=True)
    with openai.OpenAI(base_url=f"{setup.proxy.base_url}/v1/openai", api_key=token, max_retries=0) as sdk:
        chunks = list(sdk.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: Hello there"


def test_each_token_request_gets_a_new_token_and_both_work(setup: Setup) -> None:
    first, second = access_token(setup.proxy, setup.client), access_token(setup.proxy, setup.client, basic=True)
    assert first != second
    for token in (first, second):
        assert chat(f"{setup.proxy.base_url}/v1/openai", token) == "Echo: Hello there"


def test_explicit_scope_llm_proxy_is_accepted(setup: Setup) -> None:
    answer = request_token(setup.proxy, setup.client.client_id, setup.client.client_secret, scope="llm:proxy")
    assert answer.status_code == 200, answer.text
    assert answer.json()["scope"] == "llm:proxy"


def test_a_client_without_provider_keys_uses_each_providers_primary_key(setup: Setup) -> None:
    client = setup.gateway.oauth_client()
    assert client.created["provider_key_ids"] == []
    token = access_token(setup.proxy, client)
    assert chat(f"{setup.proxy.base_url}/v1/openai", token) == "Echo: Hello there"


def test_wrong_secret_is_invalid_client(setup: Setup) -> None:
    answer = request_token(setup.proxy, setup.client.client_id, setup.client.client_secret + "x")
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert "www-authenticate" not in answer.headers  # the body, not Basic, carried the credentials
    basic = request_token(setup.proxy, setup.client.client_id, "wrong-secret", basic=True)
    assert basic.status_code == 401
    assert basic.json()["error"] == "invalid_client"
    assert basic.headers["www-authenticate"].lower().startswith("basic")
    unknown = request_token(setup.proxy, "llm_oauth_" + "0" * 32, setup.client.client_secret)
    assert unknown.status_code == 401 and unknown.json()["error"] == "invalid_client"


def test_unknown_scope_is_invalid_scope(setup: Setup) -> None:
    for scope in ("admin", "llm:proxy admin"):
        answer = request_token(setup.proxy, setup.client.client_id, setup.client.client_secret, scope=scope)
        assert answer.status_code == 400, scope
        assert answer.json()["error"] == "invalid_scope"


def test_other_grant_types_are_unsupported(setup: Setup) -> None:
    answer = requests.post(
        setup.proxy.base_url + TOKEN_PATH, timeout=10,
        data={"grant_type": "password", "username": "u", "password": "p"},
        headers={"authorization": basic_header(setup.client.client_id, setup.client.client_secret)},
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "unsupported_grant_type"


def test_an_unknown_token_is_the_sdks_authentication_error(setup: Setup) -> None:
    with pytest.raises(openai.AuthenticationError):
        chat(f"{setup.proxy.base_url}/v1/openai", "llm_at_" + "A" * 43)


def test_allow_listed_llm_proxy_works_and_any_other_id_is_forbidden(setup: Setup) -> None:
    token = access_token(setup.proxy, setup.client)
    assert chat(f"{setup.proxy.base_url}/v1/openai/{setup.allowed_proxy_id}", token) == "Echo: Hello there"
    # An existing profile not on the list, and an id that does not exist at all: both 403 (a
    # client cannot probe which ids exist).
    for other in (setup.other_profile_id, str(uuid.uuid4())):
        with pytest.raises(openai.PermissionDeniedError) as raised:
            chat(f"{setup.proxy.base_url}/v1/openai/{other}", token)
        assert raised.value.status_code == 403


def test_a_virtual_key_is_not_bound_by_an_oauth_allow_list(setup: Setup) -> None:
    """The contrast: the same profile serves a virtual key, so the 403 above is the OAuth
    client's allow-list at work, not something about the profile."""
    key_id = setup.gateway.cli_json("provider-keys", "list")[0]["id"]
    virtual = setup.gateway.virtual_key(key_id)
    assert chat(f"{setup.proxy.base_url}/v1/openai/{setup.other_profile_id}", virtual.value) == "Echo: Hello there"


def test_revoking_a_client_ends_its_tokens_and_its_token_requests(setup: Setup) -> None:
    # A proxy of its own: the refused polls below count as failed authentications.
    client = setup.gateway.oauth_client()
    with serving(setup.gateway) as proxy:
        token = access_token(proxy, client)
        base_url = f"{proxy.base_url}/v1/openai"
        assert chat(base_url, token) == "Echo: Hello there"
        setup.gateway.cli_json("oauth-clients", "list")  # the client is listed before it goes
        revoked = setup.gateway.cli("oauth-clients", "revoke", client.id)
        assert revoked.returncode == 0, revoked.stderr

        def refused() -> bool:
            answer = httpx.post(
                base_url + "/chat/completions", headers={"authorization": f"Bearer {token}"},
                json={"model": "gpt-4o-mini", "messages": MESSAGES}, timeout=10.0,
            )
            return answer.status_code == 401

        poll(refused, timeout=1.0, pause=0.15, what="the revoked client's token being refused")
        answer = request_token(proxy, client.client_id, client.client_secret)
        assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"
