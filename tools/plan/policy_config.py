"""The stack's policy-pack config, checked offline where the plan can judge it.

`pulumi up --policy-pack policy --policy-pack-config policy/config.<stack>.json` runs the pack
with the enforcement levels of that file (CI passes the stack's file when there is one:
.github/scripts/install-program.sh); a mandatory policy's violation stops the update. The plan
reads the same file and warns about what a
mandatory policy will refuse, for the policies it can judge from the recorded resources:
images-pinned-by-digest (the pack's check, policy/sandbox_policies.py, on the same pattern,
sandboxing.names.IMAGE_DIGEST). The pack itself still runs every policy in `pulumi preview`/`up`.

Why here and not among the program's rules: the program never sees the policy config (the CLI
hands it to the pack alone), so a rule of the program cannot know which one a stack deploys
with; which file goes with which stack is this repository's convention.
"""

from __future__ import annotations

import json
from pathlib import Path

from sandboxing.names import IMAGE_DIGEST
from tools.harness import Registered, RunResult
from tools.repo import REPO

IMAGES_PINNED = "images-pinned-by-digest"  # policy/sandbox_policies.py IMAGES_PINNED_BY_DIGEST
POD = "kubernetes:core/v1:Pod"
CONTAINER_FIELDS = ("initContainers", "containers", "ephemeralContainers")


def policy_config_file(stack: str, repo: Path = REPO) -> Path | None:
    path = repo / "policy" / f"config.{stack}.json"
    return path if path.is_file() else None


def _images(pod: Registered) -> list[str]:
    spec = pod.inputs.get("spec") or {}
    return [
        str(container.get("image"))
        for field in CONTAINER_FIELDS
        for container in spec.get(field) or []
        if isinstance(container, dict)
    ]


def unpinned_images(result: RunResult) -> dict[str, list[str]]:
    """Image -> the pods that run it (sorted: the engine's order varies), for every image without
    a digest."""
    found: dict[str, list[str]] = {}
    for pod in sorted(result.by_type(POD), key=lambda r: r.name):
        for image in _images(pod):
            if not IMAGE_DIGEST.search(image):
                found.setdefault(image, []).append(pod.name)
    return found


def policy_config_warnings(
    result: RunResult, stack: str, repo: Path = REPO
) -> tuple[str | None, list[str]]:
    """(the config file as the plan names it, or None; the warnings about what it refuses)."""
    path = policy_config_file(stack, repo)
    if path is None:
        return None, []
    shown = str(path.relative_to(repo))
    try:
        config = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        return shown, [
            f"{shown} is not a readable JSON policy config ({exc}); "
            "`pulumi up --policy-pack-config` would refuse it too"
        ]
    level = (config.get(IMAGES_PINNED) or {}) if isinstance(config, dict) else {}
    if not isinstance(level, dict) or level.get("enforcementLevel") != "mandatory":
        return shown, []
    return shown, [
        f"{shown} makes {IMAGES_PINNED} mandatory, and pod(s) {', '.join(pods)} run {image}, "
        "a tag without a digest: `pulumi up --policy-pack policy --policy-pack-config "
        f"{shown}` stops at the pods. Set podImage to the image with its digest "
        "(<image>@sha256:<digest>, e.g. from `crane digest <image>`)"
        for image, pods in unpinned_images(result).items()
    ]
