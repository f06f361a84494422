"""Pod admission rules on where a pod runs and whom it may push aside: node and priority.

- `no-node-name`: a pod that names its node skips the scheduler, and with it the RuntimeClass's
  node selection; that such a pod fails on a node without the Kata handler is an AKS detail, not
  a fence. The scheduler's own binding (`pods/binding`, not granted to deployers) sets the field
  after admission, so it is refused on CREATE only.
- `kata-pool`: the pod must select the Kata pool by its agentpool label (the AKS Pod Sandboxing
  page, ms.date 2026-09-17, recommends exactly this nodeSelector), so it lands on the pool the
  stack made for sandboxes even if the RuntimeClass's own scheduling changed.
- `priority-class`: only the classes the namespace's profile lists (none by default: no
  priorityClassName at all), and never a priority above every user class (the system classes,
  whatever their name). The Priority admission plugin has already resolved `spec.priority` from
  the class when this policy runs (validating admission runs after mutating).

All three fields are fixed at creation (nodeSelector may only grow while a pod is gated), so the
rules are checked on CREATE.
"""

from __future__ import annotations

from sandboxing import catalog
from sandboxing.fences.cel import UNDER_TEMPLATE, Validation, annotation, listed, on_create, shown
from sandboxing.fences.profile import PRIORITY_CLASSES_ANNOTATION

VARIABLES = {"priorityClasses": annotation(PRIORITY_CLASSES_ANNOTATION)}
_CLASS = "object.spec.priorityClassName"
_PRIORITY_OK = (
    f"(!has({_CLASS}) || {listed('variables.priorityClasses', _CLASS)}) && "
    f"(!has(object.spec.priority) || object.spec.priority <= {catalog.HIGHEST_USER_PRIORITY})"
)


def _selects(pool: str) -> str:
    label = catalog.AGENT_POOL_LABEL
    selector = "object.spec.nodeSelector"
    return f"has({selector}) && '{label}' in {selector} && {selector}['{label}'] == '{pool}'"


def validations(kata_pool: str) -> tuple[Validation, ...]:
    label = catalog.AGENT_POOL_LABEL
    return (
        Validation(
            "no-node-name",
            on_create("!has(object.spec.nodeName) || object.spec.nodeName == ''"),
            "no-node-name: sandboxed pods are placed by the scheduler: remove spec.nodeName and "
            f"keep spec.nodeSelector {label}: {kata_pool} {UNDER_TEMPLATE}",
        ),
        Validation(
            "kata-pool",
            on_create(_selects(kata_pool)),
            f"kata-pool: sandboxed pods run on the Kata pool only: set spec.nodeSelector "
            f"{label}: {kata_pool} {UNDER_TEMPLATE}",
        ),
        Validation(
            "priority-class",
            on_create(_PRIORITY_OK),
            "priority-class: this namespace may use no priority class but those it is given "
            f"(and none above {catalog.HIGHEST_USER_PRIORITY}): remove spec.priorityClassName "
            f"or name an allowed class {UNDER_TEMPLATE}",
            "'priority-class: priority class ' + (has(" + _CLASS + ") ? " + _CLASS + " : "
            "'(none)') + ' is not one this namespace may use (allowed: ' + "
            + shown("variables.priorityClasses")
            + " + '): remove spec.priorityClassName or name an allowed class'",
        ),
    )
