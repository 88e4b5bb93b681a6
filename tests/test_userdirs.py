"""The user's config and data folders on each platform (stripe_dbapi/userdirs.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from stripe_dbapi.userdirs import user_dir


@pytest.mark.parametrize(
    ("kind", "variable", "default"),
    [("config", "XDG_CONFIG_HOME", ".config"), ("data", "XDG_DATA_HOME", ".local/share")],
)
def test_linux_follows_xdg_then_home(monkeypatch, tmp_path, kind, variable, default):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv(variable, str(tmp_path / "xdg"))
    assert user_dir(kind) == tmp_path / "xdg" / "stripe_dbapi"
    monkeypatch.delenv(variable)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert user_dir(kind) == tmp_path / default / "stripe_dbapi"


@pytest.mark.parametrize(("kind", "variable"), [("config", "APPDATA"), ("data", "LOCALAPPDATA")])
def test_windows_uses_appdata(monkeypatch, tmp_path, kind, variable):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv(variable, str(tmp_path / "app"))
    assert user_dir(kind) == tmp_path / "app" / "stripe_dbapi"


def test_macos_keeps_both_in_application_support(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    expected = Path(tmp_path) / "Library" / "Application Support" / "stripe_dbapi"
    assert user_dir("config") == user_dir("data") == expected
