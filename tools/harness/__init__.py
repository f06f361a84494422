"""The mock engine: run the real `__main__.py` offline and record what it would deploy.

Used by the offline plan, the benchmarks and the tests. Its parts:
    engine         run_program, stack_config/stack_refusal/read_stack (the stack's config as the
                   CLI reads it)
    records        RunResult and what it holds (Registered, Invoke, OutputValue)
    recording      RecordingMonitor, the mock resource monitor that keeps every registration
    mock_cloud     CloudMocks: what the fake Azure and Kubernetes answer
    cli_config, stack_file   how the Pulumi CLI reads Pulumi.yaml and Pulumi.<stack>.yaml
    compare_cli_config       that model checked against what the real CLI reads
    yaml_errors    a stack file the CLI refuses: file, line, column, the fix
    sdk_internals  the one home of the Pulumi SDK internals the engine relies on
"""

from tools.harness.engine import (
    list_stacks,
    read_stack,
    run_program,
    stack_config,
    stack_notes,
    stack_refusal,
)
from tools.harness.mock_cloud import (
    CloudMocks,
    aks_runtime_class,
    existing_cluster_state,
    mock_kubeconfig,
)
from tools.harness.records import Invoke, OutputValue, Registered, RunResult
from tools.harness.sdk_internals import is_secret_value, unwrap_secret

__all__ = [
    "CloudMocks",
    "Invoke",
    "OutputValue",
    "Registered",
    "RunResult",
    "aks_runtime_class",
    "existing_cluster_state",
    "is_secret_value",
    "list_stacks",
    "mock_kubeconfig",
    "read_stack",
    "run_program",
    "stack_config",
    "stack_notes",
    "stack_refusal",
    "unwrap_secret",
]
