"""Helpers for the gateway suites (`test_gateway_*.py`): the `archestra` CLI run as another
process on a proxy's database file, the admin API, the OAuth token endpoint, and bounded polling.

A `Gateway` is one database file; proxies started on it (`start`) read the provider keys, virtual
keys and OAuth clients the CLI wrote there. Proxies start without any `ARCHESTRA_CHAT_*_API_KEY`
fallback (conftest's `start_proxy` strips them), so the only key that can reach an emulator is
one the test stored: a success through a virtual key proves the proxy swapped it.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import http.server
import json
import os
import pathlib
import subprocess
import threading
import time
from typing import Any, Callable, Iterator, Sequence, TypeVar

import httpx
import requests

from conftest import ADMIN_TOKEN, ARCHESTRA_BIN, Emulator, Proxy, start_proxy, stop

# provider route name -> the emulator env file's variable holding a key that emulator accepts.
PROVIDER_KEY_VARIABLES = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "gemini": "GEMINI_API_KEY",
    "cohere": "CO_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "groq": "GROQ_API_KEY",
    "bedrock": "ARCHESTRA_MOCK_AWS_BEARER_TOKEN_BEDROCK",
    "azure": "AZURE_OPENAI_API_KEY",
    "ollama": "OLLAMA_API_KEY",
}
CLI_TIMEOUT_S = 60.0
TOKEN_PATH = "/api/auth/oauth2/token"
# The gateway's own proxies do not serve keyless upstreams to anonymous callers.
SECURE_ENV = {"ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS": "false"}

T = TypeVar("T")
# One client for every plain request the helpers send: a new httpx client builds an SSL context
# (~100 ms), which would blur the timings the gateway tests measure.
HTTP = httpx.Client(timeout=10.0)


def database_url(directory: pathlib.Path) -> str:
    """The URL conftest's `start_proxy` gives a proxy started in `directory`."""
    return f"sqlite://{directory / 'archestra.sqlite'}"


