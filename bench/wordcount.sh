#!/usr/bin/env bash
# Chapter 6: sum match_count per ngram over a Google Books 1-gram file, the lab's map-reduce on worker
# verticles (1 worker, then one per core) against ../shared/peers/wordcount.py (sequential, and the book's
# ProcessPoolExecutor map-reduce with 2 workers), on the same generated file.
#
#   bash bench/wordcount.sh            # the book's size: 86.6 M lines (~1.8 GB); Java 3 runs, Python 1 run each
#   bash bench/wordcount.sh --quick    # 10 M lines (~190 MB); 3 runs of everything
#   options: --lines N, --java-runs N, --python-runs N, --keep (keep the generated file in bench/tmp)
#
# The lab runs in a fresh JVM (its first job includes the JIT compiling the counter) and with --repeat 3 (the
# third job, warm: what a long-running lab node does).
# The file comes from `gen-ngrams` (seed 42) with FILE.expected.json beside it; every run's Aardvark total and
# distinct count are checked against it (Java's total match_count too), and a mismatch fails the script.
# The file is read once before the runs, so every run reads it from the page cache. Python reads the whole
# file into a list first (read_s) and then counts (count_s); the lab reads byte ranges inside its workers, so
# its "excluding the read" time is its job time minus the workers' mean read time (see the job's result).
# Peak RSS is /usr/bin/time's maximum resident set of the process (for the pool: the largest of its processes).
# The 1 -> 2 worker speed-up is set beside this machine's own 1 -> 2 thread ceiling for the same kind of work,
# measured on the same file by bench/ScalingCeiling.java (trivially parallel loops, nothing shared, no merge).
# Writes bench/results/wordcount.md.
. "$(dirname "$0")/lib.sh"

ARGS="$*"
LINES=86600000
JAVA_RUNS=3
PY_RUNS=1
KEEP=0
QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; LINES=10000000; PY_RUNS=3 ;;
    --lines) LINES=$2; shift ;;
    --java-runs) JAVA_RUNS=$2; shift ;;
    --python-runs) PY_RUNS=$2; shift ;;
    --keep) KEEP=1 ;;
    *) echo "usage: bash bench/wordcount.sh [--quick] [--lines N] [--java-runs N] [--python-runs N] [--keep]" >&2; exit 2 ;;
  esac
  shift
done

bench_lock
bench_prepare
CORES=$(nproc)
TMP="$BENCH_DIR/tmp"
mkdir -p "$TMP" "$RESULTS"
FILE="$TMP/ngrams-$LINES.tsv"
EXPECTED="$FILE.expected.json"
OUT="$TMP/wordcount-run.out"
RSS="$TMP/wordcount-run.rss"
cleanup() {
  rm -f "$OUT" "$RSS" "$OUT.runs"
  if [ "$KEEP" = 0 ]; then rm -f "$FILE" "$EXPECTED"; fi
}
trap cleanup EXIT

# About 21 bytes a line, and the Python peer holds the whole file in memory (about 100 bytes a line).
NEED_MB=$((LINES * 22 / 1000000 + 200))
AVAIL_MB=$(df -Pm "$TMP" | awk 'NR == 2 {print $4}')
if [ "$AVAIL_MB" -lt "$NEED_MB" ] && [ ! -f "$FILE" ]; then
  echo "bench wordcount: $TMP has $AVAIL_MB MB free, the file needs about $NEED_MB MB" >&2
  exit 1
fi
FREE_MB=$(free -m | awk '/Mem:/ {print $7}')
if [ "$FREE_MB" -lt $((LINES * 110 / 1000000 + 1000)) ]; then
  echo "bench wordcount: warning: $FREE_MB MB of memory available; the Python peer needs about $((LINES * 110 / 1000000)) MB" >&2
fi

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
GEN_S="(reused)"
if [ ! -f "$FILE" ] || [ ! -f "$EXPECTED" ]; then
  echo "bench wordcount: generating $LINES lines into $FILE..." >&2
  start=$(date +%s.%N)
  $JAVA $LAB_JAVA_OPTS -jar "$JAR" gen-ngrams "$FILE" --lines "$LINES" --seed 42 >&2
  GEN_S=$(echo "$(date +%s.%N) - $start" | bc -l | xargs printf '%.1f s')
