"""The env file's CA bundle, used exactly as a shell that sources the file would: azure-identity
reaches the HTTPS Entra emulator with no CA configured in code, and the bundle still holds the
system's roots, so every other HTTPS client keeps working."""

from __future__ import annotations

import os
import subprocess
import sys


def test_exported_bundle_is_the_system_roots_plus_the_mock_ca(emulator) -> None:
    bundle = open(emulator.env["REQUESTS_CA_BUNDLE"]).read()
    mock_ca = open(emulator.env["ARCHESTRA_MOCK_AZURE_CA_BUNDLE"]).read().strip()
    assert emulator.env["SSL_CERT_FILE"] == emulator.env["REQUESTS_CA_BUNDLE"]
    assert mock_ca in bundle
    assert bundle.count("BEGIN CERTIFICATE") > mock_ca.count("BEGIN CERTIFICATE") + 10, "the system roots are missing"


def test_azure_identity_works_from_the_sourced_env_file(emulator) -> None:
    script = (
        "from azure.identity import ClientSecretCredential\n"
        "import os\n"
        "credential = ClientSecretCredential(os.environ['AZURE_TENANT_ID'], os.environ['AZURE_CLIENT_ID'],"
        " os.environ['AZURE_CLIENT_SECRET'], disable_instance_discovery=True)\n"
        "print(len(credential.get_token('https://cognitiveservices.azure.com/.default').token))\n"
    )
    env = dict(os.environ)
    env.update(emulator.env)  # what `. ./mock.env` does
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.strip()) > 100
