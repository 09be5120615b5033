"""/api/v1/docs/: the OpenAPI document as a readable page, served without any CDN."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


def inline_code(text: str) -> SafeString:
    """The schema's `backticks` as <code>, everything else escaped."""
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text)))  # noqa: S308


@cache
def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _ref_name(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array" and "items" in schema:
        return f"list of {_ref_name(schema['items'])}"
    return schema.get("type", "")


def _body(content: dict[str, Any] | None) -> str:
    return _ref_name(((content or {}).get("application/json") or {}).get("schema"))


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for url, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            rows.append(
                {
                    "method": method.upper(),
                    "path": url,
                    "summary": op.get("summary", ""),
                    "description": inline_code(op.get("description", "")),
                    "parameters": op.get("parameters", []),
                    "request": _body(op.get("requestBody", {}).get("content")),
                    "responses": [
                        {
                            "status": code,
                            "text": r.get("description", ""),
                            "body": _body(r.get("content")),
                        }
                        for code, r in op.get("responses", {}).items()
                    ],
                }
            )
    return rows


def components(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found = schema.get("components", {}).get("schemas", {})
    return [
        {
            "name": name,
            "fields": [
                {
                    "name": field,
                    "type": _ref_name(spec) or ", ".join(map(str, spec.get("enum", []))),
                    "required": field in body.get("required", []),
                    "help": spec.get("description", ""),
                }
                for field, spec in body.get("properties", {}).items()
            ],
        }
        for name, body in sorted(found.items())
        if body.get("properties")
    ]


@require_GET
def docs_page(request: HttpRequest) -> HttpResponse:
    schema = _schema()
    context = {
        "info": schema["info"],
        "description": inline_code(schema["info"].get("description", "")),
        "operations": operations(schema),
        "components": components(schema),
    }
    return render(request, "api_v1/docs.html", context)
