#!/usr/bin/env bash
# Chapter 4 fan-out: N GETs with 100 in flight, against the lab's stub (its own JVM) and the Python peer's
# stub. Clients: this lab's fetch service (POST /fetch, in a lab JVM of its own), its loadtest command (warm
# and cold), and the peer fetch_many.py with asyncio and with uvloop. Reports the median req/s and the
# client's CPU time per request of each, and the ratios against the best Python client.
#
#   bash bench/fetch.sh             # 1,000 and 10,000 GETs, 5 runs per cell
#   bash bench/fetch.sh --quick     # 1,000 and 10,000 GETs, 3 runs per cell (the results file says how long it took)
#   bash bench/fetch.sh --runs 7    # any number of runs per cell
#
# The runs of a cell are interleaved with the other clients' (run 1 of every client, then run 2, ...), so a
# change in the machine's load during the benchmark shifts every client alike instead of one client's cell.
. "$(dirname "$0")/lib.sh"

# Both sizes in every run, so a quick run never drops the 10,000 rows: the quick one only runs fewer times.
SIZES="1000 10000"
RUNS=5
while [ $# -gt 0 ]; do
  case $1 in
    --quick) RUNS=3 ;;
    --runs) RUNS=${2:?--runs needs a number}; shift ;;
    *) echo "usage: bash bench/fetch.sh [--quick] [--runs N]" >&2; exit 2 ;;
  esac
  shift
done
[ "$RUNS" -ge 1 ] 2>/dev/null || { echo "bench: --runs must be a positive number" >&2; exit 2; }
ARGS="$(if [ "$RUNS" = 3 ]; then echo "--quick"; elif [ "$RUNS" != 5 ]; then echo "--runs $RUNS"; fi)"
LIMIT=100
# The loadtest command as README.md documents it: C1 only (a short-lived JVM spends its CPU on C2 compiling
# otherwise) and 5,000 untimed requests first, so the JIT has compiled the client before the timed run.
# The serial collector: on G1, loadtest spent about twice the CPU per request (0.110 ms against 0.057 on NIO, session 6
# notes); G1 collected 5 times in a run of 15,000 requests, the serial collector, with its larger young generation, once.
LOADTEST_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
LOADTEST_WARMUP=5000
# Every lab JVM (the stub, the fetch service, loadtest) runs on Netty's native epoll event loops, the lab's
# counterpart of uvloop (README: LAB_TRANSPORT), as fetch_many.py --uvloop runs on uvloop.
export LAB_TRANSPORT=${LAB_TRANSPORT:-epoll}

bench_lock
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
bench_prepare
STARTED_AT=$(date +%s)

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# CPU seconds of a process: the sum over its threads of the nanoseconds they ran (/proc/<pid>/task/*/schedstat).
# /proc/<pid>/stat counts in 10 ms ticks, too coarse for a 1,000-request call of 60 ms of CPU.
cpu_of() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ns += $1} END {printf "%.6f", ns / 1e9}'; }

LAB_STUB=$(free_port); PY_STUB=$(free_port); LAB_HTTP=$(free_port)
WORK=$(mktemp -d)
PIDS=()
# A loadtest JVM in progress (started in a subshell, so its pid goes through a file): stopped too on interruption.
cleanup() {
  if [ -s "$WORK/client.pid" ]; then stop_pid "$(cat "$WORK/client.pid")"; fi
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  rm -rf "$WORK"
}
trap cleanup EXIT

