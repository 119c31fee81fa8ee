#!/usr/bin/env bash
# The one test command: starts the test servers (scripts/test-env.sh up), runs the whole build with
# its unit and integration tests (./mvnw -B verify, extra arguments passed on), then stops the
# servers again whether the build passed or not. Exits with the build's exit code.
#
# SLUICE_KEEP_SERVERS=1 leaves the servers running afterwards (stop them with scripts/test-env.sh down).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

export SLUICE_RUN_DIR="${SLUICE_RUN_DIR:-$REPO/.run/test-env}"
export SLUICE_ENDPOINTS="$SLUICE_RUN_DIR/endpoints.env"

finish() {
  local rc=$?
  trap - EXIT
  if [[ ${SLUICE_KEEP_SERVERS:-0} == 1 ]]; then
    echo "test: leaving the test servers running (SLUICE_KEEP_SERVERS=1)"
  elif ! scripts/test-env.sh down; then
    echo "test: stopping the test servers failed" >&2
    ((rc != 0)) || rc=1
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scripts/test-env.sh up
./mvnw -B verify "$@"
