#!/usr/bin/env bash
# Runs Ferry's tests on real servers (throwaway PostgreSQL clusters, s3proxy), installing what
# they need first. Extra arguments go to Maven (for example -Dtest=PostgresLogicalPipelineTest).
set -euo pipefail
FERRY_HOME="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
"$FERRY_HOME/scripts/install-prerequisites.sh"
cd "$FERRY_HOME"
exec mvn -B -ntp verify "$@"
