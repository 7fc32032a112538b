"""The layout's rules, read from the code's own imports: no circles, each layer looks down.

Every import of a `claims` module counts, including those inside functions: an import put in
a function to dodge a circle is still a circle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("claims", "factcheck")
# The domain: what pages, commands, the admin and the API are built on.
DOMAIN = (
    "claims.access",
    "claims.corroboration",
    "claims.evidence",
    "claims.extraction",
    "claims.listing",
    "claims.reporting",
    "claims.review",
    "claims.sources",
)
# What only the outer layer (views, forms, admin, urls, templatetags) may import.
OUTER = (
    "claims.views",
    "claims.forms",
    "claims.admin",
    "claims.urls",
    "claims.management",
    "claims.api",
)


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules():
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imported(name, path):
    """The project modules `name` imports anywhere in its text."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return {target for target in found if target in MODULES and target != name}


GRAPH = {name: _imported(name, path) for name, path in MODULES.items()}


def _within(name, prefixes):
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _reachable(graph, start):
    """Every module `start` leads to through one import or more."""
    seen, todo = set(), list(graph[start])
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph[node])
    return seen


def _cycles(graph):
    """Groups of more than one module that each lead to all the others (a hundred modules:
    a walk from each is quick enough and plain to read)."""
    reach = {node: _reachable(graph, node) for node in graph}
    groups = set()
    for node in graph:
        group = {other for other in reach[node] if node in reach[other]} | {node}
        if len(group) > 1:
            groups.add(tuple(sorted(group)))
    return sorted(list(group) for group in groups)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles():
    assert _cycles(GRAPH) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_says_what_it_is_for(name):
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{MODULES[name].relative_to(ROOT)} has no docstring"


def test_the_domain_never_imports_the_outer_layer():
    offending = {
        (name, target)
        for name, targets in GRAPH.items()
        if _within(name, DOMAIN)
        for target in targets
        if _within(target, OUTER)
    }
    assert offending == set()


def test_demo_and_synthetic_data_are_for_commands_only():
    users = {
        name
        for name, targets in GRAPH.items()
        if not _within(name, ("claims.devdata",))
        for target in targets
        if _within(target, ("claims.devdata",))
    }
    assert users
    assert all(_within(name, ("claims.management",)) for name in users), users


def _third_party_roots(path):
    """Top-level names of every absolute import in the file."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_extraction_is_plain_python():
    """Extraction runs without Django (`manage.py extract_claims` and the benchmarks)."""
    for name, path in MODULES.items():
        if _within(name, ("claims.extraction",)):
            assert "django" not in _third_party_roots(path), name
            assert not {
                target for target in GRAPH[name] if not _within(target, ("claims.extraction",))
            }, name
