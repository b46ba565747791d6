#!/usr/bin/env bash
# Starts, stops and reports a Flink standalone session cluster on 127.0.0.1: one JobManager (web UI and REST API)
# and N TaskManagers, each its own JVM, from the jars that deploy/cluster/pom.xml gathers from Maven Central.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# log, die, port_open, pid_alive, read_pid, stop_pid, show_log_tail, java_bin, now_ms, elapsed
# shellcheck source-path=SCRIPTDIR source=../local/common.sh
. "$HERE/../local/common.sh"

FLINK_LIB="$HERE/target/flink/lib"
CLUSTER_DIR="$SIFT_REPO_ROOT/.sift/cluster"
REST_PORT=18081
TASKMANAGERS=1
SLOTS=2
START_TIMEOUT="${SIFT_CLUSTER_START_TIMEOUT:-120}"
JM_CLASS="org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"
TM_CLASS="org.apache.flink.runtime.taskexecutor.TaskManagerRunner"
# Heaps. A TaskManager's heap is its framework heap plus its task heap (below, in config.yaml).
JM_HEAP="${SIFT_CLUSTER_JM_HEAP:-768m}"
TM_TASK_HEAP_PER_SLOT_MB="${SIFT_CLUSTER_TM_HEAP_PER_SLOT_MB:-384}"

usage() {
  cat <<'EOF'
usage: cluster.sh up|down|status [--dir DIR] [--rest-port N] [--taskmanagers N] [--slots N] [--timeout SECONDS]

  up      write DIR/conf/config.yaml, start the JobManager and the TaskManagers, wait until the REST API's
          /overview counts every TaskManager; does nothing when the cluster of DIR already runs. Ends with
            SIFT_FLINK_REST_URL=http://127.0.0.1:<rest port>
  down    stop the TaskManagers, then the JobManager, by their pid files (TERM, KILL after 30 s)
  status  one line per process; exit 0 when the JobManager and every TaskManager are up, 3 otherwise

Defaults: DIR=<repo>/.sift/cluster, REST port 18081 (JobManager RPC at port + 1), 1 TaskManager with 2 slots,
start timeout 120 s (also SIFT_CLUSTER_START_TIMEOUT). Under DIR: conf/, log/ (jobmanager.log,
taskmanager-N.log), checkpoints/, savepoints/ (file:// storage), tmp/, web-upload/ and the pid files.
Heaps: SIFT_CLUSTER_JM_HEAP (768m), SIFT_CLUSTER_TM_HEAP_PER_SLOT_MB (384, plus 128 MB framework heap).
The jars come from deploy/cluster/target/flink/lib (built with Maven when missing).
EOF
}

# parse_cluster_options COMMAND OPTION...
parse_cluster_options() {
  local cmd="$1"
  shift
  REST_PORT_GIVEN=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) [ $# -ge 2 ] || die "--dir needs a value"; CLUSTER_DIR="$2"; shift 2 ;;
      --dir=*) CLUSTER_DIR="${1#*=}"; shift ;;
      --rest-port) [ $# -ge 2 ] || die "--rest-port needs a value"; REST_PORT="$2"; REST_PORT_GIVEN=1; shift 2 ;;
      --rest-port=*) REST_PORT="${1#*=}"; REST_PORT_GIVEN=1; shift ;;
      --taskmanagers) [ $# -ge 2 ] || die "--taskmanagers needs a value"; TASKMANAGERS="$2"; shift 2 ;;
      --taskmanagers=*) TASKMANAGERS="${1#*=}"; shift ;;
      --slots) [ $# -ge 2 ] || die "--slots needs a value"; SLOTS="$2"; shift 2 ;;
      --slots=*) SLOTS="${1#*=}"; shift ;;
      --timeout) [ $# -ge 2 ] || die "--timeout needs a value"; START_TIMEOUT="$2"; shift 2 ;;
      --timeout=*) START_TIMEOUT="${1#*=}"; shift ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option: $1 (try --help)" ;;
    esac
  done
  if ! is_port "$REST_PORT" || [ "$REST_PORT" -ge 65535 ]; then die "bad --rest-port: $REST_PORT"; fi
  if ! [[ "$TASKMANAGERS" =~ ^[1-9][0-9]?$ ]] || [ "$TASKMANAGERS" -gt 16 ]; then
    die "--taskmanagers takes 1 to 16, not '$TASKMANAGERS'"
  fi
  if ! [[ "$SLOTS" =~ ^[1-9][0-9]?$ ]] || [ "$SLOTS" -gt 64 ]; then die "--slots takes 1 to 64, not '$SLOTS'"; fi
  [[ "$START_TIMEOUT" =~ ^[0-9]+$ ]] || die "bad --timeout: $START_TIMEOUT"
  # only up creates DIR; status and down of a cluster that never ran leave no trace
  if [ "$cmd" = up ]; then mkdir -p "$CLUSTER_DIR"; fi
  CLUSTER_DIR="$(realpath -m "$CLUSTER_DIR")"
  CONF="$CLUSTER_DIR/conf"
  LOGS="$CLUSTER_DIR/log"
  TMP="$CLUSTER_DIR/tmp"
  JM_PID_FILE="$CLUSTER_DIR/jobmanager.pid"
  # what the running cluster was started with: status and down need no options repeated
  STATE_FILE="$CLUSTER_DIR/cluster.state"
}

