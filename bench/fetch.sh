#!/usr/bin/env bash
# Chapter 4 fan-out: N GETs with 100 in flight, against the lab's stub (its own JVM) and the Python peer's
# stub. Clients: this lab's fetch service (POST /fetch, in a lab JVM of its own), its loadtest command, and
# the peer fetch_many.py with asyncio and with uvloop. Reports the median req/s and the client's CPU time
# per request of each, and the ratios against the best Python client.
#
#   bash bench/fetch.sh            # 1,000 and 10,000 GETs, 5 runs each
#   bash bench/fetch.sh --quick    # 1,000 GETs, 3 runs
. "$(dirname "$0")/lib.sh"

SIZES="1000 10000"
RUNS=5
if [ "${1:-}" = "--quick" ]; then SIZES="1000"; RUNS=3; fi
LIMIT=100

bench_lock
bench_prepare

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# utime + stime of a process, in seconds (from /proc/<pid>/stat, clock ticks).
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }

LAB_STUB=$(free_port); PY_STUB=$(free_port); LAB_HTTP=$(free_port)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do stop_pid "$pid"; done; rm -rf "$WORK"; }
trap cleanup EXIT

LAB_SERVICES=stub LAB_STUB_PORT=$LAB_STUB $JAVA $LAB_JAVA_OPTS -jar "$JAR" >"$WORK/stub.log" 2>&1 &
PIDS+=($!)
"$PYTHON" "$PEERS/stub_server.py" --port "$PY_STUB" >"$WORK/pystub.log" 2>&1 &
PIDS+=($!)
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
run_loadtest() {  # url n
  local line
  line=$($JAVA $LAB_JAVA_OPTS -jar "$JAR" loadtest "$1" -n "$2" -c "$LIMIT" --warmup 20000 | tail -1)
  echo "$(echo "$line" | json_field perSecond) $(echo "$line" | json_field cpu_s | awk -v n="$2" '{printf "%.4f", $1 * 1000 / n}')"
}
run_peer() {  # url n [--uvloop]
  local line
  line=$("$PYTHON" "$PEERS/fetch_many.py" --url "$1" --n "$2" --limit "$LIMIT" ${3:-})
  echo "$(echo "$line" | json_field per_s) $(echo "$line" | json_field cpu_s | awk -v n="$2" '{printf "%.4f", $1 * 1000 / n}')"
}

# Warm the lab's JVMs (JIT) before timing: a long-running service is warm. On a busy 2-core machine the JIT
# needs tens of thousands of requests before the client's CPU per request settles.
for url in "http://127.0.0.1:$LAB_STUB/" "http://127.0.0.1:$PY_STUB/"; do
  for _ in 1 2 3; do run_fetch_service "$url" 10000 >/dev/null; done
done

ROWS="$WORK/rows"
: >"$ROWS"
for target in lab py; do
  if [ $target = lab ]; then url="http://127.0.0.1:$LAB_STUB/"; tname="lab stub (Vert.x, own JVM)"
  else url="http://127.0.0.1:$PY_STUB/"; tname="stub_server.py (aiohttp)"; fi
  for n in $SIZES; do
    for client in fetch-service loadtest aiohttp aiohttp-uvloop; do
      rates=(); cpus=()
      for _ in $(seq "$RUNS"); do
        case $client in
          fetch-service) out=$(run_fetch_service "$url" "$n") ;;
          loadtest) out=$(run_loadtest "$url" "$n") ;;
          aiohttp) out=$(run_peer "$url" "$n") ;;
          aiohttp-uvloop) out=$(run_peer "$url" "$n" --uvloop) ;;
        esac
        rates+=("${out% *}"); cpus+=("${out#* }")
      done
      echo "$tname|$n|$client|$(median "${rates[@]}")|$(median "${cpus[@]}")" | tee -a "$ROWS" >&2
    done
  done
done

{
  results_header "Chapter 4: concurrent GETs (fetch)" "bash bench/fetch.sh $*"
  echo "Each client GETs the target N times with at most $LIMIT requests in flight (aiohttp's TCPConnector(limit=$LIMIT),"
  echo "the lab's pool of $LIMIT). Medians of $RUNS runs. CPU is the client process's user+system time per request:"
  echo "for the fetch service, the lab JVM's CPU over the POST /fetch call (read from /proc); for loadtest and the"
  echo "peers, the process's own CPU time in the timed part. The fetch service runs warm in a long-lived lab JVM;"
  echo "loadtest starts a JVM per run and does 20,000 untimed requests first (--warmup 20000)."
  echo
  echo "| target | N | client | req/s | CPU ms/request | req/s vs best aiohttp | CPU vs best aiohttp |"
  echo "|---|---|---|---|---|---|---|"
  awk -F'|' '
    { key = $1 "|" $2; rate[NR] = $4; cpu[NR] = $5; k[NR] = key; line[NR] = $0
      if (($3 == "aiohttp" || $3 == "aiohttp-uvloop") && $4 > best[key]) { best[key] = $4 }
      if (($3 == "aiohttp" || $3 == "aiohttp-uvloop") && (bestcpu[key] == "" || $5 < bestcpu[key])) { bestcpu[key] = $5 } }
    END { for (i = 1; i <= NR; i++) { split(line[i], f, "|")
      printf "| %s | %s | %s | %.0f | %.3f | %.2fx | %.2fx |\n", f[1], f[2], f[3], f[4], f[5],
        f[4] / best[k[i]], (bestcpu[k[i]] > 0 ? f[5] / bestcpu[k[i]] : 0) } }' "$ROWS"
  echo
  echo "Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."
  if [ -f "$RESULTS/fetch.notes.md" ]; then echo; cat "$RESULTS/fetch.notes.md"; fi
} >"$RESULTS/fetch.md"
cat "$RESULTS/fetch.md"
