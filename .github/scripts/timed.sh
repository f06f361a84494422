#!/usr/bin/env bash
# timed.sh PHASE COMMAND...: run COMMAND, append {"phase", "seconds", "exitCode"} as one JSON line
# to $E2E_TIMINGS, and exit with COMMAND's status. Its stdout is COMMAND's stdout (redirectable).
set -uo pipefail
phase=$1
shift
start=$(date +%s)
"$@"
status=$?
printf '{"phase": "%s", "seconds": %d, "exitCode": %d}\n' \
  "$phase" "$(( $(date +%s) - start ))" "$status" >> "$E2E_TIMINGS"
exit "$status"
