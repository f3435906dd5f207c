"""Spending limits as the official SDKs see them (docs/cost-and-limits.md): a limit created with
the CLI (another process) reaches a running `archestra serve`; once its spend reaches the limit,
the proxy answers 402 `usage_limit_exceeded` before anything goes upstream, which the openai and
anthropic SDKs raise as `APIStatusError` with status 402 and do NOT retry (429 would be retried);
`archestra limits list` shows the usage; deleting the limit lets requests through again."""

from __future__ import annotations

import dataclasses
from typing import Iterator

import anthropic
import httpx
import httpx2  # the anthropic SDK's own fork of httpx
import openai
import pytest

from conftest import Emulator, Proxy
from gateway_support import MESSAGES, Gateway, poll, running

# The serving process reloads limits within a second of a CLI change and saves spend every second.
PROPAGATION_S = 5.0
# Below one cent: one emulator answer (a few dozen tokens) costs more.
TINY_USD = "0.000001"


@dataclasses.dataclass(frozen=True)
class Setup:
    gateway: Gateway
    proxy: Proxy
    key: str
    key_id: str


@pytest.fixture(scope="module")
def setup(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    gateway = Gateway(emulator, tmp_path_factory.mktemp("gateway-limits"))
    keys = gateway.provider_keys("openai", "anthropic")
    virtual_key = gateway.virtual_key(keys["openai"], keys["anthropic"])
    for proxy in running(gateway):
        yield Setup(gateway, proxy, virtual_key.value, virtual_key.id)


class CountingTransport(httpx.HTTPTransport):
    """Counts every HTTP request the SDK sends, retries included."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        return super().handle_request(request)


class CountingTransport2(httpx2.HTTPTransport):
    """The same for the anthropic SDK, which takes only httpx2 objects."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.count += 1
        return super().handle_request(request)


def openai_client(setup: Setup) -> tuple[openai.OpenAI, CountingTransport]:
    transport = CountingTransport()
    # max_retries=3: the SDK would retry a 429 or 5xx three times; a 402 must not be retried.
    client = openai.OpenAI(
        base_url=f"{setup.proxy.base_url}/v1/openai", api_key=setup.key, max_retries=3, http_client=httpx.Client(transport=transport)
    )
    return client, transport


def create_limit(setup: Setup, *args: str) -> dict:
    created = setup.gateway.cli_json("limits", "create", *args)
    assert created["id"] and created["usage_usd"] == "0"
    return created


def refused_status(call) -> int | None:
    """402 once the limit is known and spent; None while the request still passes."""
    try:
        call()
    except openai.APIStatusError as error:
        return error.status_code
    except anthropic.APIStatusError as error:
        return error.status_code
    return None


def test_openai_sdk_gets_402_not_retried(setup: Setup) -> None:
    limit = create_limit(setup, "--virtual-key", setup.key_id, "--usd", TINY_USD, "--window", "day", "--model", "gpt-4o-mini")
    client, transport = openai_client(setup)
    chat = lambda: client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    # Requests pass until the CLI's limit reaches the server and one answer's cost is counted.
    assert poll(lambda: refused_status(chat), PROPAGATION_S, pause=0.05, what="a 402") == 402

    transport.count = 0
    with pytest.raises(openai.APIStatusError) as raised:
        chat()
    assert raised.value.status_code == 402
    assert transport.count == 1, f"the SDK sent {transport.count} requests: a 402 must not be retried"
    error = raised.value.body
    assert error["type"] == "usage_limit_exceeded" and error["code"] == "token_cost_limit_exceeded"
    assert error["usage_limit"] == {"limit_type": "token_cost", "entity_type": "virtual_key"}
    assert error["message"].startswith("This request was blocked by Archestra (not the AI provider)")

    # A stream is refused the same way, before its first byte.
    transport.count = 0
    with pytest.raises(openai.APIStatusError) as streamed:
        client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True)
    assert streamed.value.status_code == 402 and transport.count == 1

    # Another model is outside the limit's list: it passes.
    assert client.chat.completions.create(model="gpt-4o", messages=MESSAGES).choices[0].message.content

    # The CLI lists the usage the server saved.
    listed = poll(
        lambda: next((item for item in setup.gateway.cli_json("limits", "list") if item["id"] == limit["id"] and item["usage_usd"] != "0"), None),
        PROPAGATION_S, pause=0.2, what="the limit's usage in `limits list`",
    )
    assert float(listed["usage_usd"]) >= float(TINY_USD) and listed["remaining_usd"] == "0"

    # Deleted: requests pass again once the server sees it.
    assert setup.gateway.cli("limits", "delete", limit["id"]).returncode == 0
    poll(lambda: refused_status(chat) is None, PROPAGATION_S, pause=0.05, what="a request passing after the delete")


