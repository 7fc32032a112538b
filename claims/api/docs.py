"""The API's documentation page, written by the server from the OpenAPI schema.

Swagger UI and Redoc run inline scripts and fetch the schema from the browser; this page needs
neither, so it works under the site's Content Security Policy (no 'unsafe-inline') and with
scripts off. The schema itself is at /api/v1/schema/ for tools.
"""

import functools

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

_METHODS = ("get", "post", "put", "patch", "delete")


@functools.cache
def openapi_schema():
    """The schema as a dict, built once per process (the routes do not change at run time)."""
    return SchemaGenerator().get_schema(request=None, public=True)


def _component(schema, ref_or_schema):
    """The fields of a request or response body: [(name, type, required, help)]."""
    body = ref_or_schema or {}
    if "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    required = set(body.get("required", []))
    fields = []
    for name, field in body.get("properties", {}).items():
        if "$ref" in field:
            kind = field["$ref"].rsplit("/", 1)[1]
        elif "enum" in field:
            kind = " | ".join(str(value) for value in field["enum"] if value)
        elif field.get("type") == "array":
            items = field.get("items", {})
            kind = f"list of {items.get('$ref', items.get('type', '')).rsplit('/', 1)[-1]}"
        else:
            kind = field.get("format") or field.get("type", "")
        if field.get("allOf"):
            kind = field["allOf"][0].get("$ref", "").rsplit("/", 1)[-1]
        fields.append((name, kind, name in required, field.get("description", "")))
    return fields


def _operations(schema):
    for url, item in schema["paths"].items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            content = operation.get("requestBody", {}).get("content", {})
            bodies = [
                (media, _component(schema, body.get("schema"))) for media, body in content.items()
            ]
            yield {
                "method": method.upper(),
                "path": url,
                "anchor": operation["operationId"],
                "description": operation.get("description", ""),
                "parameters": [
                    (
                        parameter["name"],
                        parameter["in"],
                        parameter.get("required", False),
                        parameter.get("description", ""),
                    )
                    for parameter in operation.get("parameters", [])
                ],
                "bodies": [(media, fields) for media, fields in bodies if fields],
                "responses": sorted(operation.get("responses", {})),
            }


@login_not_required
@require_GET
def api_docs(request):
    schema = openapi_schema()
    context = {"info": schema["info"], "operations": list(_operations(schema))}
    return render(request, "claims/api_docs.html", context)
