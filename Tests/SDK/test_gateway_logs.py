"""No secret is ever logged, even at `--log-level trace`: virtual keys (valid, wrong, revoked),
OAuth client secrets and access tokens, provider keys (stored, from the fallback variable, or
sent raw by a client), and admin tokens (right or wrong) are used in every place a client puts
them; then the server is stopped with SIGTERM and everything it printed is searched."""

from __future__ import annotations

import httpx
import openai
import requests

from conftest import ADMIN_TOKEN, Emulator, stop
from gateway_support import (
    MESSAGES, PROVIDER_KEY_VARIABLES, TOKEN_PATH, Gateway, access_token, admin, basic_header, poll, request_token,
)


def test_trace_logs_hold_no_secret(emulator: Emulator, tmp_path) -> None:
    gateway = Gateway(emulator, tmp_path)
    ids = gateway.provider_keys(*PROVIDER_KEY_VARIABLES)
    key = gateway.virtual_key(*ids.values())
    revoked = gateway.virtual_key(ids["openai"])
    client = gateway.oauth_client()
    wrong_key = "arch_" + "f" * 64
    wrong_secret = "llm_cs_not-the-secret-0123456789"
    wrong_admin_token = "wrong-admin-token-0123456789"
    # The fallback variable seeds a stored primary key too: its value must not be logged either.
    fallback = {"ARCHESTRA_CHAT_OPENAI_API_KEY": emulator.openai_api_key}
    proxy = gateway.start(fallback, args=("--log-level", "trace"))
    try:
        base = proxy.base_url
        body = {"model": "gpt-4o-mini", "messages": MESSAGES}
        anthropic_body = {"model": "claude-haiku-4-5", "max_tokens": 20, "messages": MESSAGES}
        gemini_body = {"contents": [{"role": "user", "parts": [{"text": "Hello there"}]}]}
        gemini_path = "/v1/gemini/v1beta/models/gemini-2.5-flash:generateContent"
        version = emulator.env["OPENAI_API_VERSION"]
        with httpx.Client(timeout=10.0) as http:
            # A virtual key in every place an SDK sends one.
            assert http.post(f"{base}/v1/openai/chat/completions", json=body, headers={"authorization": f"Bearer {key.value}"}).status_code == 200
            assert http.post(f"{base}/v1/anthropic/v1/messages", json=anthropic_body, headers={"x-api-key": key.value}).status_code == 200
            assert http.post(f"{base}{gemini_path}", json=gemini_body, headers={"x-goog-api-key": key.value}).status_code == 200
            assert http.post(f"{base}{gemini_path}?key={key.value}", json=gemini_body).status_code == 200
            assert http.post(
                f"{base}/v1/azure/openai/deployments/gpt-4o/chat/completions?api-version={version}", json=body, headers={"api-key": key.value}
            ).status_code == 200
            # Streaming too.
            with http.stream("POST", f"{base}/v1/openai/chat/completions", json={**body, "stream": True}, headers={"authorization": f"Bearer {key.value}"}) as stream:
                assert stream.status_code == 200 and b"[DONE]" in stream.read()
            # Refused credentials: a wrong and a revoked virtual key.
            assert http.post(f"{base}/v1/openai/chat/completions", json=body, headers={"authorization": f"Bearer {wrong_key}"}).status_code == 401
            assert http.post(f"{base}{gemini_path}?key={wrong_key}", json=gemini_body).status_code == 401
            assert gateway.cli("virtual-keys", "revoke", revoked.id).returncode == 0
            poll(
                lambda: http.post(f"{base}/v1/openai/chat/completions", json=body, headers={"authorization": f"Bearer {revoked.value}"}).status_code == 401,
                timeout=1.0, what="the revocation",
            )
            # Raw provider keys passed through, and the fallback serving a client that sent none.
            assert http.post(f"{base}/v1/openai/chat/completions", json=body, headers={"authorization": f"Bearer {emulator.openai_api_key}"}).status_code == 200
            assert http.post(f"{base}{gemini_path}?key={emulator.env['GEMINI_API_KEY']}", json=gemini_body).status_code == 200
            assert http.post(f"{base}/v1/openai/chat/completions", json=body).status_code == 200
        # OAuth: both client authentication methods, a wrong secret, and the tokens in use.
        tokens = [access_token(proxy, client), access_token(proxy, client, basic=True)]
        assert request_token(proxy, client.client_id, wrong_secret).status_code == 401
        assert request_token(proxy, client.client_id, wrong_secret, basic=True).status_code == 401
        for token in tokens:
            with openai.OpenAI(base_url=f"{base}/v1/openai", api_key=token, max_retries=0) as sdk:
                assert sdk.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES).choices[0].message.content == "Echo: Hello there"
        # A malformed token request carrying the secret (both methods at once: refused).
        both = requests.post(
            base + TOKEN_PATH, timeout=10, headers={"authorization": basic_header(client.client_id, client.client_secret)},
            data={"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": client.client_secret},
        )
        assert both.status_code == 400
        # The admin API with the right and a wrong admin token.
        assert admin(proxy, "GET", "/api/virtual-keys").status_code == 200
        assert admin(proxy, "GET", "/api/virtual-keys", headers={"authorization": f"Bearer {wrong_admin_token}"}).status_code == 401
        created = admin(proxy, "POST", "/api/virtual-keys", json={"provider_key_ids": [ids["openai"]]})
        assert created.status_code == 201, created.text
        admin_created_key = created.json()["value"]
    finally:
        exit_code = stop(proxy.process)
    assert exit_code == 0, f"archestra serve exited with {exit_code} after SIGTERM"

    printed = proxy.log_path.read_text()
    # Trace really was on, and the requests were logged: the search below is not over nothing.
    assert " trace " in printed, "no trace-level line: was --log-level trace applied?"
    assert printed.count("\n") > 20
    assert f"archestra.virtual_key_id={key.id}" in printed
    assert f"archestra.oauth_client_id={client.id}" in printed
    assert "admin token rejected" in printed and "OAuth client authentication failed" in printed
    secrets = {
        "virtual key": key.value, "revoked virtual key": revoked.value, "wrong virtual key": wrong_key,
        "virtual key created by the admin API": admin_created_key,
        "client secret": client.client_secret, "wrong client secret": wrong_secret,
        "admin token": ADMIN_TOKEN, "wrong admin token": wrong_admin_token,
    }
    secrets.update({f"access token {n}": token for n, token in enumerate(tokens)})
    secrets.update({f"{provider} key": value for provider, value in gateway.provider_secrets().items()})
    leaked = [what for what, secret in secrets.items() if secret in printed]
    assert not leaked, f"secrets in the server's output: {leaked}"
