"""Run by test_anthropic_legacy.py with PYTHONPATH=.venv/anthropic-legacy, so that `import
anthropic` is the 0.x SDK (x-api-key). Usage: anthropic_legacy_client.py BASE_URL KEY.
Prints one JSON object describing what the SDK saw."""

import json
import sys

import anthropic

base_url, key = sys.argv[1], sys.argv[2]
client = anthropic.Anthropic(base_url=base_url, api_key=key, max_retries=0)
message = client.messages.create(model="claude-haiku-4-5", max_tokens=50, messages=[{"role": "user", "content": "legacy hello"}])
with client.messages.stream(
    model="claude-haiku-4-5",
    max_tokens=4096,
    thinking={"type": "enabled", "budget_tokens": 1024},
    tools=[{"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}],
    messages=[{"role": "user", "content": "Use get_weather now"}],
) as stream:
    final = stream.get_final_message()
try:
    anthropic.Anthropic(base_url=base_url, api_key="sk-ant-wrong", max_retries=0).messages.create(
        model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}]
    )
    wrong_key = "accepted"
except anthropic.AuthenticationError as error:
    wrong_key = error.body["error"]["type"]
print(
    json.dumps(
        {
            "version": anthropic.__version__,
            "auth_headers": sorted(client.auth_headers),
            "text": message.content[0].text,
            "blocks": [block.type for block in final.content],
            "tool_input": final.content[-1].input,
            "wrong_key": wrong_key,
        }
    )
)
