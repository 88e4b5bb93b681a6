"""Where stripe_dbapi keeps the user's files: the platform's config and data folders.

Config (named connections): ``$XDG_CONFIG_HOME`` or ``~/.config`` on Linux,
``%APPDATA%`` on Windows. Data (the shell's history): ``$XDG_DATA_HOME`` or
``~/.local/share`` on Linux, ``%LOCALAPPDATA%`` on Windows. macOS keeps both in
``~/Library/Application Support``. Each holds a ``stripe_dbapi`` folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "stripe_dbapi"
# kind -> (Windows variable, its usual folder; XDG variable, its default under ~)
_KINDS = {
    "config": ("APPDATA", ("AppData", "Roaming"), "XDG_CONFIG_HOME", (".config",)),
    "data": ("LOCALAPPDATA", ("AppData", "Local"), "XDG_DATA_HOME", (".local", "share")),
}


def user_dir(kind: str) -> Path:
    """The ``stripe_dbapi`` folder of the user's ``kind`` ("config" or "data") files
    (not created here)."""
    windows_variable, windows_default, xdg_variable, xdg_default = _KINDS[kind]
    if sys.platform == "win32":
        base = Path(os.environ.get(windows_variable) or Path.home().joinpath(*windows_default))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get(xdg_variable) or Path.home().joinpath(*xdg_default))
    return base / APP
