#!/usr/bin/env bash
# Runs Sluice's benchmarks (bench/README.md): starts the test servers it needs (MySQL, and Kafka and
# PostgreSQL for the end-to-end workloads) that are not up yet, and stops again only those it
# started; builds the bench module, generates the data, runs every workload's runners in rotation,
# each in its own JVM, and prints medians and ratios.
#
#   scripts/bench.sh [--quick | --full] [--rounds N] [--xmx SIZE] [--only LIST] [--no-write]
#
#   --quick      100k rows, 1 round: a check that everything runs (results are printed, not written)
#   --full       also the awkward tables at 10 x their size (peak heap flat as the table grows)
#   --rounds N   rounds of the rotation (default 3; medians are taken over them)
#   --xmx SIZE   the heap limit of every runner JVM (default 1g)
#   --only LIST  some of: snapshot,awkward,stream,latency,kafka,postgres (default all)
#   --no-write   print only; do not rewrite bench/README.md and bench/bench.png
#   --report-only  no runs: the report again from the last run's bench/target/runs/results.txt
#
# Environment: SLUICE_RUN_DIR as for scripts/test-env.sh; SLUICE_BENCH_JFR=REGEX records a Java
# Flight Recording of each runner whose label matches (e.g. 'Sluice p4') into bench/target/runs/.
# SLUICE_BENCH_THREADS=1 writes every runner's CPU seconds per thread (JIT compilers and collector
# included) and, end to end, its Kafka producer's batching figures into the runner's log there.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

write=1
args=()
command="scripts/bench.sh${*:+ $*}"
while (($#)); do
  case $1 in
    --quick) write=0; args+=("$1") ;;
    --no-write) write=0 ;;
    --full | --report-only) args+=("$1") ;;
    --rounds | --xmx | --only)
      (($# >= 2)) || { echo "bench: $1 needs a value" >&2; exit 2; }
      args+=("$1" "$2"); shift ;;
    -h | --help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument $1 (see scripts/bench.sh --help)" >&2; exit 2 ;;
  esac
  shift
done

started=()
stop_started() {
  if ((${#started[@]})); then
    echo "bench: stopping what it started: ${started[*]}"
    scripts/test-env.sh down "${started[@]}" || true
  fi
}
trap stop_started EXIT

servers=(mysql)
case " ${args[*]} " in
  *" --only "*)
    only="$(printf '%s\n' "${args[@]}" | sed -n '/^--only$/{n;p}')"
    [[ ,$only, != *,kafka,* ]] || servers+=(kafka)
    [[ ,$only, != *,postgres,* ]] || servers+=(postgres)
    ;;
  *) servers+=(kafka postgres) ;;
esac
for server in "${servers[@]}"; do
  if ! scripts/test-env.sh status "$server" >/dev/null 2>&1; then
    scripts/test-env.sh up "$server"
    started+=("$server")
  fi
done

echo "bench: building the bench module (./mvnw -P bench package, tests skipped)..."
./mvnw -q -B -P bench package -pl bench -am -DskipTests

set -a
# shellcheck disable=SC1090 # KEY=VALUE lines written by test-env.sh.
source <(scripts/test-env.sh env | grep '^SLUICE_')
set +a

if ((write)); then
  args+=(--readme bench/README.md --plot bench/bench.png)
fi
jar="$(ls bench/target/bench-*.jar | head -n 1)"
java -Xmx256m -cp "$jar:bench/target/lib/*" dev.sluice.bench.Bench --command "$command" "${args[@]}"
