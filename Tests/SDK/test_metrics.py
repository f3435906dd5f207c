"""Prometheus metrics as a scraper sees them: `archestra serve` with `ARCHESTRA_METRICS_PORT`
and `ARCHESTRA_METRICS_SECRET`, traffic from the official openai and anthropic SDKs through it,
then `/metrics` parsed by the official Python client (`prometheus_client.parser`)."""

from __future__ import annotations

import anthropic
import httpx
import openai
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import Emulator, free_port, start_proxy, stop

SECRET = "metrics-scrape-secret-41f7"
MESSAGES = [{"role": "user", "content": "Hello there"}]


def scrape(url: str, token: str | None) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return httpx.get(url, headers=headers, timeout=10.0)


def samples(text: str) -> dict[str, list]:
    """Every family by name, as the official parser reads it (it raises on malformed text)."""
    return {family.name: family for family in text_string_to_metric_families(text)}


def value(family, **labels: str) -> float:
    """The sum of a family's samples (by sample name suffix `_total`/`_count` as given in the
    family) whose labels include `labels`."""
    return sum(sample.value for sample in family.samples if all(sample.labels.get(k) == v for k, v in labels.items()))


@pytest.fixture
def proxy_with_metrics(emulator: Emulator, tmp_path):
    metrics_port = free_port()
    proxy = start_proxy(emulator, tmp_path, extra_env={"ARCHESTRA_METRICS_PORT": str(metrics_port), "ARCHESTRA_METRICS_SECRET": SECRET})
    try:
        yield proxy, f"http://127.0.0.1:{metrics_port}/metrics"
    finally:
        assert stop(proxy.process) == 0


def test_sdk_traffic_is_scraped_and_parsed_by_prometheus_client(emulator: Emulator, proxy_with_metrics) -> None:
    proxy, metrics_url = proxy_with_metrics
    client = openai.OpenAI(base_url=f"{proxy.base_url}/v1/openai", api_key=emulator.openai_api_key, max_retries=0)
    answer = client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)
    chunks = list(client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True, stream_options={"include_usage": True}))
    assert chunks
    claude = anthropic.Anthropic(base_url=f"{proxy.base_url}/v1/anthropic", api_key=emulator.env["ANTHROPIC_API_KEY"], max_retries=0)
    message = claude.messages.create(model="claude-haiku-4-5", max_tokens=20, messages=MESSAGES)
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{proxy.base_url}/v1/openai", api_key="sk-not-the-key", max_retries=0).chat.completions.create(
            model="gpt-4o-mini", messages=MESSAGES)

    response = scrape(metrics_url, SECRET)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    families = samples(response.text)

    # prometheus_client names counters without `_total`; histograms keep their base name.
    requests = families["llm_requests"]
    assert requests.type == "counter"
    assert value(requests, provider="openai", model="gpt-4o-mini", status_code="200") == 2
    assert value(requests, provider="openai", model="gpt-4o-mini", status_code="401") == 1
    assert value(requests, provider="anthropic", model="claude-haiku-4-5", status_code="200") == 1

    duration = families["llm_request_duration_seconds"]
    assert duration.type == "histogram"
    counts = [s for s in duration.samples if s.name.endswith("_count") and s.labels.get("provider") == "openai" and s.labels.get("status_code") == "200"]
    assert sum(s.value for s in counts) == 2

    tokens = families["llm_tokens"]
    assert value(tokens, provider="anthropic", type="input") == message.usage.input_tokens
    assert value(tokens, provider="anthropic", type="output") == message.usage.output_tokens
    assert value(tokens, provider="openai", type="input") >= answer.usage.prompt_tokens

    first_token = families["llm_time_to_first_token_seconds"]
    assert sum(s.value for s in first_token.samples if s.name.endswith("_count") and s.labels.get("provider") == "openai") == 1

    in_flight = families["archestra_requests_in_flight"]
    assert in_flight.type == "gauge" and len(in_flight.samples) == 1
    assert "archestra_upstream_requests_awaiting_head" in families

    # Bounded labels: no key, no request id anywhere in the exposition.
    assert emulator.openai_api_key not in response.text and "sk-not-the-key" not in response.text
    for family in families.values():
        for sample in family.samples:
            assert set(sample.labels) <= {"provider", "model", "profile_id", "status_code", "type", "cache_type", "le"}, sample


def test_the_secret_is_required(proxy_with_metrics) -> None:
    _, metrics_url = proxy_with_metrics
    for token in (None, "wrong", SECRET.upper()):
        response = scrape(metrics_url, token)
        assert response.status_code == 401, token
        assert "llm_" not in response.text
    assert scrape(metrics_url, SECRET).status_code == 200
