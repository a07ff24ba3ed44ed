"""The dependency rule of the code layout (README "How the code is laid out",
DESIGN.md §5), checked on every import statement so it cannot rot:

    content  ←  patients  ←  the engine (rehab/)  ←  {rehab/workspace, portal, interchange}

Arrows point down only, and the three top areas never import each other. The
project's wiring (rehab/settings, rehab/urls.py, rehab/celery.py) may name
every area.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AREAS = ("content", "patients", "rehab", "rehab.workspace", "portal", "interchange")
PROJECT_WIRING = ("rehab.settings", "rehab.urls", "rehab.celery")

# What each area may import from the project's own code.
ALLOWED = {
    "content": {"content"},
    "patients": {"content", "patients"},
    "rehab": {"content", "patients", "rehab"},
    "rehab.workspace": {"content", "patients", "rehab", "rehab.workspace"},
    "portal": {"content", "patients", "rehab", "portal"},
    "interchange": {"content", "patients", "rehab", "interchange"},
}


def area_of(module: str) -> str | None:
    """The area a dotted module name belongs to (the longest matching prefix)."""
    matches = [a for a in AREAS if module == a or module.startswith(a + ".")]
    return max(matches, key=len) if matches else None


def imported_modules(source: str, module: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in `source`."""
    found = []
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module
            found.append((node.lineno, name))
            # `from rehab import workspace` names a module, not just a package.
            found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
    return found


def violations(source: str, module: str) -> list[str]:
    own = area_of(module)
    if own is None or module.startswith(PROJECT_WIRING):
        return []
    problems = []
    for line, name in imported_modules(source, module):
        target = area_of(name)
        if target is not None and target not in ALLOWED[own]:
            problems.append(f"{module}:{line} imports {name} ({own} may not depend on {target})")
    return problems


def project_modules():
    for area in ("content", "patients", "rehab", "portal", "interchange"):
        for path in sorted((ROOT / area).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(ROOT).with_suffix("")
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            yield path, ".".join(parts)


def test_every_import_follows_the_dependency_rule():
    problems = []
    for path, module in project_modules():
        problems += violations(path.read_text(), module)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("module", "source"), [
    ("content.models", "from patients.models import Patient"),
    ("patients.models", "import rehab.flags"),
    ("rehab.flags", "from rehab.workspace.selectors import caseload_rows"),
    ("rehab.flags", "from rehab import workspace"),
    ("rehab.entries", "from portal.views import portal_home"),
    ("portal.views", "from interchange import jobs"),
    ("interchange.views", "from rehab.workspace.access import get_patient_for_user"),
    ("rehab.workspace.patient", "from portal.selectors import portal_context"),
    ("rehab.flags", "from .workspace import selectors"),
])
def test_an_upward_or_sideways_import_is_caught(module, source):
    assert violations(source, module)


@pytest.mark.parametrize(("module", "source"), [
    ("rehab.workspace.patient", "from rehab.flags import flag_acknowledge"),
    ("portal.views", "from rehab.portal_links import portal_link_resolve"),
    ("interchange.importer", "from patients.models import Patient\nfrom content import codes"),
    ("rehab.urls", "from portal import views"),
    ("rehab.workspace.visits", "from .access import get_patient_for_user"),
])
def test_downward_imports_are_allowed(module, source):
    assert violations(source, module) == []
