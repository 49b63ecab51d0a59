#!/usr/bin/env bash
# Chat fan-out (chapter 8): this lab's chat server vs the Python asyncio peer (asyncio and uvloop loops),
# with the same load client: `java -jar target/concurrency-lab.jar bench chat`. For U = 10, 100, 1,000 users,
# each user sends M lines and must receive every line of every user (U x U x M deliveries).
#
# The client runs closed loop (--rate 0): a user sends its next line when one of its own comes back, with
# W lines in flight. That measures what each server can deliver without overloading either: with a fixed
# rate both servers deliver the same offered load until one falls over, which says less.
#
# The client runs ONE selector thread (--loops 1) against every server: on this 2-core machine the server's loop and
# the client's then have a core each; with a client loop per core, three busy threads shared two cores and the
# client's context switches capped every server (the lab at 0.4M deliveries/s instead of 0.8M at U=10, uvloop
# at 0.15M instead of 0.2M). M is large enough that each measured run lasts seconds for the peers and at least
# ~1 s for the lab: with M=500 at U=10 a run took 0.5 s, mostly the cold client JVM's warm-up, for every server.
#
#   bash bench/chat.sh            # 3 runs per cell
#   bash bench/chat.sh --quick    # 1 run per cell, smaller M
#
# Writes bench/results/chat.md.
. "$(dirname "$0")/lib.sh"

QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
RUNS=3
# users:messages:window per cell
CELLS=("10:20000:8" "100:300:4" "1000:2:1")
if $QUICK; then
  RUNS=1
  CELLS=("10:10000:8" "100:200:4" "1000:1:1")
fi
# One client event loop for every server (see above).
CLIENT_LOOPS=${CLIENT_LOOPS:-1}
LAB_PORT=${LAB_PORT:-18701}
PEER_PORT=${PEER_PORT:-18702}
# The client shares the machine's cores with the server; one server event loop, like the peer's one thread.
LAB_INSTANCES=${LAB_INSTANCES:-1}

bench_lock
bench_prepare
mkdir -p "$RESULTS"
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then stop_pid "$SERVER_PID"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

start_server() {
  local kind=$1
  case $kind in
    lab)
      LAB_SERVICES=chat LAB_CHAT_PORT=$LAB_PORT LAB_CHAT_INSTANCES=$LAB_INSTANCES \
        $JAVA $LAB_JAVA_OPTS -jar "$JAR" >"$WORK/server.out" 2>"$WORK/server.err" &
      SERVER_PID=$!
      wait_port "$LAB_PORT" 60 || { cat "$WORK/server.err" >&2; return 1; }
      PORT=$LAB_PORT ;;
    asyncio)
      "$PYTHON" "$PEERS/chat_server.py" --port "$PEER_PORT" >"$WORK/server.out" 2>"$WORK/server.err" &
      SERVER_PID=$!
      wait_port "$PEER_PORT" 30 || { cat "$WORK/server.err" >&2; return 1; }
      PORT=$PEER_PORT ;;
    uvloop)
      "$PYTHON" "$PEERS/chat_server.py" --port "$PEER_PORT" --uvloop >"$WORK/server.out" 2>"$WORK/server.err" &
      SERVER_PID=$!
      wait_port "$PEER_PORT" 30 || { cat "$WORK/server.err" >&2; return 1; }
      PORT=$PEER_PORT ;;
  esac
}

# One cell: a fresh server, RUNS client runs; prints "deliveries_per_s p50 p99 lost" medians.
run_cell() {
  local kind=$1 users=$2 messages=$3 window=$4
  local rates=() p50s=() p99s=() cpus=() lost=0
  start_server "$kind"
  # One warm-up run, not counted (the JVM compiles its hot paths during it; the peer is unaffected).
  $JAVA -Xms256m -Xmx2g -jar "$JAR" bench chat --port "$PORT" --clients "$users" \
    --messages "$(( messages > 4 ? messages / 4 : 1 ))" --rate 0 --window "$window" --loops "$CLIENT_LOOPS" --timeout 60 >/dev/null 2>&1 || true
  for run in $(seq 1 "$RUNS"); do
    local out="$WORK/$kind-$users-$run.json"
    $JAVA -Xms256m -Xmx2g -jar "$JAR" bench chat --port "$PORT" --clients "$users" --messages "$messages" \
      --rate 0 --window "$window" --loops "$CLIENT_LOOPS" --timeout 60 2>&1 | tail -1 >"$out" || true
    if ! grep -q '"bench":"chat"' "$out"; then
      echo "bench: $kind U=$users run $run produced no result" >&2
      lost=$((lost + users * users * messages))
      continue
    fi
    rates+=("$(json_field deliveries_per_s <"$out")")
    p50s+=("$(json_field p50_ms <"$out")")
    p99s+=("$(json_field p99_ms <"$out")")
    cpus+=("$(json_field client_cpu_us <"$out")")
    lost=$((lost + $(json_field lost <"$out")))
    echo "  $kind U=$users run $run: $(json_field deliveries_per_s <"$out") deliveries/s, p50 $(json_field p50_ms <"$out") ms, p99 $(json_field p99_ms <"$out") ms, lost $(json_field lost <"$out")" >&2
  done
  stop_pid "$SERVER_PID"
  SERVER_PID=""
  echo "$(median "${rates[@]:-0}") $(median "${p50s[@]:-0}") $(median "${p99s[@]:-0}") $lost $(median "${cpus[@]:-0}")"
}

