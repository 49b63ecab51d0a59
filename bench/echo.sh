#!/usr/bin/env bash
# Echo benchmark (chapters 3 and 14): this lab's echo servers against the Python asyncio peers, driven by the same
# closed-loop client (`bench echo`): C connections, each sending a B-byte message and waiting for its whole echo.
# The Vert.x echo runs once per event-loop transport (NIO, and Netty's native epoll and io_uring: the book's
# uvloop); the selector echo (3.8) and the echo on the lab's own event loop (14.13) run beside them.
#
#   bash bench/echo.sh            # 3 runs of 5 s per cell
#   bash bench/echo.sh --quick    # 1 run of 2 s per cell
#
# Environment: RUNS, DURATION, WARMUP (seconds), CONNECTIONS ("10 100"), SIZES ("1024 10240 102400"),
# TRANSPORTS ("nio epoll io_uring": one Vert.x column per event-loop transport).
# Writes bench/results/echo.md.
. "$(dirname "$0")/lib.sh"

RUNS=${RUNS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-2}
if [ "${1:-}" = "--quick" ]; then
  RUNS=1 DURATION=2 WARMUP=1
fi
CONNECTIONS=${CONNECTIONS:-"10 100"}
SIZES=${SIZES:-"1024 10240 102400"}
TRANSPORTS=${TRANSPORTS:-"nio epoll io_uring"}

bench_lock
bench_prepare

WORK=$(mktemp -d)
RAW="$WORK/runs.txt"   # one line per measured run: server C B per_s p50_ms p99_ms
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then stop_pid "$SERVER_PID"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

client() { # port connections size duration warmup
  $JAVA -Xms256m -Xmx1g -jar "$JAR" bench echo --port "$1" --connections "$2" --size "$3" \
    --duration "$4" --warmup "$5" | tail -1
}

# The servers, one per column: "name|how to start it (@PORT@ is replaced)". The lab's Vert.x echo runs once per
# transport; the selector echo is the lab too (its hand-written loop does not depend on the transport).
SERVERS=()
for t in $TRANSPORTS; do
  SERVERS+=("vertx-$t|env LAB_SERVICES=echo LAB_TRANSPORT=$t LAB_ECHO_PORT=@PORT@ LAB_SELECTOR_ECHO_PORT=0 $JAVA $LAB_JAVA_OPTS -jar $JAR")
done
SERVERS+=("selector|env LAB_SERVICES=echo LAB_ECHO_PORT=0 LAB_SELECTOR_ECHO_PORT=@PORT@ $JAVA $LAB_JAVA_OPTS -jar $JAR")
SERVERS+=("own-loop|env LAB_SERVICES=loop LAB_LOOP_ECHO_PORT=@PORT@ LAB_LOOP_LOGGER_PORT=0 $JAVA $LAB_JAVA_OPTS -jar $JAR")
SERVERS+=("py-streams|$PYTHON $PEERS/echo_server.py --port @PORT@")
SERVERS+=("py-streams-uvloop|$PYTHON $PEERS/echo_server.py --port @PORT@ --uvloop")
SERVERS+=("py-protocol|$PYTHON $PEERS/echo_server.py --port @PORT@ --protocol")
SERVERS+=("py-protocol-uvloop|$PYTHON $PEERS/echo_server.py --port @PORT@ --protocol --uvloop")

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "echo bench: runs=$RUNS duration=${DURATION}s warmup=${WARMUP}s C=[$CONNECTIONS] B=[$SIZES] (load: $LOAD_START)"

