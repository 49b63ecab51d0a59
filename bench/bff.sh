#!/usr/bin/env bash
# Chapter 10: `wrk` on GET /products/all, the lab's backend-for-frontend vs the peer bff.py (asyncio and
# uvloop), each in front of the SAME services over HTTP: first the peer's bff_services.py, then the lab's
# shop (services db,shop in a JVM of their own). Inventory answers after a seeded delay of 0-200 ms, so that
# the BFFs, not the sleeps, are measured. Every BFF is measured with its circuit breaker on and off (the
# peer's --no-breaker, the lab's LAB_BFF_BREAKER=false), each after an unmeasured warm-up (one page at a time,
# then at the measured concurrency). A wrk script counts
# the products and the null inventories of every page; the BFF process's CPU is read from /proc.
#
#   bash bench/bff.sh [--quick]      writes bench/results/bff.md
#   CONNECTIONS=4 (wrk -c: pages in flight, each 1,000 inventory calls), MAX_DELAY_MS=200 (inventory delay),
#   BFF_INSTANCES=0 (lab BFF event loops, 0 = cores)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/products-db.sh" # cpu_seconds

DURATION=20 RUNS=3 WARMUP=15
if [ "${1:-}" = "--quick" ]; then DURATION=5 RUNS=1 WARMUP=10; fi
CONNECTIONS=${CONNECTIONS:-4}
MAX_DELAY_MS=${MAX_DELAY_MS:-200}
BFF_INSTANCES=${BFF_INSTANCES:-0}
JVM_OPTS=${BFF_JAVA_OPTS:--Xms256m -Xmx1g}
TMP="$ROOT/bench/tmp/bff"

bench_lock
bench_prepare
command -v wrk >/dev/null || { echo "bench: wrk is missing (sh ../shared/peers/install.sh installs it)" >&2; exit 1; }
mkdir -p "$TMP"

free_port() {
  "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The first of four consecutive free ports (the services take base .. base+3).
free_base() {
  "$PYTHON" - <<'PY'
import random, socket
for _ in range(500):
    base, taken = random.randrange(20000, 60000), []
    try:
        for port in range(base, base + 4):
            s = socket.socket(); taken.append(s); s.bind(("127.0.0.1", port))
        print(base)
        break
    except OSError:
        pass
    finally:
        for s in taken:
            s.close()
PY
}

BASE=$(free_base)
BFF_PORT=$(free_port)
HEALTH_PORT=$(free_port)
SERVICES_PID=""
BFF_PID=""
cleanup() {
  [ -n "$BFF_PID" ] && stop_pid "$BFF_PID"
  [ -n "$SERVICES_PID" ] && stop_pid "$SERVICES_PID"
  return 0
}
trap cleanup EXIT

# Starts the services on BASE..BASE+3: "python" (bff_services.py with uvloop, so that they are not the
# bottleneck) or "lab" (the shop, with the products store on the embedded PostgreSQL).
start_services() {
  case $1 in
    python) "$PYTHON" "$PEERS/bff_services.py" --base-port "$BASE" --seed 42 --max-delay-ms "$MAX_DELAY_MS" --uvloop \
      >"$TMP/services.out" 2>"$TMP/services.err" & ;;
    lab) LAB_SERVICES=db,shop LAB_BFF_SERVICES_PORT="$BASE" LAB_BFF_INVENTORY_MAX_DELAY_MS="$MAX_DELAY_MS" \
      LAB_BFF_INVENTORY_SEED=42 LAB_DB_SEED=42 LAB_DATA_DIR="$TMP/lab-data" \
      "$JAVA" $JVM_OPTS -jar "$JAR" >"$TMP/services.out" 2>"$TMP/services.err" & ;;
  esac
  SERVICES_PID=$!
  for offset in 0 1 2 3; do wait_port $((BASE + offset)) 120; done
  curl -sf "http://127.0.0.1:$BASE/products" >/dev/null
}

# Starts a BFF on BFF_PORT: who = lab | asyncio | uvloop, breaker = on | off.
start_bff() {
  local who=$1 breaker=$2 urls=()
  case $who in
    lab)
      LAB_SERVICES=bff,http LAB_BFF_PORT="$BFF_PORT" LAB_HTTP_PORT="$HEALTH_PORT" LAB_HTTP_INSTANCES=1 \
        LAB_BFF_INSTANCES="$BFF_INSTANCES" LAB_BFF_TRANSPORT=http LAB_BFF_BREAKER=$([ "$breaker" = on ] && echo true || echo false) \
        LAB_BFF_PRODUCTS_URL="http://127.0.0.1:$BASE" LAB_BFF_INVENTORY_URL="http://127.0.0.1:$((BASE + 1))" \
        LAB_BFF_FAVORITES_URL="http://127.0.0.1:$((BASE + 2))" LAB_BFF_CART_URL="http://127.0.0.1:$((BASE + 3))" \
        LAB_DATA_DIR="$TMP/bff-data" "$JAVA" $JVM_OPTS -jar "$JAR" >"$TMP/bff.out" 2>"$TMP/bff.err" &
      ;;
    asyncio | uvloop)
      [ "$breaker" = off ] && urls+=(--no-breaker)
      [ "$who" = uvloop ] && urls+=(--uvloop)
      "$PYTHON" "$PEERS/bff.py" --port "$BFF_PORT" --products "http://127.0.0.1:$BASE" \
        --inventory "http://127.0.0.1:$((BASE + 1))" --favorites "http://127.0.0.1:$((BASE + 2))" \
        --cart "http://127.0.0.1:$((BASE + 3))" "${urls[@]}" >"$TMP/bff.out" 2>"$TMP/bff.err" &
      ;;
  esac
  BFF_PID=$!
  wait_port "$BFF_PORT" 90
}

