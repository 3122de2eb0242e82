"""The arrows point down: zones is the layer under the treaty, models know nothing of the layers above them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The layers above the records: what reads, computes or shows them.
ABOVE_MODELS = ("tracker.api", "tracker.admin", "tracker.compliance", "tracker.bundle", "tracker.management", "maps")


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def modules(folder: str) -> list[Path]:
    return sorted(path for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts)


@pytest.mark.parametrize("path", modules("zones"), ids=lambda path: str(path.relative_to(ROOT)))
def test_zones_imports_nothing_of_the_treaty_but_its_records(path):
    reaching_up = {
        name for name in imported(path) if name.startswith("tracker") and not name.startswith("tracker.models")
    }
    assert reaching_up == set()


@pytest.mark.parametrize("path", modules("tracker/models"), ids=lambda path: str(path.relative_to(ROOT)))
def test_a_model_module_imports_no_api_admin_or_engine(path):
    reaching_up = {name for name in imported(path) if name.startswith(ABOVE_MODELS) or name == "tracker.roles"}
    assert reaching_up == set()


def test_the_checks_see_an_upward_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("from tracker.compliance import evaluate\nimport tracker.api.views\n")
    assert {"tracker.compliance", "tracker.api.views"} <= imported(module)