# Runs are the outer loop, so a burst of noise on this shared machine hits every server alike.
for run in $(seq "$RUNS"); do
  for entry in "${SERVERS[@]}"; do
    name=${entry%%|*}
    port=$(free_port)
    command=${entry#*|}
    ${command//@PORT@/$port} >"$WORK/$name.log" 2>&1 &
    SERVER_PID=$!
    wait_port "$port" 60
    # Warms a JVM server's JIT with every cell's shape (new connections of each size recompile its hot path);
    # harmless for the others.
    for c in $CONNECTIONS; do for b in $SIZES; do client "$port" "$c" "$b" 1 0 >/dev/null; done; done
    for c in $CONNECTIONS; do
      for b in $SIZES; do
        line=$(client "$port" "$c" "$b" "$DURATION" "$WARMUP")
        per_s=$(echo "$line" | json_field per_s)
        echo "$name $c $b $per_s $(echo "$line" | json_field p50_ms) $(echo "$line" | json_field p99_ms)" >>"$RAW"
        printf '  run %d  %-20s C=%-4s B=%-7s %10s round trips/s\n' "$run" "$name" "$c" "$b" "$per_s"
      done
    done
    stop_pid "$SERVER_PID"
    SERVER_PID=""
  done
done

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$RESULTS"
{
  results_header "Echo: round trips per second (closed loop)" "bash bench/echo.sh${1:+ $1}"
  echo "- Runs per cell: $RUNS of ${DURATION} s after ${WARMUP} s of warm-up; load average $LOAD_START at the start, $LOAD_END at the end ($(nproc) cores)."
  echo "- Client: \`java -jar target/concurrency-lab.jar bench echo --connections C --size B\` (one JVM per cell, two plain selector-loop threads, no Vert.x) on the same machine as the server; every server is first warmed with 1 s of each cell."
  echo
  "$PYTHON" - "$RAW" "$TRANSPORTS" <<'PY'
import statistics, sys
from collections import defaultdict
raw, transports = sys.argv[1], sys.argv[2].split()
runs = defaultdict(list)
for line in open(raw):
    name, c, b, per_s, p50, p99 = line.split()
    runs[(name, int(c), int(b))].append((float(per_s), float(p50), float(p99)))
lab = [f"vertx-{t}" for t in transports] + ["selector", "own-loop"]
peers = ["py-streams", "py-streams-uvloop", "py-protocol", "py-protocol-uvloop"]
titles = {**{f"vertx-{t}": f"Vert.x echo ({t})" for t in transports}, "selector": "selector echo",
          "own-loop": "own event loop echo",
          "py-streams": "asyncio streams", "py-streams-uvloop": "uvloop streams",
          "py-protocol": "asyncio protocol", "py-protocol-uvloop": "uvloop protocol"}
cells = sorted({(c, b) for (_, c, b) in runs})
def med(name, c, b, i=0):
    values = [r[i] for r in runs.get((name, c, b), [])]
    return statistics.median(values) if values else float("nan")
def size(b):
    return f"{b // 1024} KiB" if b % 1024 == 0 else f"{b} B"
head = ["C", "size"] + [titles[s] for s in lab + peers] + [f"{titles[s]} / best peer" for s in lab]
print("Median round trips per second (higher is better); the ratio is against the best Python peer of that cell.")
print()
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for c, b in cells:
    best = max(med(p, c, b) for p in peers)
    row = [str(c), size(b)] + [f"{med(s, c, b):,.0f}" for s in lab + peers] + [f"{med(s, c, b) / best:.2f}x" for s in lab]
    print("| " + " | ".join(row) + " |")
print()
print("Median latency p50 / p99 in ms (lower is better).")
print()
head = ["C", "size"] + [titles[s] for s in lab + peers]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for c, b in cells:
    row = [str(c), size(b)] + [f"{med(s, c, b, 1):.3f} / {med(s, c, b, 2):.3f}" for s in lab + peers]
    print("| " + " | ".join(row) + " |")
PY
  cat <<'NOTES'

## Notes

- The load average above says how busy the shared machine was; above 2 on these 2 cores, the other work
  ran alongside and every column suffers, unevenly (runs are interleaved to spread it).
- A `--quick` run (one 2 s run per cell) is a smoke test of the script and a first look: on a busy machine
  one cell can swing by 2x between runs; quote the full run's medians.
- The client runs on the same 2 cores as the server, so every microsecond of CPU it spends per round trip is
  one the server does not get. It is two plain selector loops (`echo/EchoLoadClient.java`): about 3 µs of
  user and 5-8 µs of kernel CPU per 1 KiB round trip, half of what the Vert.x `NetClient` it replaced cost
  (which made every server look alike). Its JSON line reports `client_cpu_us`, its CPU per round trip.
- Where a round trip's CPU goes (`/proc/<pid>/stat` of server and client during a run, 2026-11-25, busy
  machine, so ±30 %): at 1 KiB the Vert.x echo spends about 3 µs of user and 5-7 µs of kernel time, uvloop's
  protocol echo 3 µs and 7-10 µs, the client 3-6 µs and 5-11 µs. The kernel's part (a loopback TCP send
  and receive each way) is the same work for every server and is most of the cost.
- Why the 1.5x target is hard to reach here: a Python server runs on one core, a Vert.x one on both, but the
  client needs the machine too. With the client costing X and a server Y µs of CPU per round trip, uvloop
  reaches at most 1/Y(uvloop) round trips per second (one core) and the Vert.x echo 2/(X + Y(Vert.x)) (two
  cores shared with the client). When uvloop keeps its core busy, 1.5x needs X + Y(Vert.x) below
  1.33 Y(uvloop), and the kernel's share of X + Y(Vert.x) alone is about the whole of Y(uvloop): the ceiling
  is then about 1.2-1.3x. Only where uvloop leaves its core partly idle (it used 0.5-0.8 of it in these
  runs, waiting on the client) does the ratio go beyond. At 100 KiB, copying the bytes through the kernel twice
  each way dominates every server, and the Vert.x echo still spends about twice uvloop's user CPU per round
  trip (13-14 µs against 6.6 µs: the `boom` scan below; Netty's own read and write path is a few per cent of
  a profile). A client on another machine would lift the ceiling; the next note puts numbers on it.
- **Why 1.5x is out of reach here whenever uvloop keeps its core busy, and always at 100 KiB (session 4, 2026-11-25 21:33Z, load 2.1-2.8,
  one 3 s run per row after 2 s of the same cell; CPU from `/proc/<pid>/stat`, server user + kernel, client
  whole process, per round trip):**

  | cell | server | round trips/s | server user + kernel µs | client µs | cores used (server + client) |
  |---|---|---|---|---|---|
  | C=10 1 KiB | Vert.x (epoll) | 86,499 | 3.5 + 7.4 | 12.0 | 1.98 |
  | C=10 1 KiB | uvloop protocol | 79,878 | 3.0 + 7.4 | 11.2 | 0.82 + 0.89 |
  | C=10 100 KiB | Vert.x (epoll) | 27,820 | 12.7 + 24.6 | 34.4 | 1.99 |
  | C=10 100 KiB | uvloop protocol | 30,434 | 6.6 + 22.9 | 31.4 | 0.90 + 0.96 |
  | C=100 100 KiB | Vert.x (epoll) | 27,124 | 14.4 + 27.9 | 31.6 | 2.00 |
  | C=100 100 KiB | uvloop protocol | 24,324 | 6.7 + 30.1 | 37.1 | 0.90 + 0.90 |

  The Vert.x runs use both cores completely: it is at the machine's limit, 2 / (client + server CPU per round
  trip). uvloop is one thread at 0.8-0.9 of its core. So the ratio is bounded by 2 Y(uvloop) / (X + Y(Vert.x)).
  At C=10 1 KiB, 1.5x uvloop (120,000/s) would need client + server under 16.7 µs per round trip, while the
  kernel's loopback work alone (the server's 7.4 µs and most of the client's 12 µs) is about that: the bound is
  about 87,000/s, which the Vert.x echo reaches. At 100 KiB the client copies the same 200 KiB through the
  kernel as an echo server does (31-37 µs), and every server's kernel part is 23-30 µs: even a Vert.x echo with
  no user CPU at all would reach about 2 / (34.4 + 24.6 µs) = 34,000/s at C=10, 1.1x uvloop; the 1.5x target
  needs 46,000/s. Where the Vert.x user time goes at 100 KiB (perf, cpu-clock samples of the server): the
  `boom` scan inlined in `EchoConnection.channelRead` is the largest user-space item (about 12 % of the
  server's samples, 5-7 µs per round trip); Netty's write path (`doWrite`, `sendAddress`) about 4 %; the rest
  is the kernel (copies, TCP, and task switches of this VM). Without the scan the Vert.x echo's user CPU
  would be about uvloop's. With the client on another machine, the bound would be 2 / Y(Vert.x) against
  1 / Y(uvloop): about 2x at 1 KiB and 1.6x at 100 KiB on these numbers.
- The Vert.x echo (`echo/EchoConnection.java`) is a Netty handler in the socket's pipeline, just before Vert.x's
  own: each read is scanned for the line `boom` and written straight back from Netty's pooled read buffer, and
  the batch of reads is flushed once; Vert.x still accepts, runs the connection on its event loop, and closes
  it. A naive `socket.handler(socket::write)` echo copies every chunk twice in user space, allocates a heap
  copy per read, and goes through Vert.x's inbound queue and a Future per write. Reads grow to 128 KiB (a
  100 KiB message arrives in one read when it is all there) from Netty's classic pooled allocator (the
  adaptive one kept mapping and zeroing fresh memory). TCP_NODELAY is on; socket buffer sizes are left to
  the kernel's autotuning. The selector echo reads into one 256 KiB direct buffer and writes from it, as
  uvloop does.
