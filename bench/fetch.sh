#!/usr/bin/env bash
# Chapter 4 fan-out: N GETs with 100 in flight, against the lab's stub (its own JVM) and the Python peer's
# stub. Clients: this lab's fetch service (POST /fetch, in a lab JVM of its own), its loadtest command (warm
# and cold), and the peer fetch_many.py with asyncio and with uvloop. Reports the median req/s and the
# client's CPU time per request of each, and the ratios against the best Python client.
#
#   bash bench/fetch.sh            # 1,000 and 10,000 GETs, 5 runs each (about 10 minutes)
#   bash bench/fetch.sh --quick    # 1,000 and 10,000 GETs, 3 runs each (about 5 minutes)
. "$(dirname "$0")/lib.sh"

# Both sizes in every run, so a quick run never drops the 10,000 rows: the quick one only runs fewer times.
SIZES="1000 10000"
RUNS=5
if [ "${1:-}" = "--quick" ]; then RUNS=3; fi
LIMIT=100
# The loadtest command as README.md documents it: C1 only (a short-lived JVM spends its CPU on C2 compiling
# otherwise) and 5,000 untimed requests first, so the JIT has compiled the client before the timed run.
LOADTEST_JAVA_OPTS="-XX:TieredStopAtLevel=1"
LOADTEST_WARMUP=5000

bench_lock
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
bench_prepare

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# CPU seconds of a process: the sum over its threads of the nanoseconds they ran (/proc/<pid>/task/*/schedstat).
# /proc/<pid>/stat counts in 10 ms ticks, too coarse for a 1,000-request call of 60 ms of CPU.
cpu_of() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ns += $1} END {printf "%.6f", ns / 1e9}'; }

LAB_STUB=$(free_port); PY_STUB=$(free_port); LAB_HTTP=$(free_port)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do stop_pid "$pid"; done; rm -rf "$WORK"; }
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

# One measurement: prints "req_per_s cpu_ms_per_request".
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
  echo "$per_s $(awk -v a="$before" -v b="$after" -v n="$2" 'BEGIN {printf "%.4f", (b - a) * 1000 / n}')"
}
run_loadtest() {  # url n warmup
  local line
  line=$($JAVA $LAB_JAVA_OPTS $LOADTEST_JAVA_OPTS -jar "$JAR" loadtest "$1" -n "$2" -c "$LIMIT" --warmup "$3" | tail -1)
  echo "$(echo "$line" | json_field perSecond) $(echo "$line" | json_field cpu_s | awk -v n="$2" '{printf "%.4f", $1 * 1000 / n}')"
}
run_peer() {  # url n [--uvloop]
  local line
  line=$("$PYTHON" "$PEERS/fetch_many.py" --url "$1" --n "$2" --limit "$LIMIT" ${3:-})
  echo "$(echo "$line" | json_field per_s) $(echo "$line" | json_field cpu_s | awk -v n="$2" '{printf "%.4f", $1 * 1000 / n}')"
}

# Warm the lab's JVMs (JIT) before timing: a long-running service is warm. The lab stub answers fastest, so the
# warm-up goes there; on a busy 2-core machine C2 needs tens of thousands of requests to settle.
# Calls of 1,000 too, and as many to stub_server.py, whose answers take other paths (its headers differ): with
# only 3,000 requests there first, its rows timed a service whose JIT was still compiling those paths.
for port in "$LAB_STUB" "$PY_STUB"; do
  for _ in 1 2 3 4 5 6; do run_fetch_service "http://127.0.0.1:$port/" 10000 >/dev/null; done
  for _ in 1 2 3 4 5 6 7 8 9 10; do run_fetch_service "http://127.0.0.1:$port/" 1000 >/dev/null; done
done

