#!/usr/bin/env bash
# Starts and stops a cluster of lab nodes on this machine, in the layout of conf/cluster/:
#
#   bin/cluster.sh up [N]   N nodes (default 3): node 1 the gateway (conf/cluster/gateway.env), node 2 worker-1,
#                           nodes 3..N workers like worker-2 (named worker-3, ...). Returns once every node
#                           has started, or fails naming the node that did not (its log is printed).
#   bin/cluster.sh down     stops the nodes it started (SIGTERM: each undeploys and leaves the cluster).
#
# The nodes share this machine, so a worker's servers move out of the way: node k adds 10000*(k-1)
# to every *_port setting of conf/application.json (worker-1's chat on 18001, worker-2's on 28001). The gateway
# keeps the defaults: http://127.0.0.1:8080. Logs and pid files go to $LAB_CLUSTER_DIR (default ./data/cluster).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR:-$ROOT/target/concurrency-lab.jar}
JAVA=${JAVA:-java}
JAVA_OPTS=${LAB_NODE_JAVA_OPTS:--Xms128m -Xmx512m}
RUN_DIR=${LAB_CLUSTER_DIR:-$ROOT/data/cluster}
START_TIMEOUT_S=${LAB_CLUSTER_START_TIMEOUT_S:-180}

usage() {
  echo "usage: bin/cluster.sh up [N] | down" >&2
  exit 2
}

# The layout file and name of node k (1-based).
node_env() {
  case $1 in
    1) echo "$ROOT/conf/cluster/gateway.env" ;;
    2) echo "$ROOT/conf/cluster/worker-1.env" ;;
    *) echo "$ROOT/conf/cluster/worker-2.env" ;;
  esac
}
node_name() {
  if [ "$1" -eq 1 ]; then echo gateway; else echo "worker-$(($1 - 1))"; fi
}

# LAB_<KEY>=<default + offset> for every port setting, so nodes on one machine do not collide.
port_overrides() {
  local offset=$1 key port
  grep -o '"[a-z_]*_port": *[0-9]*' "$ROOT/conf/application.json" | tr -d '" ' | while IFS=: read -r key port; do
    echo "LAB_$(echo "$key" | tr '[:lower:]' '[:upper:]')=$((port + offset))"
  done
}

start_node() {
  local k=$1 name log
  name=$(node_name "$k")
  log="$RUN_DIR/$name.log"
  # A subshell that reads the layout, then becomes the JVM: $! is the node's pid.
  (
    set -a
    # shellcheck source=/dev/null
    . "$(node_env "$k")"
    LAB_NODE_NAME=$name
    LAB_DATA_DIR=$RUN_DIR/$name
    if [ "$k" -gt 1 ]; then
      while read -r assignment; do export "${assignment?}"; done < <(port_overrides $((10000 * (k - 1))))
    fi
    set +a
    cd "$ROOT"
    # shellcheck disable=SC2086
    exec "$JAVA" $JAVA_OPTS -jar "$JAR" -cluster
  ) >"$log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
  echo "cluster: started $name (pid $!, log $log)"
}

# Waits for a node's start-up table ("Stop with Ctrl-C"); fails if the node exits first or takes too long.
await_node() {
  local name=$1 pid log deadline
  pid=$(cat "$RUN_DIR/$name.pid")
  log="$RUN_DIR/$name.log"
  deadline=$((SECONDS + START_TIMEOUT_S))
  until grep -q "Stop with Ctrl-C" "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      echo "cluster: $name did not start; its log:" >&2
      tail -n 40 "$log" >&2
      return 1
    fi
    sleep 0.5
  done
}

up() {
  local n=${1:-3} k
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || usage
  # Node 7's ports would pass 65535 (9010 + 60000).
  [ "$n" -le 6 ] || { echo "cluster: at most 6 nodes on one machine" >&2; exit 2; }
  [ -f "$JAR" ] || { echo "cluster: $JAR is missing: mvn -B -q package -DskipTests" >&2; exit 1; }
  mkdir -p "$RUN_DIR"
  if compgen -G "$RUN_DIR/*.pid" >/dev/null; then
    echo "cluster: nodes from an earlier 'up' are still recorded in $RUN_DIR: run bin/cluster.sh down first" >&2
    exit 1
  fi
  for ((k = 1; k <= n; k++)); do
    start_node "$k"
  done
  for ((k = 1; k <= n; k++)); do
    await_node "$(node_name "$k")" || { down; exit 1; }
  done
  echo "cluster: $n node(s) up; gateway http://127.0.0.1:8080/health; stop with bin/cluster.sh down"
}

down() {
  local file pid name i
  for file in "$RUN_DIR"/*.pid; do
    [ -e "$file" ] || continue
    pid=$(cat "$file")
    name=$(basename "$file" .pid)
    if kill -TERM "$pid" 2>/dev/null; then
      i=0
      while kill -0 "$pid" 2>/dev/null; do
        i=$((i + 1))
        if [ "$i" -gt 300 ]; then
          echo "cluster: $name (pid $pid) ignored SIGTERM for 30 s: killing it" >&2
          kill -KILL "$pid" 2>/dev/null || true
          break
        fi
        sleep 0.1
      done
      echo "cluster: stopped $name (pid $pid)"
    fi
    rm -f "$file"
  done
}

case ${1:-} in
  up) up "${2:-3}" ;;
  down) down ;;
  *) usage ;;
esac
