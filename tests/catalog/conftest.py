import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def gen_catalog():
    """tools/gen_catalog.py as a module (tools/ on sys.path: its helpers import each other)."""
    sys.path.insert(0, str(ROOT / "tools"))
    spec = importlib.util.spec_from_file_location("gen_catalog", ROOT / "tools" / "gen_catalog.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_catalog"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