fi
BYTES=$(stat -c %s "$FILE")
WANT_AARDVARK=$(json_field ngrams.Aardvark < <(tr -d '\n' < "$EXPECTED"; echo))
WANT_DISTINCT=$(json_field distinct < <(tr -d '\n' < "$EXPECTED"; echo))
WANT_TOTAL=$(json_field total_match_count < <(tr -d '\n' < "$EXPECTED"; echo))
cat "$FILE" > /dev/null # into the page cache: every run reads it from memory

MISMATCHES=0
check() { # label got want
  if [ "$2" != "$3" ]; then
    echo "bench wordcount: MISMATCH in $1: got $2, expected $3" >&2
    MISMATCHES=$((MISMATCHES + 1))
  fi
}

# Runs the lab's wordcount: W workers, partials in ENCODING, the job REPEAT times in one JVM (the last one is
# reported: with REPEAT > 1 the JIT has compiled the counter).
# Prints "excl_read_s job_s lines_per_s rss_mb wall_s job_cpu_s rank_s" (the job's CPU: every thread of the
# process; rank_s: the final ranking of the workers' tables, the job's one serial step on one node).
run_java() {
  local workers=$1 encoding=$2 repeat=$3
  /usr/bin/time -f '%M %e' -o "$RSS" $JAVA $LAB_JAVA_OPTS -jar "$JAR" wordcount "$FILE" --workers "$workers" \
    --encoding "$encoding" --repeat "$repeat" > "$OUT"
  local json rss wall line
  json=$(tail -1 "$OUT")
  read -r rss wall < "$RSS"
  check "java ($workers workers, $encoding) Aardvark" "$(echo "$json" | json_field word.count)" "$WANT_AARDVARK"
  check "java ($workers workers, $encoding) distinct" "$(echo "$json" | json_field distinct)" "$WANT_DISTINCT"
  check "java ($workers workers, $encoding) total" "$(echo "$json" | json_field totalMatchCount)" "$WANT_TOTAL"
  line="$(echo "$json" | json_field secondsExcludingRead) $(echo "$json" | json_field seconds) \
$(echo "$json" | json_field linesPerSecond) $((rss / 1024)) $wall $(echo "$json" | json_field cpuSeconds) \
$(echo "$json" | json_field rankSeconds)"
  echo "  excl. read, job, lines/s, RSS MB, process wall, job cpu-s, rank s: $line (jobs: $(echo "$json" | json_field runs))" >&2
  echo "$line"
}

# Runs the Python peer in a mode; prints "count_s read_plus_count_s lines_per_s_incl_read rss_mb wall_s".
run_python() {
  local mode=$1
  shift
  /usr/bin/time -f '%M %e' -o "$RSS" "$PYTHON" "$PEERS/wordcount.py" "$FILE" --mode "$mode" "$@" > "$OUT"
  local json rss wall read count
  json=$(tail -1 "$OUT")
  read -r rss wall < "$RSS"
  check "python $mode Aardvark" "$(echo "$json" | json_field word_count)" "$WANT_AARDVARK"
  check "python $mode distinct" "$(echo "$json" | json_field distinct)" "$WANT_DISTINCT"
  read=$(echo "$json" | json_field read_s)
  count=$(echo "$json" | json_field count_s)
  local line
  line="$count $(echo "$read + $count" | bc -l | xargs printf '%.3f') $(echo "$LINES / ($read + $count)" | bc) \
$((rss / 1024)) $wall"
  echo "  count, read + count, lines/s, RSS MB, process wall: $line" >&2
  echo "$line"
}

declare -A excl incl lps rss wall cpu mcpu
collect() { # key, then the runs' lines on stdin
  local key=$1 a=() b=() c=() d=() e=() f=() g=()
  while read -r v1 v2 v3 v4 v5 v6 v7; do
    a+=("$v1"); b+=("$v2"); c+=("$v3"); d+=("$v4"); e+=("$v5"); f+=("${v6:-0}"); g+=("${v7:-0}")
  done
  excl[$key]=$(median "${a[@]}"); incl[$key]=$(median "${b[@]}"); lps[$key]=$(median "${c[@]}")
  rss[$key]=$(median "${d[@]}"); wall[$key]=$(median "${e[@]}"); cpu[$key]=$(median "${f[@]}"); mcpu[$key]=$(median "${g[@]}")
}

