"""How the dynamic providers' process finds this project's code, and what it says when it cannot.

The engine runs a Python dynamic provider as `python -u -m pulumi.dynamic <engine address>`
(pulumi/pulumi v3.259.0 sdk/python/dist/pulumi-resource-pulumi-python, and the .cmd beside it) in
the project directory, and unpickles the provider object there (pulumi 3.272.0
pulumi/dynamic/__main__.py `get_provider`, dill). A provider class is pickled by reference, so the
unpickling imports its module (`components.cluster_reconcile`, ...) from the project directory,
which is on sys.path only because `-m` puts the current directory there. PYTHONSAFEPATH (Python
3.11+) turns that off, and the import would fail with a bare "No module named 'components'"
traceback.

So a provider pickles itself as a call of `_load_provider`, which imports the module and makes
the provider; when the import fails it raises an error that names the cause and the fix. It runs
before anything of the project is importable, so it travels as its own source text: the pickle
holds `builtins.eval` and one expression that defines the function from that text, in a namespace
of builtins only, and calls it. dill could carry the function by value too (it pickles its code
object), but through pickle's pure-Python pickler, which `serialize_provider` uses to sort dicts,
with a disassembly of the code to find its globals: ~1.6 ms for each dynamic resource of every
`pulumi preview` and `up`, where the string costs ~0.03 ms.
"""

from __future__ import annotations

import functools
import inspect
import textwrap
from typing import Any

from pulumi import dynamic

# The file name the loader's frames show in a traceback from the provider process.
LOADER_FILENAME = "<aks-pod-sandboxing provider loader>"


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


@functools.cache
def _loader_expression() -> str:
    """An expression that defines `_load_provider` from its source and evaluates to it. The
    source is read once per process, when the first provider is pickled; `from __future__
    import annotations` keeps its annotations unevaluated, as they are here."""
    source = "from __future__ import annotations\n" + textwrap.dedent(
        inspect.getsource(_load_provider)
    )
    code = f"compile({source!r}, {LOADER_FILENAME!r}, 'exec')"
    return f"(lambda ns: exec({code}, ns) or ns[{_load_provider.__name__!r}])({{}})"


class ProjectProvider(dynamic.ResourceProvider):
    """A dynamic provider that holds no data and is re-made by importing its class."""

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # The provider process evaluates this: the loader, called with this class's module and name.
        call = f"({type(self).__module__!r}, {type(self).__qualname__!r})"
        return eval, (_loader_expression() + call,)
