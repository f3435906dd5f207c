"""Targets for the native-dialect SDKs (anthropic, google-genai, cohere): the emulator straight
from `archestra mock up`'s env file, or `archestra serve` in front of it at
`/v1/<provider>`. Test modules import `native_target` and get every test run both ways."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import Emulator, Proxy

# provider -> (env variable with the emulator's base URL, env variable with its key)
PROVIDER_VARIABLES = {
    "anthropic": ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"),
    "gemini": ("GOOGLE_GEMINI_BASE_URL", "GEMINI_API_KEY"),
    "cohere": ("CO_API_URL", "CO_API_KEY"),
}


@dataclasses.dataclass(frozen=True)
class NativeTarget:
    name: str
    base_url: str
    api_key: str


def make_target(kind: str, provider: str, emulator: Emulator, proxy: Proxy | None) -> NativeTarget:
    url_variable, key_variable = PROVIDER_VARIABLES[provider]
    key = emulator.env[key_variable]
    if kind == "direct":
        return NativeTarget("direct", emulator.env[url_variable], key)
    assert proxy is not None
    return NativeTarget("proxy", f"{proxy.base_url}/v1/{provider}", key)


@pytest.fixture(params=["direct", "proxy"])
def native_kind(request: pytest.FixtureRequest) -> str:
    return request.param


def target_for(provider: str, request: pytest.FixtureRequest, kind: str) -> NativeTarget:
    emulator: Emulator = request.getfixturevalue("emulator")
    proxy: Proxy | None = request.getfixturevalue("proxy") if kind == "proxy" else None
    return make_target(kind, provider, emulator, proxy)
