#!/usr/bin/env python3
"""Benchmark: the model router's client-visible time to first token, and its CPU per streamed
frame, for the translated targets Anthropic and Bedrock, in one run.

1. TTFT. One client, one request at a time, alternating six paths on keep-alive
   connections: the Anthropic emulator direct (`/v1/messages`, stream), the router to Anthropic
   (`/v1/model-router/chat/completions`, `anthropic:claude-sonnet-4-5`), the Bedrock emulator
   direct (`/model/<id>/converse-stream`, its API key, HTTPS) and the router to Bedrock
   (`bedrock:amazon.nova-pro-v1:0`), and the native pass-through routes of both through the same
   proxy (what any hop costs, beside what translation adds). TTFT runs from the moment the request has been written to
   the socket to the arrival of the read holding the first byte of the first content-bearing
   event: the router's first `data:` chunk whose delta has non-empty `content`, Anthropic's first
   `text_delta`, Bedrock's first `contentBlockDelta` with text. Raw sockets, no client buffering.
   The target: router − direct median ≤ 1 ms.
2. CPU per frame. wrk (Benchmarks/wrk-post.lua) on the same streams through the proxy, the
   router's translated ones and the native pass-through routes, alternated for a few rounds; the
   proxy's CPU from /proc over each bounded load, divided by the frames relayed to the client
   (counted on one request of each by the same client).

Everything listens on 127.0.0.1; every load is bounded (requests or seconds).
Usage: Benchmarks/router_ttft.py [--requests 200] [--duration 5] [--rounds 3] [--connections 8] [--pace-ms 0]
"""
import argparse
import json
import platform
import shutil
import socket
import ssl
import statistics
import struct
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (the benchmark's helpers: stack start-up, virtual key, wrk, /proc CPU)

ROOT = run.ROOT
ANTHROPIC_MODEL = "claude-sonnet-4-5"
BEDROCK_MODEL = "amazon.nova-pro-v1:0"
WORDS = 60  # the emulators echo the prompt one word per delta: "Echo:" + 60 words = 61 text deltas
PROMPT = " ".join(f"word{i}" for i in range(WORDS))


class StreamConnection:
    """One keep-alive HTTP/1.1 connection read with plain recv() calls: every read is timestamped
    as it returns, so the client adds no buffering between the wire and the measurement."""

    def __init__(self, base_url: str, ca_file: str | None = None):
        parts = urlsplit(base_url)
        self.host, self.port, self.tls = parts.hostname, parts.port, parts.scheme == "https"
        self.ca_file = ca_file
        self.sock = None

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls:
            context = ssl.create_default_context(cafile=self.ca_file)
            sock = context.wrap_socket(sock, server_hostname=self.host)
        self.sock = sock

    def close(self) -> None:
        if self.sock:
            self.sock.close()
            self.sock = None

    def request(self, path: str, headers: dict, body: bytes):
        """Sends one POST and reads its whole answer. Returns (t0, status, reads, body): t0 when
        the request was written, reads = [(perf_counter_ns at return, decoded body bytes so far)]."""
        if self.sock is None:
            self.connect()
        head = f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Length: {len(body)}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.sock.sendall(head.encode() + b"\r\n" + body)
        t0 = time.perf_counter_ns()
        raw, reads = bytearray(), []
        while b"\r\n\r\n" not in raw:
            raw += self._recv()
        header_block, _, rest = bytes(raw).partition(b"\r\n\r\n")
        lines = header_block.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
        decoded = bytearray()
        if fields.get("transfer-encoding", "").lower() == "chunked":
            pending = bytearray(rest)
            done = self._dechunk(pending, decoded)
            reads.append((self.last_read_ns, len(decoded)))
            while not done:
                pending += self._recv()
                done = self._dechunk(pending, decoded)
                reads.append((self.last_read_ns, len(decoded)))
        else:
            length = int(fields.get("content-length", "0"))
            decoded += rest
            reads.append((self.last_read_ns, len(decoded)))
            while len(decoded) < length:
                decoded += self._recv()
                reads.append((self.last_read_ns, len(decoded)))
        if fields.get("connection", "").lower() == "close":
            self.close()
        return t0, status, reads, bytes(decoded)

    def _recv(self) -> bytes:
        data = self.sock.recv(1 << 16)
        self.last_read_ns = time.perf_counter_ns()
        if not data:
            self.close()
            raise ConnectionError(f"{self.host}:{self.port} closed the connection mid-answer")
        return data

    @staticmethod
    def _dechunk(pending: bytearray, decoded: bytearray) -> bool:
        """Moves every whole chunk of `pending` into `decoded`; True once the last chunk is read."""
        while True:
            line_end = pending.find(b"\r\n")
            if line_end < 0:
                return False
            size = int(pending[:line_end].split(b";")[0], 16)
            if size == 0:  # the last chunk; no trailers expected
                if len(pending) < line_end + 4:
                    return False
                del pending[:]
                return True
            if len(pending) < line_end + 2 + size + 2:
                return False
            decoded += pending[line_end + 2:line_end + 2 + size]
            del pending[:line_end + 2 + size + 2]


def arrival_ns(reads, offset: int) -> int:
    """The time of the read that delivered the decoded body byte at `offset`."""
    return next(t for t, end in reads if end > offset)


def sse_events(body: bytes):
    """(offset, event name, data) of each SSE event of a decoded body."""
    offset = 0
    for block in body.split(b"\n\n"):
        if block.strip():
            name, data = None, []
            for line in block.split(b"\n"):
                if line.startswith(b"event:"):
                    name = line[6:].strip().decode()
                elif line.startswith(b"data:"):
                    data.append(line[5:].strip())
            yield offset, name, b"\n".join(data)
        offset += len(block) + 2


def event_stream_messages(body: bytes):
    """(offset, :event-type, payload) of each AWS event-stream message of a decoded body."""
    offset = 0
    while offset + 12 <= len(body):
        total, headers_length = struct.unpack_from(">II", body, offset)
        position, end, event_type = offset + 12, offset + 12 + headers_length, None
        while position < end:
            name_length = body[position]
            name = body[position + 1:position + 1 + name_length].decode()
            position += 1 + name_length
            kind = body[position]
            position += 1
            if kind == 7:  # string
                (value_length,) = struct.unpack_from(">H", body, position)
                value = body[position + 2:position + 2 + value_length].decode()
                position += 2 + value_length
                if name == ":event-type":
                    event_type = value
            else:
                raise ValueError(f"unexpected event-stream header type {kind}")
        yield offset, event_type, body[end:offset + total - 4]
        offset += total


def router_frames(body: bytes):
    """Offsets of the router's content-bearing chunks, and the number of events it sent."""
    content, count = [], 0
    for offset, _, data in sse_events(body):
        count += 1
        if data and data != b"[DONE]":
            choices = json.loads(data).get("choices") or []
            if choices and (choices[0].get("delta") or {}).get("content"):
                content.append(offset)
    return content, count


def anthropic_frames(body: bytes):
    content, count = [], 0
    for offset, name, data in sse_events(body):
        count += 1
        if name == "content_block_delta":
            delta = json.loads(data)["delta"]
            if delta.get("type") == "text_delta" and delta.get("text"):
                content.append(offset)
    return content, count


def bedrock_frames(body: bytes):
    content, count = [], 0
    for offset, event_type, payload in event_stream_messages(body):
        count += 1
        if event_type == "contentBlockDelta" and json.loads(payload).get("delta", {}).get("text"):
            content.append(offset)
    return content, count


class Path_:
    """One way of asking for the same ~61-delta answer: where, how, and how to read it."""

    def __init__(self, name, base_url, path, headers, body, frames, ca_file=None):
        self.name, self.base_url, self.path, self.headers = name, base_url, path, headers
        self.body, self.frames = json.dumps(body).encode(), frames
        self.connection = StreamConnection(base_url, ca_file)

    def answer(self, deltas: int = WORDS + 1):
        """One request: (t0, reads, offsets of the content-bearing events, events); exits unless
        the answer is a 200 with `deltas` content deltas."""
        t0, status, reads, body = self.connection.request(self.path, self.headers, self.body)
        if status != 200:
            sys.exit(f"{self.name}: HTTP {status}: {body[:300]!r}")
        content, count = self.frames(body)
        if len(content) != deltas:
            sys.exit(f"{self.name}: {len(content)} content deltas, expected {deltas}")
        return t0, reads, content, count

    def measure(self) -> dict:
        t0, reads, content, count = self.answer()
        return {"ttft_us": (arrival_ns(reads, content[0]) - t0) / 1000,
                "first_byte_us": (arrival_ns(reads, 0) - t0) / 1000,
                "total_us": (reads[-1][0] - t0) / 1000, "frames": count, "reads": len(reads)}


def p99(values):
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 99 // 100) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="measured requests per path (after --warmup)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk load")
    parser.add_argument("--rounds", type=int, default=3, help="wrk loads per stream, alternated")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections for the CPU loads")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--pace-ms", type=int, default=0,
                        help="TTFT requests ask the emulators for `slow-stream; delay-ms=N` (N ms between events); 0: their own pace (a burst)")
    parser.add_argument("--binary", default=str(ROOT / ".build/release/archestra"))
    parser.add_argument("--output", default=str(ROOT / "docs/benchmarks.md"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="archestra-router-bench-"))
    processes = []
    try:
        mock, mock_env = run.start_emulators(args.binary, tmp, processes)
        anthropic_base, bedrock_base = mock_env["ANTHROPIC_BASE_URL"].rstrip("/"), mock_env["ARCHESTRA_BEDROCK_BASE_URL"].rstrip("/")
        ca_file = mock_env["AWS_CA_BUNDLE"]
        proxy, proxy_port, proxy_env = run.start_proxy(args.binary, tmp, mock_env, processes)
        proxy_base = f"http://127.0.0.1:{proxy_port}"
        virtual_key = run.create_virtual_key(args.binary, proxy_env, providers=("anthropic", "bedrock"))
        anthropic_key, bedrock_key = mock_env["ANTHROPIC_API_KEY"], mock_env["ARCHESTRA_CHAT_BEDROCK_API_KEY"]

        json_headers = {"Content-Type": "application/json"}
        router_headers = dict(json_headers, Authorization=f"Bearer {virtual_key}")
        router_path = "/v1/model-router/chat/completions"
        messages = [{"role": "user", "content": PROMPT}]
        anthropic_body = {"model": ANTHROPIC_MODEL, "max_tokens": 1024, "stream": True, "messages": messages}
        bedrock_body = {"messages": [{"role": "user", "content": [{"text": PROMPT}]}]}
        bedrock_path = f"/model/{BEDROCK_MODEL}/converse-stream"
        paths = {
            "anthropic direct": Path_("anthropic direct", anthropic_base, "/v1/messages",
                                      dict(json_headers, **{"x-api-key": anthropic_key, "anthropic-version": "2023-06-01"}),
                                      anthropic_body, anthropic_frames),
            "anthropic via router": Path_("anthropic via router", proxy_base, router_path, router_headers,
                                          {"model": f"anthropic:{ANTHROPIC_MODEL}", "stream": True, "messages": messages},
                                          router_frames),
            "bedrock direct": Path_("bedrock direct", bedrock_base, bedrock_path,
                                    dict(json_headers, Authorization=f"Bearer {bedrock_key}"), bedrock_body, bedrock_frames,
                                    ca_file=ca_file),
            "bedrock via router": Path_("bedrock via router", proxy_base, router_path, router_headers,
                                        {"model": f"bedrock:{BEDROCK_MODEL}", "stream": True, "messages": messages},
                                        router_frames),
        }
        paths["anthropic pass-through"] = Path_("anthropic pass-through", proxy_base, "/v1/anthropic/v1/messages",
                                                dict(json_headers, Authorization=f"Bearer {anthropic_key}"), anthropic_body,
                                                anthropic_frames)
        paths["bedrock pass-through"] = Path_("bedrock pass-through", proxy_base, f"/v1/bedrock{bedrock_path}",
                                              dict(json_headers, Authorization=f"Bearer {bedrock_key}"), bedrock_body,
                                              bedrock_frames)
        if args.pace_ms:
            for path in paths.values():
                path.headers = dict(path.headers, **{"x-mock-scenario": f"slow-stream; delay-ms={args.pace_ms}"})
        # Warm-up, then the measured requests, the four paths interleaved so drift hits all alike.
        for _ in range(args.warmup):
            for path in paths.values():
                path.measure()
        samples = {name: [] for name in paths}
        print(f"TTFT: {args.requests} requests per path, interleaved ...", flush=True)
        for _ in range(args.requests):
            for name, path in paths.items():
                samples[name].append(path.measure())
        for path in paths.values():
            path.connection.close()
            path.headers = {k: v for k, v in path.headers.items() if k != "x-mock-scenario"}

        # CPU per frame: wrk loads through the proxy, alternated round by round.
        body_dir = tmp / "bodies"
        body_dir.mkdir()
        loads = {
            "router → anthropic (translated)": (paths["anthropic via router"], f"{proxy_base}{router_path}", virtual_key),
            "router → bedrock (translated)": (paths["bedrock via router"], f"{proxy_base}{router_path}", virtual_key),
            "/v1/anthropic/v1/messages (pass-through)": (
                Path_("anthropic pass-through", proxy_base, "/v1/anthropic/v1/messages",
                      dict(json_headers, Authorization=f"Bearer {anthropic_key}"), anthropic_body, anthropic_frames),
                f"{proxy_base}/v1/anthropic/v1/messages", anthropic_key),
            "/v1/bedrock/…/converse-stream (pass-through)": (
                Path_("bedrock pass-through", proxy_base, f"/v1/bedrock{bedrock_path}",
                      dict(json_headers, Authorization=f"Bearer {bedrock_key}"), bedrock_body, bedrock_frames),
                f"{proxy_base}/v1/bedrock{bedrock_path}", bedrock_key),
        }
        frames = {}
        for name, (path, _, _) in loads.items():
            frames[name] = path.measure()["frames"]  # also checks the answer through this route
            path.connection.close()
        watched = {"emulator": mock.pid, "archestra": proxy.pid}
        cpu = {name: [] for name in loads}
        for round_number in range(args.rounds):
            for name, (path, url, key) in loads.items():
                print(f"CPU round {round_number + 1}: {name} ...", flush=True)
                body_file = body_dir / "body.json"
                body_file.write_bytes(path.body)
                result = run.run_wrk(url, body_file, key, args, watched, args.connections)
                cpu[name].append(result)
        write_report(samples, frames, cpu, args)
    finally:
        run.stop(processes)
        shutil.rmtree(tmp, ignore_errors=True)


