"""The package stays readable: no module over 450 lines, no function over 60 (docs/architecture.md:
a long one is split where its parts have names)."""

from __future__ import annotations

import ast

from ..conftest import REPO

SOURCE = REPO / "src" / "claimtrack"


def test_no_module_over_450_lines_and_no_function_over_60() -> None:
    long_modules, long_functions = [], []
    for path in sorted(SOURCE.rglob("*.py")):
        text = path.read_text("utf-8")
        rel = path.relative_to(SOURCE).as_posix()
        if text.count("\n") > 450:
            long_modules.append(rel)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 60:
                    long_functions.append(f"{rel}:{node.name} ({length} lines)")
    assert long_modules == [] and long_functions == []