def run_cli(
    args: Sequence[str], env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`archestra ARGS` as a separate process. The test's own ARCHESTRA_DATABASE_URL never leaks
    in: callers pass `--database-url` or set it in `env`."""
    environment = {k: v for k, v in os.environ.items() if k != "ARCHESTRA_DATABASE_URL"}
    environment.update(env or {})
    return subprocess.run(
        [ARCHESTRA_BIN, *args], capture_output=True, text=True, env=environment, input=input, timeout=CLI_TIMEOUT_S,
        stdin=None if input is not None else subprocess.DEVNULL,
    )


def parse_json_output(result: subprocess.CompletedProcess[str]) -> Any:
    """The one JSON value a successful CLI command printed (json.loads refuses anything after it)."""
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr}"
    return json.loads(result.stdout)


def poll(check: Callable[[], T | None], timeout: float, pause: float = 0.01, what: str = "the condition") -> T:
    """Calls `check` until it returns something other than None/False, or fails at the deadline.
    `pause` only paces the requests `check` sends; it never stands in for readiness."""
    deadline = time.monotonic() + timeout
    while True:
        outcome = check()
        if outcome is not None and outcome is not False:
            return outcome
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(pause)


@dataclasses.dataclass
class VirtualKey:
    id: str
    value: str
    created: dict[str, Any]


@dataclasses.dataclass
class OAuthClient:
    id: str
    client_id: str
    client_secret: str
    created: dict[str, Any]


class Gateway:
    """One database file, the CLI on it, and the proxies started on it."""

    def __init__(self, emulator: Emulator, directory: pathlib.Path) -> None:
        self.emulator = emulator
        self.directory = directory
        self.database_url = database_url(directory)
        self.proxies: list[Proxy] = []

    # The CLI

    def cli(self, *args: str, env: dict[str, str] | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli([*args, "--database-url", self.database_url], env=env, input=input)

    def cli_json(self, *args: str, env: dict[str, str] | None = None, input: str | None = None) -> Any:
        return parse_json_output(self.cli(*args, env=env, input=input))

    def provider_key(self, provider: str, *flags: str) -> str:
        """Stores the emulator's key for `provider` (read from its variable, never argv); its id."""
        variable = PROVIDER_KEY_VARIABLES[provider]
        created = self.cli_json(
            "provider-keys", "create", "--provider", provider, "--key-env", variable, *flags,
            env={variable: self.emulator.env[variable]},
        )
        assert created["provider"] == provider
        return created["id"]

    def provider_keys(self, *providers: str) -> dict[str, str]:
        return {provider: self.provider_key(provider) for provider in providers}

    def virtual_key(self, *provider_key_ids: str, expires_in: str | None = None) -> VirtualKey:
        args = ["virtual-keys", "create"]
        for key_id in provider_key_ids:
            args += ["--provider-key", key_id]
        if expires_in is not None:
            args += ["--expires-in", expires_in]
        created = self.cli_json(*args)
        return VirtualKey(id=created["id"], value=created["value"], created=created)

    def oauth_client(self, provider_key_ids: Sequence[str] = (), allowed_proxies: Sequence[str] = ()) -> OAuthClient:
        args = ["oauth-clients", "create"]
        for key_id in provider_key_ids:
            args += ["--provider-key", key_id]
        for proxy_id in allowed_proxies:
            args += ["--allowed-proxy", proxy_id]
        created = self.cli_json(*args)
        return OAuthClient(id=created["id"], client_id=created["client_id"], client_secret=created["client_secret"], created=created)

    def profile(self, *flags: str) -> str:
        return self.cli_json("profiles", "create", *flags)["id"]

    # Proxies on this database

    def start(self, extra_env: dict[str, str] | None = None, tls: bool = False, args: tuple[str, ...] = ()) -> Proxy:
        proxy = start_proxy(self.emulator, self.directory, {**SECURE_ENV, **(extra_env or {})}, tls=tls, args=args)
        self.proxies.append(proxy)
        return proxy

    def stop_all(self) -> list[int]:
        codes = [stop(proxy.process) for proxy in self.proxies]
        self.proxies.clear()
        return codes

    def logs(self) -> str:
        return "".join(path.read_text() for path in sorted(self.directory.glob("serve-*.log")))

    def provider_secrets(self) -> dict[str, str]:
        return {provider: self.emulator.env[variable] for provider, variable in PROVIDER_KEY_VARIABLES.items()}


def running(
    gateway: Gateway, extra_env: dict[str, str] | None = None, tls: bool = False, args: tuple[str, ...] = ()
) -> Iterator[Proxy]:
    """A fixture body: one proxy on `gateway`, stopped (SIGTERM; exit 0 asserted) afterwards."""
    proxy = gateway.start(extra_env, tls=tls, args=args)
    try:
        yield proxy
    finally:
        exit_code = stop(proxy.process)
        gateway.proxies.remove(proxy)
    assert exit_code == 0, f"archestra serve exited with {exit_code}"


# The same inside a test: `with serving(gateway) as proxy:` stops it however the block ends.
serving = contextlib.contextmanager(running)


# The admin API and the token endpoint


def admin(proxy: Proxy, method: str, path: str, **kwargs: Any) -> httpx.Response:
    headers = {"authorization": f"Bearer {ADMIN_TOKEN}", **kwargs.pop("headers", {})}
    return HTTP.request(method, proxy.base_url + path, headers=headers, **kwargs)


def create_profile(proxy: Proxy, name: str = "sdk-tests") -> str:
    """A new profile through the admin API; its id (routes naming an unknown id answer 404)."""
    answer = admin(proxy, "POST", "/api/profiles", json={"name": name})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def request_token(
    proxy: Proxy, client_id: str, client_secret: str, basic: bool = False, scope: str | None = None
) -> requests.Response:
    """`POST /api/auth/oauth2/token` with the client credentials grant, as an OAuth library sends it:
    the credentials in the form body, or in HTTP Basic (RFC 6749 §2.3.1)."""
    form = {"grant_type": "client_credentials"}
    if scope is not None:
        form["scope"] = scope
    if basic:
        return requests.post(proxy.base_url + TOKEN_PATH, data=form, auth=(client_id, client_secret), timeout=10)
    form.update({"client_id": client_id, "client_secret": client_secret})
    return requests.post(proxy.base_url + TOKEN_PATH, data=form, timeout=10)


def access_token(proxy: Proxy, client: OAuthClient, basic: bool = False) -> str:
    answer = request_token(proxy, client.client_id, client.client_secret, basic=basic)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "llm:proxy" and body["expires_in"] > 0
    assert body["access_token"].startswith("llm_at_")
    return body["access_token"]


def basic_header(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


MESSAGES = [{"role": "user", "content": "Hello there"}]


def openai_chat_status(base_url: str, key: str) -> int:
    """One chat completion through `base_url` with `key`, by hand (no SDK retries): its status."""
    answer = HTTP.post(
        base_url + "/chat/completions", headers={"authorization": f"Bearer {key}"},
        json={"model": "gpt-4o-mini", "messages": MESSAGES},
    )
    return answer.status_code


class CapturingUpstream:
    """A loopback HTTP server standing in for a provider, recording what the proxy sends it
    (method, path with query, headers) and answering every POST with `{}`: for tests of what
    does or does not reach an upstream, which the emulators cannot show. A context manager."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        seen = self.seen

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                self.rfile.read(int(self.headers.get("content-length") or 0))
                seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
                body = b"{}"
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "CapturingUpstream":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
