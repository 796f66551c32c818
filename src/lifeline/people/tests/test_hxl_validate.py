"""An export passes HXL's own validator (libhxl, the core schema): `#affected` is a number
there, so persons are `#beneficiary`; files exported with `#affected` still import."""

from __future__ import annotations

import io
from typing import Any

import pytest

from lifeline.core.models import Site
from lifeline.people import services
from lifeline.people.models import Person
from lifeline.people.transfer import persons_export_csv, persons_import_csv

hxl = pytest.importorskip("hxl")

pytestmark = pytest.mark.django_db


def hxl_problems(text: str) -> list[str]:
    problems: list[str] = []
    source = hxl.data(
        hxl.input.make_input(io.BytesIO(text.encode()), hxl.input.InputOptions(allow_local=True))
    )
    hxl.schema(callback=lambda error: problems.append(str(error))).validate(source)
    return problems


def test_an_export_passes_hxlvalidate_against_the_core_schema(commander: Any, site: Site) -> None:
    services.person_register(
        actor=commander,
        given_name="Amal",
        family_name="Haddad",
        other_names=["Um Ali"],
        age_years=34,
        latitude=33.5,
        longitude=36.3,
        conditions=["pregnant"],
    )
    out = io.StringIO()
    persons_export_csv(actor=commander, stream=out)

    assert "#affected" not in out.getvalue()
    assert hxl_problems(out.getvalue()) == []


def test_a_file_exported_with_the_old_affected_hashtags_still_imports(
    registrar: Any, site: Site
) -> None:
    text = "given,family\n#affected +name +given,#affected +name +family\nAmal,Haddad\n"
    report = persons_import_csv(actor=registrar, stream=io.BytesIO(text.encode()))
    assert report.imported == 1
    assert Person.objects.get().family_name == "Haddad"
