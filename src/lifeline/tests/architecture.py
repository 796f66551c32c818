"""Reads the imports of `src/lifeline` (with `ast`, importing nothing) and checks the arrows.

The rules and the allowed arrows are written down here once; docs/architecture.md mirrors them
and this module is the source of truth. Each check returns the offending imports as
`module:line -> imported module` so that a failure says what to move.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "lifeline"
ROOT = "(root)"  # lifeline.cli, lifeline.urls, lifeline.settings, lifeline.wsgi, lifeline.conftest

CORE = "core"
ALERTS = "alerts"
CAPABILITIES = ("people", "care", "supplies", "missions", "intel", "routing", "facilities")
SYNC = "sync"
# Backups read every app's tables as one database and check the supplies ledger in a restored
# copy, so they sit with sync above the capability apps.
BACKUPS = "backups"
TOP = ("web", "demo", ROOT)

# Bottom to top. An app may import an app of a lower layer; within a layer only the arrows
# below. `facilities` and `sync` are placed although they may not exist yet.
LAYERS: Mapping[str, int] = {
    CORE: 0,
    ALERTS: 1,
    **dict.fromkeys(CAPABILITIES, 2),
    SYNC: 3,
    BACKUPS: 3,
    **dict.fromkeys(TOP, 4),
}

# The arrows allowed between two capability apps (importer -> what it may import); anything
# not here is forbidden, and these must stay acyclic. A person is who everything is about, so
# `people` imports no other capability. `routing` knows roads, risk and routes, not who reports
# a threat nor who travels: intel feeds it sightings and watches the routes for risk. A field
# report is about a mission and its effects reach missions (a check-in, an extraction point),
# supplies (a cache found) and routing (a sighting), so `intel` sits on top. `facilities`
# puts people on intel's watch posts and draws repair material from supplies' ledger.
CAPABILITY_ARROWS: Mapping[str, frozenset[str]] = {
    "people": frozenset(),
    "routing": frozenset(),
    "supplies": frozenset({"people"}),
    "care": frozenset({"people", "supplies"}),
    "missions": frozenset({"people", "routing"}),
    "intel": frozenset({"people", "missions", "routing", "supplies"}),
    "facilities": frozenset({"intel", "people", "supplies"}),
}

# The top layer assembles: the root may import web and demo; web and demo import neither
# each other nor the root.
TOP_ARROWS: Mapping[str, frozenset[str]] = {
    ROOT: frozenset({"web", "demo"}),
    "web": frozenset(),
    "demo": frozenset(),
}

# Pure rule modules, found by basename anywhere under src/lifeline (they may move into
# sub-packages); every `rules.py` is one too. They import no Django, no DRF, and no lifeline
# module that is not itself pure, so that their tests run without a database or settings.
PURE_BASENAMES = frozenset(
    {
        "triage",
        "allocation",
        "schedule",
        "names",
        "readings",
        "arabic_script",
        "linkage",
        "blocking",
        "codec",
        "cot",
        "radio",
        "lifecycle",
        "sketch",
        "graph",
        "search",
        "turns",
        "roster",
        "risk",
        "hlc",
        "rules",
    }
)
DJANGO_PACKAGES = frozenset({"django", "rest_framework"})
DJANGO_PREFIXES = ("django_", "drf_")

# A module of an app's HTTP or command-line surface. Other apps call services and selectors.
SURFACE_BASENAMES = frozenset({"api", "views", "cli", "schemas", "urls"})
# Who may import another app's surface: the top layer, and URL confs (which include others').
SURFACE_IMPORTERS = frozenset(TOP)

MAX_LINES = 800
LONG_MODULE_EXEMPT_APPS = frozenset({"demo"})

# Calls whose constant string argument is an import done by Django or importlib.
STRING_IMPORTERS = frozenset({"include", "import_module", "import_string"})


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module that imports
    line: int
    target: str  # dotted module imported (resolved, absolute)
    name: str | None = None  # the name taken from `target` when it is not a module itself

    @property
    def imported(self) -> str:
        return f"{self.target}.{self.name}" if self.name else self.target

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} -> {self.imported}"


@dataclass
class Module:
    name: str
    path: Path
    app: str
    lines: int
    imports: list[Import] = field(default_factory=list)


@dataclass
class Project:
    root: Path
    modules: dict[str, Module] = field(repr=False)  # checked: no migrations, no tests
    top_level: frozenset[str]  # names of lifeline's own top-level modules (the root's)

    def app_of(self, dotted: str) -> str | None:
        """The app a dotted module belongs to, ROOT for the top-level ones, None if not ours."""
        parts = dotted.split(".")
        if parts[0] != PACKAGE:
            return None
        if len(parts) == 1 or parts[1] in self.top_level:
            return ROOT
        return parts[1]

    def lifeline_imports(self) -> Iterable[tuple[Module, Import, str]]:
        """Every import of a lifeline module, with the app it points to."""
        for module in self.modules.values():
            for imp in module.imports:
                target_app = self.app_of(imp.target)
                if target_app is not None:
                    yield module, imp, target_app


def _is_excluded(relative: Path) -> bool:
    parts = relative.parts
    return "migrations" in parts or "tests" in parts or relative.name.startswith("test_")


def _module_name(relative: Path) -> str:
    parts = [PACKAGE, *relative.with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(module: str, is_package: bool, level: int, target: str | None) -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    if level > 1:
        base = base[: -(level - 1)]
    return ".".join([*base, target] if target else base)


def _imports_of(
    tree: ast.AST, module: str, is_package: bool, known: frozenset[str]
) -> list[Import]:
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(Import(module, node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = (
                _absolute(module, is_package, node.level, node.module)
                if node.level
                else node.module or ""
            )
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in known:
                    found.append(Import(module, node.lineno, submodule))
                elif alias.name == "*":
                    found.append(Import(module, node.lineno, target))
                else:
                    found.append(Import(module, node.lineno, target, alias.name))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            if (
                called in STRING_IMPORTERS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and first.value.split(".")[0] == PACKAGE
            ):
                found.append(Import(module, node.lineno, first.value))
    return found


def scan(root: Path) -> Project:
    """Parse every module under `root` (the `lifeline` package directory) except migrations
    and tests, and collect all its imports: top-level, inside functions, under
    `if TYPE_CHECKING`, absolute and relative."""
    files = sorted(root.rglob("*.py"))
    known = frozenset(_module_name(path.relative_to(root)) for path in files)
    top_level = frozenset(path.stem for path in root.glob("*.py") if path.name != "__init__.py")
    project = Project(root=root, modules={}, top_level=top_level)
    for path in files:
        relative = path.relative_to(root)
        if _is_excluded(relative):
            continue
        name = _module_name(relative)
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
        app = project.app_of(name)
        assert app is not None
        project.modules[name] = Module(
            name=name,
            path=path,
            app=app,
            lines=len(source.splitlines()),
            imports=_imports_of(tree, name, path.name == "__init__.py", known),
        )
    return project


# --- the rules ------------------------------------------------------------------------------


def core_imports_no_app(project: Project) -> list[str]:
    """Rule 1: `core` imports no other lifeline app, nor the root."""
    return [
        f"{imp} (core -> {target_app})"
        for module, imp, target_app in project.lifeline_imports()
        if module.app == CORE and target_app != CORE
    ]


def alerts_import_only_core(project: Project) -> list[str]:
    """Rule 2: `alerts` imports nothing of lifeline but `core`."""
    return [
        f"{imp} (alerts -> {target_app})"
        for module, imp, target_app in project.lifeline_imports()
        if module.app == ALERTS and target_app not in (ALERTS, CORE)
    ]


def no_app_imports_web_or_cli_root(project: Project) -> list[str]:
    """Rule 3: only web, demo, sync and the root import `lifeline.web` or `lifeline.cli`."""
    allowed = {"web", "demo", SYNC, ROOT}
    cli_root = f"{PACKAGE}.cli"
    return [
        f"{imp} ({module.app} -> {'web' if target_app == 'web' else 'the CLI root'})"
        for module, imp, target_app in project.lifeline_imports()
        if module.app not in allowed
        and (target_app == "web" or imp.target == cli_root or imp.imported == cli_root)
    ]


def _basename(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


def pure_modules(project: Project) -> list[Module]:
    return [m for m in project.modules.values() if _basename(m.name) in PURE_BASENAMES]


def pure_basenames_missing(project: Project) -> list[str]:
    """The listed pure modules found nowhere (so the list cannot rot silently)."""
    present = {_basename(m.name) for m in pure_modules(project)}
    return sorted(PURE_BASENAMES - present)


def _is_django(dotted: str) -> bool:
    top = dotted.split(".")[0]
    return top in DJANGO_PACKAGES or top.startswith(DJANGO_PREFIXES)


def _impurities(project: Project, module: Module, why: str) -> list[str]:
    found = []
    for imp in module.imports:
        if _is_django(imp.target):
            found.append(f"{imp} ({why}imports Django)")
        elif project.app_of(imp.target) is not None and _basename(imp.target) not in (
            PURE_BASENAMES
        ):
            found.append(f"{imp} ({why}imports a lifeline module that is not pure)")
    return found


def pure_modules_import_no_django(project: Project) -> list[str]:
    """Rule 4: a pure rule module imports no Django or DRF and no lifeline module that is not
    itself pure; nor do the package `__init__`s that importing it runs."""
    offences: list[str] = []
    packages_seen: set[str] = set()
    for module in pure_modules(project):
        offences += _impurities(project, module, "")
        parts = module.name.split(".")
        for depth in range(1, len(parts)):
            package = ".".join(parts[:depth])
            if package in packages_seen or package not in project.modules:
                continue
            packages_seen.add(package)
            offences += _impurities(
                project, project.modules[package], f"the package of pure {module.name} "
            )
    return offences


def app_arrows(project: Project) -> dict[tuple[str, str], list[Import]]:
    """Every arrow between two apps, with the imports that make it."""
    arrows: dict[tuple[str, str], list[Import]] = {}
    for module, imp, target_app in project.lifeline_imports():
        if target_app != module.app:
            arrows.setdefault((module.app, target_app), []).append(imp)
    return arrows


def _shortest_path(edges: Mapping[str, set[str]], start: str, goal: str) -> list[str] | None:
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(edges.get(node, ())):
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    if nxt == goal:
                        return paths[nxt]
                    following.append(nxt)
        frontier = following
    return None


def app_cycles(project: Project) -> list[list[str]]:
    """The cycles between apps: every pair that imports each other, and the shortest cycle
    through each app that is on one. Each is written from its smallest app, back to it."""
    edges: dict[str, set[str]] = {}
    for importer, target in app_arrows(project):
        edges.setdefault(importer, set()).add(target)
    cycles: dict[tuple[str, ...], list[str]] = {}

    def keep(ring: list[str]) -> None:
        turn = ring.index(min(ring))
        key = tuple(ring[turn:] + ring[:turn])
        cycles.setdefault(key, [*key, key[0]])

    for app, targets in sorted(edges.items()):
        shortest: list[str] | None = None
        for target in sorted(targets):
            back = _shortest_path(edges, target, app)
            if back is None:
                continue
            if len(back) == 2:
                keep([app, target])
            if shortest is None or len(back) < len(shortest):
                shortest = back
        if shortest is not None:
            keep([app, *shortest[:-1]])
    return sorted(cycles.values(), key=lambda cycle: (len(cycle), cycle))


def no_cycle_between_apps(project: Project) -> list[str]:
    """Rule 5: the app -> app graph, imports inside functions included, has no cycle."""
    arrows = app_arrows(project)
    offences = []
    for cycle in app_cycles(project):
        witnesses = "; ".join(
            str(arrows[(a, b)][0])
            + (f" (+{len(arrows[(a, b)]) - 1} more)" if len(arrows[(a, b)]) > 1 else "")
            for a, b in itertools.pairwise(cycle)
        )
        offences.append(f"{' -> '.join(cycle)}   [{witnesses}]")
    return offences


def _arrow_allowed(importer: str, target: str) -> str | None:
    """None when `importer -> target` is allowed, else why not."""
    if importer not in LAYERS:
        return f"{importer} has no layer in LAYERS"
    if target not in LAYERS:
        return f"{target} has no layer in LAYERS"
    lower, upper = LAYERS[target], LAYERS[importer]
    if lower < upper:
        return None
    if lower > upper:
        return f"{importer} -> {target} points up"
    if importer in CAPABILITY_ARROWS and target in CAPABILITY_ARROWS[importer]:
        return None
    if importer in TOP_ARROWS and target in TOP_ARROWS[importer]:
        return None
    return f"{importer} -> {target} is not an allowed arrow within its layer"


def arrows_follow_the_layers(project: Project) -> list[str]:
    """Rule 6: every arrow points down the layers, or is an allowed arrow within one."""
    offences = []
    for (importer, target), imports in sorted(app_arrows(project).items()):
        why = _arrow_allowed(importer, target)
        if why is not None:
            offences += [f"{imp} ({why})" for imp in imports]
    return offences


def _is_private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def _is_surface(dotted: str) -> bool:
    base = _basename(dotted)
    words = base.split("_")
    return base in SURFACE_BASENAMES or words[0] in SURFACE_BASENAMES or words[-1] == "urls"


def no_cross_app_private_or_surface_import(project: Project) -> list[str]:
    """Rule 7: across apps, no private name or module (`_x`) and no other app's `api`, `views`,
    `cli`, `schemas` or `urls` module, except from the top layer and URL confs; core's are the
    machinery every app uses."""
    offences = []
    for module, imp, target_app in project.lifeline_imports():
        if target_app in (module.app, ROOT):  # the root is no app; rules 3 and 6 see to it
            continue
        private = [part for part in imp.imported.split(".") if _is_private(part)]
        if private:
            offences.append(f"{imp} (private {private[-1]} of {target_app})")
            continue
        importer_may = module.app in SURFACE_IMPORTERS or _basename(module.name).endswith("urls")
        if _is_surface(imp.target) and target_app != CORE and not importer_may:
            offences.append(f"{imp} ({target_app}'s {_basename(imp.target)} module)")
    return offences


def no_long_module(project: Project) -> list[str]:
    """Rule 8: no module outside migrations, tests and demo is longer than MAX_LINES."""
    return [
        f"{m.name} has {m.lines} lines"
        for m in sorted(project.modules.values(), key=lambda m: -m.lines)
        if m.lines > MAX_LINES and m.app not in LONG_MODULE_EXEMPT_APPS
    ]


def report(title: str, offences: Sequence[str]) -> str:
    return f"{title}: {len(offences)}\n" + "\n".join(f"  {line}" for line in offences)


RULES = {
    "1. core imports no app": core_imports_no_app,
    "2. alerts imports only core": alerts_import_only_core,
    "3. no app imports web or lifeline.cli": no_app_imports_web_or_cli_root,
    "4. pure rule modules import no Django": pure_modules_import_no_django,
    "4. listed pure modules found nowhere": pure_basenames_missing,
    "5. cycles between apps": no_cycle_between_apps,
    "6. arrows against the layers": arrows_follow_the_layers,
    "7. private or HTTP/CLI imports across apps": no_cross_app_private_or_surface_import,
    f"8. modules over {MAX_LINES} lines": no_long_module,
}


def main() -> None:
    """`python -m lifeline.tests.architecture [SRC/lifeline]`: the app graph, then each rule."""
    import sys

    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    project = scan(root)
    print("arrows between apps (number of imports):")
    for (importer, target), imports in sorted(app_arrows(project).items()):
        print(f"  {importer:>10} -> {target:<10} {len(imports):4}")
    for title, rule in RULES.items():
        print(report(title, rule(project)))


if __name__ == "__main__":
    main()
