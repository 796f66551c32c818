"""The OpenAPI schema: generated with no warning, served with interactive docs that need no
outside host, and true to what the API answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from lifeline.core.models import Site
from lifeline.people import services

# The core's and the registry's operations; other apps add theirs.
OPERATIONS = {
    "token_obtain",
    "site_list",
    "me",
    "person_list",
    "person_register",
    "person_get",
    "person_update",
    "person_delete",
    "person_status_record",
    "person_condition_record",
    "person_history",
    "person_merge",
    "person_merge_undo",
    "household_list",
    "household_create",
    "household_get",
    "household_update",
    "household_move",
    "household_member_add",
    "household_member_remove",
}


def test_the_schema_generates_and_validates_with_no_warning(tmp_path: Path) -> None:
    out = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    assert "openapi: 3.0" in out.read_text()


def test_the_schema_documents_every_registry_endpoint_under_a_unique_name() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)

    found = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert not OPERATIONS - set(found), OPERATIONS - set(found)
    assert len(found) == len(set(found))


@pytest.mark.django_db
def test_the_schema_and_the_docs_are_served_without_an_outside_host(viewer: Any) -> None:
    client = APIClient()
    client.force_authenticate(viewer)

    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"person_register" in schema.content
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "http://" not in html and "https://" not in html


# ---- responses against the schema ------------------------------------------------------------


def _as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 to JSON Schema: `nullable` becomes a null alternative, and an object with
    declared properties may have no others (so an undocumented field fails)."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _as_json_schema(value) for key, value in node.items()}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if out.pop("nullable", False):
        return {"anyOf": [out, {"type": "null"}]}
    return out


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    schema: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return schema


def assert_conforms(openapi: dict[str, Any], response: Any, path: str, method: str) -> None:
    operation = openapi["paths"][path][method]
    documented = operation["responses"].get(str(response.status_code))
    assert documented is not None, f"{method} {path}: {response.status_code} is not documented"
    content = documented.get("content")
    if content is None:
        assert not response.content
        return
    body_schema = _as_json_schema(content["application/json"]["schema"])
    body_schema["components"] = _as_json_schema(openapi["components"])
    jsonschema.validate(response.json(), body_schema)


@pytest.mark.django_db
def test_the_answers_of_the_api_conform_to_the_schema(
    openapi: dict[str, Any], commander: Any, site: Site
) -> None:
    client = APIClient()
    client.force_authenticate(commander)
    amal = services.person_register(
        actor=commander,
        given_name="Amal",
        age_years=30,
        area="Block C",
        latitude=31.5,
        longitude=35.1,
        conditions=["wounded"],
    )
    twin = services.person_register(actor=commander, given_name="Amal", family_name="H.")
    household = services.household_create(actor=commander, ration_card="DB-0001", head=amal)
    p, h = f"/api/persons/{amal.pk}/", f"/api/households/{household.pk}/"

    merge = client.post(f"{p}merge/", {"duplicate": str(twin.pk)}, format="json")
    calls: list[tuple[Any, str, str]] = [
        (client.get("/api/me/"), "/api/me/", "get"),
        (client.get("/api/sites/"), "/api/sites/", "get"),
        (client.get("/api/persons/"), "/api/persons/", "get"),
        (client.get("/api/persons/?status=lost"), "/api/persons/", "get"),
        (
            client.post("/api/persons/", {"given_name": "Maaz"}, format="json"),
            "/api/persons/",
            "post",
        ),
        (client.post("/api/persons/", [], format="json"), "/api/persons/", "post"),
        (client.get(p), "/api/persons/{person_id}/", "get"),
        (client.get("/api/persons/nope/"), "/api/persons/{person_id}/", "get"),
        (
            client.patch(p, {"callsign": "Falcon"}, format="json"),
            "/api/persons/{person_id}/",
            "patch",
        ),
        (
            client.post(f"{p}status/", {"status": "in_care"}, format="json"),
            "/api/persons/{person_id}/status/",
            "post",
        ),
        (
            client.post(f"{p}conditions/", {"condition": "ill"}, format="json"),
            "/api/persons/{person_id}/conditions/",
            "post",
        ),
        (client.get(f"{p}history/"), "/api/persons/{person_id}/history/", "get"),
        (merge, "/api/persons/{person_id}/merge/", "post"),
        (
            client.post(f"/api/merges/{merge.json()['id']}/undo/", {}, format="json"),
            "/api/merges/{merge_id}/undo/",
            "post",
        ),
        (client.get("/api/households/"), "/api/households/", "get"),
        (
            client.post("/api/households/", {"shelter": "Tent 2"}, format="json"),
            "/api/households/",
            "post",
        ),
        (client.get(h), "/api/households/{household_id}/", "get"),
        (
            client.patch(h, {"notes": "four children"}, format="json"),
            "/api/households/{household_id}/",
            "patch",
        ),
        (
            client.post(f"{h}move/", {"shelter": "Tent 9"}, format="json"),
            "/api/households/{household_id}/move/",
            "post",
        ),
        (
            client.post(f"{h}members/", {"person": str(twin.pk)}, format="json"),
            "/api/households/{household_id}/members/",
            "post",
        ),
        (
            client.delete(f"{h}members/{twin.pk}/"),
            "/api/households/{household_id}/members/{person_id}/",
            "delete",
        ),
        (client.delete(f"{p}?reason=test"), "/api/persons/{person_id}/", "delete"),
        (client.get(p), "/api/persons/{person_id}/", "get"),
        (APIClient().get("/api/persons/"), "/api/persons/", "get"),
    ]

    for response, path, method in calls:
        assert_conforms(openapi, response, path, method)
