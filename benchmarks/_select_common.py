"""Shared helpers for the select_* benchmarks."""

from __future__ import annotations

import importlib.util
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def load_tests_module(relative: str, name: str):
    """Import a module from tests/ by path (tests are not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / relative)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_request_count_table():
    return load_tests_module(
        "tests/sql/test_request_counts.py", "_sql_request_counts"
    ).REQUEST_COUNTS
