"""Runs the calling script inside eval/.venv, creating it and installing missing PyPI packages.

The evaluation needs a few PyPI packages (rapidfuzz, numpy, openpyxl, names-dataset); they go
into a virtual environment next to this file so that the system Python stays untouched.
Set INTERDICT_EVAL_NO_VENV=1 to use the current interpreter as it is.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent / ".venv"
IMPORT_NAMES = {"names-dataset": "names_dataset", "rapidfuzz": "rapidfuzz", "numpy": "numpy",
                "openpyxl": "openpyxl"}


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure(packages: list[str]) -> None:
    if os.environ.get("INTERDICT_EVAL_NO_VENV") != "1" and Path(sys.prefix).resolve() != VENV.resolve():
        if not _venv_python().exists():
            print(f"creating {VENV}", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        os.execv(str(_venv_python()), [str(_venv_python()), *sys.argv])
    missing = [p for p in packages if importlib.util.find_spec(IMPORT_NAMES.get(p, p)) is None]
    if missing:
        print(f"installing {' '.join(missing)} into {sys.prefix}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True)
        importlib.invalidate_caches()
