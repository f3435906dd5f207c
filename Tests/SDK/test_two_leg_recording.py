"""`archestra serve --record DIR` as a user runs it: the official `openai` SDK through the model
router into the Anthropic emulator (the provider key only in the database, a virtual key in the
SDK), one two-leg cassette per request, and then the CLI a CI job runs on them:
`archestra cassette lint` (no secret left) and `archestra cassette test` (both legs replayed and
checked: what the proxy sent upstream and what the SDK received)."""

from __future__ import annotations

import subprocess

import openai
import pytest

from conftest import ARCHESTRA_BIN, Emulator
from gateway_support import PROVIDER_KEY_VARIABLES, Gateway, serving


def test_sdk_calls_recorded_through_the_router_pass_lint_and_cassette_test(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> None:
    gateway = Gateway(emulator, tmp_path_factory.mktemp("two-leg"))
    virtual_key = gateway.virtual_key(gateway.provider_key("anthropic")).value
    recorded = tmp_path_factory.mktemp("two-leg-recorded")
    with serving(gateway, args=("--record", str(recorded))) as proxy:
        with openai.OpenAI(base_url=f"{proxy.base_url}/v1/model-router", api_key=virtual_key, max_retries=0, timeout=20) as sdk:
            answer = sdk.chat.completions.create(
                model="anthropic:claude-sonnet-4-5", max_tokens=32, messages=[{"role": "user", "content": "Say hello"}]
            )
            assert answer.choices[0].message.content == "Echo: Say hello"
            stream = sdk.chat.completions.create(
                model="anthropic:claude-sonnet-4-5", max_tokens=32, stream=True, stream_options={"include_usage": True},
                messages=[{"role": "user", "content": "Count to three"}],
            )
            assert "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices) == "Echo: Count to three"

    # SIGTERM drained the proxy, then the recorder wrote what was queued.
    files = sorted(recorded.glob("*.json"))
    assert [path.name.split("-", 2)[2] for path in files] == ["v1-model-router-chat-completions.json"] * 2
    provider_key = emulator.env[PROVIDER_KEY_VARIABLES["anthropic"]]
    for path in files:
        text = path.read_text()
        assert virtual_key not in text and provider_key not in text, f"a key reached {path.name}"
        assert '"leg" : "client"' in text and '"leg" : "upstream"' in text

    lint = subprocess.run([ARCHESTRA_BIN, "cassette", "lint", str(recorded)], capture_output=True, text=True, timeout=60)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    test = subprocess.run([ARCHESTRA_BIN, "cassette", "test", str(recorded)], capture_output=True, text=True, timeout=120)
    assert test.returncode == 0, test.stdout + test.stderr
    assert "cassette test: 2 cassette(s), 0 failed" in test.stdout
