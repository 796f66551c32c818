"""The OpenAPI schema says every answer the API can give: a postprocessing hook of
drf-spectacular adds the error responses every operation may return (in the one error shape)
to those that do not declare them, so that the schema matches what the API does."""

from __future__ import annotations

from typing import Any

# What any operation may answer, whatever it declares: bad input (a query or body), not signed
# in, a role that may not, no such record or page, and a database busy for a moment.
EVERY_OPERATION = {
    "400": "bad input; `fields` names each offending field",
    "401": "not signed in",
    "403": "the role may not do this; the message says what was refused",
    "404": "no such record (or no such page of a list)",
    "503": "the database is busy with another write; try again after Retry-After seconds",
}
# And what a write may answer besides.
EVERY_WRITE = {
    "409": "the record changed in a way that forbids this (deleted, merged, already undone)",
    "413": "the request body is too large",
}
WRITES = {"post", "put", "patch", "delete"}


def error_responses_complete(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOutput"}}}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            wanted = dict(EVERY_OPERATION)
            if method in WRITES:
                wanted |= EVERY_WRITE
            if operation.get("security") == [] or {} in operation.get("security", [{}]):
                wanted.pop("401", None)  # an operation open to anyone
                wanted.pop("403", None)
            for code, meaning in wanted.items():
                operation["responses"].setdefault(code, {"description": meaning, "content": error})
    return result
