"""The package's layering, checked from its source: no import loops inside
annotate/, and no module reaching for another module's private (_name) helpers.

A loop or a private import means a rule has no single home; both are cheap to
catch statically (ast, including imports inside functions) and costly to find
by reading. Pure: reads only files under annotate/, imports nothing of it.
"""
import ast
from pathlib import Path

PACKAGE = "annotate"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE


def _module_name(path):
    """Dotted name of a source file under annotate/ (packages by their __init__)."""
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules():
    """Every module of the package, migrations aside (Django writes those)."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        found[_module_name(path)] = path
    return found


def _resolve(module, node, is_package):
    """Absolute name of the module a `from ... import` statement reads."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(modules):
    """(importer, imported module, name or None) for every import statement,
    including those inside functions, restricted to annotate's own modules."""
    edges = []
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == PACKAGE:
                        edges.append((module, alias.name, None))
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(module, node, is_package)
                if target.split(".")[0] != PACKAGE:
                    continue
                for alias in node.names:
                    submodule = f"{target}.{alias.name}"
                    if submodule in modules:
                        edges.append((module, submodule, None))
                    else:
                        edges.append((module, target, alias.name))
    return edges


def _graph(modules, edges):
    """Module -> modules it imports. Importing `a.b.c` also runs a and a.b,
    but a package's __init__ is not counted as a dependency of its own
    submodules' siblings: only the named module is an edge."""
    graph = {name: set() for name in modules}
    for importer, imported, _ in edges:
        if imported in modules and imported != importer:
            graph[importer].add(imported)
    return graph


def _cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def _is_parent_package(importer, imported):
    """A package's __init__ re-exporting its own submodules is not a loop."""
    return importer.startswith(imported + ".") or imported.startswith(importer + ".")


def test_no_import_cycles_inside_annotate():
    modules = _modules()
    edges = [
        edge for edge in _imports(modules) if not _is_parent_package(edge[0], edge[1])
    ]
    assert _cycles(_graph(modules, edges)) == []


def test_no_module_imports_a_private_name_from_another():
    modules = _modules()
    private = sorted(
        f"{importer} imports {name} from {imported}"
        for importer, imported, name in _imports(modules)
        if name and name.startswith("_") and not name.startswith("__")
        and imported != importer
    )
    assert private == []


def test_the_walker_finds_a_planted_cycle_and_private_import(tmp_path):
    """The checks above could pass by finding nothing: prove they see a loop
    and a private import, including one inside a function."""
    graph = {"annotate.a": {"annotate.b"}, "annotate.b": {"annotate.a"}, "annotate.c": set()}
    assert _cycles(graph) == [["annotate.a", "annotate.b"]]
    source = "def f():\n    from annotate.views.review import _hidden\n"
    tree = ast.parse(source)
    found = [
        (n.module, a.name) for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) for a in n.names
    ]
    assert found == [("annotate.views.review", "_hidden")]


def test_the_settled_constraint_spells_out_the_lifecycle_pair():
    """models/claims.py cannot import lifecycle (which imports the models), so its check
    constraint writes the settled pair out; this holds it to lifecycle.SETTLED."""
    from annotate import lifecycle
    from annotate.models import Claim

    constraint = next(c for c in Claim._meta.constraints if c.name == "claim_settled_has_final_verdict")
    negated_in = constraint.condition.children[0]
    assert negated_in.negated
    assert set(dict(negated_in.children)["status__in"]) == set(lifecycle.SETTLED) == {"approved", "published"}


def test_history_actions_are_written_from_the_one_enum():
    """No HistoryEntry is written with a string literal action: each value has one
    definition (models.HistoryAction), so services and describe_history cannot drift."""
    literal = []
    for module, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("HistoryEntry", "create"):
                for kw in node.keywords:
                    if kw.arg == "action" and isinstance(kw.value, ast.Constant):
                        literal.append(f"{module}: action={kw.value.value!r}")
    assert literal == []


def _calls_and_imports(path):
    """(names imported, `name.attr` references (calls or not), functions defined) of one source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported, calls, defined = set(), set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            calls.add(f"{node.value.id}.{node.attr}")
        elif isinstance(node, ast.FunctionDef):
            defined.add(node.name)
    return imported, calls, defined


def test_forms_check_shape_and_never_write():
    """Writes go through services: no form defines save() or opens a transaction."""
    writing = []
    for module, path in _modules().items():
        if not module.startswith("annotate.forms"):
            continue
        imported, calls, defined = _calls_and_imports(path)
        if "save" in defined or "django.db.transaction" in imported or "transaction.atomic" in calls:
            writing.append(module)
    assert writing == []


def test_the_api_holds_no_transaction_of_its_own():
    """API views call services, which own their transactions and version checks."""
    holding = [
        module for module, path in _modules().items()
        if module.startswith("annotate.api")
        and ({"django.db.transaction"} & _calls_and_imports(path)[0] or {"transaction.atomic"} & _calls_and_imports(path)[1])
    ]
    assert holding == []


def test_articles_are_read_from_their_parts_in_one_place():
    """The import page, the API (import and revisions) and import_articles all read what they
    were given through annotate/importing.py: no other module names a reader or fetches."""
    readers = {"extract.from_html", "extract.from_markdown", "extract.extract", "extract.fetch"}
    elsewhere = sorted(
        f"{module}: {call}"
        for module, path in _modules().items()
        if module not in ("annotate.importing", "annotate.extract")
        for call in _calls_and_imports(path)[1] & readers
    )
    assert elsewhere == []