BUSY=$(awk '{print $1}' /proc/loadavg)
ROWS=()
CPU_ROWS=()
for cell in "${CELLS[@]}"; do
  IFS=: read -r users messages window <<<"$cell"
  echo "U=$users: M=$messages, window $window" >&2
  read -r lab_rate lab_p50 lab_p99 lab_lost lab_cpu <<<"$(run_cell lab "$users" "$messages" "$window")"
  read -r aio_rate aio_p50 aio_p99 aio_lost aio_cpu <<<"$(run_cell asyncio "$users" "$messages" "$window")"
  read -r uv_rate uv_p50 uv_p99 uv_lost uv_cpu <<<"$(run_cell uvloop "$users" "$messages" "$window")"
  CPU_ROWS+=("| $users | $lab_cpu | $aio_cpu | $uv_cpu |")
  ROWS+=("$(awk -v u="$users" -v m="$messages" -v w="$window" \
    -v lr="$lab_rate" -v lp50="$lab_p50" -v lp99="$lab_p99" -v ll="$lab_lost" \
    -v ar="$aio_rate" -v ap99="$aio_p99" -v al="$aio_lost" -v ur="$uv_rate" -v up99="$uv_p99" -v ul="$uv_lost" \
    'BEGIN { printf "| %d | %d | %d | %.0f | %.1f / %.1f | %.0f | %.1f | %.0f | %.1f | %.2fx | %.2fx | %d / %d / %d |", \
      u, m, w, lr, lp50, lp99, ar, ap99, ur, up99, (ar > 0 ? lr / ar : 0), (ur > 0 ? lr / ur : 0), ll, al, ul }')")
done

{
  results_header "Chat fan-out: lab vs Python asyncio peer" "bash bench/chat.sh $*"
  echo "- Load average when the runs began: $BUSY on $(nproc) cores$(awk -v l="$BUSY" -v c="$(nproc)" 'BEGIN { if (l > c) print " (busy: other work shared the machine)" }')."
  echo "- Client: \`bench chat --rate 0 --window W --loops $CLIENT_LOOPS\` (closed loop), $RUNS run(s) per cell after one warm-up run (M/4), a fresh server per cell;"
  echo "  lab server with LAB_CHAT_INSTANCES=$LAB_INSTANCES (one event loop; the client uses the other core)."
  echo "- Deliveries/s: lines received by all users / (first send .. last delivery). Latency: send to receive."
  echo
  echo "| U | M | W | lab deliveries/s | lab p50 / p99 ms | asyncio deliveries/s | asyncio p99 ms | uvloop deliveries/s | uvloop p99 ms | lab / asyncio | lab / uvloop | lost lab / asyncio / uvloop |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "The load client's own CPU per delivery (all its threads, user + system, first send to last delivery), by server:"
  echo
  echo "| U | client us/delivery vs lab | vs asyncio | vs uvloop |"
  echo "|---|---|---|---|"
  printf '%s\n' "${CPU_ROWS[@]}"
  echo
  echo "Notes on the comparison:"
  echo "- The peer writes each line to each socket and awaits \`drain()\` per recipient: one send per delivery, and"
  echo "  a slow reader slows the whole room. The lab batches: the lines of one event-loop turn go out as one write"
  echo "  of the same Buffer to every member, and a reader that falls behind by more than LAB_CHAT_OUTBOX_KIB is"
  echo "  dropped instead (no bench user was: see the lost column)."
  echo "- The peer is one Python thread; the lab ran one event loop for the room (JIT, GC and the JVM's other"
  echo "  threads also use the second core, which the client needs too)."
  echo "- The client is a JVM too: each run starts it cold, so short runs measure its warm-up as much as the server."
  echo "  Runs are long enough (M above) that this is amortised, alike for every server."
  echo "- The client is plain java.nio selector loops (no Vert.x): it reads each user's bytes into one array,"
  echo "  checks every line in place (sender, sequence, send time) and writes each user's next lines once per loop"
  echo "  turn. Its CPU per delivery (table above) is the share of the 2 cores the server under test did not get."
} >"$RESULTS/chat.md"
cat "$RESULTS/chat.md"
