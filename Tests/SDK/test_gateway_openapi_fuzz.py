"""schemathesis (a property-based API fuzzer we did not write) over the admin API's own
`/api/openapi.json`: for every operation, generated valid and invalid inputs, and stateful
sequences through the document's links, the server never answers 5xx, and every answer matches
the document (status code, content type, body schema), and invalid input is rejected.

`positive_data_acceptance` is left out: a schema-valid request naming an id that does not exist
is rightly 404. The run is bounded (`--max-examples`) and reproducible (`--seed`, override with
ARCHESTRA_FUZZ_SEED; ARCHESTRA_FUZZ_EXAMPLES raises the example count for a longer hunt)."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

import httpx

from conftest import ADMIN_TOKEN, Emulator
from gateway_support import Gateway, admin, running

SCHEMATHESIS = pathlib.Path(sys.executable).with_name("schemathesis")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection"
MAX_EXAMPLES = os.environ.get("ARCHESTRA_FUZZ_EXAMPLES", "15")
SEED = os.environ.get("ARCHESTRA_FUZZ_SEED", "11")
RUN_TIMEOUT_S = 300


def test_schemathesis_finds_no_server_error_and_no_schema_violation(emulator: Emulator, tmp_path: pathlib.Path) -> None:
    gateway = Gateway(emulator, tmp_path)
    # Something to find: the stateful phase also creates its own through the document's links.
    openai_key = gateway.provider_key("openai")
    gateway.virtual_key(openai_key)
    gateway.oauth_client([openai_key])
    for proxy in running(gateway):
        document = httpx.get(proxy.base_url + "/api/openapi.json", timeout=10.0)
        assert document.status_code == 200
        assert document.json()["openapi"].startswith("3.1")
        report = tmp_path / "junit.xml"
        completed = subprocess.run(
            [
                str(SCHEMATHESIS), "run", proxy.base_url + "/api/openapi.json",
                "--checks", CHECKS,
                "--header", f"Authorization: Bearer {ADMIN_TOKEN}",
                "--max-examples", MAX_EXAMPLES, "--seed", SEED,
                "--request-timeout", "10", "--no-color",
                "--report", "junit", "--report-junit-path", str(report),
            ],
            capture_output=True, text=True, timeout=RUN_TIMEOUT_S, cwd=tmp_path,
        )
        output = completed.stdout + completed.stderr
        assert completed.returncode == 0, f"schemathesis found problems (seed {SEED}):\n{output[-12000:]}"
        generated = re.search(r"(\d+) generated, (\d+) passed", output)
        assert generated, output[-4000:]
        assert int(generated.group(1)) > 200 and generated.group(1) == generated.group(2), generated.group(0)
        assert "Server error" not in output
        junit = report.read_text()
        assert "<testcase" in junit and "<failure" not in junit and "<error" not in junit
        # The admin API still answers normally afterwards.
        assert admin(proxy, "GET", "/api/profiles").status_code == 200
    log = next(gateway.directory.glob("serve-*.log")).read_text()
    # The fuzzer sends the admin token on every request; had it tripped the failed-authentication
    # limiter (10 per minute), most of its requests would have met a 429 instead of the API.
    assert log.count("authentication failed") + log.count("admin token rejected") < 10