# load_state: the running cluster's REST port and TaskManager count win over the defaults (not over --rest-port).
load_state() {
  [ -s "$STATE_FILE" ] || return 0
  local port tms
  port="$(sed -n 's/^rest_port=//p' "$STATE_FILE")"
  tms="$(sed -n 's/^taskmanagers=//p' "$STATE_FILE")"
  if [ -z "$REST_PORT_GIVEN" ] && is_port "$port"; then REST_PORT="$port"; fi
  if [[ "$tms" =~ ^[0-9]+$ ]]; then STATE_TASKMANAGERS="$tms"; fi
}

flink_lib_present() {
  compgen -G "$FLINK_LIB/flink-runtime-[0-9]*.jar" >/dev/null &&
    compgen -G "$FLINK_LIB/flink-runtime-web-*.jar" >/dev/null &&
    compgen -G "$FLINK_LIB/flink-rpc-akka-loader-*.jar" >/dev/null
}

# ensure_flink_lib: gather the Flink jars with Maven when they are missing (a fresh clone).
ensure_flink_lib() {
  ensure_module_resources deploy/cluster "$HERE/target" flink_lib_present "Flink jars"
}

tm_pid_file() { printf '%s/taskmanager-%s.pid\n' "$CLUSTER_DIR" "$1"; }

# running_pid PID_FILE CLASS: the pid of this cluster's process of CLASS, if it runs (checked by command line).
running_pid() {
  local pid
  pid="$(read_pid "$1")" || return 1
  pid_alive "$pid" "$2" || return 1
  pid_alive "$pid" "$CONF" || return 1
  printf '%s\n' "$pid"
}

