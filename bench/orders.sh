#!/usr/bin/env bash
# Chapter 12 order app: POST /order throughput and latency while the queue has room, and the time to drain the
# backlog, for the lab's durable order app (PostgreSQL) and the peer order_app.py (in memory).
#   bash bench/orders.sh [--quick]
. "$(dirname "$0")/lib.sh"

RUNS=3; N=20000; N_BOOK=1000
WARMUP=30000
if [ "${1:-}" = "--quick" ]; then RUNS=1; N=10000; N_BOOK=300; WARMUP=10000; fi
# Unmeasured POSTs before the measured ones, for every server alike, in the 0 ms row only (in the 40 ms row
# their backlog would stretch the peer's drain): the JVMs' JIT warm-up (C2 still compiles the request path
# for the first ~10,000 POSTs, about 2 s of a core); the lab drains them before measuring.
warmup_for() { if [ "$1" -eq 0 ]; then echo "$WARMUP"; else echo 0; fi; }
CONCURRENCY=64

bench_lock
bench_prepare
mkdir -p "$RESULTS" "$ROOT/bench/tmp"
OUT="$RESULTS/orders.md"
PORT=18431

run_lab() {  # work_ms_max n; prints the client's JSON line
  local work=$1 n=$2 dir pid
  dir=$(mktemp -d "$ROOT/bench/tmp/orders.XXXXXX")
  LAB_SERVICES=queue,http LAB_HTTP_PORT=$PORT LAB_DATA_DIR="$dir" LAB_ORDER_WORKERS=5 LAB_ORDER_QUEUE_MAX=10000000 \
    LAB_ORDER_WORK_MS_MAX=$work LAB_DB_POOL=16 $JAVA $LAB_JAVA_OPTS -jar "$JAR" >"$dir/lab.out" 2>"$dir/lab.err" &
  pid=$!
  wait_port $PORT 120
  $JAVA -jar "$JAR" bench orders --url "http://127.0.0.1:$PORT" --n "$n" --concurrency $CONCURRENCY \
    --warmup "$(warmup_for "$work")" --health "http://127.0.0.1:$PORT/health" 2>/dev/null | tail -1
  stop_pid $pid
  rm -rf "$dir"
}

run_peer() {  # work_ms_max n [--uvloop]; prints the client's JSON line with the peer's drain_s merged in
  local work=$1 n=$2 extra=${3:-} pid client peer_out
  peer_out=$(mktemp "$ROOT/bench/tmp/peer.XXXXXX")
  "$PYTHON" "$PEERS/order_app.py" --port $PORT --workers 5 --maxsize 10000000 --work-ms-max "$work" --priority \
    $extra >"$peer_out" 2>/dev/null &
  pid=$!
  wait_port $PORT 30
  client=$($JAVA -jar "$JAR" bench orders --url "http://127.0.0.1:$PORT" --n "$n" --concurrency $CONCURRENCY \
    --warmup "$(warmup_for "$work")" 2>/dev/null | tail -1)
  stop_pid $pid   # the peer drains on SIGTERM (queue.join, at most 10 s) and prints drain_s
  "$PYTHON" -c 'import json,sys; c=json.loads(sys.argv[1]); p=json.loads(open(sys.argv[2]).readline())
c["drain_s"]=p["drain_s"] if p["drained"] else None; c["peer_completed"]=p["completed"]; print(json.dumps(c))' "$client" "$peer_out"
  rm -f "$peer_out"
}

declare -A cell
measure() {  # name work n command...
  local name=$1 work=$2 n=$3; shift 3
  local rates=() p99s=() drains=() i line
  for ((i = 0; i < RUNS; i++)); do
    echo "bench: $name, work 0-$work ms, $n orders, run $((i + 1))/$RUNS" >&2
    line=$("$@" "$work" "$n")
    rates+=("$(echo "$line" | json_field per_s)")
    p99s+=("$(echo "$line" | json_field latency.p99_ms)")
    drains+=("$(echo "$line" | json_field drain_s)")
  done
  cell[$name.$work.rate]=$(median "${rates[@]}")
  cell[$name.$work.p99]=$(median "${p99s[@]}")
  cell[$name.$work.drain]=$(median "${drains[@]}")
}

