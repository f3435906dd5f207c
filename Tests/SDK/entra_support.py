"""Helpers for the keyless-Azure tests: the Entra emulator's CA for azure-identity, and JWT claims.

azure-identity talks to `AZURE_AUTHORITY_HOST` only over https, so it must trust the emulators' CA.
The tests set `REQUESTS_CA_BUNDLE` to the mock CA for their own process only (monkeypatch): the
env file does not export it, because it would replace the system roots for every requests-based
SDK that sources the file.
"""

from __future__ import annotations

import base64
import json

import pytest

COGNITIVE_SCOPE = "https://cognitiveservices.azure.com/.default"
FOUNDRY_SCOPE = "https://ai.azure.com/.default"


def trust_mock_ca(emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", emulator.env["ARCHESTRA_MOCK_AZURE_CA_BUNDLE"])
    # The process must not pick up another identity than the one a test builds.
    for name in ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE",
                 "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET", "AZURE_POD_IDENTITY_AUTHORITY_HOST"]:
        monkeypatch.delenv(name, raising=False)


def claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