def test_anthropic_sdk_gets_402_not_retried(setup: Setup) -> None:
    limit = create_limit(setup, "--org", "--usd", TINY_USD, "--window", "1h")
    transport = CountingTransport2()
    client = anthropic.Anthropic(
        base_url=f"{setup.proxy.base_url}/v1/anthropic", api_key=setup.key, max_retries=3, http_client=httpx2.Client(transport=transport)
    )
    message = lambda: client.messages.create(model="claude-haiku-4-5", max_tokens=50, messages=MESSAGES)
    assert poll(lambda: refused_status(message), PROPAGATION_S, pause=0.05, what="a 402") == 402

    transport.count = 0
    with pytest.raises(anthropic.APIStatusError) as raised:
        message()
    assert raised.value.status_code == 402
    assert transport.count == 1, f"the SDK sent {transport.count} requests: a 402 must not be retried"
    assert raised.value.body["type"] == "error"
    assert raised.value.body["error"]["message"].startswith("This request was blocked by Archestra")
    assert setup.gateway.cli("limits", "delete", limit["id"]).returncode == 0


def test_cli_refuses_bad_limits(setup: Setup) -> None:
    for args, fragment in [
        (["--org", "--usd=-1"], "must not be negative"),
        (["--org", "--usd", "ten"], "decimal amount"),
        (["--org", "--usd", "1", "--window", "2h"], "--window must be one of"),
        (["--profile", "00000000-0000-0000-0000-000000000001", "--usd", "1"], "no profile or LLM proxy has id"),
        (["--virtual-key", "00000000-0000-0000-0000-000000000001", "--usd", "1"], "no virtual key has id"),
        (["--usd", "1"], "exactly one of"),
    ]:
        result = setup.gateway.cli("limits", "create", *args)
        assert result.returncode != 0 and result.stdout == "", args
        assert fragment in result.stderr, (args, result.stderr)
    assert setup.gateway.cli("limits", "delete", "00000000-0000-0000-0000-000000000001").returncode != 0


def test_stream_without_include_usage_is_counted_and_unchanged(setup: Setup) -> None:
    """The proxy asks the emulator for the stream's usage, counts it toward the limit, and the
    openai SDK sees no usage-only chunk it did not ask for."""
    limit = create_limit(setup, "--org", "--usd", "1000", "--window", "day")
    client, _ = openai_client(setup)
    # The limit reaches the server within about a second; until then a stream is not counted.
    def counted_stream() -> dict | None:
        try:
            chunks = list(client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True))
        except openai.APIStatusError as error:
            assert error.status_code == 402  # the previous test's limit, until its delete reaches the server
            return None
        assert chunks and all(chunk.choices for chunk in chunks), "a usage-only chunk reached the client"
        assert all(chunk.usage is None for chunk in chunks)
        return next((item for item in setup.gateway.cli_json("limits", "list") if item["id"] == limit["id"] and item["usage_usd"] != "0"), None)

    listed = poll(counted_stream, PROPAGATION_S * 2, pause=0.3, what="the stream's cost in `limits list`")
    assert 0 < float(listed["usage_usd"]) < 0.01
    # Asked for: the usage chunk is relayed as the client wanted.
    chunks = list(client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True, stream_options={"include_usage": True}))
    assert chunks[-1].choices == [] and chunks[-1].usage.prompt_tokens > 0
    assert setup.gateway.cli("limits", "delete", limit["id"]).returncode == 0
