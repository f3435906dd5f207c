"""Reads the gzip'd real captures in Cassettes/ (which the Swift structure tests cannot unzip) and
compares an emulator's output with them field by field."""

from __future__ import annotations

import base64
import gzip
import json
import pathlib

CASSETTES = pathlib.Path(__file__).resolve().parents[2] / "Cassettes"


def response_bodies(relative_path: str) -> list[str]:
    """The decoded body of every 200 response (gzip undone, stream frames joined)."""
    cassette = json.loads((CASSETTES / relative_path).read_text())
    bodies = []
    for interaction in cassette["interactions"]:
        response = interaction["response"]
        if response["status"] != 200:
            continue
        parts = response.get("stream") or [response["body"]]
        raw = b"".join(base64.b64decode(p["data"]) if p["encoding"] == "base64" else p["data"].encode() for p in parts)
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        bodies.append(raw.decode())
    return bodies


def sse_objects(stream: str) -> list[dict]:
    objects = []
    for block in stream.replace("\r\n", "\n").split("\n\n"):
        data = "\n".join(line[5:].lstrip(" ") for line in block.split("\n") if line.startswith("data:"))
        if data and data != "[DONE]":
            objects.append(json.loads(data))
    return objects


def key_paths(value: object, prefix: str = "") -> set[str]:
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, child in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths.add(path)
            paths |= key_paths(child, path)
    elif isinstance(value, list):
        for item in value:
            paths |= key_paths(item, prefix + "[]")
    return paths


def missing_paths(real: list[dict], emulated: list[dict], kind, ignored: set[str]) -> dict[str, set[str]]:
    """Per kind present in both, the real key paths the emulated events lack (ignored prefixes excepted)."""
    def by_kind(events: list[dict]) -> dict[str, set[str]]:
        grouped: dict[str, set[str]] = {}
        for event in events:
            grouped.setdefault(kind(event), set()).update(key_paths(event))
        return grouped

    real_paths, emulated_paths = by_kind(real), by_kind(emulated)
    result = {}
    for name, paths in real_paths.items():
        if name not in emulated_paths:
            continue
        lacking = {p for p in paths - emulated_paths[name] if not any(p == i or p.startswith(i + ".") or p.startswith(i + "[") for i in ignored)}
        if lacking:
            result[name] = lacking
    return result
