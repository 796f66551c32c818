"""Every arrow points down: the imports of src/lifeline, read without importing them, follow the
layers written in `architecture.py` (and mirrored in docs/architecture.md).

The second half feeds the checker small made-up source trees, one forbidden arrow each, so that
every rule is shown able to fail."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from lifeline.tests import architecture as arch
from lifeline.tests.architecture import Project

SOURCE = Path(__file__).resolve().parents[1]  # src/lifeline
DOC = SOURCE.parents[1] / "docs" / "architecture.md"

Rule = Callable[[Project], list[str]]


def assert_none(title: str, offences: list[str]) -> None:
    """Fail with one line per offence, without the list's repr."""
    if offences:
        pytest.fail(arch.report(title, offences), pytrace=False)


@pytest.fixture(scope="module")
def project() -> Project:
    return arch.scan(SOURCE)


def test_core_imports_no_other_app(project: Project) -> None:
    offences = arch.core_imports_no_app(project)
    assert_none("core imports an app or the root", offences)


def test_alerts_import_only_core(project: Project) -> None:
    offences = arch.alerts_import_only_core(project)
    assert_none("alerts imports more than core", offences)


def test_no_app_imports_web_or_the_cli_root(project: Project) -> None:
    offences = arch.no_app_imports_web_or_cli_root(project)
    assert_none("an app imports web or lifeline.cli", offences)


def test_pure_rule_modules_import_no_django(project: Project) -> None:
    offences = arch.pure_modules_import_no_django(project)
    assert_none("a pure rule module is not pure", offences)


def test_every_listed_pure_module_is_found(project: Project) -> None:
    missing = arch.pure_basenames_missing(project)
    assert_none("PURE_BASENAMES names modules found nowhere (renamed? update the list)", missing)


def test_apps_import_each_other_without_a_cycle(project: Project) -> None:
    offences = arch.no_cycle_between_apps(project)
    assert_none("import cycles between apps", offences)


def test_every_arrow_points_down_the_layers(project: Project) -> None:
    offences = arch.arrows_follow_the_layers(project)
    assert_none("arrows against the layers", offences)


def test_every_app_has_a_layer() -> None:
    apps = {path.parent.name for path in SOURCE.glob("*/__init__.py")} - {"tests"}
    assert_none("apps with no layer in LAYERS", sorted(apps - set(arch.LAYERS)))


def test_no_app_imports_another_apps_private_names_or_http_layer(project: Project) -> None:
    offences = arch.no_cross_app_private_or_surface_import(project)
    assert_none("private or HTTP/CLI imports across apps", offences)


def test_no_module_is_longer_than_800_lines(project: Project) -> None:
    offences = arch.no_long_module(project)
    assert_none(f"modules over {arch.MAX_LINES} lines", offences)


def test_the_capability_arrows_are_acyclic() -> None:
    edges = {app: set(targets) for app, targets in arch.CAPABILITY_ARROWS.items()}
    for app, targets in edges.items():
        for target in targets:
            assert arch._shortest_path(edges, target, app) is None, (app, target)


def test_the_architecture_doc_lists_the_same_capability_arrows() -> None:
    # A row of the doc's table: | `intel` | `people`, `missions` |
    row = re.compile(r"^\|\s*`(\w+)`\s*\|([^|]*)\|")
    documented = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = row.match(line)
        if match and match.group(1) in arch.CAPABILITY_ARROWS:
            documented[match.group(1)] = frozenset(re.findall(r"`(\w+)`", match.group(2)))
    assert documented == dict(arch.CAPABILITY_ARROWS)


# --- the checker fails on each forbidden arrow ----------------------------------------------


def tree(tmp_path: Path, files: Mapping[str, str]) -> Project:
    """A made-up `lifeline` package with these files (and an `__init__.py` in every folder)."""
    root = tmp_path / "lifeline"
    for relative, source in files.items():
        path = root / relative
        for folder in [root, *reversed(path.relative_to(root).parents[:-1])]:
            (root / folder).mkdir(parents=True, exist_ok=True)
            (root / folder / "__init__.py").touch()
        path.write_text(source, encoding="utf-8")
    return arch.scan(root)


