#!/usr/bin/env bash
# Chapter 12 crawler: pages/s on the peers' synthetic site (site_server.py's seeded graph: 10,000 pages,
# 10 links each), the lab's crawler vs the peer crawler.py on asyncio and uvloop, 100 workers each.
#   bash bench/crawl.sh [--quick]
. "$(dirname "$0")/lib.sh"

RUNS=3; DEPTHS="3 4"
WARM_PAGES=${WARM_PAGES:-80000}
if [ "${1:-}" = "--quick" ]; then RUNS=1; DEPTHS="3"; fi
WORKERS=100

bench_lock
bench_prepare
mkdir -p "$RESULTS" "$ROOT/bench/tmp"
OUT="$RESULTS/crawl.md"
GRAPH="$ROOT/bench/tmp/site-graph.json"
PORT=18490
PY_PORT=18491

# The same graph the Python site server builds, served by a Vert.x server (bench site) so that the server is not
# what is measured; the Python site server runs too, for a second, server-bound, view.
"$PYTHON" -c 'import json, sys; sys.path.insert(0, sys.argv[1]); from site_server import site_graph
json.dump(site_graph(10000, 10, 42), open(sys.argv[2], "w"))' "$PEERS" "$GRAPH"
$JAVA -jar "$JAR" bench site --graph "$GRAPH" --port $PORT 2>/dev/null >/dev/null &
SITE=$!
"$PYTHON" "$PEERS/site_server.py" --port $PY_PORT --pages 10000 --links-per-page 10 --seed 42 >/dev/null 2>&1 &
PY_SITE=$!
SAMPLER=""
trap 'stop_pid $SITE; stop_pid $PY_SITE; [ -z "$SAMPLER" ] || kill $SAMPLER 2>/dev/null' EXIT
wait_port $PORT 30
wait_port $PY_PORT 30

# The lab's site server is a JVM too: crawled cold, it would slow down whichever crawler comes first (the lab's
# cold one). Two unmeasured crawls of ~6,600 pages (depth 4, the uvloop peer) warm it before anything is measured.
for i in 1 2; do
  "$PYTHON" "$PEERS/crawler.py" --start "http://127.0.0.1:$PORT/page/0" --max-depth 4 --workers $WORKERS --uvloop \
    >/dev/null 2>&1 || true
done

# What a user can do for a one-shot crawl (a fresh JVM): a class-data archive of the classes a crawl loads
# (AppCDS, written at the exit of one training crawl: -XX:ArchiveClassesAtExit, JDK 13+) and the C1 compiler
# only (-XX:TieredStopAtLevel=1: C2's compiles would not pay back in a one-second crawl).
CDS="$ROOT/bench/tmp/crawl-cds.jsa"
rm -f "$CDS"
$JAVA -XX:ArchiveClassesAtExit="$CDS" $LAB_JAVA_OPTS -jar "$JAR" crawl "http://127.0.0.1:$PORT/page/0" --max-depth 2 \
  >/dev/null 2>&1 || true
FAST_OPTS="-XX:SharedArchiveFile=$CDS -XX:TieredStopAtLevel=1"
[ -f "$CDS" ] || FAST_OPTS="-XX:TieredStopAtLevel=1"