LAB_SERVICES=stub LAB_STUB_PORT=$LAB_STUB $JAVA $LAB_JAVA_OPTS -jar "$JAR" >"$WORK/stub.log" 2>&1 &
LAB_STUB_PID=$!
PIDS+=($LAB_STUB_PID)
"$PYTHON" "$PEERS/stub_server.py" --port "$PY_STUB" >"$WORK/pystub.log" 2>&1 &
PY_STUB_PID=$!
PIDS+=($PY_STUB_PID)
LAB_SERVICES=fetch,http LAB_HTTP_PORT=$LAB_HTTP LAB_HTTP_INSTANCES=1 $JAVA $LAB_JAVA_OPTS -jar "$JAR" >"$WORK/lab.log" 2>&1 &
FETCH_PID=$!
PIDS+=($FETCH_PID)
for port in "$LAB_STUB" "$PY_STUB" "$LAB_HTTP"; do
  wait_port "$port" 120 || { tail -n 20 "$WORK"/*.log >&2; exit 1; }
done

# One measurement: prints "req_per_s cpu_ms_per_request timed_seconds".
run_fetch_service() {  # url n
  local before after reply
  before=$(cpu_of "$FETCH_PID")
  reply=$(curl -s -X POST "http://127.0.0.1:$LAB_HTTP/fetch" -H 'content-type: application/json' \
    -d "{\"url\":\"$1\",\"count\":$2,\"limit\":$LIMIT}")
  after=$(cpu_of "$FETCH_PID")
  local ok per_s
  ok=$(echo "$reply" | json_field totals.ok)
  [ "$ok" = "$2" ] || { echo "bench: fetch service: only $ok of $2 ok" >&2; }
  per_s=$(echo "$reply" | json_field totals.perSecond)
  echo "$per_s $(awk -v a="$before" -v b="$after" -v n="$2" 'BEGIN {printf "%.4f", (b - a) * 1000 / n}') \
$(echo "$reply" | json_field totals.ms | awk '{printf "%.4f", $1 / 1000}')"
}
# Warm-up calls, one after the other from one curl: the same POST /fetch, the replies not read (a process per call,
# and python's per field, would cost more than the calls).
warm_fetch_service() {  # url n calls
  local endpoint="http://127.0.0.1:$LAB_HTTP/fetch"
  curl -s -X POST -H 'content-type: application/json' -d "{\"url\":\"$1\",\"count\":$2,\"limit\":$LIMIT}" \
    $(for _ in $(seq "$3"); do echo "$endpoint"; done) >/dev/null
}
# loadtest says on stderr when its warm-up is over; at that line the target server's CPU is read into
# $WORK/timed_from, so that the server column counts the timed run only. A FIFO: the read waits, it does not poll.
run_loadtest() {  # url n warmup server_pid
  local line fifo="$WORK/loadtest.err"
  rm -f "$fifo" "$WORK/timed_from"
  mkfifo "$fifo"
  $JAVA $LAB_JAVA_OPTS $LOADTEST_JAVA_OPTS -jar "$JAR" loadtest "$1" -n "$2" -c "$LIMIT" --warmup "$3" \
    >"$WORK/loadtest.out" 2>"$fifo" &
  local pid=$!
  echo "$pid" >"$WORK/client.pid"
  while IFS= read -r line; do
    case $line in
      "loadtest: warm-up"*) cpu_of "$4" >"$WORK/timed_from" ;;
      *) echo "$line" >&2 ;;
    esac
  done <"$fifo"
  wait "$pid"
  : >"$WORK/client.pid"
  line=$(tail -1 "$WORK/loadtest.out")
  echo "$(echo "$line" | json_field perSecond) $(echo "$line" | json_field cpu_s | awk -v n="$2" '{printf "%.4f", $1 * 1000 / n}') \
$(echo "$line" | json_field seconds)"
}
run_peer() {  # url n [--uvloop]
  local line
  line=$("$PYTHON" "$PEERS/fetch_many.py" --url "$1" --n "$2" --limit "$LIMIT" ${3:-})
  echo "$(echo "$line" | json_field per_s) $(echo "$line" | json_field cpu_s | awk -v n="$2" '{printf "%.4f", $1 * 1000 / n}') \
$(echo "$line" | json_field seconds)"
}

# Warm the lab's JVMs (JIT) before timing: a long-running service is warm. The lab stub answers fastest, so the
# warm-up goes there; on a busy 2-core machine C2 needs tens of thousands of requests to settle.
# Calls of 1,000 too, and as many to stub_server.py, whose answers take other paths (its headers differ): with
# only 3,000 requests there first, its rows timed a service whose JIT was still compiling those paths.
# Calls of 100 too (200 of them, 20,000 connections opened and closed): a call opens its 100 connections once, so
# 16 calls left Netty's and Vert.x's connect path 1,600 calls short of C2's thresholds, and C2 compiled it during
# the timed calls: 67-117 ms of C2 CPU per 1,000-URL call, about as much as the event loop's own (session 6 notes).
for port in "$LAB_STUB" "$PY_STUB"; do
  for _ in 1 2 3 4 5 6; do run_fetch_service "http://127.0.0.1:$port/" 10000 >/dev/null; done
  warm_fetch_service "http://127.0.0.1:$port/" 100 200
  for _ in 1 2 3 4 5 6 7 8 9 10; do run_fetch_service "http://127.0.0.1:$port/" 1000 >/dev/null; done
done

CLIENTS="fetch-service loadtest loadtest-cold aiohttp aiohttp-uvloop"
ROWS="$WORK/rows"
: >"$ROWS"
for target in lab py; do
  if [ $target = lab ]; then url="http://127.0.0.1:$LAB_STUB/"; tname="lab stub (Vert.x, own JVM)"; server=$LAB_STUB_PID
  else url="http://127.0.0.1:$PY_STUB/"; tname="stub_server.py (aiohttp)"; server=$PY_STUB_PID; fi
  for n in $SIZES; do
    for client in $CLIENTS; do : >"$WORK/cell.$client"; done
    for run in $(seq "$RUNS"); do
      for client in $CLIENTS; do
        server_before=$(cpu_of "$server")
        case $client in
          fetch-service) out=$(run_fetch_service "$url" "$n") ;;
          loadtest) out=$(run_loadtest "$url" "$n" "$LOADTEST_WARMUP" "$server") ;;
          loadtest-cold) out=$(run_loadtest "$url" "$n" 0 "$server") ;;
          aiohttp) out=$(run_peer "$url" "$n") ;;
          aiohttp-uvloop) out=$(run_peer "$url" "$n" --uvloop) ;;
        esac
        # The server's CPU while it answered this run's timed requests (for loadtest, from the end of its warm-up):
        # per request, and in cores busy over the timed part. stub_server.py runs on one thread: at 1.0 it is the limit.
        if [ "$client" = loadtest ] && [ -s "$WORK/timed_from" ]; then server_before=$(cat "$WORK/timed_from"); fi
        server_cpu=$(awk -v a="$server_before" -v b="$(cpu_of "$server")" 'BEGIN {printf "%.6f", b - a}')
        set -- $out
        echo "$1 $2 $(awk -v c="$server_cpu" -v n="$n" -v s="$3" 'BEGIN {printf "%.1f %.2f", c * 1e6 / n, (s > 0 ? c / s : 0)}')" \
          >>"$WORK/cell.$client"
        echo "bench: $tname N=$n run $run/$RUNS $client: $1 req/s, $2 ms CPU/request" >&2
      done
    done
    for client in $CLIENTS; do
      col() { awk -v i="$1" '{print $i}' "$WORK/cell.$client"; }
      echo "$tname|$n|$client|$(median $(col 1))|$(median $(col 2))|$(median $(col 3))|$(median $(col 4))" | tee -a "$ROWS" >&2
    done
  done
done
ELAPSED_S=$(( $(date +%s) - STARTED_AT ))

{
  results_header "Chapter 4: concurrent GETs (fetch)" "bash bench/fetch.sh${ARGS:+ $ARGS}"
  echo "Each client GETs the target N times with at most $LIMIT requests in flight (aiohttp's TCPConnector(limit=$LIMIT),"
  echo "the lab's pool of $LIMIT, each made for the run, so every run opens its connections in its timed part)."
  echo "Medians of $RUNS runs per cell, the clients' runs interleaved. req/s and CPU cover the same part as the peer's"
  echo "timer: from the first request to the"
  echo "last answer, after the process has started. CPU is the client process's user+system time per request:"
  echo "for the fetch service, the lab JVM's CPU over the whole POST /fetch call (its threads' schedstat), which"
  echo "also covers the HTTP and bus hops and the reply's JSON; for loadtest and the peers, the process's own CPU"
  echo "in the timed part. The fetch service runs warm in a long-lived lab JVM. loadtest starts a JVM per run as"
  echo "README.md documents it (\`LAB_TRANSPORT=$LAB_TRANSPORT java $LOADTEST_JAVA_OPTS -jar ... loadtest URL -n N -c $LIMIT --warmup $LOADTEST_WARMUP\`):"
  echo "\`loadtest\` does $LOADTEST_WARMUP untimed requests first on a client of their own; \`loadtest-cold\` none."
  echo "Every lab JVM (the stub, the fetch service, loadtest) runs with \`LAB_TRANSPORT=$LAB_TRANSPORT\` (Netty's native event"
  echo "loops, the lab's counterpart of uvloop); the Python peers run with and without uvloop."
  echo
  echo "The server columns are the target server's own CPU (all its threads) while it answered the timed requests (for"
  echo "\`loadtest\`, from the end of its warm-up, which it announces on stderr): per request, and in cores busy over the"
  echo "timed part. stub_server.py runs on one thread, so at a busy of 1.00 it sets the pace, and 1,000,000 / its µs per"
  echo "request is the most req/s it can give. Target: at least 3x the best aiohttp's req/s at most 1/3 of its CPU per request."
  echo
  echo "| target | N | client | req/s | CPU ms/request | req/s vs best aiohttp | CPU vs best aiohttp | target | server CPU µs/request | server busy (cores) |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  awk -F'|' '
    { key = $1 "|" $2; rate[NR] = $4; cpu[NR] = $5; k[NR] = key; line[NR] = $0
      if (($3 == "aiohttp" || $3 == "aiohttp-uvloop") && $4 > best[key]) { best[key] = $4 }
      if (($3 == "aiohttp" || $3 == "aiohttp-uvloop") && (bestcpu[key] == "" || $5 < bestcpu[key])) { bestcpu[key] = $5 } }
    END { for (i = 1; i <= NR; i++) { split(line[i], f, "|")
      rr = f[4] / best[k[i]]; cr = (bestcpu[k[i]] > 0 ? f[5] / bestcpu[k[i]] : 0)
      verdict = (f[3] ~ /^aiohttp|-cold$/ ? "" : (rr >= 3 && cr <= 1 / 3 ? "met" : "missed"))
      printf "| %s | %s | %s | %.0f | %.3f | %.2fx | %.2fx | %s | %.0f | %.2f |\n", f[1], f[2], f[3], f[4], f[5],
        rr, cr, verdict, f[6], f[7] } }' "$ROWS"
  echo
  echo "Load average when the run started: $LOAD_AT_START; when it ended: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores)."
  echo "The measured part took $((ELAPSED_S / 60)) min $((ELAPSED_S % 60)) s (after the build, inside the bench lock)."
  if [ -f "$RESULTS/fetch.notes.md" ]; then echo; cat "$RESULTS/fetch.notes.md"; fi
} >"$RESULTS/fetch.md"
cat "$RESULTS/fetch.md"
