#!/usr/bin/env bash
# Chapter 13: subprocesses. Spawns per second of /bin/true, one at a time and 8 at a time, with the lateness of
# a 1 ms timer on the event loop meanwhile, and MB/s reading 1,000,000 lines of "Hello there!!" (14 MB) from
# one child's pipe: `java -jar concurrency-lab.jar bench process` against ../shared/peers/spawn_bench.py
# (asyncio and uvloop), interleaved run by run so that machine noise hits all of them alike.
#
#   bash bench/process.sh            # 3 runs of each, 1,000 spawns per run
#   bash bench/process.sh --quick    # 1 run of each, 200 spawns per run
. "$(dirname "$0")/lib.sh"

RUNS=3
N=1000
if [ "${1:-}" = "--quick" ]; then
  RUNS=1
  N=200
fi

bench_lock
bench_prepare

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

lab() { # JVM flags (-D..., -X...) and bench options (--nice ...) in any order
  local jvm=() options=() arg
  for arg in "$@"; do
    case $arg in -D* | -X*) jvm+=("$arg") ;; *) options+=("$arg") ;; esac
  done
  # shellcheck disable=SC2086
  "$JAVA" $LAB_JAVA_OPTS "${jvm[@]}" -jar "$JAR" bench process --data-dir "$WORK/data" "${BENCH_ARGS[@]}" "${options[@]}" | tail -1
}
peer() {
  "$PYTHON" "$PEERS/spawn_bench.py" "${BENCH_ARGS[@]}" "$@"
}