run_peer_uvloop() { run_peer "$1" "$2" --uvloop; }

for work in 0 40; do
  n=$N; [ "$work" -gt 0 ] && n=$N_BOOK
  measure lab "$work" "$n" run_lab
  measure asyncio "$work" "$n" run_peer
  measure uvloop "$work" "$n" run_peer_uvloop
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }

{
  results_header "Order app (chapter 12): POST /order and backlog drain" "bash bench/orders.sh $*"
  echo "Load on the machine when this ran: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) on $(nproc) cores."
  echo
  echo "| work per order | orders | lab POST/s | asyncio POST/s | uvloop POST/s | lab vs best peer | lab p99 ms | asyncio p99 ms | uvloop p99 ms | lab drain s | asyncio drain s | uvloop drain s |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for work in 0 40; do
    n=$N; [ "$work" -gt 0 ] && n=$N_BOOK
    top=$(best "${cell[asyncio.$work.rate]}" "${cell[uvloop.$work.rate]}")
    echo "| 0-$work ms | $n | ${cell[lab.$work.rate]} | ${cell[asyncio.$work.rate]} | ${cell[uvloop.$work.rate]} | $(ratio "${cell[lab.$work.rate]}" "$top") | ${cell[lab.$work.p99]} | ${cell[asyncio.$work.p99]} | ${cell[uvloop.$work.p99]} | ${cell[lab.$work.drain]} | ${cell[asyncio.$work.drain]} | ${cell[uvloop.$work.drain]} |"
  done
  cat <<'NOTES'

What runs (medians of the runs; one fresh server per run; the same load client, `bench orders`, for both:
64 keep-alive connections, one POST at a time each, every tenth order a power user; in the 0 ms row `--warmup`
unmeasured POSTs first, the same number for every server, whose backlog the lab drains before the measured POSTs).
The client shares the 2 cores with the server, so it is lean on purpose (plain HTTP/1.1 on a `NetClient`, request
bytes built once, only the status line and Content-Length read, one event loop; its own CPU is `client_cpu_s` in
its JSON line): it costs about half the CPU of the Vert.x `HttpClient` it replaced, which helps the single-threaded
peer most (the peer's rate nearly doubled with it).

- **lab**: `LAB_SERVICES=queue,http java -jar target/concurrency-lab.jar` with its embedded PostgreSQL on a fresh data
  dir, 5 workers, a queue bound far above the number of orders ("while the queue has room"). **Durable**: each
  POST's row is committed before its 202, with `synchronous_commit` on for the order app's sessions (the embedded
  server runs with `fsync` off lab-wide: the WAL reaches the OS, not the disk; see the notes). The POST route hands
  the order straight to the node's desk on the request's own event loop (no bus round trip, no BodyHandler for a
  small body). Group commit per event loop: the POSTs that arrive while an INSERT is in flight are written together
  by the next one, up to 256 orders in ONE statement (`INSERT ... SELECT FROM unnest($1::bool[], $2::int[])`, its own
  transaction), two in flight per loop. Workers claim orders with `FOR UPDATE SKIP LOCKED` in a transaction, work on
  them, mark them done with one UPDATE and commit; a claim takes one order after long work and doubles (up to 64)
  while the claimed work stays under 5 ms; a worker whose claim came back short waits for a full claim's worth of
  new orders or 10 ms, so 0 ms orders share a transaction. Drain = from the last POST's answer until `/health` shows
  no order waiting or in work (polled every 20 ms).
- **peer**: `order_app.py --priority --workers 5 --maxsize 10000000`, aiohttp, orders **in memory** (an
  `asyncio.PriorityQueue`): an accepted order is lost if the process dies. Drain = its own `drain_s`: SIGTERM right
  after the last POST's answer, then `queue.join()` (it gives up after 10 s; a cut-off drain shows as None).
- "work 0-40 ms" is the book's 0-4 s per order scaled by 1/100; "work 0-0 ms" leaves only each side's overhead.

Reading the drain columns: with real work the drain time is bound by the workload, sum(work) / 5 workers, the
same for both, whatever the implementation. With no work, the peer's drain is a few `queue.get()` calls, while
the lab's is bound by PostgreSQL: claim, update and commit per batch of orders.
NOTES
} > "$OUT"
cat "$OUT"
