"""Errors by layer (issue 12): the SQL modules of cases and the shapes they
hand on import nothing of Flask or of the HTTP error module, and
fsr_coach/errors.py is the one place that turns exceptions into answers."""
import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "fsr_coach"
HTTP_MODULES = ("flask", "werkzeug")
# app.register_error_handler(...), @app.errorhandler(...), @bp.app_errorhandler(...)
HANDLER_REGISTRATION = re.compile(r"\.(register_error_handler|errorhandler|app_errorhandler)\(")


def imported_modules(path):
    """The modules a file imports, relative ones resolved within fsr_coach."""
    package = ".".join(("fsr_coach", *path.relative_to(PACKAGE).parent.parts))
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("module", ["notes", "catalog", "errors", "json"])
def test_cases_sql_and_domain_modules_import_no_http_code(module):
    imported = imported_modules(PACKAGE / "cases" / f"{module}.py")
    assert not {name for name in imported
                if name.split(".")[0] in HTTP_MODULES or name.startswith("fsr_coach.errors")}


def test_only_errors_py_registers_error_handlers():
    registering = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
                   if HANDLER_REGISTRATION.search(path.read_text())}
    assert registering == {"errors.py"}
