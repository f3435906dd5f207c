"""Model optimisation rules (docs/cost-and-limits.md) as an operator sets them up with the CLI and
the official SDKs see them: a new database lists Archestra's two defaults, disabled; enabling one
(from another process) reaches a running `archestra serve`, after which a short prompt is answered
by the rule's model — the emulator answers with the model it was sent, as the real APIs do — while
a long prompt, or a request with tools under a `has_tools: false` rule, keeps the client's model.
`archestra logs --json` shows both the model used and the client's (`baseline_model`). The model
router's requests get the target provider's rules, and its answer names the model that answered.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Callable, Iterator

import anthropic
import openai
import pytest

from conftest import Emulator, Proxy
from gateway_support import Gateway, poll, running

# The serving process polls the store's revision; a CLI change reaches it within about a second.
PROPAGATION_S = 5.0
SHORT = [{"role": "user", "content": "Say hi"}]
# About 1250 estimated tokens (4 characters each): over the defaults' 1000.
LONG = [{"role": "user", "content": "word " * 1000}]
WEATHER = {
    "name": "get_weather",
    "description": "Weather for a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}


@dataclasses.dataclass(frozen=True)
class Setup:
    gateway: Gateway
    proxy: Proxy
    key: str


@pytest.fixture(scope="module")
def setup(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    gateway = Gateway(emulator, tmp_path_factory.mktemp("gateway-optimisation"))
    keys = gateway.provider_keys("openai", "anthropic")
    virtual_key = gateway.virtual_key(keys["openai"], keys["anthropic"])
    for proxy in running(gateway):
        yield Setup(gateway, proxy, virtual_key.value)


def rules(setup: Setup) -> list[dict[str, Any]]:
    return setup.gateway.cli_json("optimisation-rules", "list")


def openai_client(setup: Setup, path: str = "/v1/openai") -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{setup.proxy.base_url}{path}", api_key=setup.key, max_retries=0)


def logged(setup: Setup, count: int, ready: Callable[[list[dict[str, Any]]], bool]) -> list[dict[str, Any]]:
    """The newest `count` rows of the interaction log, oldest first, once `ready` says the last
    request is among them (rows are written off the request path, just after the answer)."""
    def rows() -> list[dict[str, Any]] | None:
        result = setup.gateway.cli("logs", "--json", "--limit", str(count))
        assert result.returncode == 0, result.stderr
        found = [json.loads(line) for line in result.stdout.splitlines() if line]
        return found if len(found) == count and ready(found) else None
    return poll(rows, PROPAGATION_S, pause=0.1, what=f"{count} logged rows")


def test_defaults_are_listed_disabled_and_enabling_one_rewrites_short_prompts(setup: Setup) -> None:
    listed = rules(setup)
    assert [(rule["provider"], rule["target_model"], rule["enabled"]) for rule in listed] == [
        ("openai", "gpt-5-mini", False),
        ("anthropic", "claude-haiku-4-5", False),
    ]
    assert all(rule["conditions"] == {"max_prompt_tokens": 1000} for rule in listed)
    client = openai_client(setup)
    assert client.chat.completions.create(model="gpt-4o", messages=SHORT).model == "gpt-4o"

    openai_default = listed[0]["id"]
    enabled = setup.gateway.cli_json("optimisation-rules", "enable", openai_default)
    assert enabled["enabled"] is True
    try:
        answered = poll(
            lambda: model if (model := client.chat.completions.create(model="gpt-4o", messages=SHORT).model) == "gpt-5-mini" else None,
            PROPAGATION_S, pause=0.05, what="the rule to reach the server")
        assert answered == "gpt-5-mini"
        # A stream is rewritten the same way: every chunk names the model that answered.
        chunks = list(client.chat.completions.create(model="gpt-4o", messages=SHORT, stream=True))
        assert chunks and {chunk.model for chunk in chunks} == {"gpt-5-mini"}
        # Over the size condition: the client's model.
        assert client.chat.completions.create(model="gpt-4o", messages=LONG).model == "gpt-4o"

        # `logs --json --limit 3` prints the newest three, oldest first.
        whole, streamed, long = logged(setup, 3, lambda rows: rows[1]["stream"] and not rows[2]["stream"])
        assert (whole["model"], whole["baseline_model"]) == ("gpt-5-mini", "gpt-4o")
        assert (streamed["model"], streamed["baseline_model"], streamed["stream"]) == ("gpt-5-mini", "gpt-4o", True)
        assert (long["model"], long["baseline_model"]) == ("gpt-4o", None)
    finally:
        assert setup.gateway.cli_json("optimisation-rules", "disable", openai_default)["enabled"] is False
    poll(lambda: client.chat.completions.create(model="gpt-4o", messages=SHORT).model == "gpt-4o" or None,
         PROPAGATION_S, pause=0.05, what="the disabled rule to stop applying")


def test_anthropic_rule_with_has_tools_and_the_model_router(setup: Setup) -> None:
    created = setup.gateway.cli_json(
        "optimisation-rules", "create", "--provider", "anthropic", "--target-model", "claude-haiku-4-5", "--has-tools", "false")
    assert created["conditions"] == {"has_tools": False} and created["enabled"] is True
    try:
        client = anthropic.Anthropic(base_url=f"{setup.proxy.base_url}/v1/anthropic", api_key=setup.key, max_retries=0)
        ask = lambda **extra: client.messages.create(model="claude-opus-4-1", max_tokens=50, messages=SHORT, **extra).model
        assert poll(lambda: ask() == "claude-haiku-4-5" or None, PROPAGATION_S, pause=0.05, what="the rule to reach the server")
        # Tools declared: the rule's condition does not hold.
        assert ask(tools=[WEATHER]) == "claude-opus-4-1"
        # A long prompt still goes to the cheaper model: this rule has no size condition.
        assert client.messages.create(model="claude-opus-4-1", max_tokens=50, messages=LONG).model == "claude-haiku-4-5"

        router = openai_client(setup, "/v1/model-router")
        answer = router.chat.completions.create(model="anthropic:claude-opus-4-1", messages=SHORT)
        assert answer.model == "anthropic:claude-haiku-4-5" and answer.choices[0].message.content
        row = logged(setup, 1, lambda rows: rows[0]["model"].startswith("anthropic:"))[0]
        assert (row["model"], row["baseline_model"]) == ("anthropic:claude-haiku-4-5", "anthropic:claude-opus-4-1")
    finally:
        setup.gateway.cli("optimisation-rules", "delete", created["id"])
    assert created["id"] not in [rule["id"] for rule in rules(setup)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--provider", "openai", "--target-model", "gpt-5-mini"), "at least one condition"),
        (("--provider", "nope", "--target-model", "m", "--has-tools", "true"), "provider"),
        (("--provider", "openai", "--target-model", "m", "--max-prompt-tokens", "0"), "max_prompt_tokens"),
        (("--provider", "openai", "--target-model", "gpt 5", "--has-tools", "true"), "target model"),
    ],
)
def test_cli_refuses_rules_that_cannot_work(setup: Setup, args: tuple[str, ...], message: str) -> None:
    before = len(rules(setup))
    result = setup.gateway.cli("optimisation-rules", "create", *args)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert len(rules(setup)) == before
