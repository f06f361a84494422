"""How the dynamic providers' process finds this project's code, and what it says when it cannot.

The engine runs a Python dynamic provider as `python -u -m pulumi.dynamic <engine address>`
(pulumi/pulumi v3.259.0 sdk/python/dist/pulumi-resource-pulumi-python, and the .cmd beside it) in
the project directory, and unpickles the provider object there (pulumi 3.272.0
pulumi/dynamic/__main__.py `get_provider`, dill). A provider class is pickled by reference, so the
unpickling imports its module (`components.cluster_reconcile`, ...) from the project directory,
which is on sys.path only because `-m` puts the current directory there. PYTHONSAFEPATH (Python
3.11+) turns that off, and the import would fail with a bare "No module named 'components'"
traceback.

So a provider pickles itself as a call of `_load_provider`, a small function pickled by value
(dill pickles a function its pickler cannot import by reference as code), which imports the
module and makes the provider; when the import fails it raises an error that names the cause and
the fix. The function uses builtins only: it runs before anything of the project is importable.
"""

from __future__ import annotations

import types
from typing import Any

from pulumi import dynamic

# The name dill records for the by-value function: a module that does not exist, so dill cannot
# pickle it by reference (dill 0.4.1 `_locate_function`), and pickles its code instead.
_BY_VALUE_MODULE = "aks_pod_sandboxing_provider_loader"


def _load_provider(module: str, name: str) -> Any:
    """Run in the provider process: import `module`, return a new `name` from it."""
    import importlib
    import os
    import sys

    try:
        return getattr(importlib.import_module(module), name)()
    except ImportError as error:
        if sys.flags.safe_path:
            cause = (
                "PYTHONSAFEPATH is set, so `python -m pulumi.dynamic` did not put the project "
                f"directory ({os.getcwd()}) on sys.path"
            )
            fix = (
                "Run pulumi without it: `env -u PYTHONSAFEPATH pulumi up` (or unset "
                "PYTHONSAFEPATH in the shell, or the CI job's env)"
            )
        else:
            cause = (
                f"the provider runs in {os.getcwd()}, which does not hold this project's "
                f"`{module.split('.')[0]}` package"
            )
            fix = "Run pulumi from the project directory (or with --cwd pointing at it)"
        raise ImportError(
            f"The dynamic provider process cannot import `{module}` from this project "
            f"({type(error).__name__}: {error}): {cause}. {fix}."
        ) from error


# A copy of `_load_provider` that dill pickles by value (same code, only builtins as globals).
load_provider = types.FunctionType(
    _load_provider.__code__, {"__builtins__": __builtins__}, "load_provider"
)
load_provider.__module__ = _BY_VALUE_MODULE
load_provider.__qualname__ = "load_provider"


class ProjectProvider(dynamic.ResourceProvider):
    """A dynamic provider that holds no data and is re-made by importing its class."""

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return load_provider, (type(self).__module__, type(self).__qualname__)
