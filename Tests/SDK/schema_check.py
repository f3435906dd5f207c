"""A small JSON Schema checker for the subset the emulator's tool-call generator supports.

Written here (not imported from the emulator) so that the SDK tests judge the generated
arguments independently.
"""

from __future__ import annotations

from typing import Any


def validate(value: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, path: str = "$") -> None:
    root = root if root is not None else schema
    if "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        return validate(value, node, root, path)
    if "enum" in schema:
        assert value in schema["enum"], f"{path}: {value!r} not in {schema['enum']}"
    kind = schema.get("type")
    if kind == "object" or (kind is None and "properties" in schema):
        assert isinstance(value, dict), f"{path}: expected object"
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            assert name in value, f"{path}: missing required {name}"
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(properties)
            assert not extra, f"{path}: unexpected properties {extra}"
        for name, item in value.items():
            if name in properties:
                validate(item, properties[name], root, f"{path}.{name}")
    elif kind == "array":
        assert isinstance(value, list), f"{path}: expected array"
        for index, item in enumerate(value):
            validate(item, schema.get("items", {}), root, f"{path}[{index}]")
    elif kind == "string":
        assert isinstance(value, str), f"{path}: expected string"
    elif kind == "integer":
        assert isinstance(value, int) and not isinstance(value, bool), f"{path}: expected integer"
    elif kind == "number":
        assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{path}: expected number"
    elif kind == "boolean":
        assert isinstance(value, bool), f"{path}: expected boolean"
