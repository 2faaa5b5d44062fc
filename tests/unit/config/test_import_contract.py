"""The import-linter contract in pyproject.toml: domains import only downwards (config ← regions ← accounts ←
organisations ← suppliers ← shop ← reports; cms and search on top)."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint(directory, config):
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_project_keeps_its_import_contract():
    result = lint(ROOT, ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_the_contract_breaks_when_shop_imports_reports(tmp_path):
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    for package in settings["root_packages"]:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    # The imports the contract allows on purpose, so that it finds each of them.
    (tmp_path / "config" / "health.py").write_text("from search import backends\nfrom operations import selectors\n")
    (tmp_path / "search" / "backends.py").write_text("")
    (tmp_path / "operations" / "selectors.py").write_text("")
    (tmp_path / "reports" / "models.py").write_text("")
    (tmp_path / "shop" / "checkout.py").write_text("from reports.models import *\n")
    contract = settings["contracts"][0]
    config = tmp_path / ".importlinter"
    config.write_text(
        "[importlinter]\nroot_packages =\n    "
        + "\n    ".join(settings["root_packages"])
        + f"\n\n[importlinter:contract:layers]\nname = {contract['name']}\ntype = layers\nlayers =\n    "
        + "\n    ".join(contract["layers"])
        + "\nignore_imports =\n    "
        + "\n    ".join(contract["ignore_imports"])
        + "\n"
    )
    result = lint(tmp_path, config)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and "shop.checkout -> reports.models" in result.stdout