write_config() {
  local rpc_port=$((REST_PORT + 1))
  local task_heap_mb=$((TM_TASK_HEAP_PER_SLOT_MB * SLOTS))
  mkdir -p "$CONF" "$LOGS" "$TMP" "$CLUSTER_DIR/checkpoints" "$CLUSTER_DIR/savepoints" "$CLUSTER_DIR/web-upload" \
    "$CLUSTER_DIR/web-tmp" "$CLUSTER_DIR/plugins"
  cat >"$CONF/config.yaml" <<EOF
# Written by deploy/cluster/cluster.sh at each start.
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1g
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.numberOfTaskSlots: $SLOTS
# A TaskManager started without Flink's shell scripts needs its memory spelled out: these add up to the
# JVM flags cluster.sh passes (heap = framework + task heap; direct = framework + task off-heap + network).
taskmanager.cpu.cores: $SLOTS
taskmanager.memory.framework.heap.size: 128m
taskmanager.memory.task.heap.size: ${task_heap_mb}m
taskmanager.memory.framework.off-heap.size: 128m
taskmanager.memory.task.off-heap.size: 0m
taskmanager.memory.network.min: 64m
taskmanager.memory.network.max: 64m
taskmanager.memory.managed.size: 128m
taskmanager.memory.jvm-metaspace.size: 256m
taskmanager.memory.jvm-overhead.min: 192m
taskmanager.memory.jvm-overhead.max: 192m
parallelism.default: 1
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $REST_PORT
web.submit.enable: true
web.cancel.enable: true
web.upload.dir: $CLUSTER_DIR/web-upload
web.tmpdir: $CLUSTER_DIR/web-tmp
blob.server.port: 0
io.tmp.dirs: $TMP
# The production state backend, as in deploy/k8s: RocksDB in managed memory, incremental checkpoints.
state.backend.type: rocksdb
execution.checkpointing.incremental: true
state.backend.rocksdb.memory.managed: true
state.backend.rocksdb.timer-service.factory: ROCKSDB
state.backend.rocksdb.localdir: $TMP/rocksdb
execution.checkpointing.dir: file://$CLUSTER_DIR/checkpoints
execution.checkpointing.savepoint-dir: file://$CLUSTER_DIR/savepoints
execution.checkpointing.num-retained: 3
execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: 3
restart-strategy.fixed-delay.delay: 2 s
heartbeat.timeout: 30000
EOF
  cat >"$CONF/log4j2.properties" <<'EOF'
# Written by deploy/cluster/cluster.sh at each start. log.file is set per process (the web UI shows that file).
status = warn
monitorInterval = 0
# keep logging while Flink's own shutdown hooks run
shutdownHook = disable
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
logger.elastic.name = org.elasticsearch.client
logger.elastic.level = WARN
logger.netty.name = org.apache.flink.shaded.netty4.io.netty
logger.netty.level = WARN
EOF
}

# The flags Flink's own launch scripts give every JVM on Java 17: Flink, Kryo and Pekko reflect into the JDK.
jvm_module_flags() {
  local p
  for p in java.lang java.lang.reflect java.net java.io java.nio sun.nio.ch java.text java.time java.util \
      java.util.concurrent java.util.concurrent.atomic java.util.concurrent.locks; do
    printf '%s\n' "--add-opens=java.base/$p=ALL-UNNAMED"
  done
  printf '%s\n' --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
    --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
}

# launch NAME PID_FILE LOG_FILE JVM_ARG...: start a JVM in its own session, recording its pid.
launch() {
  local name="$1" pid_file="$2" log_file="$3"
  shift 3
  local java
  java="$(java_bin)"
  local -a flags
  mapfile -t flags < <(jvm_module_flags)
  [ -f "$log_file" ] && mv -f "$log_file" "$log_file.previous"
  rm -f "$pid_file"
  # setsid: a terminal's Ctrl-C or the caller's end does not reach the cluster; the child writes its own pid
  # (setsid may fork) and then becomes the JVM. It runs from DIR with Flink's plugin directory there (empty
  # unless you add plugins), so no path depends on the caller. The redirections close the caller's output
  # in the whole background part, or a caller reading that output would wait for the cluster to end.
  (
    cd "$CLUSTER_DIR"
    export FLINK_CONF_DIR="$CONF" FLINK_PLUGINS_DIR="$CLUSTER_DIR/plugins"
    # shellcheck disable=SC2016
    exec setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' flink-launcher "$pid_file" \
      "$java" "${flags[@]}" -XX:+UseG1GC -XX:-UsePerfData -Djava.awt.headless=true "-Djava.io.tmpdir=$TMP" \
      "-Dlog.file=$log_file" "-Dlog4j2.configurationFile=$CONF/log4j2.properties" "$@"
  ) </dev/null >"${log_file%.log}.out" 2>&1 &
  local waited=0
  until read_pid "$pid_file" >/dev/null; do
    [ "$waited" -lt 100 ] || die "$name launcher wrote no pid file ($pid_file)"
    sleep 0.05
    waited=$((waited + 1))
  done
}

