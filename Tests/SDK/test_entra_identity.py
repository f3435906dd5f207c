"""azure-identity's credentials against the Entra ID and Azure managed-identity emulators, and
`openai.AzureOpenAI` with an Entra token provider against the Azure OpenAI emulator."""

from __future__ import annotations

import time

import openai
import pytest
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import (
    ClientSecretCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
    get_bearer_token_provider,
)

from entra_support import COGNITIVE_SCOPE, FOUNDRY_SCOPE, claims, trust_mock_ca


def secret_credential(emulator, secret: str | None = None) -> ClientSecretCredential:
    env = emulator.env
    return ClientSecretCredential(
        env["AZURE_TENANT_ID"], env["AZURE_CLIENT_ID"], secret or env["AZURE_CLIENT_SECRET"],
        authority=env["AZURE_AUTHORITY_HOST"], disable_instance_discovery=True,
    )


def test_client_secret_credential(emulator, monkeypatch) -> None:
    trust_mock_ca(emulator, monkeypatch)
    token = secret_credential(emulator).get_token(COGNITIVE_SCOPE)
    assert claims(token.token)["aud"] == "https://cognitiveservices.azure.com"
    assert claims(token.token)["appid"] == emulator.env["AZURE_CLIENT_ID"]
    assert token.expires_on > time.time() + 3000


def test_client_secret_credential_wrong_secret_is_aadsts7000215(emulator, monkeypatch) -> None:
    trust_mock_ca(emulator, monkeypatch)
    with pytest.raises(ClientAuthenticationError) as raised:
        secret_credential(emulator, secret="not-the-secret").get_token(COGNITIVE_SCOPE)
    assert "AADSTS7000215" in str(raised.value)


def test_workload_identity_credential(emulator, monkeypatch) -> None:
    trust_mock_ca(emulator, monkeypatch)
    env = emulator.env
    credential = WorkloadIdentityCredential(
        tenant_id=env["AZURE_TENANT_ID"], client_id=env["AZURE_CLIENT_ID"],
        token_file_path=env["AZURE_FEDERATED_TOKEN_FILE"], authority=env["AZURE_AUTHORITY_HOST"],
    )
    token = credential.get_token(FOUNDRY_SCOPE)
    assert claims(token.token)["aud"] == "https://ai.azure.com"


def test_workload_identity_with_a_foreign_token_file_is_refused(emulator, monkeypatch, tmp_path) -> None:
    trust_mock_ca(emulator, monkeypatch)
    env = emulator.env
    foreign = tmp_path / "token"
    # A JWT whose signature does not match its claims.
    header, payload, _ = open(env["AZURE_FEDERATED_TOKEN_FILE"]).read().strip().split(".")
    foreign.write_text(f"{header}.{payload}.AAAA")
    credential = WorkloadIdentityCredential(
        tenant_id=env["AZURE_TENANT_ID"], client_id=env["AZURE_CLIENT_ID"],
        token_file_path=str(foreign), authority=env["AZURE_AUTHORITY_HOST"],
    )
    with pytest.raises(ClientAuthenticationError) as raised:
        credential.get_token(FOUNDRY_SCOPE)
    assert "AADSTS50013" in str(raised.value)


def test_managed_identity_credential_imds(emulator, monkeypatch) -> None:
    trust_mock_ca(emulator, monkeypatch)
    monkeypatch.setenv("AZURE_POD_IDENTITY_AUTHORITY_HOST", emulator.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"])
    token = ManagedIdentityCredential().get_token(COGNITIVE_SCOPE)
    assert claims(token.token)["aud"] == "https://cognitiveservices.azure.com"
    assert token.expires_on > time.time() + 80000


def test_managed_identity_credential_app_service(emulator, monkeypatch) -> None:
    trust_mock_ca(emulator, monkeypatch)
    monkeypatch.setenv("IDENTITY_ENDPOINT", emulator.env["IDENTITY_ENDPOINT"])
    monkeypatch.setenv("IDENTITY_HEADER", emulator.env["IDENTITY_HEADER"])
    token = ManagedIdentityCredential().get_token(FOUNDRY_SCOPE)
    assert claims(token.token)["aud"] == "https://ai.azure.com"


def test_azure_openai_with_an_entra_token_provider(emulator, monkeypatch) -> None:
    trust_mock_ca(emulator, monkeypatch)
    provider = get_bearer_token_provider(secret_credential(emulator), COGNITIVE_SCOPE)
    with openai.AzureOpenAI(
        azure_endpoint=emulator.env["AZURE_OPENAI_ENDPOINT"], azure_ad_token_provider=provider,
        api_version=emulator.env["OPENAI_API_VERSION"], max_retries=0,
    ) as client:
        completion = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello there"}])
        assert completion.choices[0].message.content == "Echo: Hello there"


def test_azure_openai_refuses_a_token_for_another_audience(emulator, monkeypatch) -> None:
    trust_mock_ca(emulator, monkeypatch)
    provider = get_bearer_token_provider(secret_credential(emulator), FOUNDRY_SCOPE)
    with openai.AzureOpenAI(
        azure_endpoint=emulator.env["AZURE_OPENAI_ENDPOINT"], azure_ad_token_provider=provider,
        api_version=emulator.env["OPENAI_API_VERSION"], max_retries=0,
    ) as client:
        with pytest.raises(openai.AuthenticationError) as raised:
            client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
        assert "audience is incorrect" in str(raised.value)
