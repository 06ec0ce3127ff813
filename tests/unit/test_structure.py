"""The shape of the code: no import cycles, modules a reader can hold, arrows that point down.

Read from the source text (no import of the app), so this runs in the fast tier.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "pojo"
MAX_LINES = 400

# What the shared core may import: never a feature (features plug into the core, not the reverse).
CORE = {
    "pojo.access",
    "pojo.bounds",
    "pojo.database",
    "pojo.errors",
    "pojo.extensions",
    "pojo.features",
    "pojo.formatting",
    "pojo.forms",
    "pojo.pagination",
    "pojo.policy",
    "pojo.rows",
    "pojo.search",
    "pojo.signals",
    "pojo.unit_of_work",
    "pojo.web",
}
FEATURES = {
    "api",
    "audit",
    "auth",
    "awards",
    "backups",
    "demo",
    "guide",
    "home",
    "jobs",
    "ledger",
    "mail",
    "market",
    "notifications",
    "outcomes",
    "people",
    "shifts",
    "swaps",
    "insights",
    "history",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(name: str, path: Path) -> set[str]:
    """Every pojo module `name` imports, at module level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*kept, base] if base else kept)
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            resolved = _resolve(candidate)
            if resolved and resolved != name and resolved.startswith("pojo"):
                targets.add(resolved)
    return targets


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _feature(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FEATURES else None


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_between_modules():
    # A package's __init__ registering its own submodules is not a cycle of design.
    graph = {
        name: {t for t in targets if not t.startswith(name + ".")}
        for name, targets in GRAPH.items()
    }
    assert _cycles(graph) == []


def test_no_module_is_longer_than_a_reader_can_hold():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in MODULES.values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_shared_core_imports_no_feature():
    upward = {
        (module, target)
        for module in CORE
        for target in GRAPH.get(module, ())
        if _feature(target) is not None
    }
    assert upward == set()
