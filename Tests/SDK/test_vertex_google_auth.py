"""`google-auth` against archestra's Google identity emulators: Application Default Credentials on
the GCE metadata server (in a subprocess, because google-auth reads GCE_METADATA_HOST when it is
imported), a service-account key file refreshing at the token emulator, and a forged signature
refused. Each token obtained is then checked by the Vertex AI emulator."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import httpx
import pytest
from google.auth import exceptions
from google.auth.transport.requests import Request
from google.oauth2 import service_account

from conftest import Emulator

CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"
MODEL_PATH = "/v1/projects/{project}/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent"


def vertex_status(emulator: Emulator, token: str) -> int:
    url = emulator.env["ARCHESTRA_GEMINI_VERTEX_AI_BASE_URL"] + MODEL_PATH.format(project=emulator.env["GOOGLE_CLOUD_PROJECT"])
    body = {"contents": [{"role": "user", "parts": [{"text": "Hello you"}]}]}
    return httpx.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code


METADATA_SCRIPT = """
import json
import google.auth
from google.auth.transport.requests import Request
credentials, project = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
credentials.refresh(Request())
print(json.dumps({"type": type(credentials).__module__, "project": project, "token": credentials.token,
                  "email": credentials.service_account_email, "expiry": credentials.expiry.isoformat()}))
"""


def test_default_credentials_on_the_metadata_server(emulator: Emulator, tmp_path: pathlib.Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("GOOGLE_", "GCE_", "CLOUDSDK_"))}
    env["GCE_METADATA_HOST"] = emulator.env["GCE_METADATA_HOST"]
    env["GCE_METADATA_IP"] = emulator.env["GCE_METADATA_IP"]
    env["CLOUDSDK_CONFIG"] = str(tmp_path)  # no gcloud credentials: the metadata server is the only source
    result = subprocess.run([sys.executable, "-c", METADATA_SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["type"] == "google.auth.compute_engine.credentials"
    assert found["project"] == emulator.env["GOOGLE_CLOUD_PROJECT"]
    assert found["email"].endswith(".iam.gserviceaccount.com")
    assert vertex_status(emulator, found["token"]) == 200


def test_service_account_key_file_refreshes_at_the_token_emulator(emulator: Emulator) -> None:
    credentials = service_account.Credentials.from_service_account_file(emulator.env["GOOGLE_APPLICATION_CREDENTIALS"], scopes=[CLOUD_PLATFORM])
    assert credentials._token_uri == emulator.env["ARCHESTRA_MOCK_GOOGLE_TOKEN_URI"]
    credentials.refresh(Request())
    assert credentials.valid
    assert vertex_status(emulator, credentials.token) == 200
    assert vertex_status(emulator, credentials.token + "x") == 401


def test_a_forged_signature_is_refused(emulator: Emulator, tmp_path: pathlib.Path) -> None:
    other_key = subprocess.run(
        ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], capture_output=True, text=True, check=True
    ).stdout
    info = json.loads(pathlib.Path(emulator.env["GOOGLE_APPLICATION_CREDENTIALS"]).read_text())
    info["private_key"] = other_key
    credentials = service_account.Credentials.from_service_account_info(info, scopes=[CLOUD_PLATFORM])
    with pytest.raises(exceptions.RefreshError) as raised:
        credentials.refresh(Request())
    assert "invalid_grant" in str(raised.value)
    assert "Invalid JWT Signature." in str(raised.value)


def test_the_metadata_server_requires_the_flavor_header(emulator: Emulator) -> None:
    base = "http://" + emulator.env["GCE_METADATA_HOST"]
    refused = httpx.get(base + "/computeMetadata/v1/project/project-id", timeout=10)
    assert refused.status_code == 403
    answered = httpx.get(base + "/computeMetadata/v1/project/project-id", headers={"Metadata-Flavor": "Google"}, timeout=10)
    assert answered.status_code == 200
    assert answered.headers["Metadata-Flavor"] == "Google"
