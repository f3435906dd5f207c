"""anthropic 0.x, which sends the key as `x-api-key` (2.x sends `Authorization: Bearer`), against
the emulator and through the proxy. It cannot share .venv with 2.x, so `scripts/setup` installs
it into .venv/anthropic-legacy and it runs here in a subprocess with that PYTHONPATH."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from native_targets import NativeTarget, native_kind, target_for  # noqa: F401  (fixture)

HERE = pathlib.Path(__file__).resolve().parent
LEGACY = HERE.parents[1] / ".venv" / "anthropic-legacy"


@pytest.fixture
def target(request: pytest.FixtureRequest, native_kind: str) -> NativeTarget:  # noqa: F811
    return target_for("anthropic", request, native_kind)


def test_legacy_sdk_with_x_api_key(target: NativeTarget) -> None:
    assert (LEGACY / "anthropic").is_dir(), "run scripts/setup --python to install the 0.x SDK"
    env = dict(os.environ, PYTHONPATH=str(LEGACY))
    completed = subprocess.run(
        [sys.executable, str(HERE / "anthropic_legacy_client.py"), target.base_url, target.api_key],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    seen = json.loads(completed.stdout)
    assert seen["version"].startswith("0.")
    assert seen["auth_headers"] == ["X-Api-Key"]
    assert seen["text"] == "Echo: legacy hello"
    assert seen["blocks"] == ["thinking", "tool_use"]
    assert isinstance(seen["tool_input"]["city"], str)
    assert seen["wrong_key"] == "authentication_error"