start_jobmanager() {
  launch jobmanager "$JM_PID_FILE" "$LOGS/jobmanager.log" \
    "-Xms256m" "-Xmx$JM_HEAP" -XX:MaxMetaspaceSize=256m -XX:MaxDirectMemorySize=128m \
    -cp "$FLINK_LIB/*" "$JM_CLASS" --configDir "$CONF"
}

start_taskmanager() {
  local i="$1" heap_mb=$((128 + TM_TASK_HEAP_PER_SLOT_MB * SLOTS))
  mkdir -p "$TMP/taskmanager-$i"
  launch "taskmanager-$i" "$(tm_pid_file "$i")" "$LOGS/taskmanager-$i.log" \
    "-Xms${heap_mb}m" "-Xmx${heap_mb}m" -XX:MaxMetaspaceSize=256m -XX:MaxDirectMemorySize=192m \
    -cp "$FLINK_LIB/*" "$TM_CLASS" --configDir "$CONF" \
    "-Dtaskmanager.resource-id=taskmanager-$i" "-Dio.tmp.dirs=$TMP/taskmanager-$i"
}

# rest_get PATH: the body of a GET on the REST API, or nothing when it does not answer 200.
rest_get() {
  curl -sf --max-time 5 "http://127.0.0.1:$REST_PORT$1" 2>/dev/null || true
}

# json_number BODY KEY: the integer value of "KEY": in a flat JSON object.
json_number() {
  printf '%s' "$1" | grep -o "\"$2\":[0-9]*" | head -n 1 | cut -d: -f2
}

all_logs() {
  local -a files=("$LOGS/jobmanager.out" "$LOGS/jobmanager.log")
  local i
  for ((i = 1; i <= TASKMANAGERS; i++)); do files+=("$LOGS/taskmanager-$i.out" "$LOGS/taskmanager-$i.log"); done
  printf '%s\n' "${files[@]}"
}

# check_alive: every started process still runs, or die showing its log.
check_alive() {
  local i pid_file
  if ! running_pid "$JM_PID_FILE" "$JM_CLASS" >/dev/null; then
    show_log_tail "$LOGS/jobmanager.out" "$LOGS/jobmanager.log"
    die "the JobManager exited during start (logs in $LOGS); clean up with: $HERE/cluster.sh down --dir $CLUSTER_DIR"
  fi
  for ((i = 1; i <= TASKMANAGERS; i++)); do
    pid_file="$(tm_pid_file "$i")"
    if ! running_pid "$pid_file" "$TM_CLASS" >/dev/null; then
      show_log_tail "$LOGS/taskmanager-$i.out" "$LOGS/taskmanager-$i.log"
      die "taskmanager-$i exited during start (logs in $LOGS); clean up with: $HERE/cluster.sh down --dir $CLUSTER_DIR"
    fi
  done
}

up() {
  local pid
  STATE_TASKMANAGERS=""
  load_state
  if pid="$(running_pid "$JM_PID_FILE" "$JM_CLASS")"; then
    log "cluster: already running (JobManager pid $pid, REST port $REST_PORT, dir $CLUSTER_DIR)"
    printf 'SIFT_FLINK_REST_URL=http://127.0.0.1:%s\n' "$REST_PORT"
    return 0
  fi
  # leftovers of a cluster whose JobManager died: stop its TaskManagers before starting afresh
  stop_taskmanagers
  local p
  for p in "$REST_PORT" $((REST_PORT + 1)); do
    if port_open "$p"; then die "port $p is already in use: pick another REST port with --rest-port (the JobManager's RPC takes port + 1)"; fi
  done
  ensure_flink_lib
  write_config
  printf 'rest_port=%s\ntaskmanagers=%s\nslots=%s\n' "$REST_PORT" "$TASKMANAGERS" "$SLOTS" >"$STATE_FILE"

  local started=$SECONDS started_ms
  started_ms="$(now_ms)"
  start_jobmanager
  local i
  for ((i = 1; i <= TASKMANAGERS; i++)); do start_taskmanager "$i"; done

  local body registered=0
  while :; do
    check_alive
    body="$(rest_get /overview)"
    if [ -n "$body" ]; then
      registered="$(json_number "$body" taskmanagers)"
      [ "${registered:-0}" -ge "$TASKMANAGERS" ] && break
    fi
    if [ $((SECONDS - started)) -ge "$START_TIMEOUT" ]; then
      local -a logs
      mapfile -t logs < <(all_logs)
      show_log_tail "${logs[@]}"
      die "the cluster did not come up within ${START_TIMEOUT}s (${registered:-0} of $TASKMANAGERS TaskManagers registered; logs in $LOGS); stop it with: $HERE/cluster.sh down --dir $CLUSTER_DIR"
    fi
    sleep 0.3
  done
  log "cluster: up in $(elapsed "$started_ms"): JobManager pid $(read_pid "$JM_PID_FILE"), $TASKMANAGERS TaskManager(s) x $SLOTS slots, web UI http://127.0.0.1:$REST_PORT, dir $CLUSTER_DIR"
  printf 'SIFT_FLINK_REST_URL=http://127.0.0.1:%s\n' "$REST_PORT"
}

