#!/usr/bin/env python3
"""Soak: mixed streaming and non-streaming traffic through one `archestra serve`, with faults
injected, for a bounded time, sampling the proxy's RSS and descriptors every few seconds.

What it sends, round-robin from `--concurrency` workers (httpx, keep-alive, loopback only):
- OpenAI chat, whole and streamed, on the pass-through route with the emulator's key;
- the model router to Anthropic and to Bedrock, streamed, with a virtual key (translated streams);
- faults through the emulators' scripted failures (docs/emulators.md): `rate-limit` (429 with
  `retry-after`), `server-error` (500), `unavailable` (503), `drop-mid-stream` (the upstream cuts
  the stream: an in-band error, or the cut passed on), `malformed-frame`, and `slow-stream`;
- clients that leave: a stream abandoned after its first bytes.

Every answer is checked against what its kind must produce; anything else (a 5xx the upstream
did not send, a refused or reset connection, a stream without its end) counts as unexpected, and
the run fails if any happened or if the proxy exited.

At the end it reports the RSS slope after warm-up (least squares over the samples after the first
`--warmup-minutes`, in MiB per hour), descriptors after warm-up (min / max), and a per-minute RSS
table, and writes them to docs/reliability.md between `<!-- soak:start -->` and `<!-- soak:end -->`.

Usage: Benchmarks/soak.py [--minutes 30] [--concurrency 12] [--sample-seconds 10] [--binary B]
"""
import argparse
import asyncio
import collections
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (stack start-up, virtual key)

ROOT = run.ROOT
WORDS = " ".join(f"word{i}" for i in range(40))


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def kinds(proxy: str, openai_key: str, virtual_key: str):
    """(name, url, headers, body, streamed, expected statuses, how to read) of each request kind."""
    openai = f"{proxy}/v1/openai/chat/completions"
    router = f"{proxy}/v1/model-router/chat/completions"
    raw = {"Authorization": f"Bearer {openai_key}"}
    virtual = {"Authorization": f"Bearer {virtual_key}"}
    chat = lambda stream: {"model": "gpt-4o-mini", "stream": stream, "messages": [{"role": "user", "content": WORDS}]}
    routed = lambda model: {"model": model, "stream": True, "messages": [{"role": "user", "content": WORDS}]}
    fault = lambda name: dict(raw, **{"x-mock-scenario": name})
    return [
        ("openai whole", openai, raw, chat(False), False, {200}, "whole"),
        ("openai stream", openai, raw, chat(True), True, {200}, "done"),
        ("router → anthropic stream", router, virtual, routed("anthropic:claude-sonnet-4-5"), True, {200}, "done"),
        ("router → bedrock stream", router, virtual, routed("bedrock:amazon.nova-pro-v1:0"), True, {200}, "done"),
        ("openai stream", openai, raw, chat(True), True, {200}, "done"),
        ("fault: rate-limit", openai, fault("rate-limit; retry-after=1"), chat(False), False, {429}, "retry-after"),
        ("fault: server-error", openai, fault("server-error"), chat(False), False, {500}, "whole"),
        ("fault: unavailable", openai, fault("unavailable"), chat(True), True, {503}, "whole"),
        ("fault: drop-mid-stream", openai, fault("drop-mid-stream; after-frames=5"), chat(True), True, {200}, "cut"),
        ("fault: malformed-frame", openai, fault("malformed-frame; after-frames=5"), chat(True), True, {200}, "any-body"),
        ("fault: slow-stream", openai, fault("slow-stream; delay-ms=20"), chat(True), True, {200}, "done"),
        ("client leaves mid-stream", openai, fault("slow-stream; delay-ms=50"), chat(True), True, {200}, "leave"),
        ("router → anthropic stream", router, virtual, routed("anthropic:claude-sonnet-4-5"), True, {200}, "done"),
    ]


async def one(client: httpx.AsyncClient, kind) -> str:
    """Sends one request of `kind`; returns "ok" or what was unexpected."""
    name, url, headers, body, streamed, statuses, check = kind
    try:
        async with client.stream("POST", url, headers=headers, json=body) as response:
            if response.status_code not in statuses:
                await response.aread()
                return f"status {response.status_code}: {response.text[:160]}"
            if check == "retry-after":
                await response.aread()
                return "ok" if response.headers.get("retry-after") else "429 without retry-after"
            if check == "leave":
                async for _ in response.aiter_bytes():
                    return "ok"  # leaving: the context manager closes the connection mid-stream
                return "stream ended before its first bytes"
            data = b""
            try:
                async for piece in response.aiter_bytes():
                    data += piece
            except (httpx.RemoteProtocolError, httpx.ReadError):
                # The proxy passes an upstream's cut on as a cut (never as a clean end).
                return "ok" if check in ("cut", "any-body") else "stream cut"
            if check == "done":
                return "ok" if data.rstrip().endswith(b"data: [DONE]") else f"stream without [DONE]: {data[-120:]!r}"
            if check == "cut":
                # An in-band error instead of [DONE] is the other honest ending.
                return "ok" if b"error" in data and not data.rstrip().endswith(b"data: [DONE]") else f"cut stream ended cleanly: {data[-120:]!r}"
            if check == "whole":
                json.loads(data)
            return "ok"
    except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.TimeoutException) as error:
        return f"{type(error).__name__}: {error}"


