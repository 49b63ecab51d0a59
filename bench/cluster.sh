#!/usr/bin/env bash
# The clustered event bus between two JVMs on this machine (loopback), against plain TCP ping-pong between two
# JVMs as the limit. No Python peer: the book has no cluster; the limit is the machine's.
#
#   bus, request 1    round trips/s with 1 request outstanding, p50/p99   (bench cluster --outstanding 1)
#   bus, request 64   round trips/s with 64 outstanding, p50/p99          (bench cluster --outstanding 64)
#   bus, request 64, buffer bodies   the same with Buffer bodies: the bus without a JSON codec (--body buffer)
#   bus, send 64      one-way messages/s, at most 64 unwritten            (bench cluster --mode send)
#   tcp, 1 / 64       the same round trips over a bare socket              (bench tcp-pingpong)
#
# Node A is a lab node running only the cluster service (its responder); node B is `bench cluster`, which joins
# the same cluster (a private cluster name, so no other lab on the machine joins) and loads A's responder.
# Targets (issue 10): request 1 >= half the TCP 1-outstanding rate; pipelined >= 100k messages/s (request-reply
# rows judged both as round trips/s, the stricter reading, and as messages/s: two per round trip).
#
#   bash bench/cluster.sh            # 3 runs per cell, 10 s each
#   bash bench/cluster.sh --quick    # 1 run per cell, 3 s each
#
# Writes bench/results/cluster.md.
. "$(dirname "$0")/lib.sh"

QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
RUNS=3
DURATION=10
WARMUP=3
if $QUICK; then
  RUNS=1
  DURATION=3
  WARMUP=2
fi
TCP_PORT=${TCP_PORT:-18711}
# One event loop on each side: the load runs on one loop of B, the responder on one of A; the bus's connections
# then share those threads and a message needs no hand-off between threads (see the results' notes).
LOOPS=${LOOPS:-1}

bench_lock
bench_prepare
mkdir -p "$RESULTS"
WORK=$(mktemp -d)
NODE_PID=""
TCP_PID=""
cleanup() {
  if [ -n "$NODE_PID" ]; then stop_pid "$NODE_PID"; fi
  if [ -n "$TCP_PID" ]; then stop_pid "$TCP_PID"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

sed "s|<cluster-name>[^<]*</cluster-name>|<cluster-name>bench-cluster-$$</cluster-name>|" \
  "$ROOT/conf/cluster.xml" >"$WORK/cluster.xml"
export LAB_CLUSTER_CONFIG="$WORK/cluster.xml"

echo "bench: starting node A (the cluster service's responder)"
LAB_SERVICES=cluster LAB_NODE_NAME=responder \
  $JAVA $LAB_JAVA_OPTS -jar "$JAR" -cluster -options "{\"eventLoopPoolSize\":$LOOPS}" >"$WORK/node.log" 2>&1 &
NODE_PID=$!
deadline=$((SECONDS + 180))
until grep -q "Stop with Ctrl-C" "$WORK/node.log"; do
  if ! kill -0 "$NODE_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "bench: node A did not start:" >&2
    tail -n 30 "$WORK/node.log" >&2
    exit 1
  fi
  sleep 0.5
done

# One bus cell: RUNS runs of node B; prints "per_s p50 p99 errors" (medians; errors summed).
bus_cell() {
  local mode=$1 outstanding=$2 body=${3:-json} rates=() p50s=() p99s=() errors=0 run out
  for run in $(seq 1 "$RUNS"); do
    out="$WORK/bus-$mode-$outstanding-$body-$run.json"
    $JAVA $LAB_JAVA_OPTS -jar "$JAR" bench cluster --mode "$mode" --outstanding "$outstanding" --body "$body" \
      --duration "$DURATION" --warmup "$WARMUP" --event-loops "$LOOPS" 2>"$WORK/bus.err" | tail -1 >"$out" || true
    if ! grep -q '"bench":"cluster"' "$out"; then
      echo "bench: bus $mode $outstanding $body run $run produced no result:" >&2
      tail -n 5 "$WORK/bus.err" >&2
      errors=$((errors + 1))
      continue
    fi
    rates+=("$(json_field per_s <"$out")")
    if [ "$mode" = request ]; then
      p50s+=("$(json_field p50_ms <"$out")")
      p99s+=("$(json_field p99_ms <"$out")")
    fi
    errors=$((errors + $(json_field errors <"$out")))
    echo "bench: bus $mode, $outstanding outstanding, $body, run $run: $(cat "$out")" >&2
  done
  if [ "$mode" = request ]; then
    echo "$(median "${rates[@]}") $(median "${p50s[@]}") $(median "${p99s[@]}") $errors"
  else
    echo "$(median "${rates[@]}") - - $errors"
  fi
}

# One TCP cell against the pong JVM; prints "per_s p50 p99".
tcp_cell() {
  local outstanding=$1 rates=() p50s=() p99s=() run out
  for run in $(seq 1 "$RUNS"); do
    out="$WORK/tcp-$outstanding-$run.json"
    $JAVA $LAB_JAVA_OPTS -jar "$JAR" bench tcp-pingpong --port "$TCP_PORT" --outstanding "$outstanding" \
      --duration "$DURATION" --warmup "$WARMUP" 2>/dev/null | tail -1 >"$out" || true
    grep -q '"bench":"tcp-pingpong"' "$out" || { echo "bench: tcp $outstanding run $run produced no result" >&2; continue; }
    rates+=("$(json_field per_s <"$out")")
    p50s+=("$(json_field p50_ms <"$out")")
    p99s+=("$(json_field p99_ms <"$out")")
    echo "bench: tcp, $outstanding outstanding, run $run: $(cat "$out")" >&2
  done
  echo "$(median "${rates[@]}") $(median "${p50s[@]}") $(median "${p99s[@]}")"
}

read -r BUS1 BUS1_P50 BUS1_P99 BUS1_ERR <<<"$(bus_cell request 1)"
read -r BUS64 BUS64_P50 BUS64_P99 BUS64_ERR <<<"$(bus_cell request 64)"
read -r BUF64 BUF64_P50 BUF64_P99 BUF64_ERR <<<"$(bus_cell request 64 buffer)"
read -r SEND _ _ SEND_ERR <<<"$(bus_cell send 64)"
stop_pid "$NODE_PID"
NODE_PID=""

$JAVA $LAB_JAVA_OPTS -jar "$JAR" bench tcp-pingpong --serve --port "$TCP_PORT" >"$WORK/tcp.log" 2>&1 &
TCP_PID=$!
wait_port "$TCP_PORT" 60
read -r TCP1 TCP1_P50 TCP1_P99 <<<"$(tcp_cell 1)"
read -r TCP64 TCP64_P50 TCP64_P99 <<<"$(tcp_cell 64)"
stop_pid "$TCP_PID"
TCP_PID=""

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "nan") printf "%.2f", a / b; else print "-" }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { if (v != "nan" && v + 0 >= t + 0) print "met"; else print "**missed**" }'; }
# The pipelined target, "at least 100k messages/s", read both ways for request-reply: as round trips (the
# stricter reading) and as messages crossing between the JVMs (a request and its reply: two per round trip).
pipelined() {
  local messages
  messages=$(awk -v r="$1" 'BEGIN { if (r != "nan") printf "%.0f", 2 * r; else print "nan" }')
  echo ">= 100,000 round trips/s: $(verdict "$1" 100000); as messages ($messages/s): $(verdict "$messages" 100000)"
}
HALF_TCP1=$(awk -v t="$TCP1" 'BEGIN { printf "%.0f", t / 2 }')
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

