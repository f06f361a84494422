"""The dynamic providers load where the engine starts them, and say why when they cannot."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import dill
import pytest
from pulumi.dynamic.dynamic import serialize_provider

from components.cluster_reconcile import ClusterReconcileProvider
from components.kata_runtime_class import RuntimeClassWaitProvider
from components.preflight import PreflightProvider
from components.provider_loading import LOADER_FILENAME
from tools.repo import REPO

# What `python -u -m pulumi.dynamic` does with the provider it is handed (pulumi/dynamic/
# __main__.py `get_provider`): dill.loads of the base64 text, in the project directory.
UNPICKLE = (
    "import base64, sys, dill\n"
    "for text in sys.argv[1:]:\n"
    "    print(type(dill.loads(base64.b64decode(text))).__name__)\n"
)
PROVIDERS = (ClusterReconcileProvider, RuntimeClassWaitProvider, PreflightProvider)


def unpickle(env_extra: dict[str, str], cwd: object = REPO) -> subprocess.CompletedProcess[str]:
    pickles = [serialize_provider(provider()) for provider in PROVIDERS]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    return subprocess.run(
        [sys.executable, "-c", UNPICKLE, *pickles],
        cwd=cwd,
        env={**env, **env_extra},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_each_provider_loads_in_the_project_directory() -> None:
    done = unpickle({})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [provider.__name__ for provider in PROVIDERS]


def test_pythonsafepath_is_named_with_the_fix() -> None:
    done = unpickle({"PYTHONSAFEPATH": "1"})
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: The dynamic provider process cannot import")
    assert "No module named 'components'" in last
    assert "PYTHONSAFEPATH is set" in last and "env -u PYTHONSAFEPATH pulumi up" in last
    assert str(REPO) in last


def test_another_directory_is_named_too(tmp_path: object) -> None:
    done = unpickle({}, cwd=tmp_path)
    last = done.stderr.strip().splitlines()[-1]
    assert "does not hold this project's `components` package" in last
    assert "PYTHONSAFEPATH" not in last
    # The loader's frames are named in the traceback.
    assert f'File "{LOADER_FILENAME}"' in done.stderr


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.__name__)
def test_the_pickle_is_a_reference_and_holds_no_state(provider: type) -> None:
    text = serialize_provider(provider())
    raw = base64.b64decode(text)
    # A module reference and the loader's source (components/provider_loading.py), no state.
    assert provider.__name__.encode() in raw and len(raw) < 4000
    assert b"components." in raw and b"_load_provider" in raw
    assert type(dill.loads(raw)).__module__.startswith("components.")
    # No code object by value (dill's pure-Python pickling of it took ~1.6 ms a resource), and
    # the same text every time, so a preview sees no change in `__provider`.
    assert b"_create_code" not in raw and b"_create_function" not in raw
    assert b"builtins" in raw and b"eval" in raw
    assert serialize_provider(provider()) == text