lab() {  # port depth [--warmup N]; prints "per_s pages"
  $JAVA $LAB_JAVA_OPTS ${EXTRA_OPTS:-} -jar "$JAR" crawl "http://127.0.0.1:$1/page/0" --max-depth "$2" --workers $WORKERS ${3:-} ${4:-} 2>/dev/null \
    | tail -1 | "$PYTHON" -c 'import json,sys; d=json.loads(sys.stdin.readline()); print(d["per_s"], d["pages"])'
}
lab_fast() {  # port depth: a fresh JVM with the class-data archive and C1 only
  EXTRA_OPTS=$FAST_OPTS lab "$@"
}
peer() {  # port depth [--uvloop]
  "$PYTHON" "$PEERS/crawler.py" --start "http://127.0.0.1:$1/page/0" --max-depth "$2" --workers $WORKERS ${3:-} 2>/dev/null \
    | "$PYTHON" -c 'import json,sys; d=json.loads(sys.stdin.readline()); print(d["per_s"], d["pages"])'
}
med() {  # prints "median_per_s pages"
  local values=() pages="" i out
  for ((i = 0; i < RUNS; i++)); do
    out=$("$@"); values+=("${out% *}"); pages=${out#* }
  done
  echo "$(median "${values[@]}") $pages"
}
# The site server's CPU (user + system clock ticks): per page served, it says how busy the server is at a rate.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
per_page_us() { awk -v t="$1" -v hz="$HZ" -v n="$2" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }'; }
busy() { awk -v us="$1" -v rate="$2" 'BEGIN { printf "%.2f", us * rate / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
# The site server's CPU in 1-second slices (cores busy) while it runs in the background: its busiest second
# while the warm lab crawler ran says whether the server was the limit (1.00 for the one-process site_server.py).
sample_busy() {  # pid
  local prev now t0 t1
  prev=$(ticks "$1"); t0=$(date +%s%N)
  while sleep 1; do
    now=$(ticks "$1"); t1=$(date +%s%N)
    awk -v d=$((now - prev)) -v hz="$HZ" -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f\n", d / hz / (ns / 1e9) }'
    prev=$now; t0=$t1
  done
}
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }

rows=()
for server in lab python; do
  port=$PORT; server_pid=$SITE
  if [ $server = python ]; then port=$PY_PORT; server_pid=$PY_SITE; fi
  for depth in $DEPTHS; do
    echo "bench: crawl depth $depth on the $server site server..." >&2
    read -r lab_s lab_pages <<<"$(med lab $port "$depth")"
    read -r fast_s fast_pages <<<"$(med lab_fast $port "$depth")"
    # Warm = after unmeasured crawls of ~WARM_PAGES pages in all in the same JVM (80 crawls at depth 3, 12 at 4).
    warmups=$(( depth >= 4 ? WARM_PAGES / 6500 : WARM_PAGES / 1000 ))
    sample_busy "$server_pid" > "$ROOT/bench/tmp/crawl-busy" &
    SAMPLER=$!
    read -r warm_s warm_pages <<<"$(med lab $port "$depth" --warmup $warmups)"
    kill $SAMPLER; wait $SAMPLER 2>/dev/null || true; SAMPLER=""
    peak=$(sort -g "$ROOT/bench/tmp/crawl-busy" | tail -1)
    read -r asyncio_s asyncio_pages <<<"$(med peer $port "$depth")"
    before=$(ticks "$server_pid")
    read -r uvloop_s uvloop_pages <<<"$(med peer $port "$depth" --uvloop)"
    server_us=$(per_page_us $(( $(ticks "$server_pid") - before )) $(( RUNS * uvloop_pages )))
    top=$(best "$asyncio_s" "$uvloop_s")
    [ "$fast_pages" = "$lab_pages" ] && [ "$warm_pages" = "$lab_pages" ] || echo "bench: page counts differ: $lab_pages $fast_pages $warm_pages" >&2
    rows+=("| $server | $depth | $lab_pages / $asyncio_pages / $uvloop_pages | $lab_s | $fast_s | $warm_s | $asyncio_s | $uvloop_s | $(ratio "$lab_s" "$top") | $(ratio "$fast_s" "$top") | $(ratio "$warm_s" "$top") | $server_us | $(busy "$server_us" "$uvloop_s") / $(busy "$server_us" "$warm_s") | ${peak:-n/a} |")
  done
done

{
  results_header "Crawler (chapter 12): pages/s on the synthetic site" "bash bench/crawl.sh $*"
  echo "Load on the machine when this ran: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) on $(nproc) cores."
  echo
  echo "| site served by | max depth | pages (lab / asyncio / uvloop) | lab cold pages/s | lab cold, AppCDS + C1 pages/s | lab warm pages/s | asyncio pages/s | uvloop pages/s | cold vs best peer | cold AppCDS + C1 vs best peer | warm vs best peer | site server CPU us/page | site server cores busy at uvloop / lab warm rate | site server's busiest second during the lab warm JVM (cores) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  cat <<NOTES

What runs (medians of the runs): \`java -jar target/concurrency-lab.jar crawl URL --max-depth D --workers 100\` and
\`crawler.py --start URL --max-depth D --workers 100\` (one ClientSession with a 100-connection limit), each a fresh
process, each timing its crawl only (the JVM's start is not counted, nor the peer's imports and ClientSession; the
lab's HTTP clients are created, and jsoup's classes loaded, before its clock starts too). The lab's crawl runs on
one event loop per core (\`--loops\`, default the cores: $(nproc) here), the peer on its one asyncio loop. Both
fetch exactly the pages within the depth (same page counts), parse each page below the depth (jsoup vs
html.parser) and skip pages already queued.

- **lab cold**: a fresh JVM per crawl (\`$JAVA $LAB_JAVA_OPTS\`), so the crawl includes loading the HTTP
  client's classes on the first fetch, running them interpreted, and the JIT's compiles.
- **lab cold, AppCDS + C1**: the same one-shot command as a user can run it faster:
  \`java -XX:SharedArchiveFile=crawl.jsa -XX:TieredStopAtLevel=1 -jar ...\` with an archive of the classes a crawl
  loads, written once by a training crawl (\`java -XX:ArchiveClassesAtExit=crawl.jsa -jar ... crawl URL\`). The
  default \`java -jar\` is unchanged: C1 alone is slower for a long-running lab.
- **lab warm** (\`--warmup N\`: N unmeasured crawls of the same site in the same JVM first, ~$WARM_PAGES pages in
  all; \`WARM_PAGES=...\` changes it) is the crawler as the running lab serves it on \`crawl.start\` once it has
  crawled that much: compiled by C2. With 20,000 pages the C2 compiles were still running during the measured
  crawl on a busy machine (the crawl's process CPU 0.2-0.4 s for 1,056 pages, against 0.07-0.12 s after 80,000).
- **lab site server** (\`bench site\`, two event loops): the site_server.py graph (pages 10,000, 10 links, seed 42),
  exported by the peer's own \`site_graph()\` and served byte for byte the same by a Vert.x server: the crawlers
  are what is measured. It is warmed up by two unmeasured crawls (depth 4) before the first measured one.
- **python site server** (\`site_server.py\`, one process, so at most one core): the same site; when it is busy
  close to 1.00 core, neither crawler can go faster on that row: it measures the server.
- **site server CPU us/page**: the server process's CPU (/proc, user + system) during the uvloop peer's runs,
  per page served; "cores busy" multiplies it by the uvloop peer's and by the warm lab crawler's pages/s (an
  estimate: a busier server spends less per page, as more requests come in per wake-up of its loop).
- **busiest second**: the server process's CPU in 1-second slices while the warm lab JVM ran (its warm-up crawls
  and the measured one, back to back): 1.00 for site_server.py means its one core was the limit.
NOTES
} > "$OUT"
cat "$OUT"
