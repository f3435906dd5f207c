"""Fixtures that run the official `openai` SDK against archestra's OpenAI emulator.

`emulator` starts the built binary as `archestra mock up --port 0 --env-file <tmp>` once per
session. `proxy` starts `archestra serve` in front of it. `target` is what the tests talk to; it is
parametrized so the same tests run "direct" (SDK -> emulator) and "proxy" (SDK -> archestra
serve -> emulator): the proxy must be invisible to the SDK.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import selectors
import shlex
import signal
import socket
import ssl
import subprocess
import time
from typing import Callable, Iterator

import httpx
import openai
import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
# The admin API token every proxy under test is started with.
ADMIN_TOKEN = "test-admin-token-not-a-secret"
ARCHESTRA_BIN = os.environ.get("ARCHESTRA_BIN", str(REPO_ROOT / ".build" / "debug" / "archestra"))
STARTUP_TIMEOUT_S = 30.0
SHUTDOWN_TIMEOUT_S = 15.0


@dataclasses.dataclass(frozen=True)
class Emulator:
    """A running `archestra mock up`: its env file's variables, parsed."""

    env: dict[str, str]

    @property
    def openai_base_url(self) -> str:
        return self.env["OPENAI_BASE_URL"]

    @property
    def openai_api_key(self) -> str:
        return self.env["OPENAI_API_KEY"]


@dataclasses.dataclass(frozen=True)
class Target:
    """Where a test points the SDK: a base URL ending in /v1 (direct) or /v1/openai (proxy)."""

    name: str
    base_url: str
    api_key: str


def parse_env_file(path: pathlib.Path) -> dict[str, str]:
    env: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if not line.startswith("export "):
            continue
        name, _, quoted = line[len("export "):].partition("=")
        # The file is shell-quoted; shlex undoes exactly that quoting.
        env[name] = shlex.split(quoted)[0] if quoted else ""
    return env


def read_line(process: subprocess.Popen[str], deadline: float) -> str:
    """One stdout line, or fail at the deadline. Blocks in select(); no sleeping."""
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("archestra mock up did not report its emulators in time")
            if selector.select(timeout=remaining):
                line = process.stdout.readline()
                if not line:
                    raise RuntimeError(f"archestra mock up exited early with code {process.wait()}")
                return line
    finally:
        selector.close()


def wait_healthy(base_url: str, deadline: float, verify: ssl.SSLContext | bool = True) -> None:
    """Polls /healthz until it answers 200 (the listener is already up, so normally at once)."""
    health_url = base_url.rsplit("/v1", 1)[0] + "/healthz"
    last_error: Exception | None = None
    with httpx.Client(timeout=2.0, verify=verify) as client:
        while time.monotonic() < deadline:
            try:
                if client.get(health_url).status_code == 200:
                    return
            except httpx.TransportError as error:  # connection refused: keep polling
                last_error = error
    raise TimeoutError(f"{health_url} never answered 200: {last_error}")


