#!/usr/bin/env bash
# Live-migration benchmark (not a test): freeze, client pause and total time vs pod memory, per strategy this host
# supports. Needs root, install-test-deps.sh, and cc (build-essential, installed by install-test-deps.sh).
# Usage: node-agent/scripts/bench-migration.sh [--sizes 64,256,1024] [--runs 3] [--dirty-mib-per-s 16]
#        node-agent/scripts/bench-migration.sh --containerd [--sizes 64,256] [--runs 3]   (pods through containerd)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
main=dev.kompact.agent.bench.MigrationBenchmark
if [ "${1:-}" = --containerd ]; then main=dev.kompact.agent.bench.PodMigrationBenchmark; shift; fi
exec java -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" "$main" "$@"
