#!/usr/bin/env bash
# Whole-path live-move benchmark (not a test): the shipped controller moves a pod live between emulated containerd
# nodes; prints when each step of the path was seen, the freeze beside CRIU's own share, and the client's pause.
# Needs root, node-agent/scripts/install-test-deps.sh and cc.
# Usage: cli/scripts/bench-handoff.sh [--mib 64] [--runs 3] [--dirty-mib-per-s 16]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl cli -am test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -cp "cli/target/classes:cli/target/test-classes:$(cat cli/target/bench.classpath)" \
  dev.kompact.cli.e2e.HandoffBenchmark "$@"