FORBIDDEN: list[tuple[str, dict[str, str], Rule, str]] = [
    (
        "core imports an app",
        {"core/models.py": "from lifeline.people.models import Person\n"},
        arch.core_imports_no_app,
        "lifeline.core.models:1 -> lifeline.people.models.Person (core -> people)",
    ),
    (
        "core imports an app by a relative import inside a function",
        {
            "core/services.py": "def f():\n    from ..people import services\n",
            "people/services.py": "",
        },
        arch.core_imports_no_app,
        "lifeline.core.services:2 -> lifeline.people.services (core -> people)",
    ),
    (
        "core imports the CLI root under TYPE_CHECKING",
        {
            "cli.py": "",
            "core/api.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from lifeline import cli\n",
        },
        arch.core_imports_no_app,
        "lifeline.core.api:3 -> lifeline.cli (core -> (root))",
    ),
    (
        "alerts imports a capability app",
        {"alerts/services.py": "import lifeline.intel.models\n"},
        arch.alerts_import_only_core,
        "lifeline.alerts.services:1 -> lifeline.intel.models (alerts -> intel)",
    ),
    (
        "an app imports web",
        {"care/views.py": "from lifeline.web.errors import page_view\n"},
        arch.no_app_imports_web_or_cli_root,
        "lifeline.care.views:1 -> lifeline.web.errors.page_view (care -> web)",
    ),
    (
        "an app imports the CLI root",
        {"cli.py": "", "people/cli.py": "from lifeline.cli import state_of\n"},
        arch.no_app_imports_web_or_cli_root,
        "lifeline.people.cli:1 -> lifeline.cli.state_of (people -> the CLI root)",
    ),
    (
        "a pure module imports Django inside a function",
        {"care/triage.py": "def f():\n    from django.db import models\n"},
        arch.pure_modules_import_no_django,
        "lifeline.care.triage:2 -> django.db.models (imports Django)",
    ),
    (
        "a pure module imports DRF",
        {"supplies/rules.py": "import rest_framework.serializers\n"},
        arch.pure_modules_import_no_django,
        "lifeline.supplies.rules:1 -> rest_framework.serializers (imports Django)",
    ),
    (
        "a pure module moved into a sub-package imports a module that is not pure",
        {"people/matching/names.py": "from lifeline.people.models import Person\n"},
        arch.pure_modules_import_no_django,
        "lifeline.people.matching.names:1 -> lifeline.people.models.Person "
        "(imports a lifeline module that is not pure)",
    ),
    (
        "the package of a pure module imports Django",
        {"people/matching/__init__.py": "import django\n", "people/matching/names.py": ""},
        arch.pure_modules_import_no_django,
        "lifeline.people.matching:1 -> django (the package of pure "
        "lifeline.people.matching.names imports Django)",
    ),
    (
        "a listed pure module is found nowhere",
        {"core/clock.py": ""},
        arch.pure_basenames_missing,
        "hlc",
    ),
    (
        "a cycle held apart by an import inside a function",
        {
            "intel/services.py": "from lifeline.missions import services\n",
            "missions/services.py": "def f():\n    from lifeline.intel import services\n",
        },
        arch.no_cycle_between_apps,
        "intel -> missions -> intel   [lifeline.intel.services:1 -> lifeline.missions.services;"
        " lifeline.missions.services:2 -> lifeline.intel.services]",
    ),
    (
        "a cycle of three apps",
        {
            "care/a.py": "import lifeline.people.b\n",
            "people/b.py": "import lifeline.supplies.c\n",
            "supplies/c.py": "import lifeline.care.a\n",
        },
        arch.no_cycle_between_apps,
        "care -> people -> supplies -> care",
    ),
    (
        "a capability app imports one it may not",
        {"routing/services.py": "from lifeline.intel.models import Sighting\n"},
        arch.arrows_follow_the_layers,
        "(routing -> intel is not an allowed arrow within its layer)",
    ),
    (
        "an app imports one of a higher layer",
        {"supplies/services.py": "from lifeline.sync import apply\n", "sync/apply.py": ""},
        arch.arrows_follow_the_layers,
        "lifeline.supplies.services:1 -> lifeline.sync.apply (supplies -> sync points up)",
    ),
    (
        "web imports demo",
        {"web/views.py": "from lifeline.demo import loader\n", "demo/loader.py": ""},
        arch.arrows_follow_the_layers,
        "(web -> demo is not an allowed arrow within its layer)",
    ),
    (
        "an app with no layer",
        {"gadgets/services.py": "from lifeline.core import errors\n", "core/errors.py": ""},
        arch.arrows_follow_the_layers,
        "(gadgets has no layer in LAYERS)",
    ),
    (
        "a private function of another app",
        {"intel/services.py": "from lifeline.missions.services import _point_add\n"},
        arch.no_cross_app_private_or_surface_import,
        "lifeline.intel.services:1 -> lifeline.missions.services._point_add "
        "(private _point_add of missions)",
    ),
    (
        "a private module of another app",
        {
            "care/services.py": "from lifeline.supplies.services import _hot_path\n",
            "supplies/services/_hot_path.py": "",
        },
        arch.no_cross_app_private_or_surface_import,
        "lifeline.care.services:1 -> lifeline.supplies.services._hot_path "
        "(private _hot_path of supplies)",
    ),
    (
        "another app's HTTP layer",
        {"missions/views.py": "from lifeline.intel.api import report_parse_and_file\n"},
        arch.no_cross_app_private_or_surface_import,
        "lifeline.missions.views:1 -> lifeline.intel.api.report_parse_and_file "
        "(intel's api module)",
    ),
    (
        "another app's command line, in a sub-package",
        {"intel/cli.py": "from lifeline.missions.radio.cli import parsed\n"},
        arch.no_cross_app_private_or_surface_import,
        "lifeline.intel.cli:1 -> lifeline.missions.radio.cli.parsed (missions's cli module)",
    ),
    (
        "a long module",
        {"people/services.py": "x = 1\n" * 801},
        arch.no_long_module,
        "lifeline.people.services has 801 lines",
    ),
]


