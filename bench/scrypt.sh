#!/usr/bin/env bash
# Chapter 7 CPU work on threads: N scrypt hashes (n=2048, r=8, p=1, 16-byte salt; the book's 7.16/7.17),
# one after another and on a pool of one thread per core: this lab (its own scrypt on Vert.x worker threads)
# beside Python's hashlib.scrypt (OpenSSL) on a ThreadPoolExecutor, with the book's numbers.
#
#   bash bench/scrypt.sh            # 10,000 hashes, 3 runs each
#   bash bench/scrypt.sh --quick    # 1,000 hashes, 3 runs each
. "$(dirname "$0")/lib.sh"

N=10000
RUNS=3
if [ "${1:-}" = "--quick" ]; then N=1000; fi
WORKERS=$(nproc)

bench_lock
bench_prepare

ROWS=$(mktemp)
trap 'rm -f "$ROWS"' EXIT
for mode in sequential pool; do
  for side in lab python; do
    secs=()
    for _ in $(seq "$RUNS"); do
      if [ $side = lab ]; then
        line=$($JAVA $LAB_JAVA_OPTS -jar "$JAR" bench scrypt --n "$N" --mode "$mode" --workers "$WORKERS")
      else
        pmode=$([ $mode = pool ] && echo threads || echo sequential)
        line=$("$PYTHON" "$PEERS/scrypt_hash.py" --n "$N" --mode "$pmode" --workers "$WORKERS")
      fi
      secs+=("$(echo "$line" | json_field seconds)")
    done
    echo "$mode|$side|$(median "${secs[@]}")" | tee -a "$ROWS" >&2
  done
done

{
  results_header "Chapter 7: scrypt on threads" "bash bench/scrypt.sh $*"
  echo "$N random 10-letter passwords, scrypt n=2048 r=8 p=1, 16-byte salt, 64-byte key. Pool: $WORKERS threads"
  echo "(one per core). Lab: blocking/Scrypt.java (RFC 7914 in Java) on Vert.x worker threads (executeBlocking(..., false)), after 200"
  echo "untimed hashes so the JIT has compiled it; Python: hashlib.scrypt (OpenSSL's C code, which releases the GIL)."
  echo "Medians of $RUNS runs."
  echo
  echo "| mode | lab (s) | Python (s) | lab hashes/s | Python hashes/s | lab speed vs Python |"
  echo "|---|---|---|---|---|---|"
  awk -F'|' -v n="$N" '{ s[$1 "|" $2] = $3 }
    END { split("sequential pool", modes, " ")
      for (i = 1; i <= 2; i++) { m = modes[i]; l = s[m "|lab"]; p = s[m "|python"]
        printf "| %s | %.2f | %.2f | %.0f | %.0f | %.2fx |\n", m, l, p, n / l, n / p, p / l } }' "$ROWS"
  echo
  echo "The book (8 cores, 2.4 GHz, 10,000 hashes): 40+ s sequential, about 5 s threaded."
  echo
  echo "Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."
  if [ -f "$RESULTS/scrypt.notes.md" ]; then echo; cat "$RESULTS/scrypt.notes.md"; fi
} >"$RESULTS/scrypt.md"
cat "$RESULTS/scrypt.md"
