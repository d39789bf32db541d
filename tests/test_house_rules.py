"""The house's layout rules (docs/architecture.md, "Layout as built"), checked on the source itself:
no module over 500 lines, no file split by a ``_work`` suffix, no import of another module's private
name, and an import inside a function only where it must be — in ``AppConfig.ready()``, or with the
reason on its line (a cycle it breaks, a module that loads before Django is set up, or "lazy: memory":
a heavy library loaded only by the code that needs it)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "complaintdesk"
LIMIT = 500
# the reasons an import may stay inside a function, written on its line
REASONS = ("cycle", "before django", "after django.setup", "lazy: memory")


def modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_no_module_is_over_500_lines() -> None:
    long = {str(p.relative_to(SRC)): n for p in modules() if (n := len(p.read_text().splitlines())) > LIMIT}
    assert long == {}


def test_no_file_is_split_by_a_work_suffix() -> None:
    assert [str(p.relative_to(SRC)) for p in SRC.rglob("*_work.py")] == []


def test_no_module_imports_another_modules_private_name() -> None:
    found = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("complaintdesk"):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                if private:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno} {node.module} {private}")
    assert found == []


def _is_ready(function: ast.FunctionDef | ast.AsyncFunctionDef, path: Path) -> bool:
    return path.name == "apps.py" and function.name == "ready"


def test_an_import_inside_a_function_says_why_on_its_line() -> None:
    unexplained = []
    for path in modules():
        text = path.read_text()
        lines = text.splitlines()
        for function in ast.walk(ast.parse(text)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) or _is_ready(function, path):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                if not any(name.startswith("complaintdesk") for name in names):
                    continue
                # the reason may sit on any line of a wrapped import
                span = " ".join(lines[node.lineno - 1:(node.end_lineno or node.lineno)]).lower()
                if not any(reason in span for reason in REASONS):
                    unexplained.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert unexplained == []