@pytest.mark.parametrize(
    ("files", "rule", "expected"),
    [pytest.param(files, rule, expected, id=name) for name, files, rule, expected in FORBIDDEN],
)
def test_the_checker_reports_a_forbidden_arrow(
    tmp_path: Path, files: dict[str, str], rule: Rule, expected: str
) -> None:
    offences = rule(tree(tmp_path, files))
    assert any(expected in offence for offence in offences), offences


ALL_RULES = [rule for rule in arch.RULES.values() if rule is not arch.pure_basenames_missing]


def test_the_checker_lets_every_allowed_arrow_through(tmp_path: Path) -> None:
    project = tree(
        tmp_path,
        {
            "urls.py": "from django.urls import include\ninclude('lifeline.care.urls')\n",
            "cli.py": "from lifeline.care.cli import app\nfrom lifeline.demo import loader\n",
            "core/api.py": "def _flatten(): ...\n",
            "core/cli.py": "def state_of(): ...\n",
            "alerts/services.py": "from lifeline.core.api import ApiView\n",
            "people/models.py": "from django.db import models\n",
            "people/matching/names.py": "import unicodedata\nfrom . import rules\n",
            "people/matching/rules.py": "from lifeline.core.hlc import Hlc\n",
            "core/hlc.py": "",
            "care/triage.py": "from dataclasses import dataclass\n",
            "care/cli.py": "from lifeline.core.cli import state_of\nfrom . import _shared\n",
            "care/_shared.py": "from lifeline.core.api import ApiView\n",
            "care/urls.py": "from lifeline.people import urls\n",
            "care/services.py": "def f():\n    from lifeline.alerts.services import raise_\n"
            "    from lifeline.supplies.services import ration_issue\n",
            "supplies/services.py": "from lifeline.people.selectors import person_get\n",
            "intel/services.py": "from lifeline.missions.services import mission_create\n"
            "from lifeline.routing.services import risk_sighting_add\n",
            "missions/services.py": "from lifeline.routing.services import route_safest\n",
            "routing/services.py": "from lifeline.core import errors\n",
            "sync/apply.py": "from lifeline.intel import services\n",
            "web/views.py": "from lifeline.care.api import CareApi\nimport lifeline.sync.apply\n",
            "demo/loader.py": "from lifeline.intel.schemas import ReportIn\n" + "x = 1\n" * 900,
            "people/tests/test_x.py": "from lifeline.web.views import x\n" + "x = 1\n" * 900,
            "people/migrations/0001.py": "from lifeline.web import views\n",
        },
    )
    assert {rule.__name__: rule(project) for rule in ALL_RULES} == {
        rule.__name__: [] for rule in ALL_RULES
    }
