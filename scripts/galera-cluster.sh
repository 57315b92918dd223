#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on 127.0.0.1 for the cluster test suites (bench/test/galera-*)
# and the cluster benchmark, with the settings that work on one 2-core machine.
#
#   scripts/galera-cluster.sh start        start every node that is down (bootstraps when none is up)
#   scripts/galera-cluster.sh stop         stop every node (SIGTERM by its pid file, then waits)
#   scripts/galera-cluster.sh kill N       SIGKILL node N (1-3) by its own pid file
#   scripts/galera-cluster.sh restart N    start node N again: it rejoins by IST from a donor's gcache
#   scripts/galera-cluster.sh status       per node: pid, wsrep state, cluster size, last committed
#   scripts/galera-cluster.sh wipe         stop, then delete the data directory
#
# Node N listens on 3310+N (SQL), 4570+N (gcomm), 4580+N (IST), 4590+N (SST). Data lives in
# UPSYNC_GALERA_DIR (default /tmp/upsync-galera), outside the repository. Nodes are signalled only
# by the pid files this script writes, never by name: the main MariaDB is a mariadbd too.
set -euo pipefail

DIR=${UPSYNC_GALERA_DIR:-/tmp/upsync-galera}
NODES=(1 2 3)
MARIADBD=/usr/sbin/mariadbd
PROVIDER=/usr/lib/galera/libgalera_smm.so
WAIT_SECONDS=${UPSYNC_GALERA_WAIT:-90}

sql_port() { echo $((3310 + $1)); }
node_dir() { echo "$DIR/node$1"; }
pid_file() { echo "$(node_dir "$1")/daemon.pid"; }

q() { # node, sql: one value, or nothing when the node does not answer
  mariadb -uroot -h127.0.0.1 -P"$(sql_port "$1")" --connect-timeout=2 -N -B -e "$2" 2>/dev/null
}

# The node's mariadbd pid, only if that process is still the one this script started for it.
node_pid() {
  local f pid
  f=$(pid_file "$1")
  [[ -f $f ]] || return 1
  pid=$(cat "$f")
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--defaults-file=$(node_dir "$1")/my.cnf" || return 1
  echo "$pid"
}

ready() { [[ $(q "$1" "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='wsrep_ready'") == ON ]]; }

write_config() {
  local n=$1 d
  d=$(node_dir "$n")
  cat >"$d/my.cnf" <<EOF
[mysqld]
user=mysql
datadir=$d/data
socket=$d/mysqld.sock
pid-file=$d/mysqld.pid
log-error=$d/error.log
# each node its own temporary files: the three installs run at once (one failed once on a
# temporary table it could not remove from a shared /tmp)
tmpdir=$d/tmp
port=$(sql_port "$n")
bind-address=127.0.0.1
skip-name-resolve
performance_schema=OFF
max_connections=300
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=64M
innodb_log_file_size=48M
# durability comes from the cluster (a killed process loses nothing the OS already has)
innodb_flush_log_at_trx_commit=2
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=upsync_test
wsrep_cluster_address=gcomm://127.0.0.1:4571,127.0.0.1:4572,127.0.0.1:4573
wsrep_node_address=127.0.0.1
wsrep_node_name=node$n
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$((4570 + n));ist.recv_addr=127.0.0.1:$((4580 + n));gcache.size=32M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((4590 + n))
EOF
}

init_node() {
  local n=$1 d
  d=$(node_dir "$n")
  mkdir -p "$d/tmp"
  write_config "$n"
  if [[ ! -d $d/data/mysql ]]; then
    mkdir -p "$d/data"
    chown -R mysql:mysql "$d"
    mariadb-install-db --defaults-file="$d/my.cnf" --user=mysql \
      --auth-root-authentication-method=normal --skip-test-db >"$d/install.log" 2>&1 ||
      { echo "galera: node$n: mariadb-install-db failed (see $d/install.log)" >&2; return 1; }
  fi
  chown -R mysql:mysql "$d"
}

launch() { # node, extra mariadbd arguments
  local n=$1 d
  shift
  d=$(node_dir "$n")
  # --defaults-file must be mariadbd's first argument
  start-stop-daemon --start --background --make-pidfile --pidfile "$d/daemon.pid" \
    --exec "$MARIADBD" -- --defaults-file="$d/my.cnf" "$@"
}

