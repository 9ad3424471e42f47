"""The layers hold: accounts knows nothing of the apps built on it, and selectors only read.

A behaviour a person notices indirectly: a settings change that imported the follow-up engine
from accounts once made the two apps a circle, and a selector that wrote a row turned a page
view into a write. These scans keep both from coming back.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ABOVE_ACCOUNTS = {"applications", "goals", "followups", "dashboard"}
# Calls that write rows or answer for the view.
WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "save"}
WRITES |= {"delete", "update", "get_object_or_404", "get_list_or_404"}


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_accounts_imports_no_app_above_it():
    found = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / "accounts").rglob("*.py")
        for module in _imported_modules(path)
        if module.split(".")[0] in ABOVE_ACCOUNTS
    }
    assert found == set()


def test_the_scan_sees_an_import_of_followups(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from followups.services import resume_reminders\n")
    assert "followups.services" in _imported_modules(sample)


def _writes(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in WRITES:
                found.add(f"{path.relative_to(ROOT)}:{node.lineno} {name}()")
        elif isinstance(node, ast.Raise) and "Http404" in ast.unparse(node):
            found.add(f"{path.relative_to(ROOT)}:{node.lineno} raise Http404")
    return found


def test_selectors_neither_write_nor_answer_404():
    selectors = sorted(ROOT.glob("*/selectors.py"))
    assert {p.parent.name for p in selectors} >= {"applications", "followups"}
    assert set().union(*(_writes(p) for p in selectors)) == set()