# How many times the BFF's breaker has opened so far (lab: /health; peer: its JSON line at shutdown).
# A /health that does not answer in 10 s gives "?" (the run goes on).
lab_breaker_opened() {
  curl -s -m 10 "http://127.0.0.1:$HEALTH_PORT/health" | "$PYTHON" -c \
    'import json,sys; print(json.load(sys.stdin)["services"]["bff"]["stats"]["breaker"]["opened"])' 2>/dev/null || echo "?"
}

# A wrk latency percentile line ("99%  1.23s") in ms.
percentile_ms() {
  awk -v p="$1" '$1 == p {v=$2; if (v ~ /us$/) {sub(/us/, "", v); v/=1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /m$/) {sub(/m/, "", v); v*=60000} else if (v ~ /s$/) {sub(/s/, "", v); v*=1000}; print v}'
}

# One measured wrk run; prints "req_per_s p50_ms p99_ms bad products nulls cpu_ms_per_request".
run_wrk() {
  local out cpu_before cpu_after requests rps p50 p99 non2xx errors products nulls
  cpu_before=$(cpu_seconds "$BFF_PID")
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$BENCH_DIR/bff-page.lua" \
    "http://127.0.0.1:$BFF_PORT/products/all" 2>&1)
  cpu_after=$(cpu_seconds "$BFF_PID")
  echo "$out" >&2
  requests=$(echo "$out" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
  rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
  p50=$(echo "$out" | percentile_ms "50%")
  p99=$(echo "$out" | percentile_ms "99%")
  non2xx=$(echo "$out" | sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p')
  errors=$(echo "$out" | sed -n 's/^ *Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1+\2+\3+\4/p')
  products=$(echo "$out" | sed -n 's/^BFF-PAGES .*products=\([0-9]*\).*/\1/p')
  nulls=$(echo "$out" | sed -n 's/^BFF-PAGES .*nulls=\([0-9]*\).*/\1/p')
  echo "$rps $p50 $p99 $(( ${non2xx:-0} + ${errors:-0} )) ${products:-0} ${nulls:-0}" \
    "$(awk -v a="$cpu_before" -v b="$cpu_after" -v n="${requests:-0}" 'BEGIN {printf "%.1f", (n > 0 ? (b - a) * 1000 / n : 0)}')"
}

declare -A RPS P50 P99 BAD PRODUCTS NULLS CPU OPENED
BFFS="lab asyncio uvloop"
for services in python lab; do
  start_services "$services"
  echo "bench: services: $services on 127.0.0.1:$BASE-$((BASE + 3))" >&2
  for who in $BFFS; do
    for breaker in on off; do
      key=$services.$who.$breaker
      start_bff "$who" "$breaker"
      # Warm-up, not measured, one page at a time: the JIT compiles the lab's hot paths and every BFF opens
      # its connections without the cold start alone opening its breaker (which would then stay open, with
      # the book's 30 s reset, through the measured runs: see the "breaker opened" column).
      wrk -t1 -c1 -d"${WARMUP}s" --timeout 10s "http://127.0.0.1:$BFF_PORT/products/all" >/dev/null 2>&1
      # Then at the measured concurrency: -c1 opens only the connections and compiles only the paths of one
      # page in flight; without this the first measured run pays for opening the other connections and for
      # the JIT's C2 threads, which on a busy machine cost as much CPU as the BFF's own work (profiled, see
      # bench/results/bff.md) and made the lab's CPU per page look like an interpreter's.
      wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s "http://127.0.0.1:$BFF_PORT/products/all" >/dev/null 2>&1
      opened_before=0
      [ "$who" = lab ] && opened_before=$(lab_breaker_opened)
      for run in $(seq "$RUNS"); do
        read -r rps p50 p99 bad products nulls cpu < <(run_wrk)
        echo "bench: $key run $run: $rps pages/s, p50 $p50 ms, p99 $p99 ms, null $nulls of $products, bad $bad, CPU $cpu ms/page" >&2
        RPS[$key]+="$rps " P50[$key]+="$p50 " P99[$key]+="$p99 " CPU[$key]+="$cpu "
        BAD[$key]=$(( ${BAD[$key]:-0} + bad ))
        PRODUCTS[$key]=$(( ${PRODUCTS[$key]:-0} + products ))
        NULLS[$key]=$(( ${NULLS[$key]:-0} + nulls ))
      done
      if [ "$who" = lab ]; then
        opened_after=$(lab_breaker_opened)
        if [ "$opened_after" != "?" ] && [ "$opened_before" != "?" ]; then
          OPENED[$key]="$(( opened_after - opened_before )) ($opened_before in the warm-up)"
        else
          OPENED[$key]="?"
        fi
        stop_pid "$BFF_PID"
      else
        stop_pid "$BFF_PID"
        OPENED[$key]="$(json_field breaker_opened <"$TMP/bff.out" 2>/dev/null || echo "?") (incl. warm-up)"
      fi
      BFF_PID=""
    done
  done
  stop_pid "$SERVICES_PID"
  SERVICES_PID=""
done

med() { median $1; }
share() { awk -v n="${NULLS[$1]:-0}" -v p="${PRODUCTS[$1]:-0}" 'BEGIN {if (p == 0) print "n/a"; else printf "%.1f%%", 100 * n / p}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "n/a"; else printf "%.2f", a / b}'; }
label() { case $1 in lab) echo "lab (Vert.x)" ;; asyncio) echo "bff.py asyncio" ;; uvloop) echo "bff.py uvloop" ;; esac; }
{
  results_header "Chapter 10: backend-for-frontend, GET /products/all under wrk -t1 -c$CONNECTIONS -d${DURATION}s" "bash bench/bff.sh $*"
  echo "- Load on the machine when the run ended: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (above $(nproc), other work shared the machine and the numbers are from a busy one)."
  echo "- Services: the SAME ones for every BFF, over HTTP, in a process of their own: bff_services.py (aiohttp with uvloop), then the lab's shop (\`LAB_SERVICES=db,shop\`, products from the embedded PostgreSQL). Inventory delay seeded (42), 0-${MAX_DELAY_MS} ms in 21 steps; 1,000 products, so one page = 1 products + 1 favorites + 1 cart + 1,000 inventory calls."
  echo "- BFFs: the lab's (\`LAB_SERVICES=bff,http\`, \`bff_transport=http\`, $([ "$BFF_INSTANCES" = 0 ] && echo "one event loop per core" || echo "$BFF_INSTANCES event loops"), pool of 1,000 connections per loop) and bff.py (one asyncio or uvloop loop, unlimited connections); breaker on = the book's 0.5 s timeout, 5 s window, 3 failures, 30 s reset; off = inventory called directly (--no-breaker)."
  echo "- Each BFF gets $((2 * WARMUP)) s of unmeasured load first (${WARMUP} s one page at a time, ${WARMUP} s at -c$CONNECTIONS), then $RUNS run(s) of ${DURATION} s; cells are medians. Null share: null inventories / products over all measured pages (counted by bench/bff-page.lua). CPU: the BFF process only, ms per page."
  echo
  echo "| services | BFF | breaker | pages/s | p50 ms | p99 ms | null inventories | non-2xx + socket errors | BFF CPU ms / page | breaker opened |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|---|"
  for services in python lab; do
    for who in $BFFS; do
      for breaker in on off; do
        key=$services.$who.$breaker
        echo "| $([ "$services" = python ] && echo bff_services.py || echo "lab shop") | $(label "$who") | $breaker | $(med "${RPS[$key]}") | $(med "${P50[$key]}") | $(med "${P99[$key]}") | $(share "$key") | ${BAD[$key]} | $(med "${CPU[$key]}") | $([ "$breaker" = on ] && echo "${OPENED[$key]}" || echo "—") |"
      done
    done
  done
  echo
  for services in python lab; do
    for breaker in on off; do
      best=asyncio
      if awk -v a="$(med "${RPS[$services.uvloop.$breaker]}")" -v b="$(med "${RPS[$services.asyncio.$breaker]}")" 'BEGIN {exit !(a > b)}'; then best=uvloop; fi
      lab=$services.lab.$breaker peer=$services.$best.$breaker
      echo "- $([ "$services" = python ] && echo "bff_services.py" || echo "lab shop"), breaker $breaker: lab / best peer ($(label "$best")) = **$(ratio "$(med "${RPS[$lab]}")" "$(med "${RPS[$peer]}")")x** pages/s; p99 $(med "${P99[$lab]}") vs $(med "${P99[$peer]}") ms; nulls $(share "$lab") vs $(share "$peer"); CPU per page $(ratio "$(med "${CPU[$lab]}")" "$(med "${CPU[$peer]}")")x the peer's."
    done
  done
  if [ -f "$RESULTS/bff.notes.md" ]; then
    echo
    cat "$RESULTS/bff.notes.md"
  fi
} >"$RESULTS/bff.md.new"
mv "$RESULTS/bff.md.new" "$RESULTS/bff.md"
cat "$RESULTS/bff.md"
