#!/usr/bin/env bash
# Chapters 1-2: the book's CPU-bound listings in Python next to the lab's demos in Java.
#
#   bash bench/basics.sh           # 3 runs each, the book's sizes: fib(40) + fib(41), count to 100,000,000
#   bash bench/basics.sh --quick   # 1 run, small sizes (fib(32) + fib(33), count to 10,000,000)
#
# ../shared/peers has no peer for these chapters, so the Python side is the book's own code (listings 1.5, 1.6
# and 2.18), inline below and labelled as such; only the timing is collected as JSON instead of printed.
# Writes bench/results/basics.md.
. "$(dirname "$0")/lib.sh"

RUNS=3
FIB_N=40
COUNT_N=100000000
if [ "${1:-}" = "--quick" ]; then
  RUNS=1
  FIB_N=32
  COUNT_N=10000000
fi

bench_lock
bench_prepare
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)

# The book's listings, as printed in the book (fib with fib(1) = 0, fib(2) = 1; the counting coroutine),
# run by one interpreter; it prints one JSON line with the wall times in seconds.
book_listings() {
  "$PYTHON" - "$FIB_N" "$COUNT_N" <<'PYTHON'
import asyncio
import json
import sys
import threading
import time

FIB_N = int(sys.argv[1])
COUNT_N = int(sys.argv[2])


# --- listing 1.5 / 1.6 (the book's code) ---
def print_fib(number: int) -> None:
    def fib(n: int) -> int:
        if n == 1:
            return 0
        elif n == 2:
            return 1
        else:
            return fib(n - 1) + fib(n - 2)

    print(f'fib({number}) is {fib(number)}', file=sys.stderr)


def fibs_no_threading():
    print_fib(FIB_N)
    print_fib(FIB_N + 1)


def fibs_with_threads():
    fortieth_thread = threading.Thread(target=print_fib, args=(FIB_N,))
    forty_first_thread = threading.Thread(target=print_fib, args=(FIB_N + 1,))
    fortieth_thread.start()
    forty_first_thread.start()
    fortieth_thread.join()
    forty_first_thread.join()


# --- listing 2.18 (the book's code; async_timed replaced by collecting the times) ---
count_times = []


async def cpu_bound_work() -> int:
    start = time.time()
    counter = 0
    for i in range(COUNT_N):
        counter = counter + 1
    count_times.append(time.time() - start)
    return counter


async def main():
    task_one = asyncio.create_task(cpu_bound_work())
    task_two = asyncio.create_task(cpu_bound_work())
    await task_one
    await task_two


start = time.time()
fibs_no_threading()
sequential = time.time() - start

start = time.time()
fibs_with_threads()
threads = time.time() - start

start = time.time()
asyncio.run(main())
counts = time.time() - start

print(json.dumps({"fib_sequential_s": sequential, "fib_threads_s": threads,
                  "count_first_s": count_times[0], "count_second_s": count_times[1], "count_total_s": counts}))
PYTHON
}

# The lab's demos: cpu-vs-io (1.5, 1.6 and two worker verticles) and blocked-loop (2.18's two counts on an
# event loop), each in a fresh JVM as the Python listings run in a fresh interpreter. Last line: the claims.
lab_fib() {
  $JAVA $LAB_JAVA_OPTS -jar "$JAR" demo cpu-vs-io --n "$FIB_N" --repeat 1 --io-ms 10 | tail -1
}
lab_count() {
  $JAVA $LAB_JAVA_OPTS -jar "$JAR" demo blocked-loop --n "$COUNT_N" --second-ms 1 --max-ms 60000 | tail -1
}

declare -a py_seq py_thr py_c1 py_c2 py_ct j_seq j_thr j_wrk j_c1 j_c2 j_ct
for run in $(seq 1 "$RUNS"); do
  echo "bench basics: run $run/$RUNS: Python, the book's listings (fib($FIB_N) + fib($((FIB_N + 1))), count to $COUNT_N)..." >&2
  line=$(book_listings 2>/dev/null)
  py_seq+=("$(echo "$line" | json_field fib_sequential_s)")
  py_thr+=("$(echo "$line" | json_field fib_threads_s)")
  py_c1+=("$(echo "$line" | json_field count_first_s)")
  py_c2+=("$(echo "$line" | json_field count_second_s)")
  py_ct+=("$(echo "$line" | json_field count_total_s)")

  echo "bench basics: run $run/$RUNS: Java, demo cpu-vs-io and demo blocked-loop..." >&2
  line=$(lab_fib 2>/dev/null)
  j_seq+=("$(awk "BEGIN {print $(echo "$line" | json_field sequential_ms) / 1000}")")
  j_thr+=("$(awk "BEGIN {print $(echo "$line" | json_field threads_ms) / 1000}")")
  j_wrk+=("$(awk "BEGIN {print $(echo "$line" | json_field workers_ms) / 1000}")")
  line=$(lab_count 2>/dev/null)
  counts=$(echo "$line" | "$PYTHON" -c 'import json,sys; c=json.loads(sys.stdin.readline())["event_loop"]["count_ms"]; print(c[0]/1000, c[1]/1000, (c[0]+c[1])/1000)')
  read -r c1 c2 ct <<<"$counts"
  j_c1+=("$c1"); j_c2+=("$c2"); j_ct+=("$ct")
