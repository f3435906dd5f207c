"""Where each OpenAI-compatible provider lives in the emulator's env file and behind the proxy."""

from __future__ import annotations

import dataclasses

from conftest import Emulator, Proxy


@dataclasses.dataclass(frozen=True)
class Provider:
    id: str
    base_url_variable: str  # archestra serve's variable; its value is the SDK's base URL
    key_variable: str  # a key the emulator accepts
    tool_model: str = "m"


PROVIDERS = [
    Provider("groq", "ARCHESTRA_GROQ_BASE_URL", "GROQ_API_KEY"),
    Provider("mistral", "ARCHESTRA_MISTRAL_BASE_URL", "MISTRAL_API_KEY"),
    Provider("xai", "ARCHESTRA_XAI_BASE_URL", "XAI_API_KEY"),
    Provider("openrouter", "ARCHESTRA_OPENROUTER_BASE_URL", "OPENROUTER_API_KEY"),
    Provider("cerebras", "ARCHESTRA_CEREBRAS_BASE_URL", "CEREBRAS_API_KEY"),
    Provider("perplexity", "ARCHESTRA_PERPLEXITY_BASE_URL", "PERPLEXITY_API_KEY"),
    Provider("minimax", "ARCHESTRA_CHAT_MINIMAX_BASE_URL", "MINIMAX_API_KEY"),
    Provider("zhipuai", "ARCHESTRA_ZHIPUAI_BASE_URL", "ZHIPUAI_API_KEY"),
    Provider("vllm", "ARCHESTRA_VLLM_BASE_URL", "VLLM_API_KEY"),
    Provider("ollama", "ARCHESTRA_OLLAMA_BASE_URL", "OLLAMA_API_KEY"),
]


def base_url(provider: Provider, where: str, emulator: Emulator, proxy: Proxy) -> str:
    """The OpenAI SDK's base URL: the emulator's, or the proxy's route for the provider."""
    if where == "direct":
        return emulator.env[provider.base_url_variable]
    return f"{proxy.base_url}/v1/{provider.id}"


def root(emulator: Emulator, variable: str) -> str:
    """The emulator's host root, from a variable that holds it (GROQ_BASE_URL, OLLAMA_HOST…)."""
    return emulator.env[variable]


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