# results[<workload>/<runner>/<field>] = space-separated values, one per run
declare -A results
# threads[<workload>/<runner>] = the lab's CPU by thread over the timed part of its last run
declare -A threads
# sched[<workload>/<runner>] = what the scheduler did to the lab's busiest threads, per spawn, in its last run
declare -A sched
record() {
  local key=$1 json=$2 field
  if [[ $key == */lab* || $key == */jvm* ]]; then
    threads[$key]=$(printf '%s\n' "$json" | "$PYTHON" -c 'import json,sys
d=json.loads(sys.stdin.readline()).get("cpu_threads_ms", {})
print(", ".join(f"{k} {v}" for k, v in d.items()))' 2>/dev/null || true)
    sched[$key]=$(printf '%s\n' "$json" | "$PYTHON" -c 'import json,sys
d=json.loads(sys.stdin.readline()).get("sched_per_op", {})
roles=sorted(d, key=lambda r: -d[r]["wakeups"] - d[r]["preempted"])[:5]
print(", ".join("%s %g woken + %g preempted, %g ms queued" % (r, d[r]["wakeups"], d[r]["preempted"], d[r]["runqueue_wait_ms"]) for r in roles))' 2>/dev/null || true)
  fi
  for field in per_s mb_per_s tick_p99_ms tick_max_ms tick_idle_p99_ms cpu_s; do
    local value
    value=$(printf '%s\n' "$json" | json_field "$field" 2>/dev/null || true)
    if [ -n "$value" ] && [ "$value" != "None" ]; then
      results[$key/$field]="${results[$key/$field]:-} $value"
    fi
  done
}

RUNNERS=(lab lab-nice-0 lab-posix-spawn jvm-direct floor asyncio uvloop)
run_all() {
  local workload=$1
  local i
  for ((i = 1; i <= RUNS; i++)); do
    echo "bench: $workload run $i/$RUNS" >&2
    record "$workload/lab" "$(lab)"
    # The children and the threads that start them at the lab's own priority (process_nice 0), for comparison.
    record "$workload/lab-nice-0" "$(lab --nice 0)"
    if [ "$workload" != pipe ]; then
      # Java's own default: posix_spawn of jspawnhelper, which then execs the command (two execs per child).
      record "$workload/lab-posix-spawn" "$(lab -Djdk.lang.Process.launchMechanism=POSIX_SPAWN)"
      # The JVM's own rate: plain threads that start and wait for the children, no service, bus or loop.
      record "$workload/jvm-direct" "$(lab --direct)"
      # The machine's own rate: posix_spawn + waitpid in a bare loop, no runtime around it (bench/spawn_floor.py).
      record "$workload/floor" "$("$PYTHON" "$ROOT/bench/spawn_floor.py" "${BENCH_ARGS[@]}")"
    fi
    record "$workload/asyncio" "$(peer)"
    record "$workload/uvloop" "$(peer --uvloop)"
  done
}

BENCH_ARGS=(--n "$N" --concurrency 1); run_all spawn1
BENCH_ARGS=(--n "$N" --concurrency 8); run_all spawn8
BENCH_ARGS=(--mode pipe --lines 1000000); run_all pipe

med() {
  # shellcheck disable=SC2086
  local values=${results[$1]:-}
  if [ -z "$values" ]; then echo "-"; else median $values; fi
}
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2fx", a / b }'
}
best() { # the larger of two medians
  awk -v a="$1" -v b="$2" 'BEGIN { if (b == "-" || a + 0 >= b + 0) print a; else print b }'
}

mkdir -p "$RESULTS"
OUT="$RESULTS/process.md"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
{
  results_header "Subprocesses (chapter 13): spawn rate, pipe throughput, event-loop lateness" "bash bench/process.sh${1:+ $1}"
  echo "- Runs: $RUNS per cell, $N spawns of /bin/true per run; load average at the end: $LOAD (2 cores: above 2 means other work shared the machine)."
  if awk -v l="${LOAD%% *}" 'BEGIN { exit !(l > 2) }'; then
    echo "- The machine was busy (other programs ran on it meanwhile): rates and timer tails swing with them; re-run on a quiet machine."
  fi
  echo
  echo "| Workload | Runner | Rate (median) | 1 ms timer late, p99 | late, max | same timer idle, p99 | CPU s |"
  echo "|---|---|---|---|---|---|---|"
  for workload in spawn1 spawn8 pipe; do
    unit="spawns/s"; field=per_s
    [ "$workload" = pipe ] && unit="MB/s" && field=mb_per_s
    label=$workload
    [ "$workload" = spawn1 ] && label="spawn /bin/true, 1 at a time"
    [ "$workload" = spawn8 ] && label="spawn /bin/true, 8 at a time"
    [ "$workload" = pipe ] && label="read 14 MB from a pipe"
    for runner in "${RUNNERS[@]}"; do
      [ -z "${results[$workload/$runner/cpu_s]:-}" ] && continue
      echo "| $label | $runner | $(med "$workload/$runner/$field") $unit | $(med "$workload/$runner/tick_p99_ms") ms | $(med "$workload/$runner/tick_max_ms") ms | $(med "$workload/$runner/tick_idle_p99_ms") ms | $(med "$workload/$runner/cpu_s") |"
    done
  done
  echo
  echo "| Workload | lab vs best Python peer | jvm-direct (the JVM's own ceiling) vs best Python peer | floor (the machine's own) vs best Python peer | lab timer p99 vs asyncio's |"
  echo "|---|---|---|---|---|"
  for workload in spawn1 spawn8 pipe; do
    field=per_s
    [ "$workload" = pipe ] && field=mb_per_s
    peer_best=$(best "$(med "$workload/asyncio/$field")" "$(med "$workload/uvloop/$field")")
    echo "| $workload | $(ratio "$(med "$workload/lab/$field")" "$peer_best") | $(ratio "$(med "$workload/jvm-direct/$field")" "$peer_best") | $(ratio "$(med "$workload/floor/$field")" "$peer_best") | $(med "$workload/lab/tick_p99_ms") ms vs $(med "$workload/asyncio/tick_p99_ms") ms |"
  done
  echo
  echo "The lab's CPU by thread over the timed part (ms, its last run; /proc/self/task: JIT and GC threads included):"
  echo
  for workload in spawn1 spawn8 pipe; do
    for runner in lab lab-nice-0 lab-posix-spawn jvm-direct; do
      if [ -n "${threads[$workload/$runner]:-}" ]; then echo "- $workload, $runner: ${threads[$workload/$runner]}"; fi
    done
  done
  echo
  echo "The scheduler's view of the same threads, per spawn (per run for the pipe), its last run: context switches"
  echo "(woken = the thread waited for something and was woken; preempted = a core was taken from it) and the time"
  echo "it then spent runnable on a run queue, waiting for a core (/proc/self/task/*/schedstat and status):"
  echo
  for workload in spawn1 spawn8 pipe; do
    for runner in lab lab-nice-0 lab-posix-spawn jvm-direct; do
      if [ -n "${sched[$workload/$runner]:-}" ]; then echo "- $workload, $runner: ${sched[$workload/$runner]}"; fi
    done
  done
  cat <<'NOTES'

How to read it:
- The timer columns: a 1 ms timer re-armed on the event loop while the children run, and the same timer for
  250 ms before, with nothing else to do ("idle"): the idle column is the machine's own noise floor. Under 1 ms
  late at p99 needs a quiet machine.
- `lab`: the process service in one JVM on one event loop (the service, the client and the timer share it, as
  asyncio's single loop does); children start on the service's spawner threads, never on the loop, and those
  threads run at nice 10 (`process_nice`, the lab's default): a child inherits its starter's nice value, so the
  child, the work of starting it and the JDK's reaper thread all yield a core to the event loop when its timer
  is due. `lab-nice-0` is the same at the lab's own priority (`process_nice` 0), for comparison. On Java 17-22 the
  lab starts children with `vfork` (`SpawnMechanism`); `lab-posix-spawn` is Java's default (`posix_spawn` of
  `jspawnhelper`, which then execs the command: two execs per child) for comparison.
  Every lab runner first makes 2,000 untimed spawns (200,000 lines for the pipe) with the same 1 ms timer
  running, so that the JIT has compiled what the timed part runs, as in a lab that has been up a while (`--warmup`).
- `jvm-direct`: no service, bus or client: plain threads (at nice 10) start `/bin/true` with `ProcessBuilder`
  and wait for it, `--concurrency` at a time (`bench process --direct`; the timer still runs on an idle loop).
  It is the JVM's own spawn rate on this machine at that moment: the ceiling of the `lab` rows.
- `floor`: `bench/spawn_floor.py`, the least a parent can do per child: `os.posix_spawn` (glibc's
  `clone(CLONE_VM|CLONE_VFORK)` + exec) and `os.waitpid` in a bare loop, stdio on `/dev/null`, no event loop,
  no pipes, no thread per child. It is this machine's own rate for the children's exec, loading and exit,
  which every runtime pays: no runner can pass it, and 1.2x asyncio is out of reach wherever the floor is below it.
- `asyncio` forks on its event loop (the timer waits for it) and watches each child with a thread
  (`ThreadedChildWatcher`); `uvloop` forks in libuv. Both run `/bin/true` with no shell, as the lab does.
- Pipe: the peer's writer is `yes | head -n 1000000` through a shell; the lab has no shell by design, so its
  child is `cat` of a file holding the same 1,000,000 lines. Both writers outpace the reader; the reading is
  timed. The lab also counts the lines (the peer reads one 14 MB blob) and keeps the first 1 MiB
  (`process_output_max`); it hands the event loop one string per 64 KiB read, cut into lines only when a
  watcher reads them (nobody watches here).

What limits each number (targets: spawns/s at least 1.2x asyncio's, timer p99 under 1 ms):
- Where the lab's CPU goes is in the "CPU by thread" lines (from /proc/self/task over the timed part).
  `true` itself (exec, the dynamic loader, exit) costs both sides the same and is not in either CPU column.
- The JIT, the biggest lever found: the service's path is reached a few times per spawn, so its methods cross
  C2's thresholds only after thousands of spawns, and a warm-up without the timer left the timer's own path
  (Vert.x's timer task, Netty's scheduled-task queue, the HdrHistogram) to be compiled in the timed part:
  after 3,000 warm-up spawns without it, C2 still compiled 74 methods in the timed 7 s and took 0.73 ms of
  CPU per spawn (`-XX:+PrintCompilation`, 22:56 UTC, load 6.5). Warming up with the timer running, over
  1,500 spawns: C2 0.33 ms and C1 0.03 ms per spawn (0.70 and 0.22 after the old 200-spawn warm-up), the
  lab's CPU per spawn 1.35 ms (2.39), the rate 298/s (237/s) one at a time and 296/s (241/s) 8 at a time,
  timer p99 1.3 ms (2.0) and 3.3 ms (4.3); asyncio in the same minutes: 1.56 ms of CPU per spawn, 196/s
  and 262/s (ad hoc, 1,000 spawns, 23:02 UTC, load 4.2-5.9). So the warm-up is now 2,000 spawns with the timer.
  It is not the whole story: in session 5's quick run on a busy machine (200 timed spawns after 2,000 warm-up ones) C2 still took
  0.6-1 ms per spawn and the rate one at a time (0.69x) was within the noise of the last session's (0.66x).
- The ceiling: the JVM itself (`jvm-direct`, or a bare loop of `ProcessBuilder.start` + `waitFor`: 0.63-0.78 ms
  of CPU per spawn) starts `/bin/true` about as fast as CPython's synchronous `subprocess.run` does, because
  the child's exec, dynamic loading and exit cost the same to both: bare JVM 314-349/s, Python threads
  calling `subprocess.run` 318-357/s (ad hoc, 22:50-23:03 UTC, load 4-6; asyncio 109-262/s in the ad hoc
  runs of 23:02-23:28, 328/s in that quick run). 1.2x asyncio needs the lab at 1.2x asyncio's rate; when
  asyncio runs near its own best, that is above what the JVM alone reaches with no service at all. The lab can reach 1.2x only where the
  asyncio loop itself is the bottleneck (its fork on the loop, a thread per child), not where the children
  and the machine are: compare the `jvm-direct` column of the ratios table.
- Launch mechanisms (bare loop, 500 spawns, Java 17 / Java 25, 22:50 UTC, load 5-6): `vfork` 329-337 / 335
  spawns/s one at a time, 321-342 / 333-344 eight at a time; `posix_spawn` (Java's default since 12: an extra
  exec of `jspawnhelper`) 160-176 / 166-174 and 131-164 / 131-163; `fork` 66-77 and 29-51 (it copies the page
  tables of a JVM with a 512 MB heap: 10-39 ms of CPU per spawn). Java 23 deprecated `vfork`, and Java 25
  prints "VFORK MODE DEPRECATED ... will be removed in a future java version" on its first spawn but still
  runs it at the same speed. The lab chooses `vfork` on Java 17-22 only (`SpawnMechanism`), never over an
  explicit `-Djdk.lang.Process.launchMechanism`; on Java 23+ a user who accepts the warning can set it.
- Exit detection and hand-offs, counted (`/proc/self/task/*/status` and `schedstat`, per spawn, one at a time,
  after the warm-up): the spawner thread switches 3.6 times (it waits for work, sleeps while `vfork`'s child
  execs, reads the JDK's exec-status pipe, waits in `waitFor`), the JDK's reaper thread 1.8 (its `waitpid`
  returns, it wakes the spawner), the event loop 3.7 (about 3.4 of them the 1 ms timer's own wake-ups at
  ~300 spawns/s). A lighter exit path does not exist on Java 17: `Process.onExit()` adds a new thread per
  child (CompletableFuture's default executor on two cores), and `waitpid` itself needs native code; the
  reaper-to-spawner hand-off costs some 0.25 ms of run-queue wait per spawn, far less than the JIT did.
- Priority (`lab` against `lab-nice-0`): at nice 10 the spawner threads, the reaper threads they create and
  the children yield to the event loop, which is what the timer columns are about; they also yield to every
  other program at nice 0, so on a busy machine the spawn rate and the pipe's writer (`cat`, a child too) can
  lose against `lab-nice-0` (8 at a time, the spawner threads waited 3.8-5.8 ms per spawn on a run queue,
  the event loop 0.4-0.7 ms). The JIT compiler and GC threads stay at the JVM's priority.
- Timer p99 under 1 ms: the event loop waits for a core after 0.04-0.19 ms on average each time it is woken or
  preempted (schedstat), but p99 is the tail, and the tail is the machine's: the idle column (the same timer,
  nothing else to do, just before) was 0.2-1.7 ms for the lab and 3.4-3.6 ms for asyncio within the same ten
  minutes (load 4-10), so on this machine p99 moved by more than 1 ms with other people's work alone. With the
  warm-up the lab's busy p99 one at a time came to 1.3 ms (idle 0.23 ms). What remains is on two cores:
  the child (`exec` of /bin/true), the spawner and reaper threads (nice 10), the C2 compiler (nice 0, still
  0.3 ms per spawn), the event loop's own work per spawn (its CPU line; `jvm-direct`'s loop runs the timer
  alone) and every other program on the machine; pinning the loop to a core of its own would leave the children one core and halve
  the spawn rate. The lab never forks on its event loop; asyncio does, so its busy p99 8 at a time is its
  forks (35-59 ms). p99 under 1 ms needs a quiet machine; it was not measurable here.
- The same timer with nothing to do on its loop (`jvm-direct`: plain threads at nice 10 start the children; the
  loop runs only the timer): p99 2.4 ms one at a time and 2.3 ms eight at a time in session 5's quick run (idle 0.8
  and 0.4 ms), against the lab's 1.6 and 5.7 ms. That part no code on the event loop can remove: it is the
  children and the threads that start and reap them, on two cores shared with the JIT and the machine.
- A busy machine and nice 10: when other programs keep both cores busy at nice 0, the lab's nice-10 threads
  and children get a small share of a core (a nice-10 task weighs 110 against a nice-0 task's 1024). In ad
  hoc runs at load 6-11 (23:24-23:28 UTC, 1,000 spawns each) the lab one at a time fell to 85-98 spawns/s
  while asyncio (nice 0) made 109-243/s, its spawner threads waiting 2.7-3.2 ms per spawn on a run queue;
  eight at a time the lab made 221-238/s against asyncio's 146-157/s in the same minutes. `lab-nice-0` shows
  the trade: more spawns, a later timer. Transports (`bench process --transport epoll`), same runs: epoll
  98 and 90 against NIO's 85 and 85 spawns/s one at a time, 225 against 238 and 221 eight at a time, the
  event loop's CPU 0.6-0.96 against 0.7-1.19 ms per spawn: within the noise, so the bench keeps the lab's
  default (NIO).
- Pipe: a young-generation collection stops every thread, the event loop's timer included, and on this VM
  one took 25-70 ms (`LAB_JAVA_OPTS=-Xlog:gc`; G1's young generation starts near 25 MB of the 512 MB heap).
  The lab used to make two objects per line (1,000,000 strings and their arrays, some 70 MB), so several
  collections fell inside the read and the p99 tick was one of them. It now makes one string per 64 KiB read
  (14 MB in all) and cuts lines only for a watcher: the pump's CPU fell to a third, the rate went past
  uvloop's, and one collection, not several, falls inside the read (-Xlog:gc: 4 young pauses per run before,
  2 now, one during the read, about 20 ms). But the read now lasts only some 0.13 s, about 130 ticks, so the
  p99 tick is the worst or second worst: that one pause still sets it. asyncio's read is 2-3x longer and its
  one stall (joining 14 MB at the end, its max column) falls above its p99. The peer's reader keeps bytes.
NOTES
} > "$OUT"
cat "$OUT"