# stop_taskmanagers: every TaskManager with a pid file in DIR, whatever the count the cluster was started with.
stop_taskmanagers() {
  local pid_file pid name
  for pid_file in "$CLUSTER_DIR"/taskmanager-*.pid; do
    [ -e "$pid_file" ] || continue
    name="$(basename "$pid_file" .pid)"
    if pid="$(running_pid "$pid_file" "$TM_CLASS")"; then
      stop_pid "$pid" "$TM_CLASS" "$name"
      log "cluster: stopped $name (pid $pid)"
    fi
    rm -f "$pid_file"
  done
}

down() {
  local pid
  stop_taskmanagers
  if pid="$(running_pid "$JM_PID_FILE" "$JM_CLASS")"; then
    stop_pid "$pid" "$JM_CLASS" jobmanager
    log "cluster: stopped the JobManager (pid $pid)"
  else
    log "cluster: no JobManager running (dir $CLUSTER_DIR)"
  fi
  rm -f "$JM_PID_FILE" "$STATE_FILE"
}

status() {
  STATE_TASKMANAGERS=""
  load_state
  local rc=0 pid body tms slots running i pid_file expected="${STATE_TASKMANAGERS:-$TASKMANAGERS}"
  if pid="$(running_pid "$JM_PID_FILE" "$JM_CLASS")"; then
    body="$(rest_get /overview)"
    if [ -n "$body" ]; then
      tms="$(json_number "$body" taskmanagers)"
      slots="$(json_number "$body" slots-total)"
      running="$(json_number "$body" jobs-running)"
      printf 'jobmanager: up rest=http://127.0.0.1:%s pid=%s taskmanagers=%s slots=%s jobs-running=%s dir=%s\n' \
        "$REST_PORT" "$pid" "${tms:-?}" "${slots:-?}" "${running:-?}" "$CLUSTER_DIR"
    else
      printf 'jobmanager: starting rest=http://127.0.0.1:%s pid=%s dir=%s\n' "$REST_PORT" "$pid" "$CLUSTER_DIR"
      rc=3
    fi
  else
    printf 'jobmanager: down rest=http://127.0.0.1:%s pid=- dir=%s\n' "$REST_PORT" "$CLUSTER_DIR"
    rc=3
  fi
  for ((i = 1; i <= expected; i++)); do
    pid_file="$(tm_pid_file "$i")"
    if pid="$(running_pid "$pid_file" "$TM_CLASS")"; then
      printf 'taskmanager-%s: up pid=%s\n' "$i" "$pid"
    else
      printf 'taskmanager-%s: down pid=-\n' "$i"
      rc=3
    fi
  done
  return "$rc"
}

main() {
  [ $# -ge 1 ] || { usage >&2; exit 2; }
  local cmd="$1"
  shift
  case "$cmd" in
    -h|--help|help) usage; exit 0 ;;
    up|down|status) ;;
    *) usage >&2; exit 2 ;;
  esac
  parse_cluster_options "$cmd" "$@"
  case "$cmd" in
    up) command -v curl >/dev/null 2>&1 || die "curl not found: install curl (apt-get install curl)"; up ;;
    down) down ;;
    status) status ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
