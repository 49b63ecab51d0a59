#!/usr/bin/env bash
# Chapter 9: `wrk -t1 -c200 -d30s` on GET /brands and GET /products/{random id}, the lab (services db, web,
# http) vs the peer web_api.py (aiohttp + asyncpg, one process, with and without uvloop), on the SAME
# PostgreSQL and data. Also measures the machine's PostgreSQL ceiling (pgbench -S -M prepared) to say which
# fraction of it each server reaches. No query result is cached anywhere.
#
#   bash bench/web.sh [--quick]      writes bench/results/web.md
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/products-db.sh"

DURATION=30 RUNS=3 PGBENCH_S=20 WARMUP=10
if [ "${1:-}" = "--quick" ]; then DURATION=5 RUNS=1 PGBENCH_S=5 WARMUP=5; fi
HTTP_INSTANCES=${HTTP_INSTANCES:-2}

bench_lock
bench_prepare
command -v wrk >/dev/null || { echo "bench: wrk is missing (sh ../shared/peers/install.sh installs it)" >&2; exit 1; }
start_products_db
seed_products_db >/dev/null

# --- The PostgreSQL ceiling: read-only pgbench on prepared statements, in a database of its own.
PGPORT=${PG_URL##*:}; PGPORT=${PGPORT%%/*}
psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c "DROP DATABASE IF EXISTS pgbench" -c "CREATE DATABASE pgbench" postgres >/dev/null
pgbench -q -i -s 1 -h 127.0.0.1 -p "$PGPORT" -U postgres pgbench >/dev/null 2>&1
CEILING=$(pgbench -S -M prepared -c 8 -j 2 -T "$PGBENCH_S" -h 127.0.0.1 -p "$PGPORT" -U postgres pgbench 2>/dev/null \
  | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
CEILING=$(printf '%.0f' "$CEILING")
echo "bench: pgbench -S -M prepared -c 8: $CEILING tps" >&2

PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SERVER_PID=""
start_server() {
  case $1 in
    lab)
      LAB_SERVICES=db,web,http LAB_DB_URL="$PG_URL" LAB_HTTP_PORT="$PORT" LAB_HTTP_INSTANCES="$HTTP_INSTANCES" \
        LAB_DB_SEED_ON_START=false LAB_DATA_DIR="$ROOT/bench/tmp/lab-data" \
        "$JAVA" $LAB_JAVA_OPTS -jar "$JAR" >"$ROOT/bench/tmp/server.out" 2>"$ROOT/bench/tmp/server.err" &
      ;;
    aiohttp) "$PYTHON" "$PEERS/web_api.py" --port "$PORT" --dsn "$PG_URL" --pool 6 \
      >"$ROOT/bench/tmp/server.out" 2>"$ROOT/bench/tmp/server.err" & ;;
    uvloop) "$PYTHON" "$PEERS/web_api.py" --port "$PORT" --dsn "$PG_URL" --pool 6 --uvloop \
      >"$ROOT/bench/tmp/server.out" 2>"$ROOT/bench/tmp/server.err" & ;;
  esac
  SERVER_PID=$!
  wait_port "$PORT" 90
  curl -sf "http://127.0.0.1:$PORT/brands" >/dev/null
}

# One wrk run; prints "req_per_s p99_ms non2xx errors server_cpu_s".
run_wrk() {
  local path=$1 script=() out cpu_before cpu_after
  [ "$path" = products ] && script=(-s "$BENCH_DIR/web-products.lua")
  cpu_before=$(cpu_seconds "$SERVER_PID")
  out=$(wrk -t1 -c200 -d"${DURATION}s" --latency "${script[@]}" "http://127.0.0.1:$PORT/${path/products/products/1}" 2>&1)
  cpu_after=$(cpu_seconds "$SERVER_PID")
  echo "$out" >&2
  local rps p99 non2xx errors
  rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
  p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/, "", v); v/=1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v*=1000}; print v}')
  non2xx=$(echo "$out" | sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p'); non2xx=${non2xx:-0}
  errors=$(echo "$out" | sed -n 's/^ *Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1+\2+\3+\4/p')
  errors=$(( ${errors:-0} ))
  echo "$rps $p99 $non2xx $errors $(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN {print b - a}')"
}

