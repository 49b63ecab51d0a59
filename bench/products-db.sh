#!/usr/bin/env bash
# Helpers shared by bench/db-queries.sh and bench/web.sh: ONE PostgreSQL server (the lab's embedded
# PostgreSQL 17, run alone by `java -jar concurrency-lab.jar embedded-postgres`) that the lab and the
# Python peers both use, seeded once with the lab's deterministic seeder. Source after lib.sh.

PG_DIR="$ROOT/bench/tmp/postgres"
PG_PID=""
PG_URL=""

# Starts the server on a free port and sets PG_URL; stops it when the script exits.
start_products_db() {
  mkdir -p "$ROOT/bench/tmp"
  local port
  port=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$JAVA" -jar "$JAR" embedded-postgres --data-dir "$PG_DIR" --port "$port" >"$ROOT/bench/tmp/postgres.out" \
    2>"$ROOT/bench/tmp/postgres.err" &
  PG_PID=$!
  trap stop_products_db EXIT
  wait_port "$port" 90
  PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  echo "bench: PostgreSQL at $PG_URL (pid $PG_PID)" >&2
}

stop_products_db() {
  if [ -n "$PG_PID" ]; then
    stop_pid "$PG_PID"
    PG_PID=""
  fi
}

# Replaces the product data with the seed-42 rows (book sizes); prints the seeder's JSON line.
seed_products_db() {
  LAB_DB_URL="$PG_URL" "$JAVA" $LAB_JAVA_OPTS -jar "$JAR" seed --seed 42 "$@" 2>/dev/null
}

# CPU seconds (user + system) a process has used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

# Runs a command, echoing it on stderr first.
say_run() {
  echo "+ $*" >&2
  "$@"
}
