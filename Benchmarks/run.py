#!/usr/bin/env python3
"""Benchmark: the same load against the OpenAI emulator directly, through `archestra serve`, and
through nginx as a plain reverse proxy (the practical floor for a proxy hop), in one run.

Reports requests/s and latency percentiles for each path and the ratios against direct, and
writes the table to docs/benchmarks.md. Everything listens on 127.0.0.1; every load is bounded
in duration. Usage: Benchmarks/run.py [--duration 10] [--connections 32] [--binary PATH] [--pin]

--pin runs each proxy (archestra, nginx's worker, LiteLLM) on core 0 and the emulator and wrk on
core 1, so a proxy's requests/s is what one core of it relays; the table goes to its own block,
and the last line printed is issue 15's ratios against nginx.
"""
import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    """Polls /healthz until it answers 200; fails if the process dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{process.args} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit(f"{url} did not become healthy")


def read_env_file(path: Path) -> dict:
    values = {}
    for line in path.read_text().splitlines():
        if line.startswith("export "):
            name, _, value = line[len("export "):].partition("=")
            values[name] = value.strip("'")
    return values


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process and its children (nginx's workers) have used so far,
    from /proc: unlike wall-clock figures, robust to whatever else the machine is doing."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1] is the parent pid
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


# Cores for --pin: the proxy under test alone on one, its upstream and its load on the other.
PROXY_CORE, LOAD_CORE = "0", "1"


def pinned(command: list, core: str, args) -> list:
    """`command` run on `core` (taskset) when --pin is given, else unchanged (also for the other
    benchmarks, which share these helpers and have no --pin)."""
    return ["taskset", "-c", core, *command] if getattr(args, "pin", False) else command


def run_wrk(url: str, body_file: Path, key: str, args, watched: dict, connections: int) -> dict:
    env = dict(os.environ, BENCH_BODY_FILE=str(body_file), BENCH_API_KEY=key)
    command = pinned(["wrk", f"-t{min(args.threads, connections)}", f"-c{connections}", f"-d{args.duration}s", "--latency",
               "-s", str(ROOT / "Benchmarks" / "wrk-post.lua"), url], LOAD_CORE, args)
    before = {name: cpu_seconds(pid) for name, pid in watched.items()}
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    after = {name: cpu_seconds(pid) for name, pid in watched.items()}
    line = next(l for l in output.splitlines() if l.startswith("BENCH_JSON "))
    result = json.loads(line[len("BENCH_JSON "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["cpu_us_per_request"] = {name: (after[name] - before[name]) * 1e6 / max(result["requests"], 1) for name in watched}
    if result["non_2xx"] or result["socket_errors"]:
        sys.exit(f"{url}: {result['non_2xx']} non-2xx responses and {result['socket_errors']} socket errors")
    return result


LITELLM_CONFIG = """
model_list:
  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: {base}
      api_key: {key}
general_settings:
  # LiteLLM refuses to start without a master key; the emulator's key is what the benchmark
  # client already sends, so every path sees the same request.
  master_key: {key}
"""

# nginx with one worker and no logs; `server` is PROXY_SERVER or CANNED_SERVER, formatted first.
NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
{server}
}}
"""

# A plain reverse proxy in front of the upstream: the practical floor for a proxy hop.
PROXY_SERVER = """
  upstream emulator {{ server 127.0.0.1:{upstream}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location /v1/openai/ {{
      proxy_pass http://emulator/v1/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }}
  }}
"""

# An upstream that answers every chat completion with the same body, from memory.
CANNED_SERVER = """
  server {{
    listen 127.0.0.1:{port};
    location = /v1/chat/completions {{ default_type application/json; return 200 '{body}'; }}
  }}
"""