# key, label, workers, encoding, repeat
java_config() {
  local key=$1 label=$2 run
  shift 2
  for run in $(seq 1 "$JAVA_RUNS"); do
    echo "bench wordcount: lab, $label, run $run/$JAVA_RUNS..." >&2
    run_java "$@"
  done > "$OUT.runs"
  collect "$key" < "$OUT.runs"
}
java_config cold1 "1 worker, first job" 1 buffer 1
java_config cold "$CORES workers, first job" "$CORES" buffer 1
java_config warm1 "1 worker, third job" 1 buffer 3
java_config warm "$CORES workers, third job" "$CORES" buffer 3
java_config json "$CORES workers, third job, JSON partials" "$CORES" json 3
echo "bench wordcount: this machine's 1 -> 2 thread ceiling (bench/ScalingCeiling.java, 5 rounds)..." >&2
CEILING=$($JAVA $LAB_JAVA_OPTS -cp "$JAR" "$BENCH_DIR/ScalingCeiling.java" "$FILE" 5 | tee /dev/stderr | grep '^|' || true)
ceiling_of() { # mode: the median of its per-round 1 / 2 thread ratios
  echo "$CEILING" | awk -F'|' -v mode="$1" '$2 ~ " " mode " " {print $5}' | sed 's/x.*//' | tr -d ' '
}
CEIL_MERGE=$(ceiling_of merge)
CEIL_MERGE=${CEIL_MERGE:-0}
CEIL_ALU=$(ceiling_of alu)
share_of_ceiling() { # the lab's speed-up as a share of the ceiling, or why not
  if [ "$(echo "$CEIL_MERGE > 0" | bc)" = 1 ]; then
    echo "$(echo "100 * ${incl[warm1]} / ${incl[warm]} / $CEIL_MERGE" | bc -l | xargs printf '%.0f') % of the ceiling"
  else
    echo "an unknown share of the ceiling (ScalingCeiling failed: see the log)"
  fi
}
for run in $(seq 1 "$PY_RUNS"); do
  echo "bench wordcount: python sequential, run $run/$PY_RUNS..." >&2
  run_python sequential
done > "$OUT.runs"
collect pyseq < "$OUT.runs"
for run in $(seq 1 "$PY_RUNS"); do
  echo "bench wordcount: python pool (2 workers), run $run/$PY_RUNS..." >&2
  run_python pool --workers 2
done > "$OUT.runs"
collect pypool < "$OUT.runs"
rm -f "$OUT.runs"
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)

ratio() { echo "$1 / $2" | bc -l | xargs printf '%.1fx'; }
BEST_PY_EXCL=$(printf '%s\n' "${excl[pyseq]}" "${excl[pypool]}" | sort -g | head -1)
BEST_PY_INCL=$(printf '%s\n' "${incl[pyseq]}" "${incl[pypool]}" | sort -g | head -1)
BUSY=""
if [ "$(echo "$LOAD_BEFORE > $CORES || $LOAD_AFTER > $CORES" | bc)" = 1 ]; then
  BUSY="The machine was busy (load average above its $CORES cores): every number is slower than on a quiet machine, and the speed-up from a second worker is understated."
fi

row() { # label key
  echo "| $1 | ${excl[$2]} s | ${incl[$2]} s | ${wall[$2]} s | $(printf "%'d" "${lps[$2]%.*}") | ${rss[$2]} MB | $(ratio "${excl[pyseq]}" "${excl[$2]}") | $(ratio "$BEST_PY_EXCL" "${excl[$2]}") |"
}

