#!/usr/bin/env bash
# Sift's local services: a real Kafka 4.x broker and a real Elasticsearch 8.x server on 127.0.0.1.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$HERE/common.sh"

usage() {
  cat <<'EOF'
usage: stack.sh up|down|status [--dir DIR] [--kafka-port N] [--es-port N]
                               [--only kafka|elasticsearch] [--timeout SECONDS]

  up      start Kafka and Elasticsearch (both at once) and wait until they serve; does nothing
          for a service that already runs. Ends with the lines
            SIFT_KAFKA_BOOTSTRAP=127.0.0.1:<port>
            SIFT_ELASTICSEARCH_URL=http://127.0.0.1:<port>
  down    stop them by their pid files
  status  one line per service; exit 0 when all are up, 3 otherwise

Defaults: DIR=<repo>/.sift/stack, Kafka 19092 (controller 19093), Elasticsearch 19200
(transport 19300), start timeout 120 s per service. Data, logs and pid files: DIR/kafka,
DIR/elasticsearch. The binaries come from deploy/local/target (built with Maven when missing).
EOF
}

wants() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

common_args() {
  printf '%s\n' --dir "$STACK_DIR" --kafka-port "$KAFKA_PORT" --es-port "$ES_PORT" --timeout "$START_TIMEOUT"
}

up() {
  local -a args
  mapfile -t args < <(common_args)
  ensure_binaries
  local es_out="$STACK_DIR/elasticsearch-start.out" es_pid="" es_rc=0 kafka_rc=0 kafka_line="" es_line=""
  if wants elasticsearch; then
    # Elasticsearch takes ~10 s: start it in the background while Kafka starts
    "$HERE/elasticsearch.sh" start "${args[@]}" >"$es_out" 2>&1 &
    es_pid=$!
  fi
  if wants kafka; then
    kafka_line="$("$HERE/kafka.sh" start "${args[@]}")" || kafka_rc=$?
  fi
  if [ -n "$es_pid" ]; then
    wait "$es_pid" || es_rc=$?
    grep -v '^SIFT_' "$es_out" >&2 || true
    es_line="$(grep '^SIFT_ELASTICSEARCH_URL=' "$es_out" || true)"
    rm -f "$es_out"
  fi
  if [ "$kafka_rc" -ne 0 ] || [ "$es_rc" -ne 0 ]; then
    log "stack: start failed; stop whatever did start with: $HERE/stack.sh down --dir $STACK_DIR"
    exit 1
  fi
  [ -z "$kafka_line" ] || printf '%s\n' "$kafka_line"
  [ -z "$es_line" ] || printf '%s\n' "$es_line"
}

down() {
  local -a args
  mapfile -t args < <(common_args)
  local rc=0
  if wants elasticsearch; then "$HERE/elasticsearch.sh" stop "${args[@]}" || rc=1; fi
  if wants kafka; then "$HERE/kafka.sh" stop "${args[@]}" || rc=1; fi
  return "$rc"
}

status() {
  local -a args
  mapfile -t args < <(common_args)
  local rc=0
  if wants kafka; then "$HERE/kafka.sh" status "${args[@]}" || rc=3; fi
  if wants elasticsearch; then "$HERE/elasticsearch.sh" status "${args[@]}" || rc=3; fi
  return "$rc"
}

main() {
  [ $# -ge 1 ] || { usage >&2; exit 2; }
  local cmd="$1"
  shift
  parse_options "$@"
  case "$cmd" in
    up) up ;;
    down) down ;;
    status) status ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