def write_report(samples, frames, cpu, args) -> None:
    ttft = {name: [s["ttft_us"] / 1000 for s in values] for name, values in samples.items()}
    first_byte = {name: [s["first_byte_us"] / 1000 for s in values] for name, values in samples.items()}
    lines = [
        "| target | direct TTFT p50 ms | p99 ms | router TTFT p50 ms | p99 ms | router ÷ direct (p50) | added p50 ms | target ≤ 1 ms | pass-through TTFT p50 ms | p99 ms | pass-through added p50 ms | first body byte p50 ms: direct / router / pass-through |",
        "|---|---:|---:|---:|---:|---:|---:|:---:|---:|---:|---:|---:|",
    ]
    for target in ("anthropic", "bedrock"):
        direct, router, through = ttft[f"{target} direct"], ttft[f"{target} via router"], ttft[f"{target} pass-through"]
        added = statistics.median(router) - statistics.median(direct)
        firsts = " / ".join(f"{statistics.median(first_byte[f'{target} {kind}']):.3f}" for kind in ("direct", "via router", "pass-through"))
        lines.append(f"| {target} | {statistics.median(direct):.3f} | {p99(direct):.3f} | {statistics.median(router):.3f} | "
                     f"{p99(router):.3f} | {statistics.median(router) / statistics.median(direct):.2f} | {added:+.3f} | "
                     f"{'met' if added <= 1 else 'missed'} | {statistics.median(through):.3f} | {p99(through):.3f} | "
                     f"{statistics.median(through) - statistics.median(direct):+.3f} | {firsts} |")
    ttft_table = "\n".join(lines)

    lines = [
        "| stream through the proxy | frames to the client | requests/s (median) | proxy CPU µs/request (median) | proxy CPU µs/frame | ÷ Anthropic pass-through | emulator CPU µs/frame | per-round proxy µs/frame |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    per_frame = {name: [r["cpu_us_per_request"]["archestra"] / frames[name] for r in results] for name, results in cpu.items()}
    baseline = statistics.median(per_frame["/v1/anthropic/v1/messages (pass-through)"])
    for name, results in cpu.items():
        proxy_request = statistics.median(r["cpu_us_per_request"]["archestra"] for r in results)
        emulator_frame = statistics.median(r["cpu_us_per_request"]["emulator"] for r in results) / frames[name]
        lines.append(f"| {name} | {frames[name]} | {statistics.median(r['rps'] for r in results):.0f} | {proxy_request:.0f} | "
                     f"{statistics.median(per_frame[name]):.1f} | {statistics.median(per_frame[name]) / baseline:.2f} | "
                     f"{emulator_frame:.1f} | {', '.join(f'{v:.1f}' for v in per_frame[name])} |")
    cpu_table = "\n".join(lines)
    print(ttft_table)
    print()
    print(cpu_table)

    machine = f"{platform.machine()}, {run.os.cpu_count()} cores, {platform.system()} {platform.release()}"
    run_line = (f"`Benchmarks/router_ttft.py --requests {args.requests} --warmup {args.warmup} --duration {args.duration} "
                f"--rounds {args.rounds} --connections {args.connections} --pace-ms {args.pace_ms}` on {time.strftime('%Y-%m-%d')}, {machine}")
    body = (f"Measured with {run_line}.\n\n"
             f"Time to first content delta, {args.requests} sequential requests per path (interleaved, one at a time, "
             f"after {args.warmup} warm-up rounds; "
             f"{'the emulators at their own pace, every event written at once' if not args.pace_ms else f'the emulators paced at {args.pace_ms} ms between events'}):\n\n{ttft_table}\n\n"
             f"Proxy CPU per streamed frame, wrk at {args.connections} connections, {args.rounds} alternated rounds of "
             f"{args.duration} s per stream (medians):\n\n{cpu_table}")
    run.write_block(args.output, f"router-results{args.pace_ms or ''}", body)


if __name__ == "__main__":
    main()