def stop(process: subprocess.Popen[str]) -> int:
    """SIGTERM (graceful shutdown), then wait; SIGKILL only if it does not stop in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=SHUTDOWN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
    return process.returncode


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    directory = tmp_path_factory.mktemp("mock")
    env_file = directory / "mock.env"
    log_file = open(directory / "mock.log", "w")
    process = subprocess.Popen(
        [ARCHESTRA_BIN, "mock", "up", "--port", "0", "--env-file", str(env_file)],
        stdout=subprocess.PIPE,
        stderr=log_file,
        text=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        # `mock up` writes the env file before it prints, so the first line means the file is complete.
        first_line = read_line(process, deadline)
        assert first_line.startswith("openai "), first_line
        assert env_file.exists()
        found = Emulator(env=parse_env_file(env_file))
        wait_healthy(found.openai_base_url, deadline)
        yield found
    finally:
        exit_code = stop(process)
        log_file.close()
    assert exit_code == 0, f"archestra mock up exited with {exit_code}"


def direct_target(request: pytest.FixtureRequest) -> Target:
    emulator: Emulator = request.getfixturevalue("emulator")
    return Target(name="direct", base_url=emulator.openai_base_url, api_key=emulator.openai_api_key)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclasses.dataclass(frozen=True)
class Proxy:
    """A running `archestra serve` in front of the emulator."""

    base_url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen[str]
    log_path: pathlib.Path


def start_proxy(
    emulator: Emulator, directory: pathlib.Path, extra_env: dict[str, str] | None = None, tls: bool = False,
    args: tuple[str, ...] = (),
) -> Proxy:
    """Starts `archestra serve` with the emulator's variables, minus the fallback key, so every
    credential the upstream sees is the one the test's client sent. `tls` serves HTTPS with the
    mock CA's server certificate (boto3 sends a Bedrock API key only over HTTPS)."""
    env = dict(os.environ)
    env.update(emulator.env)
    for name in [n for n in env if n.startswith("ARCHESTRA_CHAT_") and n.endswith("_API_KEY")]:
        env.pop(name)
    # Requests whose client has gone (the `hang` scenario) are not cancelled until the read
    # timeout; a short grace period keeps the session's teardown bounded.
    env["ARCHESTRA_SHUTDOWN_GRACE_SECONDS"] = "5"
    # Each proxy gets its own database file (the CLI can reach it) and a known admin token. The
    # keyless upstreams stay open to anonymous callers, as they were before the gateway existed;
    # the gateway's own tests turn that off.
    env["ARCHESTRA_DATABASE_URL"] = f"sqlite://{directory / 'archestra.sqlite'}"
    env["ARCHESTRA_ADMIN_TOKEN"] = ADMIN_TOKEN
    env["ARCHESTRA_KEYLESS_ALLOW_ANONYMOUS"] = "true"
    # Many proxies run at once: none takes the default metrics port unless a test asks for metrics.
    env["ARCHESTRA_METRICS_PORT"] = "off"
    if tls:
        env["ARCHESTRA_TLS_CERT_FILE"] = emulator.env["ARCHESTRA_MOCK_TLS_CERT_FILE"]
        env["ARCHESTRA_TLS_KEY_FILE"] = emulator.env["ARCHESTRA_MOCK_TLS_KEY_FILE"]
    env.update(extra_env or {})
    port = free_port()
    log_path = directory / f"serve-{port}.log"
    with open(log_path, "w") as log_file:
        process = subprocess.Popen(
            [ARCHESTRA_BIN, "serve", "--port", str(port), *args], stdout=log_file, stderr=subprocess.STDOUT, env=env, text=True
        )
    proxy = Proxy(base_url=f"{'https' if tls else 'http'}://127.0.0.1:{port}", process=process, log_path=log_path)
    verify = ssl.create_default_context(cafile=emulator.env["AWS_CA_BUNDLE"]) if tls else True
    try:
        wait_healthy(proxy.base_url + "/v1", time.monotonic() + STARTUP_TIMEOUT_S, verify)
    except BaseException:
        stop(process)
        raise
    return proxy


@pytest.fixture(scope="session")
def proxy(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    running = start_proxy(emulator, tmp_path_factory.mktemp("serve"))
    try:
        yield running
    finally:
        exit_code = stop(running.process)
    assert exit_code == 0, f"archestra serve exited with {exit_code}"
    log = running.log_path.read_text()
    assert emulator.openai_api_key not in log, "a provider key reached the proxy's log"
    for name, value in emulator.env.items():
        if name.endswith("_API_KEY"):
            assert value not in log, f"{name}'s value reached the proxy's log"


def proxy_target(request: pytest.FixtureRequest) -> Target:
    emulator: Emulator = request.getfixturevalue("emulator")
    running: Proxy = request.getfixturevalue("proxy")
    return Target(name="proxy", base_url=running.base_url + "/v1/openai", api_key=emulator.openai_api_key)


# Every SDK test runs twice: straight at the emulator, and through `archestra serve`.
TARGET_FACTORIES: dict[str, Callable[[pytest.FixtureRequest], Target]] = {
    "direct": direct_target,
    "proxy": proxy_target,
}


@pytest.fixture(params=sorted(TARGET_FACTORIES))
def target(request: pytest.FixtureRequest) -> Target:
    return TARGET_FACTORIES[request.param](request)


@pytest.fixture
def client(target: Target) -> Iterator[openai.OpenAI]:
    # max_retries=0 so an unexpected error surfaces at once; retry tests build their own client.
    with openai.OpenAI(base_url=target.base_url, api_key=target.api_key, max_retries=0) as sdk_client:
        yield sdk_client