TABLE=$(cat <<TABLE
| Cell | Event bus (round trips/s; one-way: messages/s) | p50 ms | p99 ms | Plain TCP (round trips/s) | p50 ms | p99 ms | Bus / TCP | Target |
|---|---|---|---|---|---|---|---|---|
| request-reply, 1 outstanding | $BUS1 | $BUS1_P50 | $BUS1_P99 | $TCP1 | $TCP1_P50 | $TCP1_P99 | $(ratio "$BUS1" "$TCP1") | >= $HALF_TCP1 (half TCP): $(verdict "$BUS1" "$HALF_TCP1") |
| request-reply, 64 outstanding | $BUS64 | $BUS64_P50 | $BUS64_P99 | $TCP64 | $TCP64_P50 | $TCP64_P99 | $(ratio "$BUS64" "$TCP64") | $(pipelined "$BUS64") |
| request-reply, 64 outstanding, Buffer bodies | $BUF64 | $BUF64_P50 | $BUF64_P99 | $TCP64 | $TCP64_P50 | $TCP64_P99 | $(ratio "$BUF64" "$TCP64") | $(pipelined "$BUF64") |
| one-way, 64 unwritten | $SEND | - | - | $TCP64 (64 outstanding) | - | - | $(ratio "$SEND" "$TCP64") | >= 100,000: $(verdict "$SEND" 100000) |
TABLE
)

echo
echo "$TABLE"
echo "errors: request 1: $BUS1_ERR, request 64: $BUS64_ERR, request 64 buffer: $BUF64_ERR, send: $SEND_ERR;" \
  "load average at the end: $LOAD"

{
  results_header "Cluster: the event bus between two JVMs vs plain TCP" "bash bench/cluster.sh${1:+ $1}"
  echo "Runs per cell: $RUNS, $DURATION s measured after $WARMUP s of warm-up; ${LOOPS} event loop(s) per JVM;"
  echo "bodies: a JSON object with a sequence number and 16 characters of padding (the Buffer row: the same as 24"
  echo "bytes, echoed as they came); TCP frames: 120 bytes. Both JVMs batch their bus writes as every lab node does"
  echo "(cli.ClusterFlushBatching: one flush per burst of messages to a node, see the notes)."
  echo "Load average when the run ended: $LOAD (on $(nproc) cores)."
  echo
  echo "$TABLE"
  echo
  echo "Errors (requests that failed or timed out, messages sent but not received): request 1: $BUS1_ERR,"
  echo "request 64: $BUS64_ERR, request 64 with Buffer bodies: $BUF64_ERR, one-way: $SEND_ERR."
  echo
  echo "What each side does per message: plain TCP writes a length-prefixed frame and reads it back on blocking"
  echo "sockets, one thread per side. The event bus encodes the JSON body and its envelope (address, reply address,"
  echo "sender node, headers), picks a node for the address, and writes to its connection; the responder decodes,"
  echo "dispatches to the consumer's context, and replies over the connection back to the sender, which registers and"
  echo "unregisters a reply handler and a timeout timer for every request."
} >"$RESULTS/cluster.md.new"
# Notes written by hand below the marker survive a re-run.
if [ -f "$RESULTS/cluster.md" ] && grep -q '^## Notes' "$RESULTS/cluster.md"; then
  { echo; sed -n '/^## Notes/,$p' "$RESULTS/cluster.md"; } >>"$RESULTS/cluster.md.new"
fi
mv "$RESULTS/cluster.md.new" "$RESULTS/cluster.md"
echo "bench: wrote $RESULTS/cluster.md"