declare -A RPS P99 BAD CPU
for who in lab aiohttp uvloop; do
  start_server "$who"
  # Warm-up, not measured: the JIT compiles the lab's hot paths; the peers' pools fill likewise.
  wrk -t1 -c200 -d"${WARMUP}s" "http://127.0.0.1:$PORT/brands" >/dev/null 2>&1
  wrk -t1 -c200 -d"${WARMUP}s" -s "$BENCH_DIR/web-products.lua" "http://127.0.0.1:$PORT/products/1" >/dev/null 2>&1
  for path in brands products; do
    for run in $(seq "$RUNS"); do
      read -r rps p99 non2xx errors cpu < <(run_wrk "$path")
      echo "bench: $who /$path run $run: $rps req/s, p99 $p99 ms, non-2xx $non2xx, socket errors $errors" >&2
      RPS[$who.$path]+="$rps "
      P99[$who.$path]+="$p99 "
      BAD[$who.$path]=$(( ${BAD[$who.$path]:-0} + non2xx + errors ))
      CPU[$who.$path]+="$(awk -v c="$cpu" -v r="$rps" -v d="$DURATION" 'BEGIN {printf "%.3f", c * 1000 / (r * d)}') "
    done
  done
  stop_pid "$SERVER_PID"
done

med() { median $1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
{
  results_header "Chapter 9: REST API under wrk -t1 -c200 -d${DURATION}s" "bash bench/web.sh $*"
  echo "- Load on the machine when the run ended: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."
  echo "- One PostgreSQL 17 (the lab's embedded server run alone) for every server, seeded with \`seed --seed 42\`; pool of 6 connections in every server; no caching of query results."
  echo "- The lab: \`LAB_SERVICES=db,web,http\`, $HTTP_INSTANCES HTTP server verticles (event loops) and one products-store verticle, routes validated against the OpenAPI document, each request crossing the event bus to the store. The peer: web_api.py, one process, one event loop. Both share the 2 cores with PostgreSQL and wrk."
  echo "- PostgreSQL ceiling on this machine now: pgbench -S -M prepared -c 8 = **${CEILING} tps** (one single-row SELECT per transaction)."
  echo "- Each server first gets ${WARMUP} s of unmeasured load on each endpoint (JIT warm-up for the lab)."
  echo "- Server CPU: the server process only (not PostgreSQL, not wrk), in CPU seconds per 1,000 requests."
  echo
  echo "| endpoint | server | req/s | p99 ms | non-2xx + socket errors | server CPU s / 1,000 req | share of pgbench ceiling |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  for path in brands products; do
    for who in lab aiohttp uvloop; do
      label=$who; [ "$who" = lab ] && label="lab (Vert.x)"; [ "$who" = aiohttp ] && label="aiohttp + asyncio"; [ "$who" = uvloop ] && label="aiohttp + uvloop"
      r=$(med "${RPS[$who.$path]}")
      echo "| /$path | $label | $r | $(med "${P99[$who.$path]}") | ${BAD[$who.$path]} | $(med "${CPU[$who.$path]}") | $(awk -v r="$r" -v c="$CEILING" 'BEGIN {printf "%.0f%%", 100 * r / c}') |"
    done
  done
  echo
  for path in brands products; do
    best=$(printf '%s\n' "$(med "${RPS[aiohttp.$path]}")" "$(med "${RPS[uvloop.$path]}")" | sort -g | tail -1)
    echo "- /$path: lab / best aiohttp = **$(ratio "$(med "${RPS[lab.$path]}")" "$best")x** req/s; p99 lab $(med "${P99[lab.$path]}") ms vs aiohttp+uvloop $(med "${P99[uvloop.$path]}") ms."
  done
  echo
  echo "Notes:"
  echo "- Fairness: the peer is one aiohttp process with one event loop, as in the book and the issue; the lab runs $HTTP_INSTANCES HTTP event loops plus the store's. Python's one loop is its design limit on 2 cores (a second process would need a second pool and a load balancer); the CPU column shows the lab also spends 2-3x less CPU per request."
  echo "- Socket errors of the peers are wrk's 2 s timeouts: with 200 connections the single Python loop queues requests past that."
  echo "- The machine is shared (see the load above): absolute numbers move between runs; ratios of runs side by side move less."
} >"$RESULTS/web.md.new"
mv "$RESULTS/web.md.new" "$RESULTS/web.md"
cat "$RESULTS/web.md"
