#!/usr/bin/env python3
"""Benchmark: how long after an upstream writes its first text event the client holds the
translated first delta — the model router's relay of the first token (issue 12's "first delta
within 1 ms of the upstream's first event"), beside the native pass-through route and a client
reading the upstream directly.

`router_ttft.py` times the whole request (the proxy's request path included) against the
emulators; this one isolates the relay. The upstream is a stand-in in this process (a thread on
127.0.0.1), so it can note the moment it writes the first text event on the same clock the
client reads with (time.perf_counter_ns, CLOCK_MONOTONIC):

1. It answers Anthropic Messages streams (`POST /v1/messages`, SSE) and Bedrock ConverseStream
   (`POST /model/<id>/converse-stream`, AWS event-stream): the opening events at once
   (`message_start`, `content_block_start` / `messageStart`), then, after `--pace-ms` — as a
   model would, thinking before its first token — the first text event, noting the time just
   before writing it, then the rest of the answer.
2. One client on raw sockets (router_ttft.StreamConnection: every recv() timestamped as it
   returns, TCP_NODELAY), one request at a time on keep-alive connections, alternating per
   target: the stand-in direct, the router (`/v1/model-router/chat/completions` with a virtual
   key), the pass-through route (`/v1/anthropic/v1/messages`, `/v1/bedrock/model/…`).
3. Relay delay = arrival of the read holding the first content-bearing event − the stand-in's
   note. Direct is the floor (loopback and this process's own scheduling); router − direct is
   what the proxy adds to the first token.

Everything listens on 127.0.0.1; every load is bounded (requests).
Usage: Benchmarks/first_event_relay.py [--requests 300] [--warmup 30] [--pace-ms 3] [--binary B] [--output docs/benchmarks.md]
"""
import argparse
import json
import platform
import shutil
import socket
import statistics
import struct
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import router_ttft  # noqa: E402  (raw-socket client and frame readers)
import run  # noqa: E402  (stack start-up, virtual key)

ROOT = run.ROOT
WORDS = 20


