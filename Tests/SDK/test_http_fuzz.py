"""An HTTP-level fuzz of `archestra serve` (issue 10): malformed request lines, headers, bodies,
chunking, smuggling shapes and TLS bytes on a plaintext port, sent over raw sockets to a proxy in
front of the emulators. Bounded in count and time, loopback only, deterministic (fixed seed).

What must hold for every input: the process never exits, and never answers 500 (a 500 from the
proxy itself is a bug). Any other answer — 4xx, a provider's own status, or a closed connection —
is a clean refusal. At the end the proxy still serves a normal request."""

import random
import socket
import time
from collections.abc import Iterator

import pytest

from conftest import Emulator, Proxy, start_proxy, stop

SEED = 20261206
CASES = 1500
TIME_BUDGET_S = 45.0

# Valid requests to mutate: one per dialect's JSON route, and the model router.
SEEDS = [
    ("/v1/openai/chat/completions", b'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}', b"Authorization: Bearer sk-fuzz\r\n"),
    ("/v1/anthropic/v1/messages", b'{"model":"claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}', b"x-api-key: sk-fuzz\r\nanthropic-version: 2023-06-01\r\n"),
    ("/v1/gemini/v1beta/models/gemini-2.5-flash:generateContent", b'{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}', b"x-goog-api-key: fuzz\r\n"),
    ("/v1/cohere/v2/chat", b'{"model":"command-a-03-2025","messages":[{"role":"user","content":"hi"}]}', b"Authorization: Bearer fuzz\r\n"),
    ("/v1/model-router/chat/completions", b'{"model":"anthropic:claude-sonnet-4-5","stream":true,"messages":[{"role":"user","content":"hi"}]}', b"Authorization: Bearer arch_fuzz\r\n"),
]

TLS_CLIENT_HELLO = bytes.fromhex(
    "16030100a5010000a10303" + "00" * 32 + "000020c02bc02fc02cc030cca9cca8c013c014009c009d002f0035000a0100005800000014"
)


def request(path: str, body: bytes, headers: bytes, extra: bytes = b"", chunked: bool = False) -> bytes:
    head = b"POST " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headers + extra
    if chunked:
        return head + b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    return head + b"Content-Length: %d\r\n\r\n" % len(body) + body


def mutate(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        if not data:
            data += bytes([rng.randrange(256)])
        elif choice < 0.3:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif choice < 0.5:
            del data[rng.randrange(len(data)):][: rng.randint(1, 16)]
        elif choice < 0.7:
            at = rng.randrange(len(data))
            data[at:at] = rng.choice([b"\r\n", b"\n", b"\x00", b" ", b":", b"\r\n\r\n", b"{", b'"', b"\xff\xfe", b"%2e%2e/", b"../"])
        elif choice < 0.85:
            at = rng.randrange(len(data))
            data[at:at] = data[at : at + rng.randint(1, 64)] * rng.randint(2, 50)
        else:
            data = data[: rng.randrange(len(data))]
    return bytes(data)


def structured(rng: random.Random, path: str, body: bytes, headers: bytes) -> bytes:
    """Shapes a fuzzer rarely reaches by chance: smuggling, bad chunking, huge heads, garbage."""
    kind = rng.randrange(12)
    if kind == 0:
        return request(path, body, headers, b"Transfer-Encoding: chunked\r\n")  # CL + TE
    if kind == 1:
        return request(path, body, headers, b"Content-Length: 3\r\n")  # two lengths
    if kind == 2:
        return request(path, body, headers, b"X-Folded: a\r\n b\r\n")  # obsolete line folding
    if kind == 3:
        return request(path, body, headers).replace(b"\r\n", b"\n")  # bare LF
    if kind == 4:
        head = request(path, b"", headers).split(b"Content-Length")[0]
        return head + b"Transfer-Encoding: chunked\r\n\r\n" + rng.choice([b"zz\r\n", b"-5\r\n", b"ffffffffffffffffff\r\n", b"5\r\nab", b"3\r\nabc0\r\n\r\n"])
    if kind == 5:
        return request(path, body, headers, b"X-Pad: " + b"a" * rng.choice([40_000, 70_000, 200_000]) + b"\r\n")
    if kind == 6:
        return TLS_CLIENT_HELLO
    if kind == 7:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 512)))
    if kind == 8:
        return request(path + "?" + "q=" * rng.randint(100, 10_000), body, headers)
    if kind == 9:
        return b"GET /" + b"a/" * rng.randint(1000, 20_000) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    if kind == 10:
        return request(path, body, headers, chunked=True)[: rng.randint(10, 200)]
    return b"POST " + path.encode() + b" HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}"


def cases(seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    for _ in range(CASES):
        path, body, headers = rng.choice(SEEDS)
        if rng.random() < 0.35:
            yield structured(rng, path, body, headers)
        else:
            yield mutate(rng, request(path, body, headers, chunked=rng.random() < 0.3))


def status_line(base_port: int, payload: bytes) -> bytes:
    """Sends one input on a fresh connection and returns the first response line (empty when the
    proxy closed without answering, which is a clean refusal)."""
    with socket.create_connection(("127.0.0.1", base_port), timeout=5) as connection:
        # No half-close: the proxy treats a client's EOF as its departure. An input that stops
        # mid-request gets no answer before this timeout, which counts as a clean refusal.
        connection.settimeout(0.5)
        try:
            connection.sendall(payload)
        except OSError:
            return b""
        received = b""
        try:
            while b"\r\n" not in received and len(received) < 65536:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                received += chunk
        except (TimeoutError, OSError):
            pass
        return received.split(b"\r\n", 1)[0]


@pytest.fixture
def fuzzed_proxy(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    proxy = start_proxy(emulator, tmp_path_factory.mktemp("fuzz"), extra_env={"ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS": "0"})
    try:
        yield proxy
    finally:
        assert stop(proxy.process) == 0, "archestra serve did not exit cleanly after the fuzz"


def test_http_fuzz_never_crashes_and_never_answers_500(fuzzed_proxy: Proxy) -> None:
    port = int(fuzzed_proxy.base_url.rsplit(":", 1)[1])
    deadline = time.monotonic() + TIME_BUDGET_S
    statuses: dict[bytes, int] = {}
    sent = 0
    for payload in cases(SEED):
        if time.monotonic() > deadline:
            break
        line = status_line(port, payload)
        sent += 1
        code = line.split(b" ")[1] if line.startswith(b"HTTP/") and len(line.split(b" ")) > 1 else b"closed"
        statuses[code] = statuses.get(code, 0) + 1
        assert code != b"500", f"input #{sent} got {line!r}: {payload[:300]!r}"
        assert fuzzed_proxy.process.poll() is None, f"archestra serve exited after input #{sent}: {payload[:300]!r}"
    assert sent >= 300, f"only {sent} inputs in the time budget"
    print(f"{sent} inputs: " + ", ".join(f"{code.decode()}: {count}" for code, count in sorted(statuses.items())))
    # Most inputs are refused, some still reach an emulator: both kinds must have happened.
    assert any(code.startswith(b"4") for code in statuses), statuses
    # And a normal request is still served.
    healthy = status_line(port, request(*SEEDS[0]))
    assert healthy.startswith(b"HTTP/1.1 "), healthy
