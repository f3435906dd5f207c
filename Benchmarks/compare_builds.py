#!/usr/bin/env python3
"""Two or more builds of `archestra serve`, side by side in one run: each in front of the same
upstream, loaded in turn by wrk, the order alternating each round, medians printed.

This is how a change on the request path is measured (docs/benchmarks.md): the figure that
moves with the machine's load is shared by every build in a round, so the medians over
alternating rounds compare the builds and not the moments they ran at.

Usage: Benchmarks/compare_builds.py NAME=BINARY NAME=BINARY [...] [--rounds 6] [--duration 5]
       [--connections 32] [--upstream canned|emulator] [--no-pin]

--upstream canned (the default) answers every chat completion from memory (nginx, the
emulator's answer captured at start), so the proxy is the only thing working; emulator puts the
OpenAI emulator behind the proxies instead. Pinned by default as `run.py --pin` pins: proxies on
core 0, upstream and wrk on core 1. Everything listens on 127.0.0.1.
"""
import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (the shared helpers: emulators, nginx, wrk, CPU time from /proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("builds", nargs="+", help="NAME=BINARY, two or more")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--upstream", choices=("canned", "emulator"), default="canned")
    parser.add_argument("--no-pin", dest="pin", action="store_false")
    args = parser.parse_args()
    builds = []
    for build in args.builds:
        name, separator, binary = build.partition("=")
        if not separator or not Path(binary).is_file():
            sys.exit(f"{build}: expected NAME=BINARY, an existing file")
        builds.append((name, binary))
    if len(builds) < 2:
        sys.exit("give two builds or more")

    tmp = Path(tempfile.mkdtemp(prefix="archestra-compare-"))
    processes = []
    try:
        emulator, env = run.start_emulators(builds[0][1], tmp, processes, args)
        key = env["OPENAI_API_KEY"]
        plain = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}
        upstream = emulator
        if args.upstream == "canned":
            answer = run.canned_answer(env["OPENAI_BASE_URL"], key, plain)
            upstream, port = run.start_nginx(run.CANNED_SERVER, tmp, run.LOAD_CORE, args, processes, body=answer)
            base = f"http://127.0.0.1:{port}/v1"
            env = {**env, "OPENAI_BASE_URL": base, "ARCHESTRA_OPENAI_BASE_URL": base}
        proxies = {}
        for name, binary in builds:
            (tmp / name).mkdir()
            proxy, port, _ = run.start_proxy(binary, tmp / name, env, processes, args)
            proxies[name] = (proxy, port)
        body = tmp / "body.json"
        body.write_text(json.dumps(plain))

        results = {name: [] for name, _ in builds}
        for round_number in range(args.rounds):
            order = builds if round_number % 2 == 0 else list(reversed(builds))
            for name, _ in order:
                proxy, port = proxies[name]
                result = run.run_wrk(f"http://127.0.0.1:{port}/v1/openai/chat/completions", body, key, args,
                                     {"archestra": proxy.pid}, args.connections)
                results[name].append((result["rps"], result["cpu_us_per_request"]["archestra"]))
                print(f"round {round_number + 1} {name}: {result['rps']:.0f} requests/s, "
                      f"{result['cpu_us_per_request']['archestra']:.0f} µs of proxy CPU a request", flush=True)
        first = builds[0][0]
        base_rps = statistics.median(r for r, _ in results[first])
        base_cpu = statistics.median(c for _, c in results[first])
        print(f"\nmedians over {args.rounds} rounds ({args.upstream} upstream, {args.connections} connections"
              f"{', pinned' if args.pin else ''}):")
        for name, _ in builds:
            rps = statistics.median(r for r, _ in results[name])
            cpu = statistics.median(c for _, c in results[name])
            print(f"  {name}: {rps:.0f} requests/s ({rps / base_rps:.2f}× {first}), "
                  f"{cpu:.0f} µs of proxy CPU a request ({cpu / base_cpu:.2f}× {first})")
    finally:
        run.stop(processes)


if __name__ == "__main__":
    main()