{
  results_header "Chapter 6: word count of a 1-gram file, map-reduce on worker verticles vs Python" \
    "bash bench/wordcount.sh${ARGS:+ $ARGS}"
  cat <<TEXT
File: \`gen-ngrams --lines $LINES --seed 42\`: $(printf "%'d" "$LINES") lines, $(echo "$BYTES / 1000000" | bc) MB,
$(printf "%'d" "$WANT_DISTINCT") distinct ngrams (the book's file: 86.6 M lines, 1.8 GB); generated in $GEN_S.
Every run below matched FILE.expected.json (Aardvark = $(printf "%'d" "$WANT_AARDVARK"), distinct, and for Java the
total match_count): $([ "$MISMATCHES" = 0 ] && echo "yes" || echo "NO, $MISMATCHES mismatches: see the log").
Java: median of $JAVA_RUNS runs of \`java $LAB_JAVA_OPTS -jar concurrency-lab.jar wordcount FILE --workers W [--repeat 3]\`
(60,000-line partitions, Buffer partials); Python: median of $PY_RUNS run(s) of \`wordcount.py FILE --mode ...\`.
Load average $LOAD_BEFORE before, $LOAD_AFTER after. $BUSY

| Run | Counting (excl. read) | Incl. read | Process wall | Lines/s (incl. read) | Peak RSS | vs Python sequential | vs best Python |
|---|---|---|---|---|---|---|---|
$(row "Python sequential (book 6.7)" pyseq)
$(row "Python pool, 2 workers (book 6.8)" pypool)
$(row "Lab, 1 map worker, first job of the JVM" cold1)
$(row "Lab, $CORES map workers, first job of the JVM" cold)
$(row "Lab, 1 map worker, third job (JIT warm)" warm1)
$(row "**Lab, $CORES map workers, third job (JIT warm)**" warm)
$(row "Lab, $CORES map workers, third job, JSON partials" json)

- Ratios divide the Python time by the lab's, both excluding the read (Python's count_s; the lab's job minus
  its workers' mean read time). Including the read, the warm lab job is $(ratio "$BEST_PY_INCL" "${incl[warm]}") faster than the best
  Python run ($(ratio "${incl[pyseq]}" "${incl[warm]}") vs sequential); the first job of a fresh JVM $(ratio "$BEST_PY_INCL" "${incl[cold]}").
- Speed-up from 1 to $CORES map workers: **$(ratio "${incl[warm1]}" "${incl[warm]}") warm**, $(ratio "${incl[cold1]}" "${incl[cold]}") in a fresh JVM
  (Python pool vs sequential: $(ratio "${excl[pyseq]}" "${excl[pypool]}")). This machine's own 1 -> 2 thread ceiling, measured
  right after on the same file (\`bench/ScalingCeiling.java\`, median of 5 alternating rounds): **${CEIL_MERGE}x** for
  the map workers' work without the bus (count each range into a small table, add it to the thread's own
  table), ${CEIL_ALU}x for a pure ALU loop. The lab reaches $(share_of_ceiling).

$CEILING

- CPU of the warm job, every thread of the process (map workers, event loop, GC, JIT): 1 map worker
  ${cpu[warm1]} cpu-s in ${incl[warm1]} s; $CORES map workers ${cpu[warm]} cpu-s in ${incl[warm]} s. Each local map worker adds its
  partitions to its own table of the job; the one serial step, ranking the workers' tables together, took
  ${mcpu[warm]} s with $CORES workers (${mcpu[warm1]} s with 1). A wall time above CPU / $CORES was spent waiting for a core
  the machine's other processes held.
- Partials as JSON instead of Buffer: $(ratio "${incl[json]}" "${incl[warm]}") the time (one String and one boxed Long per distinct
  ngram of each partition, and on one node a deep copy of the map by the bus).
- "Process wall" is the whole process: JVM or interpreter start, reading, counting, printing; for the warm
  rows it covers three jobs. The lab's job time excludes starting the JVM and Vert.x; its first job includes
  the JIT compiling the counter. Python's pool time includes starting and stopping its worker processes, as
  the book's timer does.
TEXT
} > "$RESULTS/wordcount.md.new"

if [ "$MISMATCHES" != 0 ]; then
  mv "$RESULTS/wordcount.md.new" "$RESULTS/wordcount.md"
  echo "bench wordcount: $MISMATCHES result(s) did not match $EXPECTED" >&2
  exit 1
fi
if [ -f "$RESULTS/wordcount.md" ] && grep -q '^## ' "$RESULTS/wordcount.md"; then
  # Keep the hand-written analysis below the measured part.
  sed -n '/^## /,$p' "$RESULTS/wordcount.md" >> "$RESULTS/wordcount.md.new"
fi
mv "$RESULTS/wordcount.md.new" "$RESULTS/wordcount.md"
cat "$RESULTS/wordcount.md"