done
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
BUSY=""
if awk "BEGIN {exit !($LOAD_BEFORE > $(nproc) || $LOAD_AFTER > $(nproc))}"; then
  BUSY="The machine was busy (load average above its $(nproc) cores): both sides ran slower than on a quiet machine,
and the speed-ups from a second core are understated."
fi

fmt() { awk "BEGIN {printf \"%.3f s\", $1}"; }
times() { awk "BEGIN {printf \"%.${3:-0}fx\", $1 / $2}"; }
row() { # label, the book's time, Python seconds, Java seconds
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$(fmt "$3")" "$(fmt "$4")" "$(times "$3" "$4")"
}

mkdir -p "$RESULTS"
{
  results_header "Chapters 1-2: the book's CPU-bound listings, Python vs Java" "bash bench/basics.sh${1:+ $1}"
  cat <<EOF2
Python runs the book's own listings 1.5, 1.6 and 2.18 (inline in bench/basics.sh: ../shared/peers has no peer
for these chapters). Java runs \`demo cpu-vs-io --n $FIB_N --repeat 1\` and \`demo blocked-loop --n $COUNT_N\`,
each in a fresh JVM. Cells are medians of $RUNS run(s); load average $LOAD_BEFORE before, $LOAD_AFTER after
($(nproc) cores: above $(nproc) means other work shared the machine). $BUSY

| Workload | The book (Python 3.10, its machine) | Python here | Java here | Java faster by |
|---|---|---|---|---|
EOF2
  if [ "$FIB_N" = 40 ]; then BOOK_SEQ="65.15 s"; BOOK_THR="66.11 s"; else BOOK_SEQ="—"; BOOK_THR="—"; fi
  if [ "$COUNT_N" = 100000000 ]; then BOOK_C="4.67 s"; BOOK_CT="9.34 s"; else BOOK_C="—"; BOOK_CT="—"; fi
  py=$(median "${py_seq[@]}"); jv=$(median "${j_seq[@]}")
  py2=$(median "${py_thr[@]}"); jv2=$(median "${j_thr[@]}"); jv3=$(median "${j_wrk[@]}")
  row "fib($FIB_N) + fib($((FIB_N + 1))), one after the other (1.5)" "$BOOK_SEQ" "$py" "$jv"
  row "fib($FIB_N) + fib($((FIB_N + 1))), two threads (1.6)" "$BOOK_THR" "$py2" "$jv2"
  printf '| fib(%s) + fib(%s), two worker verticles (basics.fib) | — | — | %s | %s vs Python threads |\n' \
    "$FIB_N" "$((FIB_N + 1))" "$(fmt "$jv3")" "$(times "$py2" "$jv3")"
  row "count to $COUNT_N, first task (2.18)" "$BOOK_C" "$(median "${py_c1[@]}")" "$(median "${j_c1[@]}")"
  row "count to $COUNT_N, second task (2.18)" "$BOOK_C" "$(median "${py_c2[@]}")" "$(median "${j_c2[@]}")"
  row "two counts on one event loop (2.18 total)" "$BOOK_CT" "$(median "${py_ct[@]}")" "$(median "${j_ct[@]}")"
  cat <<EOF2

Speed-up from two threads: Python $(times "$py" "$py2" 2) (the GIL: one thread runs Python at a time), Java
$(times "$jv" "$jv2" 2) with threads and $(times "$jv" "$jv3" 2) with worker verticles. Two cores can give
at most the sum over the longer task, about 1.6x, since fib(n + 1) costs 1.6 times fib(n).

Notes:
- The first Java count includes the JIT compiling the loop while it runs (the demo warms nothing up for it, as
  the listing does not); the second is the compiled loop.
- Java's counting loop looks at a stop signal every 2^20 increments (basics/CountingLoop.java): without it the
  JIT removes a loop whose result is never observed, and counting "to 100,000,000" takes 0 ms.
- Python is the Debian /usr/bin/python3 (its version is above; the book used 3.10, and 3.11 runs this code faster).
EOF2
} > "$RESULTS/basics.md"
cat "$RESULTS/basics.md"