def start_nginx(server: str, tmp: Path, core: str, args, processes: list, **values) -> tuple:
    """nginx serving `server` (PROXY_SERVER or CANNED_SERVER, filled in with `values`) from a
    directory of its own under `tmp`, on a free port; returns the process and the port."""
    directory = tmp / f"nginx-{len(processes)}"
    directory.mkdir()
    port = free_port()
    (directory / "nginx.conf").write_text(NGINX_CONF.format(tmp=directory, server=server.format(port=port, **values)))
    nginx = subprocess.Popen(pinned(["nginx", "-c", str(directory / "nginx.conf"), "-g", "daemon off;"], core, args),
                             stderr=subprocess.DEVNULL)
    processes.append(nginx)
    deadline = time.monotonic() + 10
    while True:  # nginx has no health endpoint here: its port accepting is the sign
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return nginx, port
        except OSError:
            if nginx.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"nginx ({directory / 'nginx.conf'}) did not start")
            time.sleep(0.05)


def canned_answer(emulator_base: str, key: str, body: dict) -> str:
    """The emulator's answer to `body`, for an upstream that answers it from memory."""
    request = urllib.request.Request(f"{emulator_base}/chat/completions", data=json.dumps(body).encode(),
                                     headers={"content-type": "application/json", "authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = response.read().decode()
    if any(character in answer for character in "'\\$"):
        sys.exit("the canned answer holds a quote, a backslash or a dollar sign, which nginx's return string would read")
    return answer


def create_virtual_key(binary: str, env: dict, providers=("openai",)) -> str:
    """A virtual key for the provider keys `serve` seeded from ARCHESTRA_CHAT_<PROVIDER>_API_KEY
    (OpenAI's by default), made with the CLI on the proxy's own database (the running proxy sees
    it at once)."""
    keys = json.loads(subprocess.run([binary, "provider-keys", "list"], env=env, capture_output=True, text=True, check=True).stdout)
    command = [binary, "virtual-keys", "create"]
    for provider in providers:
        command += ["--provider-key", next(k["id"] for k in keys if k["provider"] == provider)]
    created = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(created)["value"]


def create_allow_policy_profile(binary: str, env: dict) -> str:
    """A profile with one tool-invocation policy (allow get_weather), made with the CLI: its
    requests pay for the tool-policy step (docs/guardrails.md) on a body without tools."""
    run = lambda *command: json.loads(subprocess.run([binary, *command], env=env, capture_output=True, text=True, check=True).stdout)
    profile = run("profiles", "create", "--name", "bench-policy")["id"]
    run("policies", "create", "--kind", "tool-invocation", "--profile", profile, "--tool", "get_weather",
        "--action", "allow_when_context_is_untrusted")
    return profile


def start_emulators(binary: str, tmp: Path, processes: list, args=None) -> tuple:
    """`archestra mock up` on ephemeral ports; returns the process and its env file's variables
    once the OpenAI emulator answers /healthz (the env file is written when every one listens)."""
    env_file = tmp / "mock.env"
    mock = subprocess.Popen(pinned([binary, "mock", "up", "--port", "0", "--env-file", str(env_file), "--log-level", "warning"],
                                   LOAD_CORE, args), stdout=subprocess.DEVNULL)
    processes.append(mock)
    deadline = time.monotonic() + 30
    while not env_file.exists():
        if mock.poll() is not None or time.monotonic() > deadline:
            sys.exit("archestra mock up did not write its env file")
        time.sleep(0.05)
    mock_env = read_env_file(env_file)
    wait_healthy(f"{mock_env['OPENAI_BASE_URL'].rsplit('/v1', 1)[0]}/healthz", mock)
    return mock, mock_env


def start_proxy(binary: str, tmp: Path, mock_env: dict, processes: list, args=None, metrics: bool = False) -> tuple:
    """`archestra serve` in front of the emulators (their env file as its environment, a fresh
    SQLite store); returns the process, its port and its environment once /healthz answers.
    `metrics`: Prometheus metrics on (a free port), else off, so the bare row is bare."""
    proxy_port = free_port()
    proxy_env = dict(os.environ, **mock_env, ARCHESTRA_DATABASE_URL=f"sqlite://{tmp / 'archestra.sqlite'}",
                     ARCHESTRA_METRICS_PORT=str(free_port()) if metrics else "off")
    proxy = subprocess.Popen(pinned([binary, "serve", "--port", str(proxy_port), "--log-level", "warning"], PROXY_CORE, args),
                             env=proxy_env, stdout=subprocess.DEVNULL)
    processes.append(proxy)
    wait_healthy(f"http://127.0.0.1:{proxy_port}/healthz", proxy)
    return proxy, proxy_port, proxy_env


def write_block(path, name: str, body: str) -> None:
    """Puts `body` between the markers `<!-- name:start -->` and `<!-- name:end -->` of the file
    at `path`, replacing what was there; appends the marked block when the markers are absent."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    output = Path(path)
    text = output.read_text() if output.exists() else ""
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    output.write_text(text)


def stop(processes: list) -> None:
    """SIGTERM to each process started (newest first), then waits; kills one that lingers."""
    for process in reversed(processes):
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (the machine has 2 cores to share)")
    parser.add_argument("--binary", default=str(ROOT / ".build/release/archestra"))
    parser.add_argument("--output", default=str(ROOT / "docs/benchmarks.md"))
    parser.add_argument("--litellm", default=str(ROOT / ".venv-bench/bin/litellm"),
                        help="LiteLLM's proxy CLI (pip install 'litellm[proxy]' into .venv-bench); skipped if absent")
    parser.add_argument("--pin", action="store_true",
                        help="proxies on core 0, emulator and wrk on core 1 (taskset); results to their own block")
    args = parser.parse_args()
    if args.pin and (os.cpu_count() or 1) < 2:
        sys.exit("--pin needs two cores")
    for tool in ("wrk", "nginx") + (("taskset",) if args.pin else ()):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed: apt-get install wrk nginx-light")

    tmp = Path(tempfile.mkdtemp(prefix="archestra-bench-"))
    processes = []
    try:
        mock, mock_env = start_emulators(args.binary, tmp, processes, args)
        emulator_base = mock_env["OPENAI_BASE_URL"]  # http://127.0.0.1:PORT/v1
        key = mock_env["OPENAI_API_KEY"]
        upstream_port = int(emulator_base.split(":")[2].split("/")[0])

        proxy, proxy_port, proxy_env = start_proxy(args.binary, tmp, mock_env, processes, args)
        virtual_key = create_virtual_key(args.binary, proxy_env)
        policy_profile = create_allow_policy_profile(args.binary, proxy_env)
        # The same proxy with Prometheus metrics on (docs/observability.md): its CPU per request
        # against the bare row's is what metrics cost.
        (tmp / "metrics").mkdir()
        metrics_proxy, metrics_proxy_port, _ = start_proxy(args.binary, tmp / "metrics", mock_env, processes, args, metrics=True)

        nginx, nginx_port = start_nginx(PROXY_SERVER, tmp, PROXY_CORE, args, processes, upstream=upstream_port)

        prompt = " ".join(f"word{i}" for i in range(60))  # the emulator echoes it: about 60 stream frames
        plain = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}
        streaming = {"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": prompt}]}
        # (body, connections): saturating loads measure throughput (CPU per request on a shared
        # machine); one connection measures the latency a hop adds without queueing.
        bodies = {
            f"chat, non-streaming, {args.connections} connections": (plain, args.connections),
            "chat, non-streaming, 1 connection": (plain, 1),
            f"chat, streaming (~60 frames), {args.connections} connections": (streaming, args.connections),
            "chat, streaming (~60 frames), 1 connection": (streaming, 1),
        }
        # (url, key): the same proxy twice, with the client's own key passed through and with a
        # virtual key the gateway swaps for the stored provider key.
        targets = {
            "direct": (f"{emulator_base}/chat/completions", key),
            "archestra": (f"http://127.0.0.1:{proxy_port}/v1/openai/chat/completions", key),
            "archestra (virtual key)": (f"http://127.0.0.1:{proxy_port}/v1/openai/chat/completions", virtual_key),
            "archestra (one allow policy)": (f"http://127.0.0.1:{proxy_port}/v1/openai/{policy_profile}/chat/completions", key),
            "archestra (metrics on)": (f"http://127.0.0.1:{metrics_proxy_port}/v1/openai/chat/completions", key),
            "nginx": (f"http://127.0.0.1:{nginx_port}/v1/openai/chat/completions", key),
        }
        watched = {"emulator": mock.pid, "archestra": proxy.pid, "archestra (metrics on)": metrics_proxy.pid, "nginx": nginx.pid}
        if Path(args.litellm).exists():
            litellm_port = free_port()
            (tmp / "litellm.yaml").write_text(LITELLM_CONFIG.format(base=emulator_base, key=key))
            litellm = subprocess.Popen(pinned([args.litellm, "--config", str(tmp / "litellm.yaml"), "--host", "127.0.0.1",
                                               "--port", str(litellm_port), "--num_workers", "1"], PROXY_CORE, args),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       env=dict(os.environ, LITELLM_LOG="ERROR"))
            processes.append(litellm)
            wait_healthy(f"http://127.0.0.1:{litellm_port}/health/liveliness", litellm, timeout=120)
            targets["litellm"] = (f"http://127.0.0.1:{litellm_port}/v1/chat/completions", key)
            watched["litellm"] = litellm.pid
        # Each workload's targets and the processes whose CPU is counted.
        runs = {workload: (targets, watched) for workload in bodies}
        if args.pin:
            # The emulator alone on its core caps nginx's requests/s; an upstream that answers
            # from memory (nginx, on the emulator's core) lets each proxy's own core be the limit.
            canned, canned_port = start_nginx(CANNED_SERVER, tmp, LOAD_CORE, args, processes, body=canned_answer(emulator_base, key, plain))
            canned_env = {**mock_env, "OPENAI_BASE_URL": f"http://127.0.0.1:{canned_port}/v1",
                          "ARCHESTRA_OPENAI_BASE_URL": f"http://127.0.0.1:{canned_port}/v1"}
            (tmp / "canned").mkdir()
            canned_proxy, canned_proxy_port, _ = start_proxy(args.binary, tmp / "canned", canned_env, processes, args)
            canned_nginx, canned_nginx_port = start_nginx(PROXY_SERVER, tmp, PROXY_CORE, args, processes, upstream=canned_port)
            workload = f"chat, non-streaming, {args.connections} connections, upstream answering from memory"
            bodies[workload] = (plain, args.connections)
            runs[workload] = ({
                "direct": (f"http://127.0.0.1:{canned_port}/v1/chat/completions", key),
                "archestra": (f"http://127.0.0.1:{canned_proxy_port}/v1/openai/chat/completions", key),
                "nginx": (f"http://127.0.0.1:{canned_nginx_port}/v1/openai/chat/completions", key),
            }, {"emulator": canned.pid, "archestra": canned_proxy.pid, "nginx": canned_nginx.pid})
        results = {}
        for workload, (body, connections) in bodies.items():
            body_file = tmp / "body.json"
            body_file.write_text(json.dumps(body))
            workload_targets, workload_watched = runs[workload]
            for target, (url, target_key) in workload_targets.items():
                print(f"{workload}: {target} ...", flush=True)
                results[(workload, target)] = run_wrk(url, body_file, target_key, args, workload_watched, connections)
        write_report(results, bodies, runs, args)
    finally:
        stop(processes)
        shutil.rmtree(tmp, ignore_errors=True)


def write_report(results, bodies, runs, args) -> None:
    lines = [
        "| workload | path | requests/s | p50 ms | p90 ms | p99 ms | throughput vs direct | added p50 ms | proxy CPU µs/request | emulator CPU µs/request |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for workload in bodies:
        direct = results[(workload, "direct")]
        for target in runs[workload][0]:
            r = results[(workload, target)]
            ratio = r["rps"] / direct["rps"]
            added = (r["p50_us"] - direct["p50_us"]) / 1000
            process = target if target in r["cpu_us_per_request"] else "archestra" if target.startswith("archestra") else target
            proxy_cpu = "—" if target == "direct" else f"{r['cpu_us_per_request'][process]:.0f}"
            added_p50 = "—" if target == "direct" else f"{added:+.2f}"
            lines.append(f"| {workload} | {target} | {r['rps']:.0f} | {r['p50_us']/1000:.2f} | {r['p90_us']/1000:.2f} | "
                         f"{r['p99_us']/1000:.2f} | {ratio:.2f} | {added_p50} | {proxy_cpu} | "
                         f"{r['cpu_us_per_request']['emulator']:.0f} |")
    table = "\n".join(lines)
    print(table)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
    pin = " --pin" if args.pin else ""
    run_line = (f"`Benchmarks/run.py --duration {args.duration} --connections {args.connections} --threads {args.threads}{pin}` "
                f"on {time.strftime('%Y-%m-%d')}, {machine}")
    if not args.pin:
        # Issue 15's targets are ratios of proxies on one core each; unpinned, the ratios of
        # added latency divide by nginx's near-zero (or negative) additions and mean nothing.
        write_block(args.output, "results", f"Measured with {run_line}.\n\n{table}")
        return
    targets_line = issue15_line(results, bodies)
    write_block(args.output, "pinned-results", f"Measured with {run_line}.\n\n{table}\n\n{targets_line}")
    print(targets_line)


def issue15_line(results, bodies) -> str:
    """Issue 15's targets as ratios against nginx, from this run: saturated non-streaming
    requests/s (≥ 0.5), added median and p99 at one connection (≤ 2× and ≤ 3× nginx's), proxy
    CPU per streamed frame (≤ 2× nginx's; both relay the same frames, so it is the ratio of CPU
    per streamed request)."""
    saturated, one, streamed = (next(w for w in bodies if w.startswith(prefix)) for prefix in
                                ("chat, non-streaming", "chat, non-streaming, 1 connection", "chat, streaming (~60 frames)"))
    # With --pin, the saturated load against the upstream that answers from memory.
    saturated = next((w for w in bodies if w.endswith("from memory")), saturated)
    added = lambda workload, target, field: results[(workload, target)][field] - results[(workload, "direct")][field]
    rps = results[(saturated, "archestra")]["rps"] / results[(saturated, "nginx")]["rps"]
    # What one core of each would relay if its upstream kept up: 1 s over its CPU per request. On
    # this machine the emulator, alone on its core, caps nginx well below that.
    per_core = results[(saturated, "nginx")]["cpu_us_per_request"]["nginx"] / results[(saturated, "archestra")]["cpu_us_per_request"]["archestra"]
    p50 = added(one, "archestra", "p50_us") / max(added(one, "nginx", "p50_us"), 1)
    p99 = added(one, "archestra", "p99_us") / max(added(one, "nginx", "p99_us"), 1)
    cpu = results[(streamed, "archestra")]["cpu_us_per_request"]["archestra"] / results[(streamed, "nginx")]["cpu_us_per_request"]["nginx"]
    return (f"Issue 15, archestra against nginx: requests/s {rps:.2f}× (target ≥ 0.5×), "
            f"requests per CPU-second {per_core:.2f}× · added p50 at one connection "
            f"{p50:.1f}× (≤ 2×) · added p99 {p99:.1f}× (≤ 3×) · CPU per streamed frame {cpu:.1f}× (≤ 2×)")


if __name__ == "__main__":
    main()
