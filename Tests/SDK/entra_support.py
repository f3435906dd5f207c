"""Helpers for the keyless-Azure tests: the Entra emulator's CA for azure-identity, and JWT claims.

azure-identity talks to `AZURE_AUTHORITY_HOST` only over https, so it must trust the emulators' CA.
The env file exports `REQUESTS_CA_BUNDLE` as the system roots plus the mock CA (a superset, so no
other SDK loses its roots); most tests here set the mock CA alone for their own process
(monkeypatch), and `test_entra_env_file_bundle.py` proves the exported bundle works as sourced.
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
