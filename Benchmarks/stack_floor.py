#!/usr/bin/env python3
"""The floor of archestra's HTTP stack, beside archestra and nginx, in one run.

`Benchmarks/StackFloor` is a proxy with nothing in it: Hummingbird in front, AsyncHTTPClient
behind, the request relayed as it comes. What it costs a request is what any proxy on these two
libraries pays before authenticating, logging or pricing anything; what archestra costs above it
is its own request path. All three (and nginx, the floor for a proxy hop) relay to the same
upstream answering from memory, pinned as `run.py --pin` pins them (proxies on core 0, upstream
and wrk on core 1), alternating each round; medians are printed.

Usage: Benchmarks/stack_floor.py [--binary .build/release/archestra] [--rounds 6] [--duration 5]

Builds StackFloor (release, in Benchmarks/StackFloor/.build) when it is not built yet: a few
minutes the first time.
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (the shared helpers)

FLOOR = run.ROOT / "Benchmarks" / "StackFloor"


def build_floor() -> str:
    command = ["swift", "build", "-c", "release", "--static-swift-stdlib", "--package-path", str(FLOOR)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    bin_path = subprocess.run(command + ["--show-bin-path"], check=True, capture_output=True, text=True).stdout.strip()
    return str(Path(bin_path) / "StackFloor")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(run.ROOT / ".build/release/archestra"))
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    args.pin = True
    floor_binary = build_floor()

    tmp = Path(tempfile.mkdtemp(prefix="archestra-floor-"))
    processes = []
    try:
        _, env = run.start_emulators(args.binary, tmp, processes, args)
        key = env["OPENAI_API_KEY"]
        plain = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}
        answer = run.canned_answer(env["OPENAI_BASE_URL"], key, plain)
        canned, canned_port = run.start_nginx(run.CANNED_SERVER, tmp, run.LOAD_CORE, args, processes, body=answer)
        base = f"http://127.0.0.1:{canned_port}/v1"
        (tmp / "archestra").mkdir()
        archestra, archestra_port, _ = run.start_proxy(
            args.binary, tmp / "archestra", {**env, "OPENAI_BASE_URL": base, "ARCHESTRA_OPENAI_BASE_URL": base}, processes, args)
        floor_port = run.free_port()
        floor = subprocess.Popen(run.pinned([floor_binary, base, str(floor_port)], run.PROXY_CORE, args), stdout=subprocess.DEVNULL)
        processes.append(floor)
        run.wait_healthy(f"http://127.0.0.1:{floor_port}/healthz", floor)
        nginx, nginx_port = run.start_nginx(run.PROXY_SERVER, tmp, run.PROXY_CORE, args, processes, upstream=canned_port)
        body = tmp / "body.json"
        body.write_text(json.dumps(plain))

        paths = [("nginx", nginx, nginx_port), ("stack floor", floor, floor_port), ("archestra", archestra, archestra_port)]
        results = {name: [] for name, _, _ in paths}
        for round_number in range(args.rounds):
            for name, process, port in (paths if round_number % 2 == 0 else list(reversed(paths))):
                result = run.run_wrk(f"http://127.0.0.1:{port}/v1/openai/chat/completions", body, key, args,
                                     {name: process.pid}, args.connections)
                results[name].append((result["rps"], result["cpu_us_per_request"][name]))
                print(f"round {round_number + 1} {name}: {result['rps']:.0f} requests/s, "
                      f"{result['cpu_us_per_request'][name]:.0f} µs of CPU a request", flush=True)
        nginx_rps = statistics.median(r for r, _ in results["nginx"])
        print(f"\nmedians over {args.rounds} rounds (upstream answering from memory, {args.connections} connections, pinned):")
        for name, _, _ in paths:
            rps = statistics.median(r for r, _ in results[name])
            cpu = statistics.median(c for _, c in results[name])
            print(f"  {name}: {rps:.0f} requests/s ({rps / nginx_rps:.2f}× nginx), {cpu:.0f} µs of CPU a request")
    finally:
        run.stop(processes)


if __name__ == "__main__":
    main()