- The one per-byte cost the lab's echoes pay and the Python peers do not: finding the line `boom` (the book's
  listing 3.10) wherever TCP splits it means looking at every byte; the peers do not look for it at all. Since
  session 5, plain text in direct memory is skipped with ONE subtraction a word (`w - 0x0b0b...` marks every
  byte below 0x0b, so never misses a newline), 64 bytes a branch: about 5 µs per 100 KiB message against 9 µs
  for the exact four-operation test (micro-benchmark, same busy machine). A block it stops at is searched
  exactly; if it held no newline (a tab, a control or high byte), the rest of that read is skipped with the
  exact test, so binary payloads cost what they did before (one extra block per read).
- JIT warm-up: every server is warmed with 1 s of each cell before measuring. A JVM server recompiles its
  hot path when a new client's connections arrive (profiled branches change); with a single 3 s warm-up,
  the C2 compiler still took a quarter of the Vert.x echo's CPU in the first measured cells.
- Transports (`LAB_TRANSPORT`): the same Vert.x echo on Java NIO (epoll underneath, through the JDK's
  selector), on Netty's native epoll (edge-triggered, no selected-key sets, fewer copies of readiness), and on
  io_uring (submission and completion rings instead of a readiness call per turn). The start-up table of each
  server said which transport ran; a refused one would have fallen back to NIO and said so. Each transport
  makes one read and one write per chunk (strace), as uvloop does.
- The own event loop echo (`loop/LoopEchoServer.java`, on `eventloop/SelectorLoop`) is the book's 14.13 in
  Java: an accept task, a task per client awaiting `read` then `writeAll` futures, one thread. Each round trip
  costs two turns of the loop (asyncio's `sock_recv`/`sock_sendall` cost about as many), where the selector echo
  writes back inside the read handler: the price of futures and tasks over raw callbacks.
- The Python peers are fair: the protocol form writes straight from `data_received`, and uvloop is the
  fastest asyncio loop there is.
NOTES
} >"$RESULTS/echo.md"
echo "wrote $RESULTS/echo.md"
cat "$RESULTS/echo.md"