ROWS="$WORK/rows"
: >"$ROWS"
for target in lab py; do
  if [ $target = lab ]; then url="http://127.0.0.1:$LAB_STUB/"; tname="lab stub (Vert.x, own JVM)"; server=$LAB_STUB_PID
  else url="http://127.0.0.1:$PY_STUB/"; tname="stub_server.py (aiohttp)"; server=$PY_STUB_PID; fi
  for n in $SIZES; do
    for client in fetch-service loadtest loadtest-cold aiohttp aiohttp-uvloop; do
      rates=(); cpus=(); servers=()
      # The server's CPU per request it answered (loadtest's warm-up requests hit it too): the most a server
      # of one thread (stub_server.py) can answer is 1,000,000 / that per second, whatever the client.
      case $client in loadtest) answered=$((n + LOADTEST_WARMUP)) ;; *) answered=$n ;; esac
      for _ in $(seq "$RUNS"); do
        server_before=$(cpu_of "$server")
        case $client in
          fetch-service) out=$(run_fetch_service "$url" "$n") ;;
          loadtest) out=$(run_loadtest "$url" "$n" "$LOADTEST_WARMUP") ;;
          loadtest-cold) out=$(run_loadtest "$url" "$n" 0) ;;
          aiohttp) out=$(run_peer "$url" "$n") ;;
          aiohttp-uvloop) out=$(run_peer "$url" "$n" --uvloop) ;;
        esac
        rates+=("${out% *}"); cpus+=("${out#* }")
        servers+=("$(awk -v a="$server_before" -v b="$(cpu_of "$server")" -v n="$answered" 'BEGIN {printf "%.1f", (b - a) * 1e6 / n}')")
      done
      echo "$tname|$n|$client|$(median "${rates[@]}")|$(median "${cpus[@]}")|$(median "${servers[@]}")" | tee -a "$ROWS" >&2
    done
  done
done

{
  results_header "Chapter 4: concurrent GETs (fetch)" "bash bench/fetch.sh $*"
  echo "Each client GETs the target N times with at most $LIMIT requests in flight (aiohttp's TCPConnector(limit=$LIMIT),"
  echo "the lab's pool of $LIMIT, each made for the run, so every run opens its connections in its timed part)."
  echo "Medians of $RUNS runs. req/s and CPU cover the same part as the peer's timer: from the first request to the"
  echo "last answer, after the process has started. CPU is the client process's user+system time per request:"
  echo "for the fetch service, the lab JVM's CPU over the whole POST /fetch call (its threads' schedstat), which"
  echo "also covers the HTTP and bus hops and the reply's JSON; for loadtest and the peers, the process's own CPU"
  echo "in the timed part. The fetch service runs warm in a long-lived lab JVM. loadtest starts a JVM per run as"
  echo "README.md documents it (\`java $LOADTEST_JAVA_OPTS -jar ... loadtest URL -n N -c $LIMIT --warmup $LOADTEST_WARMUP\`):"
  echo "\`loadtest\` does $LOADTEST_WARMUP untimed requests first on a client of their own; \`loadtest-cold\` none."
  echo
  echo "The server column is the target server's own CPU per request it answered (all its threads), so 1,000,000 / it"
  echo "is the most req/s one core of it can give: stub_server.py runs on one thread, so that is its ceiling. In the loadtest"
  echo "rows it counts the warm-up's requests too, and their 2,500 connections opened and closed (25 rounds of 100) make it read high."
  echo
  echo "| target | N | client | req/s | CPU ms/request | req/s vs best aiohttp | CPU vs best aiohttp | server CPU µs/request |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'|' '
    { key = $1 "|" $2; rate[NR] = $4; cpu[NR] = $5; k[NR] = key; line[NR] = $0
      if (($3 == "aiohttp" || $3 == "aiohttp-uvloop") && $4 > best[key]) { best[key] = $4 }
      if (($3 == "aiohttp" || $3 == "aiohttp-uvloop") && (bestcpu[key] == "" || $5 < bestcpu[key])) { bestcpu[key] = $5 } }
    END { for (i = 1; i <= NR; i++) { split(line[i], f, "|")
      printf "| %s | %s | %s | %.0f | %.3f | %.2fx | %.2fx | %.0f |\n", f[1], f[2], f[3], f[4], f[5],
        f[4] / best[k[i]], (bestcpu[k[i]] > 0 ? f[5] / bestcpu[k[i]] : 0), f[6] } }' "$ROWS"
  echo
  echo "Load average when the run started: $LOAD_AT_START; when it ended: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores)."
  if [ -f "$RESULTS/fetch.notes.md" ]; then echo; cat "$RESULTS/fetch.notes.md"; fi
} >"$RESULTS/fetch.md"
cat "$RESULTS/fetch.md"