wait_ready() { # node
  local i
  for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
    ready "$1" && return 0
    node_pid "$1" >/dev/null || { echo "galera: node$1 exited (see $(node_dir "$1")/error.log)" >&2; return 1; }
    sleep 0.5
  done
  echo "galera: node$1 not ready after ${WAIT_SECONDS}s (see $(node_dir "$1")/error.log)" >&2
  return 1
}

any_up() {
  local n
  for n in "${NODES[@]}"; do ready "$n" && return 0; done
  return 1
}

start_node() { # node: join the running cluster (IST when the donor's gcache still holds the gap)
  local n=$1
  if node_pid "$n" >/dev/null; then wait_ready "$n"; return; fi
  init_node "$n"
  launch "$n"
  wait_ready "$n"
}

cmd_start() {
  mkdir -p "$DIR"
  if ! any_up; then
    local n
    for n in "${NODES[@]}"; do node_pid "$n" >/dev/null && wait_ready "$n" && break; done
  fi
  if ! any_up; then
    # nothing answers: bootstrap a new primary component from node 1 (test data: whichever node
    # stopped last does not matter, so node 1 is declared safe to bootstrap)
    local pids=() n
    for n in "${NODES[@]}"; do init_node "$n" & pids+=($!); done
    for p in "${pids[@]}"; do wait "$p"; done
    local state
    state="$(node_dir 1)/data/grastate.dat"
    [[ -f $state ]] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$state"
    echo "galera: bootstrapping node1"
    launch 1 --wsrep-new-cluster
    wait_ready 1
  fi
  for n in "${NODES[@]}"; do start_node "$n"; done
  local size=""
  for _ in $(seq 1 60); do
    size=$(q 1 "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='wsrep_cluster_size'")
    [[ $size == "${#NODES[@]}" ]] && break
    sleep 0.5
  done
  [[ $size == "${#NODES[@]}" ]] || { echo "galera: cluster size is '$size', expected ${#NODES[@]}" >&2; return 1; }
  echo "galera: cluster of $size nodes on 127.0.0.1:3311-3313"
}

stop_node() { # node
  local n=$1 pid
  pid=$(node_pid "$n") || { rm -f "$(pid_file "$n")"; return 0; }
  kill -TERM "$pid"
  for _ in $(seq 1 120); do
    [[ -d /proc/$pid ]] || { rm -f "$(pid_file "$n")"; return 0; }
    sleep 0.5
  done
  echo "galera: node$n did not stop within 60s, killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$(pid_file "$n")"
}

cmd_stop() {
  local n
  # the last one stopped is the safe one to bootstrap from: node 1
  for n in 3 2 1; do stop_node "$n"; done
  echo "galera: stopped"
}

cmd_kill() {
  local n=$1 pid
  pid=$(node_pid "$n") || { echo "galera: node$n is not running" >&2; return 1; }
  kill -KILL "$pid"
  for _ in $(seq 1 40); do [[ -d /proc/$pid ]] || break; sleep 0.25; done
  rm -f "$(pid_file "$n")"
  echo "galera: node$n (pid $pid) killed"
}

cmd_restart() {
  local n=$1
  any_up || { echo "galera: no node is up to rejoin; use start" >&2; return 1; }
  start_node "$n"
  echo "galera: node$n rejoined ($(grep -Eo 'IST received|SST (complete|finished)|State transfer .* complete' "$(node_dir "$n")/error.log" | tail -1 || true))"
}

cmd_status() {
  local n pid
  for n in "${NODES[@]}"; do
    pid=$(node_pid "$n" || echo -)
    printf 'node%s port %s pid %s: %s\n' "$n" "$(sql_port "$n")" "$pid" \
      "$(q "$n" "SELECT GROUP_CONCAT(CONCAT(SUBSTRING(VARIABLE_NAME, 7), '=', VARIABLE_VALUE) ORDER BY VARIABLE_NAME SEPARATOR ' ') FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('wsrep_ready', 'wsrep_cluster_size', 'wsrep_cluster_status', 'wsrep_local_state_comment', 'wsrep_last_committed')" || echo 'not answering')"
  done
}

node_arg() {
  [[ ${1:-} =~ ^[123]$ ]] || { echo "usage: $0 $2 1|2|3" >&2; exit 2; }
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  kill) node_arg "${2:-}" kill; cmd_kill "$2" ;;
  restart) node_arg "${2:-}" restart; cmd_restart "$2" ;;
  status) cmd_status ;;
  wipe) cmd_stop; rm -rf "$DIR"; echo "galera: $DIR deleted" ;;
  *) echo "usage: $0 start|stop|kill N|restart N|status|wipe" >&2; exit 2 ;;
esac
