#!/usr/bin/env bash
# Shared helpers for the bench/*.sh scripts. Source it: . "$(dirname "$0")/lib.sh"
#
# Every benchmark runs this project and its Python peer (../shared/peers/) on the same machine, one after
# the other, several times, and writes a Markdown table with medians and ratios to bench/results/.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# The peers sit beside the checkout (../shared/peers); from a worktree under /work/wt, at /work/shared/peers.
if [ -z "${PEERS:-}" ]; then
  for candidate in "$ROOT/../shared/peers" "$ROOT/../../shared/peers" /work/shared/peers; do
    if [ -d "$candidate" ]; then PEERS=$(cd "$candidate" && pwd); break; fi
  done
  PEERS=${PEERS:-$ROOT/../shared/peers}
fi
PYTHON=${PYTHON:-/usr/bin/python3}
JAR="$ROOT/target/concurrency-lab.jar"
RESULTS="$BENCH_DIR/results"
# JVM flags every benchmark uses for the lab (the jar's manifest adds the --add-opens ones).
JAVA=${JAVA:-java}
LAB_JAVA_OPTS=${LAB_JAVA_OPTS:--Xms512m -Xmx2g}

# One benchmark at a time on a machine: a second one waits for the first instead of skewing both.
bench_lock() {
  exec 9>/tmp/concurrency-lab-bench.lock
  if ! flock -n 9; then
    echo "bench: waiting for another benchmark to finish..." >&2
    flock 9
  fi
}

# Builds the jar if it is missing or older than the sources; installs the Python peers' packages.
bench_prepare() {
  if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; then
    (cd "$ROOT" && mvn -B -q package -DskipTests)
  fi
  if [ -x "$PEERS/install.sh" ]; then
    sh "$PEERS/install.sh"
  fi
}

# Waits until a TCP port on 127.0.0.1 accepts connections (default 30 s).
wait_port() {
  local port=$1 timeout=${2:-30} i=0
  while ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -gt $((timeout * 10)) ]; then
      echo "bench: nothing listens on port $port after ${timeout}s" >&2
      return 1
    fi
    sleep 0.1
  done
}

# Stops a background server: SIGTERM, then waits (SIGKILL after 10 s).
stop_pid() {
  local pid=$1 i=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -gt 100 ]; then kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
}

# The median of numbers given as arguments.
median() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR==0) {print "nan"} else if (NR%2) {print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'
}

# A JSON field of a one-line JSON document (numbers and strings), with python for robustness.
json_field() {
  "$PYTHON" -c 'import json,sys; d=json.loads(sys.stdin.readline()); v=d
for k in sys.argv[1].split("."): v=v[k]
print(v)' "$1"
}

# Writes the header every results file carries: what ran, when, on what.
results_header() {
  local title=$1 command=$2
  cat <<HEADER
# $title

- Date: $(date -u +%Y-%m-%dT%H:%MZ)
- Machine: $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr)
- Java: $($JAVA -version 2>&1 | head -1); Python: $($PYTHON --version 2>&1)
- Command: \`$command\`
- Each cell is the median of several runs; the machine is shared, so ratios say more than absolute numbers.

HEADER
}