async def load(proxy: str, openai_key: str, virtual_key: str, args, pid: int):
    all_kinds = kinds(proxy, openai_key, virtual_key)
    deadline = time.monotonic() + args.minutes * 60
    outcomes = collections.Counter()
    unexpected = collections.Counter()
    samples = []
    start = time.monotonic()

    async def worker(offset: int):
        limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            index = offset
            while time.monotonic() < deadline:
                kind = all_kinds[index % len(all_kinds)]
                index += 1
                result = await one(client, kind)
                outcomes[kind[0]] += 1
                if result != "ok":
                    unexpected[f"{kind[0]}: {result}"] += 1

    async def sampler():
        while time.monotonic() < deadline:
            samples.append((time.monotonic() - start, rss_mib(pid), descriptors(pid)))
            await asyncio.sleep(args.sample_seconds)
        samples.append((time.monotonic() - start, rss_mib(pid), descriptors(pid)))

    await asyncio.gather(sampler(), *(worker(i) for i in range(args.concurrency)))
    return outcomes, unexpected, samples


def slope_mib_per_hour(points):
    xs, ys = [p[0] / 3600 for p in points], [p[1] for p in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--warmup-minutes", type=float, default=3)
    parser.add_argument("--concurrency", type=int, default=12)
    parser.add_argument("--sample-seconds", type=float, default=10)
    parser.add_argument("--binary", default=str(ROOT / ".build/release/archestra"))
    parser.add_argument("--output", default=str(ROOT / "docs/reliability.md"))
    args = parser.parse_args()
    if not Path(args.binary).exists():
        sys.exit(f"{args.binary} not found: swift build -c release --product archestra")

    tmp = Path(tempfile.mkdtemp(prefix="archestra-soak-"))
    processes = []
    try:
        mock, mock_env = run.start_emulators(args.binary, tmp, processes)
        proxy, port, env = run.start_proxy(args.binary, tmp, mock_env, processes)
        virtual_key = run.create_virtual_key(args.binary, env, providers=("anthropic", "bedrock"))
        print(f"soak: {args.minutes:g} min, {args.concurrency} workers, proxy pid {proxy.pid}", flush=True)
        outcomes, unexpected, samples = asyncio.run(load(f"http://127.0.0.1:{port}", mock_env["OPENAI_API_KEY"], virtual_key, args, proxy.pid))
        alive = proxy.poll() is None
    finally:
        run.stop(processes)
        shutil.rmtree(tmp, ignore_errors=True)

    settled = [s for s in samples if s[0] >= args.warmup_minutes * 60]
    slope = slope_mib_per_hour(settled) if len(settled) >= 3 else float("nan")
    rss_settled = [s[1] for s in settled]
    fds_settled = [s[2] for s in settled]
    total = sum(outcomes.values())
    lines = [
        f"Measured with `Benchmarks/soak.py --minutes {args.minutes:g} --concurrency {args.concurrency} --sample-seconds {args.sample_seconds:g}` "
        f"on {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| requests | {total} ({total / (args.minutes * 60):.0f}/s) |",
        f"| unexpected outcomes | {sum(unexpected.values())} |",
        f"| proxy alive at the end | {'yes' if alive else 'NO'} |",
        f"| RSS after {args.warmup_minutes:g} min warm-up: min / median / max | {min(rss_settled):.1f} / {statistics.median(rss_settled):.1f} / {max(rss_settled):.1f} MiB |",
        f"| RSS slope after warm-up (least squares) | {slope:+.2f} MiB per hour |",
        f"| file descriptors after warm-up: min / max | {min(fds_settled)} / {max(fds_settled)} |",
        "",
        "| request kind | sent |",
        "|---|---:|",
        *(f"| {name} | {count} |" for name, count in sorted(outcomes.items())),
        "",
        "RSS and descriptors, one sample a minute:",
        "",
        "| minute | RSS MiB | descriptors |",
        "|---:|---:|---:|",
    ]
    minute = -1
    for elapsed, rss, fds in samples:
        if int(elapsed // 60) > minute:
            minute = int(elapsed // 60)
            lines.append(f"| {minute} | {rss:.1f} | {fds} |")
    if unexpected:
        lines += ["", "Unexpected outcomes:", "", *(f"- {count} × {what}" for what, count in unexpected.most_common(20))]
    report = "\n".join(lines)
    print(report)
    run.write_block(args.output, "soak", report)
    if unexpected or not alive:
        sys.exit("soak: unexpected outcomes or the proxy exited (see above)")


if __name__ == "__main__":
    main()
