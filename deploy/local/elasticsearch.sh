#!/usr/bin/env bash
# Starts, stops and reports a local single-node Elasticsearch 8.x server (security off, 127.0.0.1 only).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<'EOF'
usage: elasticsearch.sh start|stop|status [--dir DIR] [--es-port N] [--timeout SECONDS]

  start   start the server and wait until the cluster is yellow
  stop    stop the server by its pid file (TERM, then KILL after 30 s)
  status  one line; exit 0 when up, 3 otherwise

Defaults: DIR=<repo>/.sift/stack, HTTP port 19200 (the transport port is port+100).
Everything lives in DIR/elasticsearch: config/ (a copy), data/, logs/, tmp/, elasticsearch.pid.
Elasticsearch refuses to run as root: for root the server runs as the system account 'sift',
created when missing.
EOF
}

RUN_USER=sift
PROC_MATCH="org.elasticsearch.bootstrap.Elasticsearch"

es_paths() {
  EHOME="$STACK_DIR/elasticsearch"
  # set when DIR is not reachable by the 'sift' account (see relocate_home)
  if [ -s "$STACK_DIR/elasticsearch.home" ]; then
    EHOME="$(cat "$STACK_DIR/elasticsearch.home")"
  fi
  ECONF="$EHOME/config"
  EDATA="$EHOME/data"
  ELOGS="$EHOME/logs"
  ETMP="$EHOME/tmp"
  EPID="$EHOME/elasticsearch.pid"
  EPORTFILE="$EHOME/port"
}

running_as_root() { [ "$(id -u)" -eq 0 ]; }

# as_user CMD...: run CMD as the server's account (the caller itself unless root).
as_user() {
  if running_as_root; then
    setpriv --reuid="$RUN_USER" --regid="$RUN_USER" --init-groups -- "$@"
  else
    "$@"
  fi
}

running_pid() {
  local pid
  pid="$(read_pid "$EPID")" || return 1
  pid_alive "$pid" "$PROC_MATCH" || return 1
  pid_alive "$pid" "-Djava.io.tmpdir=$ETMP" || return 1
  printf '%s\n' "$pid"
}

http_status() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$ES_PORT$1" || true
  else
    # plain bash fallback: HTTP/1.0 over /dev/tcp
    (
      exec 3<>"/dev/tcp/127.0.0.1/$ES_PORT" || exit 0
      printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
      local line
      IFS=' ' read -r -t 10 _ line _ <&3 || true
      printf '%s' "${line:-000}"
    ) 2>/dev/null || printf '000'
  fi
}

ensure_user() {
  running_as_root || return 0
  id -u "$RUN_USER" >/dev/null 2>&1 && return 0
  (
    flock -w 60 9 || die "timed out waiting for a lock on $SIFT_TARGET/.es-setup.lock"
    if ! id -u "$RUN_USER" >/dev/null 2>&1; then
      log "creating the system account '$RUN_USER' to run Elasticsearch (it refuses to run as root)"
      useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$RUN_USER"
    fi
  ) 9>"$SIFT_TARGET/.es-setup.lock"
}

# es_dist: the distribution to run; copied to /var/tmp when the server's account cannot read it in place
# (for example a repository under a mode-700 home directory). The copy in target/ is only ever read.
es_dist() {
  local dist version copy
  dist="$(es_distribution)"
  version="$(es_version)"
  if as_user test -x "$dist/bin/elasticsearch" -a -r "$dist/lib/elasticsearch-$version.jar"; then
    printf '%s\n' "$dist"
    return 0
  fi
  copy="/var/tmp/sift-es-$version"
  (
    flock -w 300 9 || die "timed out waiting for a lock on $SIFT_TARGET/.es-setup.lock"
    if [ ! -f "$copy/.sift-complete" ]; then
      log "account '$RUN_USER' cannot read $dist: copying the distribution to $copy"
      rm -rf "$copy" "$copy.partial"
      cp -a "$dist" "$copy.partial"
      chown -R root:root "$copy.partial"
      chmod -R a+rX,go-w "$copy.partial"
      touch "$copy.partial/.sift-complete"
      mv "$copy.partial" "$copy"
    fi
  ) 9>"$SIFT_TARGET/.es-setup.lock" >&2
  printf '%s\n' "$copy"
}

# relocate_home: when the server's account cannot reach DIR (e.g. under /root), keep the instance in
# /var/tmp/sift-stack-<hash of DIR>/elasticsearch and leave a pointer to it in DIR/elasticsearch.home.
relocate_home() {
  running_as_root || return 0
  [ -s "$STACK_DIR/elasticsearch.home" ] && return 0
  if as_user test -x "$STACK_DIR"; then return 0; fi
  local hash
  hash="$(printf '%s' "$STACK_DIR" | sha1sum | cut -c1-12)"
  mkdir -p "/var/tmp/sift-stack-$hash"
  chmod 755 "/var/tmp/sift-stack-$hash"
  printf '%s\n' "/var/tmp/sift-stack-$hash/elasticsearch" >"$STACK_DIR/elasticsearch.home"
  log "account '$RUN_USER' cannot reach $STACK_DIR: the Elasticsearch instance lives in /var/tmp/sift-stack-$hash"
  es_paths
}

