"""The interaction log as an operator uses it: requests through the official openai SDK (whole,
streamed, and a stream abandoned mid-way) become rows that `archestra logs` prints as a table and
as JSON lines, that `archestra logs --follow` prints as they arrive, and that the admin API pages;
with ARCHESTRA_INTERACTION_LOG_BODIES=true the stored bodies never hold the virtual key used or
pasted, nor the provider key behind it."""

from __future__ import annotations

import json
import subprocess
import threading

import openai

from conftest import ARCHESTRA_BIN, Emulator
from gateway_support import MESSAGES, Gateway, admin, poll, serving

ROWS_TIMEOUT_S = 5.0


def logs_json(gateway: Gateway, *args: str) -> list[dict]:
    result = gateway.cli("logs", "--json", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_requests_become_rows_the_cli_and_admin_api_show(emulator: Emulator, tmp_path) -> None:
    gateway = Gateway(emulator, tmp_path)
    key_id = gateway.provider_key("openai")
    key = gateway.virtual_key(key_id)
    with serving(gateway, {"ARCHESTRA_INTERACTION_LOG_BODIES": "true"}) as proxy:
        client = openai.OpenAI(base_url=f"{proxy.base_url}/v1/openai", api_key=key.value, max_retries=0)
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"my key is {key.value}"}])
        chunks = list(client.chat.completions.create(
            model="gpt-4o-mini", messages=MESSAGES, stream=True, stream_options={"include_usage": True}))
        assert chunks[-1].usage is not None
        # A slow stream the client leaves after its first chunk.
        slow = client.chat.completions.create(
            model="gpt-4o-mini", messages=MESSAGES, stream=True, extra_headers={"x-mock-scenario": "slow-stream; delay-ms=300"})
        next(iter(slow))
        slow.close()

        # `poll` stops at anything but None/False, so an empty list must become None here.
        rows = poll(lambda: found if len(found := logs_json(gateway)) == 3 else None, ROWS_TIMEOUT_S, pause=0.1, what="three rows")
        assert [row["stream"] for row in rows] == [False, True, True]  # oldest first
        whole, streamed, abandoned = rows
        assert whole["status"] == 200 and whole["credential_kind"] == "virtual_key" and whole["virtual_key_id"] == key.id
        assert whole["provider_key_id"] == key_id and whole["model"] == "gpt-4o-mini"
        assert whole["input_tokens"] > 0 and whole["output_tokens"] > 0 and whole["first_token_ms"] is None
        assert streamed["output_tokens"] > 0 and streamed["first_token_ms"] > 0 and streamed["error_code"] is None
        assert abandoned["error_code"] == "client_disconnected" and abandoned["first_token_ms"] > 0
        assert all(row["request_body"] is None for row in rows)  # lists never carry bodies

        table = gateway.cli("logs", "--since", "1h")
        assert table.returncode == 0, table.stderr
        lines = table.stdout.splitlines()
        assert lines[0].split() == ["TIME", "STATUS", "PROVIDER", "MODEL", "TOKENS", "COST", "LATENCY", "TTFT"]
        assert len(lines) == 4 and all("openai" in line and "gpt-4o-mini" in line for line in lines[1:])
        assert "200*" in lines[3]  # the client left first
        assert gateway.cli("logs", "--since", "2999-01-01T00:00:00Z").stdout.splitlines()[1:] == []
        assert gateway.cli("logs", "--since", "yesterday").returncode != 0

        # The admin API: two pages of two and one, then the whole row with its scrubbed bodies.
        first = admin(proxy, "GET", "/api/interactions", params={"limit": 2}).json()
        second = admin(proxy, "GET", "/api/interactions", params={"limit": 2, "cursor": first["next_cursor"]}).json()
        assert [row["id"] for row in first["items"] + second["items"]] == [row["id"] for row in reversed(rows)]
        assert second["next_cursor"] is None
        detail = admin(proxy, "GET", f"/api/interactions/{whole['id']}").json()
        assert "my key is <redacted>" in detail["request_body"]
        assert "chat.completion" in detail["response_body"]
        stored = json.dumps([admin(proxy, "GET", f"/api/interactions/{row['id']}").json() for row in rows])
        assert key.value not in stored and emulator.env["OPENAI_API_KEY"] not in stored

        # --follow prints what arrives after it started.
        follower = subprocess.Popen(
            [ARCHESTRA_BIN, "logs", "--follow", "--json", "--limit", "1", "--database-url", gateway.database_url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            lines_seen: list[str] = []
            reader = threading.Thread(target=lambda: lines_seen.extend(iter(follower.stdout.readline, "")), daemon=True)
            reader.start()
            poll(lambda: len(lines_seen) >= 1, ROWS_TIMEOUT_S, pause=0.05, what="the newest row")
            client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
            poll(lambda: len(lines_seen) >= 2, ROWS_TIMEOUT_S, pause=0.05, what="the followed row")
            followed = json.loads(lines_seen[1])
            assert followed["stream"] is False and followed["id"] not in {row["id"] for row in rows}
        finally:
            follower.terminate()
            follower.wait(timeout=10)
