"""The admin API as an operator's script uses it (plain HTTP with the admin token): what it
creates serves at once, what it revokes or deletes stops serving at once, in the same process
that answered the call. (Other processes' changes are seen within a second: test_gateway_cli.py.)"""

from __future__ import annotations

import dataclasses
from typing import Iterator

import httpx
import openai
import pytest

from conftest import Emulator, Proxy
from gateway_support import MESSAGES, Gateway, access_token, admin, openai_chat_status, poll, running, serving

REPEATS = 5


@dataclasses.dataclass(frozen=True)
class Setup:
    gateway: Gateway
    proxy: Proxy
    openai_key: str


@pytest.fixture(scope="module")
def setup(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    gateway = Gateway(emulator, tmp_path_factory.mktemp("gateway-admin"))
    openai_key = gateway.provider_key("openai")
    for proxy in running(gateway):
        yield Setup(gateway, proxy, openai_key)


def create_virtual_key(setup: Setup) -> dict:
    created = admin(setup.proxy, "POST", "/api/virtual-keys", json={"provider_key_ids": [setup.openai_key]})
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    return created.json()


def test_requests_without_or_with_a_wrong_admin_token_are_refused(setup: Setup) -> None:
    assert httpx.get(setup.proxy.base_url + "/api/virtual-keys").status_code == 401
    assert admin(setup.proxy, "GET", "/api/virtual-keys", headers={"authorization": "Bearer not-the-admin-token"}).status_code == 401
    listed = admin(setup.proxy, "GET", "/api/virtual-keys")
    assert listed.status_code == 200 and isinstance(listed.json(), list)


def test_a_virtual_key_created_through_the_admin_api_serves_at_once(setup: Setup) -> None:
    created = create_virtual_key(setup)
    with openai.OpenAI(base_url=f"{setup.proxy.base_url}/v1/openai", api_key=created["value"], max_retries=0) as client:
        assert client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES).choices[0].message.content == "Echo: Hello there"
    got = admin(setup.proxy, "GET", f"/api/virtual-keys/{created['id']}")
    assert got.status_code == 200 and "value" not in got.json()


def test_a_virtual_key_revoked_through_the_admin_api_is_refused_at_once(setup: Setup) -> None:
    # Keys that exist before the server starts, and a server of its own: no change is pending
    # in its store poll when a key is cached, so only the revocation itself can refuse it.
    keys = [setup.gateway.virtual_key(setup.openai_key) for _ in range(REPEATS)]
    accepted_after_revocation = 0
    with serving(setup.gateway) as proxy:
        base_url = f"{proxy.base_url}/v1/openai"
        for key in keys:
            assert openai_chat_status(base_url, key.value) == 200  # now cached by the server
            assert admin(proxy, "DELETE", f"/api/virtual-keys/{key.id}").status_code == 204
            # The 204 came from this very process: the next request must already be refused.
            if openai_chat_status(base_url, key.value) != 401:
                accepted_after_revocation += 1
            # Let the store poll catch up before the next key is cached.
            poll(lambda: openai_chat_status(base_url, key.value) == 401, timeout=1.0, what="the revocation")
    assert accepted_after_revocation == 0, f"{accepted_after_revocation} of {REPEATS} revoked keys still served right after the 204"


def test_an_admin_revocation_is_refused_within_one_second(setup: Setup) -> None:
    """The guarantee that holds today (the store poll), beside the stricter one above."""
    key = create_virtual_key(setup)
    base_url = f"{setup.proxy.base_url}/v1/openai"
    assert openai_chat_status(base_url, key["value"]) == 200
    assert admin(setup.proxy, "DELETE", f"/api/virtual-keys/{key['id']}").status_code == 204
    poll(lambda: openai_chat_status(base_url, key["value"]) == 401, timeout=1.0, what="the revocation")
    got = admin(setup.proxy, "GET", f"/api/virtual-keys/{key['id']}").json()
    assert got["revoked_at"] is not None


def test_an_oauth_client_revoked_through_the_admin_api_loses_its_tokens_at_once(setup: Setup) -> None:
    clients = [setup.gateway.oauth_client([setup.openai_key]) for _ in range(REPEATS)]
    accepted_after_revocation = 0
    with serving(setup.gateway) as proxy:
        base_url = f"{proxy.base_url}/v1/openai"
        for client in clients:
            token = access_token(proxy, client)
            assert openai_chat_status(base_url, token) == 200  # now cached by the server
            assert admin(proxy, "DELETE", f"/api/oauth-clients/{client.id}").status_code == 204
            if openai_chat_status(base_url, token) != 401:
                accepted_after_revocation += 1
            poll(lambda: openai_chat_status(base_url, token) == 401, timeout=1.0, what="the revocation")
    assert accepted_after_revocation == 0, f"{accepted_after_revocation} of {REPEATS} revoked clients' tokens still served right after the 204"
