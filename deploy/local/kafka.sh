#!/usr/bin/env bash
# Starts, stops and reports a local Kafka 4.x broker (KRaft combined broker+controller, 127.0.0.1 only).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<'EOF'
usage: kafka.sh start|stop|status [--dir DIR] [--kafka-port N] [--timeout SECONDS]

  start   format the storage once, start the broker, wait until it has started
  stop    stop the broker by its pid file (TERM, then KILL after 30 s)
  status  one line; exit 0 when up, 3 otherwise

Defaults: DIR=<repo>/.sift/stack, port 19092 (the controller listens on port+1).
Everything lives in DIR/kafka: config/, data/, logs/server.log, kafka.pid.
EOF
}

CLUSTER_ID="c2lmdC1sb2NhbC1zdGFjaw" # base64url of "sift-local-stack": fixed, so a data dir is reusable
PROC_MATCH="kafka.Kafka"

kafka_paths() {
  KHOME="$STACK_DIR/kafka"
  KCONF="$KHOME/config"
  KDATA="$KHOME/data"
  KLOGS="$KHOME/logs"
  KTMP="$KHOME/tmp"
  KPID="$KHOME/kafka.pid"
  KPORTFILE="$KHOME/port"
}

# running_pid: prints the pid of this instance's broker if it runs.
running_pid() {
  local pid
  pid="$(read_pid "$KPID")" || return 1
  pid_alive "$pid" "$PROC_MATCH" || return 1
  pid_alive "$pid" "$KCONF/server.properties" || return 1
  printf '%s\n' "$pid"
}

write_config() {
  local cport=$((KAFKA_PORT + 1))
  mkdir -p "$KCONF" "$KDATA" "$KLOGS" "$KTMP"
  cat >"$KCONF/server.properties" <<EOF
# Written by deploy/local/kafka.sh at each start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KDATA
num.partitions=2
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# the cleaner takes 128 MB of heap by default; the broker runs with 512 MB
log.cleaner.dedupe.buffer.size=2097152
# look for logs to compact every second (default 15 s): compaction tests force the cleaner with small segments
log.cleaner.backoff.ms=1000
# look for segments past retention every 10 s (default 5 min): a record stamped with an old time (e.g. a replay's
# event time) is deleted within seconds of being written, in every test, not only when a check falls in between
log.retention.check.interval.ms=10000
EOF
  cat >"$KCONF/log4j2.properties" <<EOF
# Written by deploy/local/kafka.sh at each start.
status = warn
# keep logging while the broker shuts down (its own hook stops it)
shutdownHook = disable
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $KLOGS/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.controller.name = org.apache.kafka.controller
logger.controller.level = WARN
logger.coordinator.name = org.apache.kafka.coordinator
logger.coordinator.level = WARN
EOF
}

java_opts() {
  printf '%s\n' -Xms128m -Xmx512m -XX:+UseG1GC -XX:-UsePerfData -Djava.awt.headless=true "-Djava.io.tmpdir=$KTMP"
}

format_storage() {
  [ -f "$KDATA/meta.properties" ] && return 0
  local java out
  java="$(java_bin)"
  if ! out="$("$java" -Xmx256m -XX:-UsePerfData "-Djava.io.tmpdir=$KTMP" -cp "$SIFT_KAFKA_LIBS/*" kafka.tools.StorageTool format \
      -t "$CLUSTER_ID" -c "$KCONF/server.properties" 2>&1)"; then
    log "$out"
    die "formatting the Kafka storage in $KDATA failed"
  fi
}

start() {
  local pid
  if pid="$(running_pid)"; then
    log "kafka: already running (pid $pid, port $(cat "$KPORTFILE" 2>/dev/null || echo '?'), dir $KHOME)"
    KAFKA_PORT="$(cat "$KPORTFILE" 2>/dev/null || echo "$KAFKA_PORT")"
    return 0
  fi
  local p
  for p in "$KAFKA_PORT" $((KAFKA_PORT + 1)); do
    if port_open "$p"; then die "port $p is already in use: pick another with --kafka-port"; fi
  done
  ensure_binaries
  write_config
  format_storage

  [ -f "$KLOGS/server.log" ] && mv -f "$KLOGS/server.log" "$KLOGS/server.log.previous"
  local java
  java="$(java_bin)"
  local -a opts
  mapfile -t opts < <(java_opts)
  local started=$SECONDS started_ms
  started_ms="$(now_ms)"
  rm -f "$KPID"
  printf '%s\n' "$KAFKA_PORT" >"$KPORTFILE"
  # setsid: own session, so a terminal's Ctrl-C or the caller's end does not reach the broker;
  # the child records its own pid (setsid may fork) and then becomes the JVM.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' kafka-launcher "$KPID" \
    "$java" "${opts[@]}" "-Dlog4j2.configurationFile=$KCONF/log4j2.properties" \
    -cp "$SIFT_KAFKA_LIBS/*" kafka.Kafka "$KCONF/server.properties" \
    </dev/null >"$KLOGS/console.out" 2>&1 &
  local waited=0
  until pid="$(read_pid "$KPID")"; do
    [ "$waited" -lt 100 ] || die "kafka launcher wrote no pid file ($KPID)"
    sleep 0.05
    waited=$((waited + 1))
  done

  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log_tail "$KLOGS/console.out" "$KLOGS/server.log"
      rm -f "$KPID"
      die "kafka exited during start (see $KLOGS)"
    fi
    if grep -q 'Kafka Server started' "$KLOGS/server.log" 2>/dev/null && port_open "$KAFKA_PORT"; then
      break
    fi
    if [ $((SECONDS - started)) -ge "$START_TIMEOUT" ]; then
      show_log_tail "$KLOGS/console.out" "$KLOGS/server.log"
      die "kafka did not start within ${START_TIMEOUT}s (pid $pid still runs; stop it with: $SIFT_LOCAL_DIR/kafka.sh stop --dir $STACK_DIR)"
    fi
    sleep 0.2
  done
  log "kafka: started in $(elapsed "$started_ms") (pid $pid, port $KAFKA_PORT, dir $KHOME)"
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    stop_pid "$pid" "$KCONF/server.properties" kafka
    log "kafka: stopped (pid $pid)"
  else
    log "kafka: not running (dir $KHOME)"
  fi
  rm -f "$KPID"
}

status() {
  local pid port
  port="$(cat "$KPORTFILE" 2>/dev/null || echo "$KAFKA_PORT")"
  pid="$(running_pid)" || pid=""
  report_status kafka "$port" "$pid" "$KHOME"
}

main() {
  [ $# -ge 1 ] || { usage >&2; exit 2; }
  local cmd="$1"
  shift
  parse_options "$@"
  kafka_paths
  case "$cmd" in
    start) start; printf 'SIFT_KAFKA_BOOTSTRAP=127.0.0.1:%s\n' "$KAFKA_PORT" ;;
    stop) stop ;;
    status) status ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