def sse(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def event_stream(event_type: str, payload: dict) -> bytes:
    """One AWS event-stream message: prelude (lengths and CRC), string headers, JSON payload, CRC."""
    headers = b""
    for name, value in ((":event-type", event_type), (":content-type", "application/json"), (":message-type", "event")):
        headers += bytes([len(name)]) + name.encode() + b"\x07" + struct.pack(">H", len(value)) + value.encode()
    body = json.dumps(payload, separators=(",", ":")).encode()
    total = 12 + len(headers) + len(body) + 4
    prelude = struct.pack(">II", total, len(headers))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    message = prelude + headers + body
    return message + struct.pack(">I", zlib.crc32(message))


def answer(path: str):
    """(content type, opening bytes, first text event, the rest) of a stream for `path`."""
    words = [f" word{i}" for i in range(WORDS)]
    if "converse-stream" in path:
        delta = lambda text: event_stream("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": text}, "p": "abcdefgh"})
        rest = b"".join(delta(w) for w in words) + event_stream("contentBlockStop", {"contentBlockIndex": 0, "p": "ab"})
        rest += event_stream("messageStop", {"stopReason": "end_turn", "p": "abc"})
        rest += event_stream("metadata", {"usage": {"inputTokens": 9, "outputTokens": WORDS + 1, "totalTokens": WORDS + 10},
                                          "metrics": {"latencyMs": 5}, "p": "a"})
        return "application/vnd.amazon.eventstream", event_stream("messageStart", {"role": "assistant", "p": "abcd"}), delta("Hello"), rest
    delta = lambda text: sse("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}})
    opening = sse("message_start", {"type": "message_start", "message": {
        "id": "msg_standin", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "content": [],
        "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 9, "output_tokens": 1}}})
    opening += sse("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
    rest = b"".join(delta(w) for w in words) + sse("content_block_stop", {"type": "content_block_stop", "index": 0})
    rest += sse("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                                  "usage": {"output_tokens": WORDS + 1}})
    rest += sse("message_stop", {"type": "message_stop"})
    return "text/event-stream", opening, delta("Hello"), rest


class StandIn:
    """A keep-alive HTTP/1.1 upstream on a thread per connection; notes when each first text
    event is written (`first_event_ns`, the latest request's)."""

    def __init__(self, pace_ms: float):
        self.pace = pace_ms / 1000
        self.first_event_ns = None
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection):
        pending = b""
        with connection:
            while True:
                while b"\r\n\r\n" not in pending:
                    data = connection.recv(65536)
                    if not data:
                        return
                    pending += data
                head, _, pending = pending.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split()[1]
                fields = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
                length = int(fields.get("content-length", "0"))
                while len(pending) < length:
                    data = connection.recv(65536)
                    if not data:
                        return
                    pending += data
                pending = pending[length:]
                content_type, opening, first, rest = answer(path)
                chunk = lambda data: f"{len(data):x}\r\n".encode() + data + b"\r\n"
                connection.sendall(f"HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n".encode() + chunk(opening))
                time.sleep(self.pace)
                self.first_event_ns = time.perf_counter_ns()
                connection.sendall(chunk(first))
                connection.sendall(chunk(rest) + b"0\r\n\r\n")

    def close(self):
        self.listener.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="measured requests per path (after --warmup)")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--pace-ms", type=float, default=3, help="the stand-in's pause before its first text event")
    parser.add_argument("--binary", default=str(ROOT / ".build/release/archestra"))
    parser.add_argument("--output", default=str(ROOT / "docs/benchmarks.md"))
    args = parser.parse_args()
    if not Path(args.binary).exists():
        sys.exit(f"{args.binary} not found: swift build -c release --product archestra")

    tmp = Path(tempfile.mkdtemp(prefix="archestra-first-event-"))
    processes, stand_in = [], StandIn(args.pace_ms)
    try:
        # The emulators' env file gives every variable the proxy needs; the two targets measured
        # point at the stand-in instead (it takes any key).
        mock, mock_env = run.start_emulators(args.binary, tmp, processes)
        upstream = f"http://127.0.0.1:{stand_in.port}"
        proxy_env = dict(mock_env, ARCHESTRA_ANTHROPIC_BASE_URL=upstream, ARCHESTRA_BEDROCK_BASE_URL=upstream)
        proxy, proxy_port, env = run.start_proxy(args.binary, tmp, proxy_env, processes)
        virtual_key = run.create_virtual_key(args.binary, env, providers=("anthropic", "bedrock"))
        proxy_base = f"http://127.0.0.1:{proxy_port}"
        json_headers = {"Content-Type": "application/json"}
        prompt = [{"role": "user", "content": "Say hello."}]
        anthropic_body = {"model": "claude-sonnet-4-5", "max_tokens": 256, "stream": True, "messages": prompt}
        bedrock_path = "/model/amazon.nova-pro-v1:0/converse-stream"
        bedrock_body = {"messages": [{"role": "user", "content": [{"text": "Say hello."}]}]}
        router = lambda model: {"model": model, "stream": True, "messages": prompt}
        router_headers = dict(json_headers, Authorization=f"Bearer {virtual_key}")
        native_headers = dict(json_headers, Authorization=f"Bearer {mock_env['ANTHROPIC_API_KEY']}")
        bedrock_headers = dict(json_headers, Authorization=f"Bearer {mock_env['ARCHESTRA_CHAT_BEDROCK_API_KEY']}")
        P = router_ttft.Path_
        paths = {
            ("anthropic", "direct"): P("anthropic direct", upstream, "/v1/messages", native_headers, anthropic_body, router_ttft.anthropic_frames),
            ("anthropic", "router"): P("anthropic via router", proxy_base, "/v1/model-router/chat/completions", router_headers,
                                       router("anthropic:claude-sonnet-4-5"), router_ttft.router_frames),
            ("anthropic", "pass-through"): P("anthropic pass-through", proxy_base, "/v1/anthropic/v1/messages", native_headers, anthropic_body,
                                             router_ttft.anthropic_frames),
            ("bedrock", "direct"): P("bedrock direct", upstream, bedrock_path, bedrock_headers, bedrock_body, router_ttft.bedrock_frames),
            ("bedrock", "router"): P("bedrock via router", proxy_base, "/v1/model-router/chat/completions", router_headers,
                                     router("bedrock:amazon.nova-pro-v1:0"), router_ttft.router_frames),
            ("bedrock", "pass-through"): P("bedrock pass-through", proxy_base, f"/v1/bedrock{bedrock_path}", bedrock_headers, bedrock_body,
                                           router_ttft.bedrock_frames),
        }

        def measure(path) -> float:
            stand_in.first_event_ns = None
            _, reads, content, _ = path.answer(deltas=WORDS + 1)
            return (router_ttft.arrival_ns(reads, content[0]) - stand_in.first_event_ns) / 1e6

        for _ in range(args.warmup):
            for path in paths.values():
                measure(path)
        samples = {key: [] for key in paths}
        print(f"first-event relay: {args.requests} requests per path, interleaved ...", flush=True)
        for _ in range(args.requests):
            for key, path in paths.items():
                samples[key].append(measure(path))
        for path in paths.values():
            path.connection.close()
        write_report(samples, args)
    finally:
        run.stop(processes)
        stand_in.close()
        shutil.rmtree(tmp, ignore_errors=True)


def write_report(samples, args) -> None:
    lines = [
        "| target | direct p50 ms | p99 ms | router p50 ms | p99 ms | router added p50 ms | target ≤ 1 ms | pass-through p50 ms | p99 ms | pass-through added p50 ms |",
        "|---|---:|---:|---:|---:|---:|:---:|---:|---:|---:|",
    ]
    for target in ("anthropic", "bedrock"):
        direct, router, through = (samples[(target, kind)] for kind in ("direct", "router", "pass-through"))
        added = statistics.median(router) - statistics.median(direct)
        lines.append(f"| {target} | {statistics.median(direct):.3f} | {router_ttft.p99(direct):.3f} | {statistics.median(router):.3f} | "
                     f"{router_ttft.p99(router):.3f} | {added:+.3f} | {'met' if added <= 1 else 'missed'} | "
                     f"{statistics.median(through):.3f} | {router_ttft.p99(through):.3f} | "
                     f"{statistics.median(through) - statistics.median(direct):+.3f} |")
    table = "\n".join(lines)
    print(table)
    machine = f"{platform.machine()}, {run.os.cpu_count()} cores, {platform.system()} {platform.release()}"
    body = (f"Measured with `Benchmarks/first_event_relay.py --requests {args.requests} --warmup {args.warmup} "
             f"--pace-ms {args.pace_ms:g}` on {time.strftime('%Y-%m-%d')}, {machine}.\n\n"
             f"From the stand-in writing its first text event to the client's read holding the first content delta, "
             f"{args.requests} requests per path (interleaved, one at a time, after {args.warmup} warm-up rounds):\n\n{table}")
    run.write_block(args.output, "first-event-relay", body)


if __name__ == "__main__":
    main()