write_config() {
  local dist="$1"
  mkdir -p "$EHOME" "$EDATA" "$ELOGS" "$ETMP"
  if [ ! -f "$ECONF/jvm.options" ]; then
    mkdir -p "$ECONF"
    cp -R "$dist/config/." "$ECONF/"
  fi
  cat >"$ECONF/elasticsearch.yml" <<EOF
# Written by deploy/local/elasticsearch.sh at each start.
cluster.name: sift-local
node.name: sift-local
discovery.type: single-node
xpack.security.enabled: false
http.host: 127.0.0.1
transport.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $((ES_PORT + 100))
path.data: $EDATA
path.logs: $ELOGS
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
EOF
  if running_as_root; then
    chown -R "$RUN_USER:$RUN_USER" "$EHOME"
  fi
}

start() {
  local pid
  es_paths
  if pid="$(running_pid)"; then
    ES_PORT="$(cat "$EPORTFILE" 2>/dev/null || echo "$ES_PORT")"
    log "elasticsearch: already running (pid $pid, port $ES_PORT, dir $EHOME)"
    return 0
  fi
  local p
  for p in "$ES_PORT" $((ES_PORT + 100)); do
    if port_open "$p"; then die "port $p is already in use: pick another with --es-port"; fi
  done
  ensure_binaries
  ensure_user
  relocate_home
  local dist java_home_dir
  dist="$(es_dist)"
  java_home_dir="$(java_home)"
  write_config "$dist"
  rm -f "$EPID"
  printf '%s\n' "$ES_PORT" >"$EPORTFILE"

  local started=$SECONDS started_ms rc=0
  started_ms="$(now_ms)"
  # -d: the launcher returns once the node runs (or failed); the server writes its own pid file.
  # ES_TMPDIR, CLI_JAVA_OPTS and -XX:-UsePerfData keep the server and its launcher out of /tmp;
  # JAVA_TOOL_OPTIONS reaches only the launcher's Java version check (bin/elasticsearch-env unsets it after).
  (
    cd "$EHOME"
    as_user env -u JAVA_HOME -u _JAVA_OPTIONS \
      HOME="$EHOME" \
      JAVA_TOOL_OPTIONS="-XX:-UsePerfData" \
      ES_JAVA_HOME="$java_home_dir" \
      ES_PATH_CONF="$ECONF" \
      ES_TMPDIR="$ETMP" \
      ES_JAVA_OPTS="-Xms512m -Xmx512m -XX:-UsePerfData ${SIFT_ES_JAVA_OPTS:-}" \
      CLI_JAVA_OPTS="-Djava.io.tmpdir=$ETMP -XX:-UsePerfData" \
      timeout --kill-after=10 "$START_TIMEOUT" \
      setsid "$dist/bin/elasticsearch" -d -p "$EPID" </dev/null >"$ELOGS/console.out" 2>&1
  ) || rc=$?
  if [ "$rc" -ne 0 ]; then
    show_log_tail "$ELOGS/console.out" "$ELOGS/sift-local.log"
    if pid="$(running_pid)"; then stop_pid "$pid" "-Djava.io.tmpdir=$ETMP" elasticsearch; fi
    die "elasticsearch failed to start (launcher exit $rc; logs in $ELOGS)"
  fi
  pid="$(read_pid "$EPID")" || die "elasticsearch started but wrote no pid file $EPID"

  local code
  while :; do
    code="$(http_status '/_cluster/health?wait_for_status=yellow&timeout=1s')"
    [ "$code" = 200 ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log_tail "$ELOGS/console.out" "$ELOGS/sift-local.log"
      die "elasticsearch exited during start (logs in $ELOGS)"
    fi
    if [ $((SECONDS - started)) -ge "$START_TIMEOUT" ]; then
      show_log_tail "$ELOGS/console.out" "$ELOGS/sift-local.log"
      die "elasticsearch not yellow within ${START_TIMEOUT}s (last HTTP status $code; pid $pid still runs; stop it with: $SIFT_LOCAL_DIR/elasticsearch.sh stop --dir $STACK_DIR)"
    fi
    sleep 0.5
  done
  log "elasticsearch: started in $(elapsed "$started_ms") (pid $pid, port $ES_PORT, dir $EHOME)"
}

stop() {
  local pid
  es_paths
  if pid="$(running_pid)"; then
    stop_pid "$pid" "-Djava.io.tmpdir=$ETMP" elasticsearch
    log "elasticsearch: stopped (pid $pid)"
  else
    log "elasticsearch: not running (dir $EHOME)"
  fi
  rm -f "$EPID"
}

status() {
  local pid port
  es_paths
  port="$(cat "$EPORTFILE" 2>/dev/null || echo "$ES_PORT")"
  pid="$(running_pid)" || pid=""
  report_status elasticsearch "$port" "$pid" "$EHOME"
}

main() {
  [ $# -ge 1 ] || { usage >&2; exit 2; }
  local cmd="$1"
  shift
  parse_options "$@"
  case "$cmd" in
    start) start; printf 'SIFT_ELASTICSEARCH_URL=http://127.0.0.1:%s\n' "$ES_PORT" ;;
    stop) stop ;;
    status) status ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
