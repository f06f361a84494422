"""Strict OpenAPI validation of manifests with kubernetes-validate, its schema files read once.

`kubernetes_validate.validate` reads and parses two JSON schema files on every call, the kind's
and the version's `_definitions.json` (kubernetes_validate/utils.py `schema_contents`); the
suite validates a few hundred objects, so the parsed files are kept. Validation only reads them.
"""

from __future__ import annotations

import functools
from typing import Any

import kubernetes_validate
from kubernetes_validate import utils

if not hasattr(utils.schema_contents, "cache_info"):
    utils.schema_contents = functools.cache(utils.schema_contents)

ValidationError = kubernetes_validate.ValidationError


def validate_strict(manifest: dict[str, Any], version: str) -> str:
    """The schema version `manifest` passed against; raises ValidationError otherwise."""
    validated: str = kubernetes_validate.validate(manifest, version, strict=True)
    return validated
