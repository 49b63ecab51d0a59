#!/usr/bin/env bash
# Chapter 12 queue micro-benchmark: items/s through a FIFO / priority / LIFO queue with 1x1 and 4x4
# producers x consumers, and request-reply round trips/s; the lab's AsyncQueue (one event loop, like
# asyncio's one loop), the lab's bus work queue, and the peer queue_bench.py on asyncio and uvloop.
#   bash bench/queues.sh [--quick]
. "$(dirname "$0")/lib.sh"

ARGS="$*"
RUNS=3; ITEMS=1000000; RR_ITEMS=100000
# Quick runs keep each measured run near a second for the peer (a 20 ms run is all noise and GC).
if [ "${1:-}" = "--quick" ]; then RUNS=1; ITEMS=500000; RR_ITEMS=50000; fi

bench_lock
bench_prepare
mkdir -p "$RESULTS"
OUT="$RESULTS/queues.md"

lab() {  # args for `bench queues`; prints per_s
  $JAVA $LAB_JAVA_OPTS -jar "$JAR" bench queues "$@" 2>/dev/null | tail -1 | json_field per_s
}
peer() {  # args for queue_bench.py; prints per_s
  "$PYTHON" "$PEERS/queue_bench.py" "$@" | json_field per_s
}
med() {  # RUNS times the command given; prints the median
  local values=() i
  for ((i = 0; i < RUNS; i++)); do values+=("$("$@")"); done
  median "${values[@]}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }

rows=()
for mode in throughput request-reply; do
  for pc in "1 1" "4 4"; do
    set -- $pc; p=$1; c=$2
    kinds="fifo priority lifo"; items=$ITEMS
    if [ "$mode" = request-reply ]; then kinds="fifo"; items=$RR_ITEMS; fi
    for kind in $kinds; do
      common=(--items "$items" --producers "$p" --consumers "$c" --kind "$kind" --mode "$mode")
      echo "bench: $mode $kind ${p}x${c}..." >&2
      local_s=$(med lab "${common[@]}" --via local)
      bus_s=$(med lab "${common[@]}" --via bus --batch 1000)
      asyncio_s=$(med peer "${common[@]}")
      uvloop_s=$(med peer "${common[@]}" --uvloop)
      top=$(best "$asyncio_s" "$uvloop_s")
      rows+=("| $mode | $kind | ${p}x${c} | $items | $local_s | $bus_s | $asyncio_s | $uvloop_s | $(ratio "$local_s" "$top") | $(ratio "$bus_s" "$top") |")
    done
  done
done

{
  results_header "Queues (chapter 12): items/s and round trips/s" "bash bench/queues.sh $ARGS"
  echo "Load on the machine when this ran: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) on $(nproc) cores."
  echo
  echo "| mode | kind | P x C | items | lab AsyncQueue /s | lab bus queue /s | asyncio /s | uvloop /s | AsyncQueue vs best peer | bus vs best peer |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  cat <<'NOTES'

How each side runs (medians of the runs; each row is items per second, or round trips per second in request-reply):

- **asyncio / uvloop**: `queue_bench.py` (one event loop). In throughput mode its `put()` into a queue with room and
  `get()` from a queue with items return without yielding, so with the default unbounded queue a producer puts its
  share in one go and consumers then take many in a row.
- **lab AsyncQueue**: `java -jar target/concurrency-lab.jar bench queues --via local`: producers and consumers are
  tasks on ONE Vert.x event loop, like the peer's one loop. Producers `offer()` while there is room and wait on
  `put()` only when full; consumers `poll()` while there are items and wait on `take()` only when empty: the same
  no-yield fast path the peer's `put`/`get` take. Every wake-up of a waiter is a new task on its loop (asyncio's
  `call_soon`). Priority items are (priority 0-9 seeded, sequence) like the peer's, in the array-backed heap of
  `AsyncQueue.byPriority`. Unmeasured runs of the same workload come first for at least 5 s (`--warmup-seconds`,
  the JIT's warm-up; CPython has none): one run of 50,000 round trips takes ~20 ms warm, and a single warm-up run
  of that size left the measured run interpreted (167k round trips/s after one warm-up run, 1.7M after five, same
  machine). Items are made once per process before the clock starts, as the peer does; every run moves the same
  item objects. A waiter (a consumer on an empty queue) costs no timer: one timer per queue expires waiters.
- **lab bus queue**: the same workload through the event bus work-queue broker (`queue.work.put/take/done/join`,
  the queue producers and consumers on any cluster node use; here one node, so the bus is local). Throughput
  mode moves items in batches of up to 1,000 per message (`items` / `max`, `--batch 1000`; the broker allows
  10,000), so a put, a take and a done are three round trips per 1,000 items. The bus priority row puts every
  item with priority 0 (`queue.work.put` takes one priority per message), so its heap orders by insertion only,
  unlike the peer's random priorities. Request-reply mode is plain bus
  request-reply (`eventBus.request` to C consumers), the bus's own request queue. This is a service boundary,
  not an in-process queue: every message is copied and dispatched, so compare it with care.
NOTES
} > "$OUT"
cat "$OUT"
