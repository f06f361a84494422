"""What every component in components/ keeps to, beyond what each one's own tests check."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pulumi

import components


def component_classes() -> list[type[pulumi.ComponentResource]]:
    found = []
    for module_info in pkgutil.iter_modules(components.__path__):
        module = importlib.import_module(f"components.{module_info.name}")
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, pulumi.ComponentResource)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_components_declare_their_outputs_where_they_assign_them() -> None:
    # The SDK reads a resource class's annotations as the types of the engine's answer at every
    # registration (pulumi/_types.py resource_types); a component receives nothing, so class
    # annotations only cost each evaluation time (docs/architecture.md).
    classes = component_classes()
    assert len(classes) >= 10
    annotated = {
        cls.__qualname__: names
        for cls in classes
        if (
            names := [
                name
                for name, hint in inspect.get_annotations(cls).items()
                if not str(hint).startswith("ClassVar[")
            ]
        )
    }
    assert annotated == {}
